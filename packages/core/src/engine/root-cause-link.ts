import { z } from 'zod';
import { parseWith } from '../errors/validation-error.js';
import type { NodeMetrics } from '../rca/metric-change.js';
import { RootCauseAnalyzer } from '../rca/root-cause-analyzer.js';
import type { ServiceGraph } from '../rca/service-graph.js';
import { reachableCallees } from '../rca/service-graph.js';
import type { Finding, FindingKind, RootCauseFinding } from '../schemas/finding.js';
import { seriesKey } from '../schemas/records.js';
import type { Storage } from '../spec/storage.js';

const FINDING_KINDS = [
  'anomaly',
  'prediction',
  'threat',
  'forecast',
  'insight',
  'root-cause',
] as const satisfies readonly FindingKind[];
const isGraphSource = (value: unknown): boolean =>
  typeof value === 'function' || (typeof value === 'object' && value !== null);

/** Options of the engine's root-cause step (`EngineOptions.rootCause`), with their defaults. */
export const RootCauseLinkOptionsSchema = z.object({
  /** The service graph, or a function returning the current one (from configuration, inventory or spans). */
  graph: z.custom<ServiceGraph | (() => ServiceGraph | Promise<ServiceGraph>)>(isGraphSource, {
    message: 'expected a ServiceGraph or a function returning one',
  }),
  /** The analyzer to use. @default new RootCauseAnalyzer() */
  analyzer: z
    .custom<RootCauseAnalyzer>((value) => typeof (value as { analyze?: unknown } | null)?.analyze === 'function', {
      message: 'expected a RootCauseAnalyzer',
    })
    .default(() => new RootCauseAnalyzer()),
  /** Metrics read for every node; the anomaly's own metric is always read. @default [] */
  metrics: z
    .array(z.string().min(1))
    .readonly()
    .default(() => []),
  /** How far before the anomaly the incident window starts, ms. @default 900_000 (15 min) */
  windowMs: z.number().nonnegative().finite().default(900_000),
  /** How much history before the window serves as the normal baseline, ms. @default 21_600_000 (6 h) */
  baselineMs: z.number().nonnegative().finite().default(21_600_000),
  /** Finding kinds that trigger the analysis. @default ['anomaly'] */
  kinds: z
    .array(z.enum(FINDING_KINDS))
    .readonly()
    .default(() => ['anomaly' as const]),
});

/** Options of the engine's root-cause step (`EngineOptions.rootCause`): only `graph` is required. */
export interface RootCauseLinkOptions extends z.input<typeof RootCauseLinkOptionsSchema> {}
/** The resolved root-cause options, every default applied. */
export type ResolvedRootCauseLinkOptions = z.output<typeof RootCauseLinkOptionsSchema>;

const metricOf = (finding: Finding): string | undefined => {
  if (finding.series !== undefined && finding.series.startsWith(`${finding.resource}/`))
    return finding.series.slice(finding.resource.length + 1);
  return finding.kind === 'anomaly' ? finding.contributors?.[0]?.metric : undefined;
};

async function readSeries(
  storage: Storage,
  node: string,
  metric: string,
  from: number,
  to: number,
): Promise<{ timestamps: number[]; values: number[] }> {
  const points = await storage.rangePoints({ series: seriesKey({ resource: node, metric }), from, to });
  return { timestamps: points.map((point) => point.timestamp), values: points.map((point) => point.value) };
}

/**
 * Explains a finding on a graph node: reads the window and baseline of every node the symptom's node calls
 * from storage, ranks them, and returns a `root-cause` finding linked to the symptom (or nothing when the
 * node is not in the graph, no metric is known, or nothing below it moved). Throws `ValidationError` naming
 * a wrong option.
 */
export async function linkRootCause(
  finding: Finding,
  storage: Storage,
  options: RootCauseLinkOptions,
  newId: () => string,
): Promise<RootCauseFinding | undefined> {
  return linkResolvedRootCause(
    finding,
    storage,
    parseWith(RootCauseLinkOptionsSchema, options, 'rootCause options'),
    newId,
  );
}

/** {@link linkRootCause} with options already resolved (the engine parses them once). */
export async function linkResolvedRootCause(
  finding: Finding,
  storage: Storage,
  options: ResolvedRootCauseLinkOptions,
  newId: () => string,
): Promise<RootCauseFinding | undefined> {
  if (!options.kinds.includes(finding.kind)) return undefined;
  const graph = typeof options.graph === 'function' ? await options.graph() : options.graph;
  const metric = metricOf(finding);
  if (!graph.has(finding.resource) || metric === undefined) return undefined;
  const { windowMs, baselineMs } = options;
  const time = finding.timestamp;
  const names = [...new Set([metric, ...options.metrics])];
  const nodes = [...reachableCallees(graph, finding.resource).keys()];
  const window = new Map<string, NodeMetrics>();
  const baseline = new Map<string, NodeMetrics>();
  for (const node of nodes) {
    const windowValues: Record<string, Array<number | null>> = {};
    const baselineValues: Record<string, Array<number | null>> = {};
    // Per node, metrics share the timestamps of the first metric read; others are aligned by time.
    let windowTimes: number[] | undefined;
    let baselineTimes: number[] | undefined;
    for (const name of names) {
      const recent = await readSeries(storage, node, name, time - windowMs, time + windowMs);
      const normal = await readSeries(storage, node, name, time - windowMs - baselineMs, time - windowMs);
      windowTimes ??= recent.timestamps;
      baselineTimes ??= normal.timestamps;
      const align = (times: number[], series: { timestamps: number[]; values: number[] }): Array<number | null> => {
        const byTime = new Map(series.timestamps.map((at, index) => [at, series.values[index]!]));
        return times.map((at) => byTime.get(at) ?? null);
      };
      windowValues[name] = align(windowTimes, recent);
      baselineValues[name] = align(baselineTimes, normal);
    }
    if ((windowTimes?.length ?? 0) > 0) window.set(node, { timestamps: windowTimes!, values: windowValues });
    if ((baselineTimes?.length ?? 0) > 0) baseline.set(node, { timestamps: baselineTimes!, values: baselineValues });
  }
  if (!window.has(finding.resource)) return undefined;
  const { analyzer } = options;
  const result = analyzer.analyze({
    graph,
    metrics: window,
    baseline,
    target: { node: finding.resource, metric, time },
  });
  const top = result.candidates[0];
  if (top === undefined || top.changes.every((change) => change.score < analyzer.options.threshold)) return undefined;
  const route = top.path.join(' → ');
  return {
    kind: 'root-cause',
    id: newId(),
    resource: top.node,
    ...(top.changes[0] ? { series: seriesKey({ resource: top.node, metric: top.changes[0].metric }) } : {}),
    timestamp: time,
    analyzer: 'root-cause',
    severity: finding.severity,
    score: Math.min(1, Math.max(0, finding.score)),
    summary:
      top.node === finding.resource
        ? `${finding.resource} itself is the most likely origin of its ${metric} anomaly`
        : `${metric} anomaly on ${finding.resource} most likely started at ${top.node} (${route})`,
    symptomFindingId: finding.id,
    symptomResource: finding.resource,
    path: top.path,
    candidates: result.candidates
      .slice(0, 5)
      .map((candidate) => ({ node: candidate.node, score: candidate.score, explanation: candidate.explanation })),
    method: result.method,
  };
}
