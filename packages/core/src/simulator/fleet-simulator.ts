import { z } from 'zod';
import { NotFoundError, StateError } from '../errors/errors.js';
import { parseWith } from '../errors/validation-error.js';
import type { MetricSampleInput } from '../schemas/records.js';
import type { Resource } from '../schemas/resource.js';
import type { Clock } from '../spec/common.js';
import type { RemediationPlugin } from '../spec/remediation-plugin.js';
import { createFleetPlugin } from './fleet-plugin.js';
import {
  FLEET_METRICS,
  INCIDENT_CATALOG,
  INCIDENT_KINDS,
  type FleetAction,
  type FleetMetric,
  type IncidentKind,
} from './incident-catalog.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';
import type { ThresholdRule } from './threshold-analyzer.js';

/** One injected incident and how it ended. */
export interface SimulatedIncident {
  id: string;
  service: string;
  kind: IncidentKind;
  /** Epoch ms (simulated clock). */
  startedAt: number;
  /** When a fixing action was applied. */
  resolvedAt?: number;
  /** The action that fixed it. */
  resolvedBy?: FleetAction;
}

/** One action the plugin applied to a service. */
export interface AppliedFleetAction {
  at: number;
  service: string;
  action: FleetAction;
  /** Whether it ended an incident. */
  fixed: boolean;
  incidentId?: string;
}

/** Observable state of a simulated service. */
export interface SimulatedServiceState {
  id: string;
  replicas: number;
  /** Deploy version, increased by deploys and decreased by rollbacks. */
  version: number;
  /** Host it runs on (changes on `migrate`). */
  host: string;
  incident?: SimulatedIncident;
}

interface Service extends SimulatedServiceState {
  baseline: Record<FleetMetric, number>;
  initialReplicas: number;
  /** Phase of the service's daily load cycle, in radians. */
  phase: number;
}

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null;

/** Options of {@link FleetSimulator}, with their defaults (parsed once; a wrong option throws `ValidationError` naming it). */
const FleetSimulatorOptionsSchema = z.object({
  /** Drives simulated time (a `ManualClock` in tests, so a day passes in milliseconds). */
  clock: z.custom<Clock>(isObject, { message: 'expected a Clock' }),
  /** Seed of every random draw: the same seed and call sequence give the same metrics. @default 1 */
  seed: z.number().finite().default(1),
  /** Number of services (`svc-1`...) or their ids. @default 5 */
  services: z.union([z.number().int().nonnegative(), z.array(z.string().min(1)).readonly()]).default(5),
  /** Multiplies the noise of every metric (0 = noiseless). @default 1 */
  noise: z.number().nonnegative().finite().default(1),
});

/** Options of {@link FleetSimulator} (only `clock` is required). */
export interface FleetSimulatorOptions extends z.input<typeof FleetSimulatorOptionsSchema> {}

const DAY_MS = 86_400_000;

/**
 * A deterministic simulated fleet for tests, demos and benchmarks: services with realistic metrics (daily
 * load cycle, noise), incidents you inject (memory leak, CPU saturation, disk filling, bad deploy, noisy
 * neighbour), each fixed by some actions and not by others, and a `RemediationPlugin` whose actions act
 * on the services. Time comes from the injected clock; no timers, no I/O.
 */
export class FleetSimulator {
  readonly clock: Clock;
  private readonly random: SeededRandom;
  private readonly noise: number;
  private readonly fleet = new Map<string, Service>();
  private readonly history: SimulatedIncident[] = [];
  private readonly applied: AppliedFleetAction[] = [];
  private nextIncident = 1;

  constructor(options: FleetSimulatorOptions) {
    const { clock, seed, services, noise } = parseWith(FleetSimulatorOptionsSchema, options, 'fleet simulator options');
    this.clock = clock;
    this.random = createSeededRandom(seed);
    this.noise = noise;
    const ids =
      typeof services === 'number' ? Array.from({ length: services }, (_, index) => `svc-${index + 1}`) : [...services];
    if (ids.length === 0) throw new StateError('A fleet needs at least one service.');
    for (const id of ids) {
      const random = this.random;
      const replicas = 2 + random.int(3);
      this.fleet.set(id, {
        id,
        replicas,
        initialReplicas: replicas,
        version: 1,
        host: `host-${random.int(100)}`,
        phase: random.next() * 2 * Math.PI,
        baseline: {
          cpu_utilization: 0.25 + 0.2 * random.next(),
          memory_utilization: 0.35 + 0.15 * random.next(),
          disk_utilization: 0.3 + 0.2 * random.next(),
          latency_p99_ms: 80 + 70 * random.next(),
          error_rate: 0.002,
          cpu_steal: 0.01,
        },
      });
    }
  }

