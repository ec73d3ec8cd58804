import type {
  Analyzer,
  EngineMetrics,
  FindingHandler,
  IngestRecordInput,
  RemediationPlugin,
} from '@iac-dharma/core/kernel';
import type { RecordSink } from './record-sink.js';

/** The part of `@opentelemetry/api` self-telemetry uses (so this package never needs it at compile time by name). */
interface OtelApi {
  trace: { getTracer(name: string, version?: string): OtelTracer };
  metrics: { getMeter(name: string, version?: string): OtelMeter };
  SpanStatusCode: { ERROR: number };
}
interface OtelSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  recordException(error: Error): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}
interface OtelTracer {
  startActiveSpan<T>(
    name: string,
    options: { attributes?: Record<string, string | number | boolean> },
    fn: (span: OtelSpan) => T,
  ): T;
}
interface OtelMeter {
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): { add(value: number, attributes?: Record<string, string>): void };
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string },
  ): { record(value: number, attributes?: Record<string, string>): void };
}

/** Wrappers that add OpenTelemetry spans and metrics, or return their input unchanged when the API is absent. */
export interface SelfTelemetry {
  /** Whether `@opentelemetry/api` was found. When false every wrapper is the identity (zero cost). */
  readonly enabled: boolean;
  /** A sink whose `ingest` calls run in a `dharma.ingest` span (attribute `dharma.records`). */
  traceSink<S extends RecordSink>(sink: S): S;
  /** An analyzer whose `analyze`/`tick` calls run in `dharma.analyze`/`dharma.tick` spans (attribute `dharma.analyzer`). */
  traceAnalyzer<A extends Analyzer>(analyzer: A): A;
  /** A finding handler (e.g. the `Remediator`) whose calls run in `dharma.handle` spans. */
  traceHandler<H extends FindingHandler>(handler: H): H;
  /** A remediation plugin whose `execute`/`verify`/`rollback` run in `dharma.remediation.*` spans. */
  tracePlugin<P extends RemediationPlugin>(plugin: P): P;
  /** Engine metrics through an OTel meter (`dharma.records.ingested`, `dharma.findings`, ...), or `undefined` when absent. */
  readonly engineMetrics: EngineMetrics | undefined;
}

const identity: SelfTelemetry = {
  enabled: false,
  traceSink: (sink) => sink,
  traceAnalyzer: (analyzer) => analyzer,
  traceHandler: (handler) => handler,
  tracePlugin: (plugin) => plugin,
  engineMetrics: undefined,
};

