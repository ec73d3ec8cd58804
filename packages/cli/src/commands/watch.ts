import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { AnomalyDetector, CapacityForecaster, Engine, type Finding, type Storage } from '@iac-dharma/core';
import {
  createAlertmanagerHandler,
  createPrometheusSource,
  nodeExporterPack,
  parseDuration,
  type AlertmanagerHandler,
  type PrometheusQuery,
} from '@iac-dharma/prometheus';
import type { Command } from './command.js';

const USAGE = `Usage: dharma watch --prometheus URL [--query NAME=PROMQL ...] [--lookback 6h] [--for DURATION]
                    [--json] [--out FILE] [--alertmanager URL] [--storage sqlite:FILE] [--step 15s]

Watches live metrics from a Prometheus-compatible HTTP API (Prometheus, Thanos Query, Mimir's /prometheus,
VictoriaMetrics). It backfills --lookback of history at start so the detectors are warm at once, then steps
forward every --step, running the AnomalyDetector on every series and the CapacityForecaster on free memory
and free disk (exhaustion below 5%). Without --query it watches the node_exporter pack: cpu_busy_ratio,
memory_available_ratio, filesystem_free_ratio (per mount), network_receive/transmit_bytes_rate,
network_errors_rate (per device) and load1_per_cpu.

Findings print as they happen (one JSON line each with --json, to --out when given). On a terminal a
status line shows the series watched, findings and lag. It stops on Ctrl-C or after --for, and its last
line reads "watched N series for Xs: M findings".

Options:
  --prometheus    base URL of the Prometheus HTTP API                         (required)
  --query         NAME=PROMQL, repeatable: watch these instead of the node_exporter pack
  --lookback      history read at start (e.g. 30m, 6h)                         (default 6h)
  --step          resolution and polling interval (e.g. 15s, 1m)               (default 15s)
  --for           stop after this long (e.g. 90s, 10m); default: until Ctrl-C
  --json          one JSON finding per line
  --out           write findings to this file instead of stdout
  --alertmanager  send findings (medium severity and up) to this Alertmanager (v2 API); resolved on exit
  --storage       sqlite:FILE keeps series, findings and learned state in a SQLite file (default: memory)
  --max-series    most series watched; more are counted and skipped           (default 10000)

Exit code: 0 when stopped by Ctrl-C or --for, 1 when Prometheus could not be read at all, 2 for bad options.`;

class UsageError extends Error {}

function duration(name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (!Number.isFinite(ms) || ms <= 0)
    throw new UsageError(`--${name}: expected a duration such as 30s, 5m or 6h, got "${value}"`);
  return ms;
}

function parseQueries(values: string[] | undefined): PrometheusQuery[] {
  if (!values || values.length === 0) return [];
  return values.map((text) => {
    const at = text.indexOf('=');
    const name = at > 0 ? text.slice(0, at).trim() : '';
    const promql = at > 0 ? text.slice(at + 1).trim() : '';
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:.-]*$/.test(name) || promql === '')
      throw new UsageError(
        `--query: expected NAME=PROMQL (e.g. --query 'cpu=rate(process_cpu_seconds_total[1m])'), got "${text}"`,
      );
    return { name, promql };
  });
}

async function openStorage(spec: string | undefined): Promise<Storage | undefined> {
  if (spec === undefined) return undefined;
  if (!spec.startsWith('sqlite:') || spec.length <= 'sqlite:'.length)
    throw new UsageError(`--storage: expected sqlite:FILE, got "${spec}"`);
  const { SqliteStorage } = await import('@iac-dharma/storage-sqlite');
  return new SqliteStorage({ path: spec.slice('sqlite:'.length) });
}

function formatFinding(finding: Finding): string {
  const time = new Date(finding.timestamp)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return `${time} ${finding.severity.toUpperCase().padEnd(8)} ${finding.kind.padEnd(8)} ${finding.series ?? finding.resource}: ${finding.summary}`;
}