  /** The service ids. */
  get services(): string[] {
    return [...this.fleet.keys()];
  }

  /** The services as inventory resources (deployments), for `storage.putResource`. */
  resources(): Resource[] {
    return [...this.fleet.values()].map((service) => ({
      type: 'deployment',
      id: service.id,
      name: service.id,
      labels: { app: service.id, simulated: 'true' },
      status: 'running',
      image: `registry.local/${service.id}:v${service.version}`,
      replicas: service.replicas,
      readyReplicas: service.replicas,
    }));
  }

  /** Threshold rules matching the simulator's metrics (for `createThresholdAnalyzer`). */
  thresholdRules(): ThresholdRule[] {
    return FLEET_METRICS.map((metric) => ({ metric: metric.name, above: metric.threshold }));
  }

  /** One sample of every metric of every service, at the clock's current time. */
  sample(): MetricSampleInput[] {
    const now = this.clock.now();
    const samples: MetricSampleInput[] = [];
    for (const service of this.fleet.values()) {
      for (const [metric, value] of Object.entries(this.values(service, now)))
        samples.push({ resource: service.id, metric, value, timestamp: now });
    }
    return samples;
  }

  /** The current metric values of one service (noise-free), e.g. for assertions. */
  currentValues(serviceId: string): Record<FleetMetric, number> {
    return this.values(this.service(serviceId), this.clock.now(), false);
  }

  /** Starts an incident now on a service (which must not have one already). */
  inject(options: { service: string; kind: IncidentKind }): SimulatedIncident {
    const service = this.service(options.service);
    if (service.incident)
      throw new StateError(
        `${service.id} already has an incident (${service.incident.kind}); inject one per service at a time.`,
      );
    if (!INCIDENT_CATALOG[options.kind])
      throw new NotFoundError(`Unknown incident kind "${options.kind}" (kinds: ${INCIDENT_KINDS.join(', ')}).`);
    const incident: SimulatedIncident = {
      id: `incident-${this.nextIncident++}`,
      service: service.id,
      kind: options.kind,
      startedAt: this.clock.now(),
    };
    if (options.kind === 'bad-deploy') service.version++;
    service.incident = incident;
    this.history.push(incident);
    return incident;
  }

  /** Starts a random incident on a random healthy service (deterministic for the seed); `undefined` when all have one. */
  injectRandom(kinds: readonly IncidentKind[] = INCIDENT_KINDS): SimulatedIncident | undefined {
    const healthy = [...this.fleet.values()].filter((service) => !service.incident);
    if (healthy.length === 0) return undefined;
    return this.inject({ service: this.random.pick(healthy).id, kind: this.random.pick(kinds) });
  }

  /** Every incident injected so far, in order. */
  incidents(): SimulatedIncident[] {
    return this.history.map((incident) => ({ ...incident }));
  }

  /** Incidents still running. */
  activeIncidents(): SimulatedIncident[] {
    return this.incidents().filter((incident) => incident.resolvedAt === undefined);
  }

  /** Every action the plugin applied, in order (empty after a pure dry run). */
  actionLog(): AppliedFleetAction[] {
    return this.applied.map((entry) => ({ ...entry }));
  }

  /** Observable state of a service. */
  state(serviceId: string): SimulatedServiceState {
    const { id, replicas, version, host, incident } = this.service(serviceId);
    return { id, replicas, version, host, ...(incident ? { incident: { ...incident } } : {}) };
  }

  /** The `RemediationPlugin` (`fleet.restart`, `fleet.scale-out`...) whose actions change this fleet. */
  plugin(options: { name?: string } = {}): RemediationPlugin {
    return createFleetPlugin(this, options);
  }

