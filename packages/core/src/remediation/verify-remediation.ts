import { z } from 'zod';
import type { Finding } from '../schemas/finding.js';
import type { Clock } from '../spec/common.js';
import type {
  RemediationActionDefinition,
  RemediationContext,
  VerificationResult,
} from '../spec/remediation-plugin.js';
import type { Storage } from '../spec/storage.js';
import type { VerifyConfig } from './remediation-policy.js';
import { runIsolated } from './run-isolated.js';

const VerificationResultSchema = z.object({ ok: z.boolean(), detail: z.string().optional() });

/** How a point of the watched series is judged, or `undefined` when the finding gives nothing to judge by. */
export function healthPredicate(
  config: VerifyConfig,
  finding: Finding | undefined,
): ((value: number) => boolean) | undefined {
  const { healthyBelow, healthyAbove } = config;
  if (healthyBelow !== undefined || healthyAbove !== undefined) {
    return (value) =>
      (healthyBelow === undefined || value < healthyBelow) && (healthyAbove === undefined || value > healthyAbove);
  }
  if (
    finding?.kind === 'anomaly' &&
    finding.value !== undefined &&
    finding.expected !== undefined &&
    finding.value !== finding.expected
  ) {
    // Healthy again once the signal is back past the midpoint between what was expected and what was seen.
    const midpoint = (finding.value + finding.expected) / 2;
    return finding.value > finding.expected ? (value) => value < midpoint : (value) => value > midpoint;
  }
  return undefined;
}

/** What {@link verifyRemediation} needs. */
export interface VerifyRemediationOptions {
  definition: RemediationActionDefinition;
  params: unknown;
  context: RemediationContext & { executeResult: unknown };
  config: VerifyConfig;
  storage: Storage;
  clock: Clock;
  /** When the action finished (epoch ms): only later points count. */
  executedAt: number;
  /** Time limit of each call of the action's own `verify`, in ms (the action's time limit; at most `config.windowMs` is used). */
  timeoutMs: number;
  /** Waits between checks. @default a clock sleep that rejects when the signal aborts */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

/**
 * Waits (at most `config.windowMs`, checking every `config.intervalMs`) until the action is verified: its
 * own `verify` returns ok (when it has one) and the watched series shows `consecutive` healthy points
 * after the action (when there is a series and a way to judge it). With neither, the action counts as
 * verified once it executed.
 */
export async function verifyRemediation(
  options: VerifyRemediationOptions,
): Promise<VerificationResult & { checks: number }> {
  const { definition, config, clock, context } = options;
  const series = config.series ?? context.finding?.series;
  const healthy = series === undefined ? undefined : healthPredicate(config, context.finding);
  const watchSignal = series !== undefined && healthy !== undefined;
  if (!definition.verify && !watchSignal)
    return { ok: true, detail: 'executed; no verification signal available', checks: 0 };
  const deadline = options.executedAt + config.windowMs;
  let pluginOk = !definition.verify;
  let pluginDetail = '';
  let signalDetail = '';
  for (let checks = 1; ; checks++) {
    if (!pluginOk && definition.verify) {
      const timeoutMs = Math.min(options.timeoutMs, config.windowMs);
      const result = await runIsolated((signal) => definition.verify!(options.params, { ...context, signal }), {
        label: 'verify',
        timeoutMs,
        clock,
        signal: context.signal,
      });
      const parsed = result.ok ? VerificationResultSchema.safeParse(result.value) : undefined;
      if (!result.ok) pluginDetail = result.error.message;
      else if (!parsed?.success) pluginDetail = 'verify returned something other than { ok: boolean, detail?: string }';
      else {
        pluginOk = parsed.data.ok;
        pluginDetail = parsed.data.detail ?? (pluginOk ? 'plugin verify ok' : 'plugin verify not ok');
      }
    }
    let signalOk = !watchSignal;
    if (watchSignal) {
      const points = await options.storage.rangePoints({ series: series!, from: options.executedAt + 1 });
      let streak = 0;
      for (const point of points) streak = healthy!(point.value) ? streak + 1 : 0;
      signalOk = streak >= config.consecutive;
      const last = points.at(-1);
      signalDetail = `${series}: ${points.length} point(s) since the action, last ${last?.value ?? 'none'}, ${streak} healthy in a row (need ${config.consecutive})`;
    }
    const lastDetail = [pluginDetail, signalDetail].filter(Boolean).join('; ');
    if (pluginOk && signalOk) return { ok: true, detail: lastDetail, checks };
    const remaining = deadline - clock.now();
    if (remaining <= 0)
      return { ok: false, detail: `not verified within ${config.windowMs} ms: ${lastDetail}`, checks };
    try {
      await (options.sleep ?? ((ms, signal) => sleepUnlessAborted(clock, ms, signal)))(
        Math.min(config.intervalMs, remaining),
        context.signal,
      );
    } catch {
      return { ok: false, detail: `verification aborted: ${lastDetail}`, checks };
    }
  }
}

/** Sleeps on `clock` with a short-lived signal, so long-lived signals do not collect one listener per sleep. */
export async function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  const local = new AbortController();
  const onAbort = () => local.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await clock.sleep(ms, local.signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
