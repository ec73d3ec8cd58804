/** The metrics every simulated service reports (units in {@link FLEET_METRICS}). */
export type FleetMetric =
  'cpu_utilization' | 'memory_utilization' | 'disk_utilization' | 'latency_p99_ms' | 'error_rate' | 'cpu_steal';

/** Definition of one simulated metric: unit and the threshold above which it is unhealthy. */
export interface FleetMetricDefinition {
  name: FleetMetric;
  unit: string;
  /** Values above this are unhealthy (what a threshold analyzer should alert on). */
  threshold: number;
}

/** The simulated metrics, with units and alert thresholds. */
export const FLEET_METRICS: readonly FleetMetricDefinition[] = [
  { name: 'cpu_utilization', unit: 'ratio 0..1', threshold: 0.85 },
  { name: 'memory_utilization', unit: 'ratio 0..1', threshold: 0.85 },
  { name: 'disk_utilization', unit: 'ratio 0..1', threshold: 0.85 },
  { name: 'latency_p99_ms', unit: 'ms', threshold: 500 },
  { name: 'error_rate', unit: 'ratio 0..1', threshold: 0.03 },
  { name: 'cpu_steal', unit: 'ratio 0..1', threshold: 0.15 },
];

/** The actions the simulator's plugin offers (`fleet.<action>`). */
export type FleetAction = 'restart' | 'scale-out' | 'clean-disk' | 'rollback-deploy' | 'migrate';

/** The incidents the simulator can inject. */
export type IncidentKind = 'memory-leak' | 'cpu-saturation' | 'disk-filling' | 'bad-deploy' | 'noisy-neighbour';

/** How an incident changes a service's metrics, and what fixes it. */
export interface IncidentDefinition {
  kind: IncidentKind;
  description: string;
  /** The metric that shows it first. */
  primaryMetric: FleetMetric;
  /** Actions that end the incident; every other action leaves it running. */
  fixedBy: readonly FleetAction[];
  /** Metric values under the incident, `elapsedMs` after it started, given the healthy values. */
  apply(values: Record<FleetMetric, number>, elapsedMs: number): void;
}

const minutes = (ms: number) => ms / 60_000;

/** Every incident kind with its effect and fix. Rates are per simulated minute. */
export const INCIDENT_CATALOG: Readonly<Record<IncidentKind, IncidentDefinition>> = {
  'memory-leak': {
    kind: 'memory-leak',
    description: 'Memory grows ~10 points per minute until the process is restarted.',
    primaryMetric: 'memory_utilization',
    fixedBy: ['restart'],
    apply: (values, elapsedMs) =>
      void (values.memory_utilization = Math.min(0.99, values.memory_utilization + 0.1 * minutes(elapsedMs))),
  },
  'cpu-saturation': {
    kind: 'cpu-saturation',
    description: 'A traffic surge saturates the CPU within a minute; more replicas absorb it.',
    primaryMetric: 'cpu_utilization',
    fixedBy: ['scale-out'],
    apply: (values, elapsedMs) => {
      // Demand outgrows whatever capacity the service has: CPU climbs to ~97% within a minute.
      values.cpu_utilization += (0.97 - values.cpu_utilization) * Math.min(1, minutes(elapsedMs));
      values.latency_p99_ms *= 1 + Math.min(1, minutes(elapsedMs));
    },
  },
  'disk-filling': {
    kind: 'disk-filling',
    description: 'Logs fill the disk ~8 points per minute until they are cleaned.',
    primaryMetric: 'disk_utilization',
    fixedBy: ['clean-disk'],
    apply: (values, elapsedMs) =>
      void (values.disk_utilization = Math.min(1, values.disk_utilization + 0.08 * minutes(elapsedMs))),
  },
  'bad-deploy': {
    kind: 'bad-deploy',
    description: 'A bad deploy multiplies p99 latency by 6 and raises errors to ~8%; rolling the deploy back fixes it.',
    primaryMetric: 'latency_p99_ms',
    fixedBy: ['rollback-deploy'],
    apply: (values) => {
      values.latency_p99_ms *= 6;
      values.error_rate += 0.08;
    },
  },
  'noisy-neighbour': {
    kind: 'noisy-neighbour',
    description: 'A neighbour on the same host steals ~35% CPU and slows requests; migrating to another host fixes it.',
    primaryMetric: 'cpu_steal',
    fixedBy: ['migrate'],
    apply: (values) => {
      values.cpu_steal += 0.35;
      values.latency_p99_ms *= 1.8;
    },
  },
};

/** All incident kinds. */
export const INCIDENT_KINDS = Object.keys(INCIDENT_CATALOG) as IncidentKind[];
