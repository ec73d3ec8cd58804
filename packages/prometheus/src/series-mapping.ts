import { z } from 'zod';

/**
 * How Prometheus label sets become SDK series (`resource/metric`). By default the `instance` label (else
 * `job`) names the resource, and the metric is the query's name (pull) or `__name__` (push) followed by the
 * remaining distinguishing labels in PromQL selector form, e.g. `fs_free_ratio{mountpoint="/"}`, so two
 * Prometheus series never fold into one SDK series. All labels are kept on the records.
 */
export const SeriesMappingSchema = z.object({
  /** Labels tried in order for the resource name; the first one present wins. @default ['instance', 'job'] */
  resourceLabels: z.array(z.string().min(1)).default(['instance', 'job']),
  /** Resource name when none of `resourceLabels` is present. @default 'prometheus' */
  fallbackResource: z.string().min(1).default('prometheus'),
  /**
   * Labels never used to tell series apart (dropped from the metric name), e.g. `['pod_template_hash']`.
   * `__name__`, `job`, `instance` and the label that named the resource are always left out. @default []
   */
  ignoreLabels: z.array(z.string()).default([]),
  /**
   * Where the remaining distinguishing labels go: appended to the `metric` (one resource, many metrics)
   * or to the `resource` (e.g. each filesystem or network device is its own resource, with a bare metric
   * name, so one forecast target such as `filesystem_free_ratio` applies to all of them). @default 'metric'
   */
  extraLabelsOn: z.enum(['metric', 'resource']).default('metric'),
  /** Keep the series' labels on each record's `labels`. @default true */
  keepLabels: z.boolean().default(true),
});
export type SeriesMappingInput = z.input<typeof SeriesMappingSchema>;
export type SeriesMapping = z.output<typeof SeriesMappingSchema>;

/** One mapped series. */
export interface MappedSeries {
  resource: string;
  metric: string;
  /** The labels to put on records (`undefined` when `keepLabels` is off). */
  labels: Record<string, string> | undefined;
}

const ALWAYS_LEFT_OUT = new Set(['__name__', 'job', 'instance']);
const MAX_ID = 256;

/** Cuts an id to the SDK's 256-character limit, keeping it unique with a short hash of the whole. */
function fitId(text: string): string {
  if (text.length <= MAX_ID) return text;
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  const suffix = `~${(hash >>> 0).toString(16)}`;
  return text.slice(0, MAX_ID - suffix.length) + suffix;
}

/** Control characters are not allowed in SDK ids; Prometheus label values may contain them. */
function clean(text: string): string {
  return /[\u0000-\u001f]/.test(text) ? text.replace(/[\u0000-\u001f]/g, ' ') : text;
}

/**
 * Maps one label set to a resource and metric. `name` is the metric's base name: the query name, or
 * the `__name__` label for pushed series.
 */
export function mapSeries(labels: Record<string, string>, name: string, mapping: SeriesMapping): MappedSeries {
  let resource: string | undefined;
  let resourceLabel: string | undefined;
  for (const label of mapping.resourceLabels) {
    const value = labels[label];
    if (value !== undefined && value !== '') {
      resource = value;
      resourceLabel = label;
      break;
    }
  }
  const parts: string[] = [];
  for (const key of Object.keys(labels).sort()) {
    if (key === resourceLabel || ALWAYS_LEFT_OUT.has(key) || mapping.ignoreLabels.includes(key)) continue;
    parts.push(`${key}=${JSON.stringify(labels[key])}`);
  }
  const base = resource ?? mapping.fallbackResource;
  const extra = parts.length === 0 ? '' : `{${parts.join(',')}}`;
  const onResource = mapping.extraLabelsOn === 'resource';
  return {
    resource: fitId(clean(onResource ? base + extra : base)),
    metric: fitId(clean((onResource ? name : name + extra) || 'value')),
    labels: mapping.keepLabels ? labels : undefined,
  };
}

/** A stable fingerprint of a label set (sorted `k=v` pairs). @internal */
export function labelsFingerprint(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}\u0000${labels[key]}`)
    .join('\u0001');
}