/** `dharma watch`: live anomaly detection and capacity forecasting on Prometheus metrics. */
export const watchCommand: Command = {
  summary: 'watch a Prometheus: live anomalies and capacity forecasts (node_exporter pack by default)',
  usage: USAGE,
  options: {
    prometheus: { type: 'string' },
    query: { type: 'string', multiple: true },
    lookback: { type: 'string' },
    step: { type: 'string' },
    for: { type: 'string' },
    json: { type: 'boolean' },
    out: { type: 'string' },
    alertmanager: { type: 'string' },
    storage: { type: 'string' },
    'max-series': { type: 'string' },
  },
  async run(rawValues) {
    const values = rawValues as Record<string, string | boolean | string[] | undefined>;
    const started = Date.now();
    let settings;
    try {
      const url = values.prometheus as string | undefined;
      if (!url) throw new UsageError('--prometheus is required, e.g. --prometheus http://localhost:9090');
      if (!/^https?:\/\/[^\s/]+/.test(url))
        throw new UsageError(`--prometheus: expected an http(s) URL such as http://localhost:9090, got "${url}"`);
      const alertmanager = values.alertmanager as string | undefined;
      if (alertmanager !== undefined && !/^https?:\/\/[^\s/]+/.test(alertmanager))
        throw new UsageError(
          `--alertmanager: expected an http(s) URL such as http://localhost:9093, got "${alertmanager}"`,
        );
      const maxSeries = values['max-series'] === undefined ? 10_000 : Number(values['max-series']);
      if (!Number.isInteger(maxSeries) || maxSeries <= 0)
        throw new UsageError(`--max-series: expected a positive integer, got "${String(values['max-series'])}"`);
      const custom = parseQueries(values.query as string[] | undefined);
      settings = {
        url,
        alertmanager,
        maxSeries,
        queries: custom.length > 0 ? custom : nodeExporterPack(),
        lookback: duration('lookback', values.lookback as string | undefined, 6 * 3_600_000)!,
        step: duration('step', values.step as string | undefined, 15_000)!,
        forMs: duration('for', values.for as string | undefined),
        json: values.json === true,
        out: values.out as string | undefined,
        storage: await openStorage(values.storage as string | undefined),
      };
    } catch (error) {
      if (error instanceof UsageError) {
        process.stderr.write(`dharma watch: ${error.message}\n`);
        return 2;
      }
      process.stderr.write(`dharma watch: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }

    const { step } = settings;
    const targets = settings.queries
      .filter((query) => query.capacity)
      .map((query) => ({
        metric: query.name,
        threshold: query.capacity!.threshold,
        direction: query.capacity!.direction,
      }));
    const analyzers = [
      new AnomalyDetector(),
      ...(targets.length > 0
        ? [new CapacityForecaster({ targets, stepMs: step, tickIntervalMs: Math.max(1000, step * 10), horizon: 48 })]
        : []),
    ];
    const engine = new Engine({
      analyzers,
      ...(settings.storage ? { storage: settings.storage } : {}),
      publishFindings: false,
    });
    let alertmanager: AlertmanagerHandler | undefined;
    if (settings.alertmanager) {
      alertmanager = createAlertmanagerHandler({
        url: settings.alertmanager,
        resendIntervalMs: Math.max(step, 15_000),
      });
      engine.useHandler(alertmanager);
    }
    const output: WriteStream | NodeJS.WriteStream = settings.out
      ? createWriteStream(settings.out, { flags: 'a' })
      : process.stdout;
    const statusLine = process.stderr.isTTY === true;
    let findings = 0;
    const clearStatus = () => {
      if (statusLine) process.stderr.write('\r\x1b[2K');
    };
    engine.on('finding', (finding) => {
      findings++;
      clearStatus();
      output.write(settings.json ? `${JSON.stringify(finding)}\n` : `${formatFinding(finding)}\n`);
    });
    engine.on('error', (error, context) => {
      if (context.source !== 'ingest') process.stderr.write(`dharma watch: ${context.source}: ${error.message}\n`);
    });
    await engine.start();

    const warned = new Set<string>();
    const source = createPrometheusSource({
      url: settings.url,
      queries: settings.queries,
      step,
      lookback: settings.lookback,
      maxSeries: settings.maxSeries,
      sink: engine,
      logger: {
        debug() {},
        info() {},
        warn(message, fields) {
          const detail = typeof fields?.error === 'string' ? `${message}: ${fields.error}` : message;
          if (warned.has(detail)) return;
          warned.add(detail);
          clearStatus();
          process.stderr.write(`dharma watch: ${detail}\n`);
        },
        error(message) {
          process.stderr.write(`dharma watch: ${message}\n`);
        },
      },
    });

    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const onSignal = () => stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const deadline =
      settings.forMs === undefined ? undefined : setTimeout(stop, Math.max(0, settings.forMs - (Date.now() - started)));
    const status = statusLine
      ? setInterval(() => {
          const stats = source.stats();
          const lag = stats.lagMs === undefined ? '?' : `${(stats.lagMs / 1000).toFixed(1)}s`;
          process.stderr.write(
            `\r\x1b[2Kwatching ${stats.series} series · ${findings} findings · lag ${lag} · ${settings.url}`,
          );
        }, 1000)
      : undefined;

    process.stderr.write(
      `dharma watch: ${settings.queries.length} queries on ${settings.url}, step ${step / 1000}s, backfilling ${Math.round(settings.lookback / 1000)}s\n`,
    );
    // Backfill then live stepping; a stop during backfill ends the run at once.
    await Promise.race([
      source.start().then(() => {
        const stats = source.stats();
        clearStatus();
        process.stderr.write(
          `dharma watch: backfilled ${stats.series} series (${stats.samples} samples); watching live\n`,
        );
      }),
      stopped,
    ]);
    await stopped;
    if (deadline) clearTimeout(deadline);
    if (status) clearInterval(status);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    clearStatus();
    await source.stop();
    await engine.flush().catch(() => undefined);
    if (alertmanager) await alertmanager.resolveAll().catch(() => undefined);
    await engine.close().catch(() => undefined);
    if (output !== process.stdout) {
      (output as WriteStream).end();
      await once(output as WriteStream, 'finish');
    }
    const stats = source.stats();
    const seconds = Math.round((Date.now() - started) / 1000);
    // Exit 1 only when Prometheus failed every time (not when stopped before its first answer).
    const unreadable = stats.queries === 0 && stats.lastError !== undefined;
    if (unreadable) process.stderr.write(`dharma watch: could not read ${settings.url}: ${stats.lastError}\n`);
    process.stdout.write(`watched ${stats.series} series for ${seconds}s: ${findings} findings\n`);
    return unreadable ? 1 : 0;
  },
};
