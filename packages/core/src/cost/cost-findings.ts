import type { Severity } from '../schemas/common.js';
import type { InsightFindingInput } from '../optimization/insight-finding-input.js';
import type { BudgetStatus } from './budget-status.js';
import type { WorkloadSavings } from './estimate-savings.js';

/**
 * The `cost` insight for a budget: `critical` when already exceeded, `high` when the point forecast
 * overruns, `medium` when only the pessimistic forecast does. Score: the forecast overrun as a fraction
 * of the budget (pessimistic one for `at-risk`), plus 0.5, capped at 1.
 */
export function budgetFinding(
  status: BudgetStatus,
  now: number,
  currency: string,
): InsightFindingInput & { severity: Severity } {
  const severity: Severity = status.state === 'exceeded' ? 'critical' : status.state === 'forecast' ? 'high' : 'medium';
  const { amount } = status.budget;
  const projected = status.state === 'at-risk' ? status.forecastUpper : status.forecastTotal;
  const subject = status.budget.resource ?? status.budget.team!;
  const verb =
    status.state === 'exceeded' ? 'has exceeded' : status.state === 'forecast' ? 'is forecast to exceed' : 'may exceed';
  return {
    kind: 'insight',
    topic: 'cost',
    resource: subject,
    timestamp: now,
    severity,
    score: Math.min(1, Math.max(0, 0.5 + (projected - amount) / amount)),
    summary: `${status.scope} ${verb} its budget of ${round(amount)} ${currency}: spent ${round(status.spent)}, forecast ${round(status.forecastTotal)} (pessimistic ${round(status.forecastUpper)}) by ${new Date(status.periodEnd).toISOString()}.`,
    data: { type: 'budget', ...status, budget: { ...status.budget } },
  };
}

/** The `cost` insight for the savings of one right-sizing recommendation (`low` severity; score grows with the monthly amount, 1000/month → 0.5). */
export function savingsFinding(
  savings: WorkloadSavings,
  now: number,
  currency: string,
): InsightFindingInput & { severity: Severity } {
  return {
    kind: 'insight',
    topic: 'cost',
    resource: savings.workload,
    timestamp: now,
    severity: 'low',
    score: savings.monthly / (savings.monthly + 1000),
    summary: `Right-sizing ${savings.workload} would save about ${round(savings.monthly)} ${currency} a month (${round(savings.cpuCores)} cores, ${round(savings.memoryGiB)} GiB).`,
    data: { type: 'savings', ...savings },
  };
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}
