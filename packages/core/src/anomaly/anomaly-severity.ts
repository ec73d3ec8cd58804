import type { Severity } from '../schemas/common.js';

/**
 * Severity of an anomaly from its score: below 0.7 `low`, below 0.8 `medium`, below 0.9 `high`,
 * else `critical`.
 */
export function anomalySeverity(score: number): Severity {
  if (score >= 0.9) return 'critical';
  if (score >= 0.8) return 'high';
  if (score >= 0.7) return 'medium';
  return 'low';
}