  /**
   * Applies an action to a service (what the plugin calls). Ends the service's incident when the action
   * fixes it. `delta` is used by `scale-out` (replicas to add; negative to scale in).
   */
  applyAction(serviceId: string, action: FleetAction, delta = 1): AppliedFleetAction {
    const service = this.service(serviceId);
    const now = this.clock.now();
    if (action === 'scale-out') service.replicas = Math.max(1, service.replicas + delta);
    if (action === 'rollback-deploy') service.version = Math.max(1, service.version - 1);
    if (action === 'migrate') service.host = `host-${this.random.int(100)}`;
    const incident = service.incident;
    const fixed = incident !== undefined && delta > 0 && INCIDENT_CATALOG[incident.kind].fixedBy.includes(action);
    if (fixed) {
      incident.resolvedAt = now;
      incident.resolvedBy = action;
      delete service.incident;
    }
    const entry: AppliedFleetAction = {
      at: now,
      service: service.id,
      action,
      fixed,
      ...(incident ? { incidentId: incident.id } : {}),
    };
    this.applied.push(entry);
    return entry;
  }

  /**
   * Moves a `ManualClock`-like clock forward in steps, handing each step's samples to `ingest`
   * (e.g. `(samples) => engine.ingest(samples)`), and awaiting it before the next step. Between steps it
   * yields to the event loop until `pendingWork()` is 0 (pass `() => remediator.pendingWork()`), so work
   * that awaits real I/O (WebCrypto hashing, storage) finishes before simulated time moves on.
   */
  async runFor(
    durationMs: number,
    options: {
      stepMs: number;
      ingest(samples: MetricSampleInput[]): unknown;
      until?(): boolean;
      pendingWork?(): number;
      maxYields?: number;
    },
  ): Promise<void> {
    const clock = this.clock as Clock & { advance?(ms: number): Promise<void> };
    if (typeof clock.advance !== 'function')
      throw new StateError('runFor needs a clock with advance(ms), such as ManualClock.');
    for (let elapsed = 0; elapsed < durationMs; elapsed += options.stepMs) {
      await clock.advance(options.stepMs);
      await options.ingest(this.sample());
      for (let turn = 0; turn < (options.maxYields ?? 10_000) && (options.pendingWork?.() ?? 0) > 0; turn++)
        await yieldToEventLoop();
      if (options.until?.()) return;
    }
  }

  private service(id: string): Service {
    const service = this.fleet.get(id);
    if (!service) throw new NotFoundError(`No simulated service "${id}" (services: ${this.services.join(', ')}).`);
    return service;
  }

  private values(service: Service, now: number, noisy = true): Record<FleetMetric, number> {
    const jitter = (scale: number) => (noisy ? this.random.normal() * scale * this.noise : 0);
    const load = 1 + 0.25 * Math.sin((2 * Math.PI * now) / DAY_MS + service.phase);
    const capacity = service.initialReplicas / service.replicas;
    const values: Record<FleetMetric, number> = {
      cpu_utilization: service.baseline.cpu_utilization * load * capacity + jitter(0.015),
      memory_utilization: service.baseline.memory_utilization + jitter(0.005),
      disk_utilization: service.baseline.disk_utilization + jitter(0.002),
      latency_p99_ms: service.baseline.latency_p99_ms * (0.8 + 0.2 * load) * (1 + jitter(0.05)),
      error_rate: service.baseline.error_rate + jitter(0.0005),
      cpu_steal: service.baseline.cpu_steal + jitter(0.003),
    };
    if (service.incident) INCIDENT_CATALOG[service.incident.kind].apply(values, now - service.incident.startedAt);
    for (const metric of Object.keys(values) as FleetMetric[]) {
      values[metric] =
        metric === 'latency_p99_ms' ? Math.max(1, values[metric]) : Math.min(1, Math.max(0, values[metric]));
    }
    return values;
  }
}

/**
 * Creates a {@link FleetSimulator}.
 * @deprecated Construct it with `new FleetSimulator(options)` (the SDK's one construction style); this alias is
 * removed in a later 0.x release.
 */
export function createFleetSimulator(options: FleetSimulatorOptions): FleetSimulator {
  return new FleetSimulator(options);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
