import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Options of {@link createGatewayMetrics}. */
export interface GatewayMetricsOptions {
  /** Registry to register in; pass the engine's (`createPrometheusMetrics().registry`) to expose both on `/metrics`. @default a new Registry */
  registry?: Registry;
  /** Prefix of every metric name. @default 'dharma_gateway_' */
  prefix?: string;
}

/** The gateway's own Prometheus metrics (requests, subscriptions, back-pressure). */
export interface GatewayMetrics {
  readonly registry: Registry;
  /** Counts one GraphQL operation by type, root field and outcome (`ok`, `error`, `refused`), with its duration in seconds. */
  operation(type: string, field: string, outcome: string, seconds: number): void;
  /** Counts a request refused before execution, by reason (`unauthenticated`, `forbidden`, `too_deep`, `too_complex`). */
  refused(reason: string): void;
  /** Tracks live subscriptions by root field. */
  subscriptionOpened(field: string): void;
  subscriptionClosed(field: string): void;
  /** Counts events dropped for slow subscribers, and subscribers disconnected for being slow. */
  overflow(field: string, policy: 'drop-oldest' | 'disconnect'): void;
}

/**
 * Creates the gateway metrics: `dharma_gateway_operations_total{type,field,outcome}`,
 * `dharma_gateway_operation_duration_seconds{type}`, `dharma_gateway_refused_total{reason}`,
 * `dharma_gateway_subscriptions{field}`, `dharma_gateway_subscription_events_dropped_total{field}`,
 * `dharma_gateway_subscriptions_disconnected_total{field}`.
 */
export function createGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? 'dharma_gateway_';
  const registers = [registry];
  const operations = new Counter({
    name: `${prefix}operations_total`,
    help: 'GraphQL operations by type, root field and outcome',
    labelNames: ['type', 'field', 'outcome'],
    registers,
  });
  const duration = new Histogram({
    name: `${prefix}operation_duration_seconds`,
    help: 'Time to execute one query or mutation',
    labelNames: ['type'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers,
  });
  const refused = new Counter({
    name: `${prefix}refused_total`,
    help: 'Requests refused before execution',
    labelNames: ['reason'],
    registers,
  });
  const subscriptions = new Gauge({
    name: `${prefix}subscriptions`,
    help: 'Live subscriptions',
    labelNames: ['field'],
    registers,
  });
  const dropped = new Counter({
    name: `${prefix}subscription_events_dropped_total`,
    help: 'Events dropped for slow subscribers (drop-oldest)',
    labelNames: ['field'],
    registers,
  });
  const disconnected = new Counter({
    name: `${prefix}subscriptions_disconnected_total`,
    help: 'Subscribers disconnected for being too slow',
    labelNames: ['field'],
    registers,
  });
  return {
    registry,
    operation: (type, field, outcome, seconds) => {
      operations.inc({ type, field, outcome });
      duration.observe({ type }, seconds);
    },
    refused: (reason) => refused.inc({ reason }),
    subscriptionOpened: (field) => subscriptions.inc({ field }),
    subscriptionClosed: (field) => subscriptions.dec({ field }),
    overflow: (field, policy) => (policy === 'drop-oldest' ? dropped.inc({ field }) : disconnected.inc({ field })),
  };
}
