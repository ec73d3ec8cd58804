import type { SeriesMappingInput } from './series-mapping.js';

/** One PromQL query the pull source runs; its name becomes the metric name. */
export interface PrometheusQuery {
  /** Metric name of the resulting series, e.g. `cpu_busy_ratio`. */
  name: string;
  /** The PromQL expression. */
  promql: string;
  /** Overrides of the source's label mapping for this query's series. */
  mapping?: SeriesMappingInput;
  /**
   * A capacity limit for forecasting (`dharma watch` turns it into a `CapacityForecaster` target): e.g.
   * free space falling `below` 0.05.
   */
  capacity?: { threshold: number; direction: 'above' | 'below' };
  /** One line for humans. */
  help?: string;
}

/** Options of the query packs. */
export interface QueryPackOptions {
  /** The window of `rate()`: at least 4× the scrape interval. @default '1m' */
  rateWindow?: string;
  /** Extra label matchers added to every selector, e.g. `job="node"`. @default '' */
  selector?: string;
}

const join = (...parts: string[]) => parts.filter((part) => part !== '').join(',');

/**
 * The default pack for node_exporter (≥ 1.0): CPU busy ratio, memory available ratio, filesystem free
 * ratio per mount, network receive/transmit throughput and errors per device, and load per CPU.
 * Free memory and free disk carry capacity limits (below 5%) for forecasting.
 */
export function nodeExporterPack(options: QueryPackOptions = {}): PrometheusQuery[] {
  const window = options.rateWindow ?? '1m';
  const extra = options.selector ?? '';
  const perDevice: SeriesMappingInput = { extraLabelsOn: 'resource' };
  const filesystems = join(
    'fstype!~"squashfs|nsfs|autofs|rootfs|fuse.lxcfs"',
    'mountpoint!~"/(run|dev|sys|proc)($|/).*"',
    extra,
  );
  return [
    {
      name: 'cpu_busy_ratio',
      help: 'Share of CPU time not idle, averaged over the CPUs (0-1).',
      promql: `1 - avg by (instance, job) (rate(node_cpu_seconds_total{${join('mode="idle"', extra)}}[${window}]))`,
    },
    {
      name: 'memory_available_ratio',
      help: 'MemAvailable / MemTotal (0-1).',
      promql: `node_memory_MemAvailable_bytes{${extra}} / node_memory_MemTotal_bytes{${extra}}`,
      capacity: { threshold: 0.05, direction: 'below' },
    },
    {
      name: 'filesystem_free_ratio',
      help: 'Space available to non-root users / filesystem size, per mount (0-1).',
      promql: `max by (instance, job, mountpoint) (node_filesystem_avail_bytes{${filesystems}} / node_filesystem_size_bytes{${filesystems}})`,
      mapping: perDevice,
      capacity: { threshold: 0.05, direction: 'below' },
    },
    {
      name: 'network_receive_bytes_rate',
      help: 'Bytes received per second, per device.',
      promql: `sum by (instance, job, device) (rate(node_network_receive_bytes_total{${join('device!="lo"', extra)}}[${window}]))`,
      mapping: perDevice,
    },
    {
      name: 'network_transmit_bytes_rate',
      help: 'Bytes sent per second, per device.',
      promql: `sum by (instance, job, device) (rate(node_network_transmit_bytes_total{${join('device!="lo"', extra)}}[${window}]))`,
      mapping: perDevice,
    },
    {
      name: 'network_errors_rate',
      help: 'Receive plus transmit errors per second, per device.',
      promql: `sum by (instance, job, device) (rate(node_network_receive_errs_total{${join('device!="lo"', extra)}}[${window}]) + rate(node_network_transmit_errs_total{${join('device!="lo"', extra)}}[${window}]))`,
      mapping: perDevice,
    },
    {
      name: 'load1_per_cpu',
      help: '1-minute load average divided by the number of CPUs.',
      promql: `node_load1{${extra}} / on (instance, job) count by (instance, job) (node_cpu_seconds_total{${join('mode="idle"', extra)}})`,
    },
  ];
}

/**
 * A pack for Kubernetes: cAdvisor (kubelet `/metrics/cadvisor`) container usage per pod and
 * kube-state-metrics (≥ 2.0) state. Resources are `namespace/pod` (the `instance` of kubelet targets is
 * the node, so the mapping names the pod instead).
 */
export function kubernetesPack(options: QueryPackOptions = {}): PrometheusQuery[] {
  const window = options.rateWindow ?? '5m';
  const extra = options.selector ?? '';
  const perPod: SeriesMappingInput = { resourceLabels: ['pod'], extraLabelsOn: 'resource' };
  const containers = join('container!=""', 'container!="POD"', extra);
  return [
    {
      name: 'pod_cpu_cores',
      help: 'CPU cores used by the pod (cAdvisor).',
      promql: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${containers}}[${window}]))`,
      mapping: perPod,
    },
    {
      name: 'pod_memory_working_set_bytes',
      help: 'Working-set memory of the pod (cAdvisor), what the OOM killer looks at.',
      promql: `sum by (namespace, pod) (container_memory_working_set_bytes{${containers}})`,
      mapping: perPod,
    },
    {
      name: 'pod_memory_limit_ratio',
      help: 'Working set / memory limit of the pod (cAdvisor + kube-state-metrics); 1 = at the limit.',
      promql: `sum by (namespace, pod) (container_memory_working_set_bytes{${containers}}) / sum by (namespace, pod) (kube_pod_container_resource_limits{${join('resource="memory"', extra)}})`,
      mapping: perPod,
      capacity: { threshold: 0.95, direction: 'above' },
    },
    {
      name: 'pod_cpu_throttled_ratio',
      help: 'Share of CFS periods throttled (cAdvisor).',
      promql: `sum by (namespace, pod) (rate(container_cpu_cfs_throttled_periods_total{${containers}}[${window}])) / sum by (namespace, pod) (rate(container_cpu_cfs_periods_total{${containers}}[${window}]))`,
      mapping: perPod,
    },
    {
      name: 'pod_restarts_rate',
      help: 'Container restarts per second (kube-state-metrics).',
      promql: `sum by (namespace, pod) (rate(kube_pod_container_status_restarts_total{${extra}}[${window}]))`,
      mapping: perPod,
    },
    {
      name: 'pod_not_ready',
      help: '1 when the pod is not Ready (kube-state-metrics).',
      promql: `sum by (namespace, pod) (kube_pod_status_ready{${join('condition="false"', extra)}})`,
      mapping: perPod,
    },
    {
      name: 'deployment_unavailable_replicas',
      help: 'Unavailable replicas per deployment (kube-state-metrics).',
      promql: `sum by (namespace, deployment) (kube_deployment_status_replicas_unavailable{${extra}})`,
      mapping: { resourceLabels: ['deployment'], extraLabelsOn: 'resource' },
    },
  ];
}
