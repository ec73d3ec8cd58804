import * as api from '@opentelemetry/api';
import { AnomalyDetector, createEngine, type RemediationPlugin } from '@iac-dharma/core';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { createSelfTelemetry, loadSelfTelemetry } from './index.js';

describe('self-telemetry', () => {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  api.trace.setGlobalTracerProvider(tracerProvider);
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
  api.metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  afterAll(() => {
    api.trace.disable();
    api.metrics.disable();
  });

  it('wraps ingest batches, analyzer runs, handlers and remediation attempts in spans, and feeds an OTel meter', async () => {
    const telemetry = await loadSelfTelemetry();
    expect(telemetry.enabled).toBe(true);
    const handled: string[] = [];
    const engine = createEngine({
      analyzers: [telemetry.traceAnalyzer(new AnomalyDetector({ name: 'anomaly' }))],
      handlers: [
        telemetry.traceHandler({ name: 'recorder', handleFinding: async (finding) => void handled.push(finding.id) }),
      ],
      metrics: telemetry.engineMetrics!,
    });
    const sink = telemetry.traceSink(engine);
    const records = Array.from({ length: 300 }, (_, index) => ({
      resource: 'web-1',
      metric: 'cpu',
      value: index === 290 ? 50 : 1 + (index % 5) * 0.01,
      timestamp: 1_000_000 + index * 15_000,
    }));
    await sink.ingest(records);
    await engine.flush();
    const names = spans.getFinishedSpans().map((span) => span.name);
    expect(names).toContain('dharma.ingest');
    expect(names).toContain('dharma.analyze');
    const ingest = spans.getFinishedSpans().find((span) => span.name === 'dharma.ingest')!;
    expect(ingest.attributes['dharma.records']).toBe(300);
    expect(handled.length).toBeGreaterThan(0);
    expect(names).toContain('dharma.handle');

    const plugin: RemediationPlugin = {
      specificationVersion: 'v1',
      name: 'demo',
      actions: {
        restart: {
          description: 'restart',
          risk: 'low',
          parameters: undefined as never,
          async execute() {
            throw new Error('nope');
          },
        } as never,
      },
    };
    const traced = telemetry.tracePlugin(plugin);
    await expect(traced.actions.restart!.execute({}, {} as never)).rejects.toThrow('nope');
    const remediation = spans.getFinishedSpans().find((span) => span.name === 'dharma.remediation.execute')!;
    expect(remediation.status.code).toBe(api.SpanStatusCode.ERROR);
    expect(remediation.attributes).toMatchObject({ 'dharma.plugin': 'demo', 'dharma.action': 'restart' });

    await reader.forceFlush();
    const exported = metricExporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
    const ingested = exported.find((metric) => metric.descriptor.name === 'dharma.records.ingested')!;
    expect(ingested.dataPoints[0]!.value).toBe(300);
    expect(exported.some((metric) => metric.descriptor.name === 'dharma.analyzer.duration')).toBe(true);
    await engine.close();
  });

  it('returns the very same objects when the API is absent (zero cost)', () => {
    const telemetry = createSelfTelemetry(undefined);
    const analyzer = new AnomalyDetector();
    const sink = { ingest: async () => undefined };
    expect(telemetry.enabled).toBe(false);
    expect(telemetry.traceAnalyzer(analyzer)).toBe(analyzer);
    expect(telemetry.traceSink(sink)).toBe(sink);
    expect(telemetry.engineMetrics).toBeUndefined();
  });
});