/** Runs `fn` in a span; records a thrown error or rejection on it. */
function inSpan<T>(
  api: OtelApi,
  tracer: OtelTracer,
  name: string,
  attributes: Record<string, string | number | boolean>,
  fn: () => T,
): T {
  return tracer.startActiveSpan(name, { attributes }, (span) => {
    const fail = (error: unknown) => {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({
        code: api.SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
    };
    try {
      const result = fn();
      if (result instanceof Promise) {
        return result.then(
          (value) => (span.end(), value),
          (error: unknown) => {
            fail(error);
            span.end();
            throw error;
          },
        ) as T;
      }
      span.end();
      return result;
    } catch (error) {
      fail(error);
      span.end();
      throw error;
    }
  });
}

/** Builds self-telemetry from an `@opentelemetry/api` module object. */
export function createSelfTelemetry(api: unknown): SelfTelemetry {
  if (!api || typeof (api as OtelApi).trace?.getTracer !== 'function') return identity;
  const otel = api as OtelApi;
  const tracer = otel.trace.getTracer('@iac-dharma/prometheus');
  const meter = otel.metrics.getMeter('@iac-dharma/prometheus');
  const ingested = meter.createCounter('dharma.records.ingested', { description: 'Records accepted by the engine' });
  const rejected = meter.createCounter('dharma.records.rejected', { description: 'Records rejected by the engine' });
  const findings = meter.createCounter('dharma.findings', { description: 'Findings produced' });
  const duration = meter.createHistogram('dharma.analyzer.duration', {
    description: 'Time spent in one analyzer call',
    unit: 's',
  });
  const errors = meter.createCounter('dharma.errors', { description: 'Errors by source' });
  return {
    enabled: true,
    traceSink: (sink) => {
      const wrapped = Object.create(sink) as typeof sink;
      wrapped.ingest = (records: IngestRecordInput[]) =>
        inSpan(otel, tracer, 'dharma.ingest', { 'dharma.records': records.length }, () => sink.ingest(records));
      return wrapped;
    },
    traceAnalyzer: (analyzer) => {
      const wrapped = Object.create(analyzer) as typeof analyzer;
      const attributes = { 'dharma.analyzer': analyzer.name };
      (wrapped as { analyze: Analyzer['analyze'] }).analyze = (records, context) =>
        inSpan(otel, tracer, 'dharma.analyze', { ...attributes, 'dharma.records': records.length }, () =>
          analyzer.analyze(records, context),
        );
      if (analyzer.tick)
        (wrapped as { tick: NonNullable<Analyzer['tick']> }).tick = (context) =>
          inSpan(otel, tracer, 'dharma.tick', attributes, () => analyzer.tick!(context));
      return wrapped;
    },
    traceHandler: (handler) => {
      const wrapped = Object.create(handler) as typeof handler;
      (wrapped as { handleFinding: FindingHandler['handleFinding'] }).handleFinding = (finding, context) =>
        inSpan(
          otel,
          tracer,
          'dharma.handle',
          {
            'dharma.handler': handler.name,
            'dharma.finding.kind': finding.kind,
            'dharma.finding.severity': finding.severity,
            'dharma.resource': finding.resource,
          },
          () => handler.handleFinding(finding, context),
        );
      return wrapped;
    },
    tracePlugin: (plugin) => {
      const actions: RemediationPlugin['actions'] = {};
      for (const [name, action] of Object.entries(plugin.actions)) {
        const attributes = { 'dharma.plugin': plugin.name, 'dharma.action': name };
        actions[name] = {
          ...action,
          execute: (params, context) =>
            inSpan(otel, tracer, 'dharma.remediation.execute', attributes, () => action.execute(params, context)),
          ...(action.verify
            ? {
                verify: (params: unknown, context: Parameters<NonNullable<typeof action.verify>>[1]) =>
                  inSpan(otel, tracer, 'dharma.remediation.verify', attributes, () => action.verify!(params, context)),
              }
            : {}),
          ...(action.rollback
            ? {
                rollback: (params: unknown, context: Parameters<NonNullable<typeof action.rollback>>[1]) =>
                  inSpan(otel, tracer, 'dharma.remediation.rollback', attributes, () =>
                    action.rollback!(params, context),
                  ),
              }
            : {}),
        };
      }
      return { ...plugin, actions };
    },
    engineMetrics: {
      recordsIngested: (kind, count) => ingested.add(count, { kind }),
      recordsRejected: (reason, count) => rejected.add(count, { reason }),
      findingProduced: (kind, severity) => findings.add(1, { kind, severity }),
      analyzerDuration: (analyzer, seconds) => duration.record(seconds, { analyzer }),
      errorOccurred: (source) => errors.add(1, { source }),
    },
  };
}

/**
 * Loads `@opentelemetry/api` when it is installed (an optional peer dependency) and returns
 * {@link SelfTelemetry} over it; without it, identity wrappers (nothing is added to any call path).
 * Spans and metrics go wherever your OpenTelemetry SDK is configured to send them.
 */
export async function loadSelfTelemetry(): Promise<SelfTelemetry> {
  try {
    const specifier = '@opentelemetry/api';
    const api = (await import(/* @vite-ignore */ specifier)) as { default?: unknown };
    return createSelfTelemetry((api as OtelApi).trace ? api : api.default);
  } catch {
    return identity;
  }
}
