import type { z } from 'zod';
import type { InsightFindingSchema } from '../schemas/finding.js';
import type { AnalyzerFinding } from '../spec/analyzer.js';

/** An insight finding as an analyzer returns it (the engine fills `id` and `analyzer`). */
export type InsightFindingInput = Omit<z.input<typeof InsightFindingSchema>, 'id' | 'analyzer'>;

/**
 * Types an insight as an {@link AnalyzerFinding}. (`AnalyzerFinding` is a non-distributive `Omit` over the
 * finding union, so kind-specific fields such as `topic` need this cast.)
 */
export function insight(finding: InsightFindingInput): AnalyzerFinding {
  return finding as AnalyzerFinding;
}
