import { ValidationError } from '../errors/validation-error.js';

/** A directed call edge: `caller` sends requests to `callee`. */
export interface CallEdge {
  caller: string;
  callee: string;
}

/** Who calls whom: the structure a root cause travels along (from callee up to its callers). */
export interface ServiceGraph {
  /** Every node, in a stable order. */
  readonly nodes: readonly string[];
  /** Direct callees of a node (empty for unknown nodes). */
  callees(node: string): readonly string[];
  /** Direct callers of a node (empty for unknown nodes). */
  callers(node: string): readonly string[];
  /** Whether the node is in the graph. */
  has(node: string): boolean;
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`${path}: ${message}`, [{ path, message, code: 'custom' }]);
}

/**
 * Builds a {@link ServiceGraph} from call edges (and optionally isolated nodes). Self-calls are ignored,
 * duplicate edges collapse. Throws a `ValidationError` naming the edge when a name is empty.
 */
export function createServiceGraph(edges: readonly CallEdge[], nodes: readonly string[] = []): ServiceGraph {
  const order: string[] = [];
  const callees = new Map<string, string[]>();
  const callers = new Map<string, string[]>();
  const add = (node: string): void => {
    if (!callees.has(node)) {
      order.push(node);
      callees.set(node, []);
      callers.set(node, []);
    }
  };
  nodes.forEach((node, index) => {
    if (typeof node !== 'string' || node === '')
      throw invalid(`nodes.${index}`, 'a node name must be a non-empty string');
    add(node);
  });
  edges.forEach((edge, index) => {
    for (const field of ['caller', 'callee'] as const) {
      if (typeof edge[field] !== 'string' || edge[field] === '')
        throw invalid(`edges.${index}.${field}`, 'must be a non-empty node name');
    }
    add(edge.caller);
    add(edge.callee);
    if (edge.caller === edge.callee) return;
    const out = callees.get(edge.caller)!;
    if (!out.includes(edge.callee)) {
      out.push(edge.callee);
      callers.get(edge.callee)!.push(edge.caller);
    }
  });
  return {
    nodes: order,
    callees: (node) => callees.get(node) ?? [],
    callers: (node) => callers.get(node) ?? [],
    has: (node) => callees.has(node),
  };
}

/** Nodes reachable from `from` by following calls (including `from`), with their distance in hops. */
export function reachableCallees(graph: ServiceGraph, from: string): Map<string, number> {
  const depth = new Map<string, number>([[from, 0]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head]!;
    for (const callee of graph.callees(node)) {
      if (!depth.has(callee)) {
        depth.set(callee, depth.get(node)! + 1);
        queue.push(callee);
      }
    }
  }
  return depth;
}

/** The minimal fields of an OpenTelemetry span needed to derive a call graph. */
export interface SpanLike {
  spanId: string;
  parentSpanId?: string | undefined;
  /** The service that emitted the span (`service.name` resource attribute). */
  serviceName: string;
}

/**
 * Derives the call graph from spans: a span whose parent span belongs to another service is a call from the
 * parent's service to the span's service. Spans whose parent is missing from the batch are skipped.
 */
export function serviceGraphFromSpans(spans: Iterable<SpanLike>): ServiceGraph {
  const serviceOf = new Map<string, string>();
  const list: SpanLike[] = [];
  for (const span of spans) {
    serviceOf.set(span.spanId, span.serviceName);
    list.push(span);
  }
  const edges: CallEdge[] = [];
  const nodes: string[] = [];
  for (const span of list) {
    nodes.push(span.serviceName);
    const parent = span.parentSpanId === undefined ? undefined : serviceOf.get(span.parentSpanId);
    if (parent !== undefined && parent !== span.serviceName) edges.push({ caller: parent, callee: span.serviceName });
  }
  return createServiceGraph(edges, nodes);
}

/**
 * Derives the call graph from the inventory: each resource lists the ids it calls in a label (comma-separated),
 * e.g. `labels: { calls: 'api,cache' }`. Resources without the label are isolated nodes.
 */
export function serviceGraphFromInventory(
  resources: Iterable<{ id: string; labels?: Readonly<Record<string, string>> | undefined }>,
  options: { label?: string } = {},
): ServiceGraph {
  const label = options.label ?? 'calls';
  const edges: CallEdge[] = [];
  const nodes: string[] = [];
  for (const resource of resources) {
    nodes.push(resource.id);
    for (const callee of (resource.labels?.[label] ?? '').split(',')) {
      if (callee.trim() !== '') edges.push({ caller: resource.id, callee: callee.trim() });
    }
  }
  return createServiceGraph(edges, nodes);
}
