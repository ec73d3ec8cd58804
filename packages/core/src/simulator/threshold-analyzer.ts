import { z } from 'zod';
import { parseWith } from '../errors/validation-error.js';
import { SeveritySchema } from '../schemas/common.js';
import { seriesKey, type IngestRecord } from '../schemas/records.js';
import type { Analyzer, AnalyzerFinding } from '../spec/analyzer.js';

const ThresholdRuleSchema = z.object({
  metric: z.string().min(1),
  above: z.number().optional(),
  below: z.number().optional(),
  /** Only this resource. @default every resource */
  resource: z.string().optional(),
  /** @default 'high' */
  severity: SeveritySchema.default('high'),
});

/** A threshold on one metric: a finding when a sample is above `above` or below `below`. */
export interface ThresholdRule extends z.input<typeof ThresholdRuleSchema> {}

/** Options of {@link createThresholdAnalyzer}, with their defaults (parsed once; a wrong option throws `ValidationError` naming it). */
const ThresholdAnalyzerOptionsSchema = z.object({
  rules: z.array(ThresholdRuleSchema).readonly(),
  /** Analyzer name. @default 'threshold' */
  name: z.string().min(1).default('threshold'),
});

/** Options of {@link createThresholdAnalyzer} (only `rules` is required). */
export interface ThresholdAnalyzerOptions extends z.input<typeof ThresholdAnalyzerOptionsSchema> {}

/**
 * A minimal analyzer that raises an anomaly finding (with `value`, and `expected` = the threshold) for every
 * sample past a threshold. Handy with the fleet simulator, in tests and as a fallback for hard limits.
 */
export function createThresholdAnalyzer(options: ThresholdAnalyzerOptions): Analyzer {
  const { rules, name } = parseWith(ThresholdAnalyzerOptionsSchema, options, 'threshold analyzer options');
  return {
    specificationVersion: 'v1',
    name,
    accepts: ['metric'],
    analyze(records: readonly IngestRecord[]): AnalyzerFinding[] {
      const findings: AnalyzerFinding[] = [];
      for (const record of records) {
        if (record.kind !== 'metric') continue;
        for (const rule of rules) {
          if (rule.metric !== record.metric || (rule.resource !== undefined && rule.resource !== record.resource))
            continue;
          const limit =
            rule.above !== undefined && record.value > rule.above
              ? rule.above
              : rule.below !== undefined && record.value < rule.below
                ? rule.below
                : undefined;
          if (limit === undefined) continue;
          const excess = Math.abs(record.value - limit) / Math.max(Math.abs(limit), Number.EPSILON);
          findings.push({
            kind: 'anomaly',
            resource: record.resource,
            series: seriesKey(record),
            timestamp: record.timestamp,
            severity: rule.severity,
            score: Math.min(1, 0.5 + excess),
            value: record.value,
            expected: limit,
            summary: `${record.metric} of ${record.resource} is ${round(record.value)}, past its threshold ${limit}`,
          } as AnalyzerFinding);
        }
      }
      return findings;
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
