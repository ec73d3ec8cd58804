import type { NodeMetrics } from '../rca/metric-change.js';
import { createServiceGraph, type CallEdge, type ServiceGraph } from '../rca/service-graph.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';

/** Faults the call-graph simulator injects. */
export const CALL_GRAPH_FAULTS = ['latency', 'errors', 'overload'] as const;
/** One of {@link CALL_GRAPH_FAULTS}. */
export type CallGraphFault = (typeof CALL_GRAPH_FAULTS)[number];

/** Options of {@link simulateCallGraphIncident}. */
export interface CallGraphIncidentOptions {
  /** Seed of every draw. */
  seed: number;
  /** Services in the graph (the entry service `svc-0` included). @default 12..30, drawn */
  services?: number;
  /** Share of edges that go through a client-side alias leaf (a load balancer seen from the caller). @default 0.15 */
  aliasShare?: number;
  /** Noise multiplier (0 = noiseless). @default 1 */
  noise?: number;
  /** Steps of normal operation recorded before the incident window. @default 96 */
  baselineSteps?: number;
  /** The fault; drawn when omitted. */
  fault?: CallGraphFault;
}

/** One simulated incident with its ground truth. */
export interface SimulatedCallGraphIncident {
  graph: ServiceGraph;
  /** Normal operation (`latency`, `availability`, `requests` per node). */
  baseline: Map<string, NodeMetrics>;
  /** Five steps: two before the fault, three during it. */
  metrics: Map<string, NodeMetrics>;
  target: { node: string; metric: 'latency' | 'availability'; time: number };
  rootCause: string;
  fault: CallGraphFault;
}

interface SimNode {
  name: string;
  /** Own processing time, seconds. */
  self: number;
  /** Own success probability. */
  success: number;
  /** Calls per incoming request to each callee. */
  calls: Map<string, number>;
  alias?: string;
}

/**
 * A random service call graph whose latencies and errors propagate from callees to callers (a caller's
 * latency is its own time plus its calls' latencies; its availability multiplies its callees'), with an
 * injected fault at a random service. Each caller sees its callee's slowness and errors; an overloaded
 * service slows down with its load. Used to judge root-cause methods on many distinct root causes.
 */
