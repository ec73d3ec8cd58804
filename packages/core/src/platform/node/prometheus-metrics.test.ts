import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors/validation-error.js';
import { createPrometheusMetrics } from './prometheus-metrics.js';

describe('createPrometheusMetrics options', () => {
  it('registers under the default prefix, or the one given, in the registry given', async () => {
    expect((await createPrometheusMetrics().registry.getMetricsAsJSON()).map((metric) => metric.name)).toContain(
      'dharma_records_ingested_total',
    );
    const registry = new Registry();
    createPrometheusMetrics({ registry, prefix: 'ops_' });
    expect((await registry.getMetricsAsJSON()).map((metric) => metric.name)).toContain('ops_errors_total');
  });

  it('rejects a prefix that cannot start a metric name, and a registry that is not one, naming the option', () => {
    expect(() => createPrometheusMetrics({ prefix: '9-bad' })).toThrow(ValidationError);
    expect(() => createPrometheusMetrics({ prefix: '9-bad' })).toThrow(/prefix/);
    expect(() => createPrometheusMetrics({ registry: {} as never })).toThrow(/registry/);
  });
});
