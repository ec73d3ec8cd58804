/** One panel of {@link grafanaDashboard}. */
export interface GrafanaPanel {
  id: number;
  type: 'timeseries' | 'stat' | 'table';
  title: string;
  description: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { type: 'prometheus'; uid: '${datasource}' };
  targets: Array<{
    refId: string;
    expr: string;
    legendFormat: string;
    datasource: { type: 'prometheus'; uid: '${datasource}' };
  }>;
  fieldConfig: { defaults: { unit: string; min?: number; max?: number }; overrides: [] };
  options: Record<string, unknown>;
}

/** A Grafana dashboard model (schema version 39, importable through Grafana's UI or API). */
export interface GrafanaDashboard {
  uid: string;
  title: string;
  tags: string[];
  schemaVersion: number;
  version: number;
  editable: boolean;
  time: { from: string; to: string };
  refresh: string;
  templating: { list: Array<Record<string, unknown>> };
  panels: GrafanaPanel[];
}

/**
 * A Grafana dashboard for the SDK's metrics: active findings, anomaly scores per series, time to
 * capacity exhaustion, findings and ingest rates, analyzer latency and errors. Import the JSON
 * (`JSON.stringify(grafanaDashboard())`) and pick your Prometheus data source.
 */
export function grafanaDashboard(options: { prefix?: string; title?: string; uid?: string } = {}): GrafanaDashboard {
  const p = options.prefix ?? 'dharma_';
  const datasource = { type: 'prometheus', uid: '${datasource}' } as const;
  let id = 0;
  const panel = (
    type: GrafanaPanel['type'],
    title: string,
    description: string,
    gridPos: GrafanaPanel['gridPos'],
    unit: string,
    queries: Array<[string, string]>,
    extra: Partial<GrafanaPanel> = {},
  ): GrafanaPanel => ({
    id: ++id,
    type,
    title,
    description,
    gridPos,
    datasource,
    targets: queries.map(([expr, legendFormat], index) => ({
      refId: String.fromCharCode(65 + index),
      expr,
      legendFormat,
      datasource,
    })),
    fieldConfig: { defaults: { unit }, overrides: [] },
    options:
      type === 'stat'
        ? { reduceOptions: { calcs: ['lastNotNull'] }, colorMode: 'value' }
        : { legend: { displayMode: 'table', placement: 'right' } },
    ...extra,
  });
  return {
    uid: options.uid ?? 'iac-dharma-aiops',
    title: options.title ?? 'IaC Dharma AIOps',
    tags: ['iac-dharma', 'aiops'],
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }] },
    panels: [
      panel('stat', 'Active findings', 'Findings still active, by severity.', { x: 0, y: 0, w: 8, h: 5 }, 'none', [
        [`sum by (severity) (${p}active_findings)`, '{{severity}}'],
      ]),
      panel(
        'stat',
        'Nearest capacity exhaustion',
        'Shortest time until a forecast series crosses its limit (pessimistic).',
        { x: 8, y: 0, w: 8, h: 5 },
        's',
        [[`min(${p}forecast_exhaustion_seconds)`, 'exhaustion']],
      ),
      panel(
        'stat',
        'Records ingested /s',
        'Records accepted by the engine per second.',
        { x: 16, y: 0, w: 8, h: 5 },
        'ops',
        [[`sum(rate(${p}records_ingested_total[5m]))`, 'records/s']],
      ),
      panel(
        'timeseries',
        'Anomaly score by series',
        'Latest anomaly score of each series while its finding is active (0-1).',
        { x: 0, y: 5, w: 12, h: 9 },
        'percentunit',
        [[`${p}anomaly_score`, '{{series}}']],
        { fieldConfig: { defaults: { unit: 'percentunit', min: 0, max: 1 }, overrides: [] } },
      ),
      panel(
        'table',
        'Time to exhaustion',
        'Series forecast to cross their limit, soonest first.',
        { x: 12, y: 5, w: 12, h: 9 },
        's',
        [[`sort(${p}forecast_exhaustion_seconds)`, '{{series}}']],
      ),
      panel(
        'timeseries',
        'Findings by kind and severity',
        'Findings produced per second.',
        { x: 0, y: 14, w: 12, h: 8 },
        'ops',
        [[`sum by (kind, severity) (rate(${p}findings_total[5m]))`, '{{kind}} {{severity}}']],
      ),
      panel(
        'timeseries',
        'Analyzer latency (p95)',
        '95th percentile of one analyzer call.',
        { x: 12, y: 14, w: 12, h: 8 },
        's',
        [
          [
            `histogram_quantile(0.95, sum by (le, analyzer) (rate(${p}analyzer_duration_seconds_bucket[5m])))`,
            '{{analyzer}}',
          ],
        ],
      ),
      panel(
        'timeseries',
        'Errors and rejected records',
        'Engine errors by source and rejected records by reason, per second.',
        { x: 0, y: 22, w: 24, h: 7 },
        'ops',
        [
          [`sum by (source) (rate(${p}errors_total[5m]))`, 'error: {{source}}'],
          [`sum by (reason) (rate(${p}records_rejected_total[5m]))`, 'rejected: {{reason}}'],
        ],
      ),
    ],
  };
}