export function simulateCallGraphIncident(options: CallGraphIncidentOptions): SimulatedCallGraphIncident {
  const random = createSeededRandom(options.seed);
  const count = options.services ?? 12 + random.int(19);
  const noise = options.noise ?? 1;
  const nodes: SimNode[] = [];
  for (let i = 0; i < count; i += 1)
    nodes.push({
      name: `svc-${i}`,
      self: 0.005 + random.next() * 0.05,
      success: 1 - random.next() * 0.002,
      calls: new Map(),
    });
  // A layered DAG: each service calls 1-3 services with higher indices; all are reachable from svc-0.
  for (let i = 1; i < count; i += 1) {
    const caller = nodes[random.int(Math.min(i, Math.max(1, Math.ceil(i * 0.6))))]!;
    caller.calls.set(nodes[i]!.name, 0.5 + random.next() * 1.5);
  }
  for (let i = 0; i < count; i += 1) {
    const extra = random.int(2);
    for (let k = 0; k < extra; k += 1) {
      const j = i + 1 + random.int(Math.max(1, count - i - 1));
      if (j < count) nodes[i]!.calls.set(nodes[j]!.name, 0.3 + random.next());
    }
  }
  // Client-side aliases: leaf nodes that mirror a callee as its caller sees it.
  const aliasShare = options.aliasShare ?? 0.15;
  for (const node of [...nodes]) {
    for (const callee of [...node.calls.keys()]) {
      if (random.next() < aliasShare) {
        const alias: SimNode = {
          name: `${node.name}~${callee}`,
          self: 0.001,
          success: 1,
          calls: new Map(),
          alias: callee,
        };
        nodes.push(alias);
        node.calls.set(alias.name, 0);
      }
    }
  }
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const services = nodes.filter((node) => node.alias === undefined && node.name !== 'svc-0');
  const culprit = random.pick(services);
  const fault = options.fault ?? random.pick(CALL_GRAPH_FAULTS);
  const edges: CallEdge[] = nodes.flatMap((node) =>
    [...node.calls.keys()].map((callee) => ({ caller: node.name, callee })),
  );
  const graph = createServiceGraph(
    edges,
    nodes.map((node) => node.name),
  );

  const order = [...nodes].reverse(); // callees (higher indices, aliases last-added) are computed first where possible
  const evaluate = (
    load: number,
    faulty: boolean,
    draw: SeededRandom,
  ): Map<string, { latency: number; availability: number; requests: number }> => {
    const out = new Map<string, { latency: number; availability: number; requests: number }>();
    const requests = new Map<string, number>([['svc-0', 600 * load]]);
    // Requests flow top-down (indices increase along calls).
    for (const node of nodes) {
      const incoming = requests.get(node.name) ?? 0;
      for (const [callee, per] of node.calls) requests.set(callee, (requests.get(callee) ?? 0) + incoming * (per || 1));
    }
    if (faulty && fault === 'overload') requests.set(culprit.name, (requests.get(culprit.name) ?? 0) * 4);
    const compute = (node: SimNode): { latency: number; availability: number; requests: number } => {
      const done = out.get(node.name);
      if (done !== undefined) return done;
      const jitter = (): number => 1 + noise * 0.08 * draw.normal();
      let self = node.self;
      let success = node.success;
      if (faulty && node === culprit) {
        if (fault === 'latency') self *= 3 + draw.next() * 4;
        if (fault === 'errors') success *= 0.85 + draw.next() * 0.1;
      }
      const incoming = requests.get(node.name) ?? 0;
      if (faulty && fault === 'overload' && node === culprit) self *= 2.5 + draw.next() * 2; // queueing under 4x load
      let latency = self * Math.max(0.2, jitter());
      let availability = Math.min(1, success + noise * 0.0005 * draw.normal());
      if (node.alias !== undefined) {
        const target = compute(byName.get(node.alias)!);
        latency += target.latency;
        availability *= target.availability / 100;
      } else {
        for (const [callee, per] of node.calls) {
          const child = compute(byName.get(callee)!);
          latency += (per || 0) * child.latency;
          availability *= per === 0 ? 1 : (child.availability / 100) ** Math.min(1, per);
        }
      }
      const value = {
        latency,
        availability: Math.max(0, Math.min(1, availability)) * 100,
        requests: Math.max(0, Math.round(incoming * jitter())),
      };
      out.set(node.name, value);
      return value;
    };
    for (const node of order) compute(node);
    return out;
  };
  const record = (steps: number, start: number, faultFrom: number, draw: SeededRandom): Map<string, NodeMetrics> => {
    const timestamps = Array.from({ length: steps }, (_, step) => start + step * 300);
    const values = new Map<
      string,
      { latency: Array<number | null>; availability: Array<number | null>; requests: Array<number | null> }
    >();
    for (const node of nodes) values.set(node.name, { latency: [], availability: [], requests: [] });
    for (let step = 0; step < steps; step += 1) {
      const load = 1 + 0.3 * Math.sin(((start + step * 300) / 86_400) * 2 * Math.PI) + noise * 0.05 * draw.normal();
      const state = evaluate(load, step >= faultFrom, draw);
      for (const [name, value] of state) {
        const entry = values.get(name)!;
        entry.latency.push(value.latency);
        entry.availability.push(value.availability);
        entry.requests.push(value.requests);
      }
    }
    return new Map([...values].map(([name, series]) => [name, { timestamps, values: series }]));
  };
  const baselineSteps = options.baselineSteps ?? 96;
  const baseline = record(baselineSteps, 0, Number.POSITIVE_INFINITY, random);
  const start = baselineSteps * 300 + 3600 * random.int(24);
  const metrics = record(5, start, 2, random);
  const target = {
    node: 'svc-0',
    metric: fault === 'errors' ? ('availability' as const) : ('latency' as const),
    time: start + 2 * 300,
  };
  return { graph, baseline, metrics, target, rootCause: culprit.name, fault };
}
