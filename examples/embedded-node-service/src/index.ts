/**
 * An embedded Node service: the AIOps engine runs inside your process, on SQLite, with no other service.
 *
 * - AnomalyDetector scores every metric sample; CapacityForecaster re-forecasts disk usage on a timer.
 * - Every finding is logged as one JSON line on stdout.
 * - A tiny HTTP API: POST /metrics (records), GET /findings, GET /health.
 * - SIGTERM/SIGINT close gracefully: stop accepting requests, save what the detectors learned, close SQLite.
 *
 * Run: npm start -w @example/embedded-node-service   (PORT, DB_PATH, FORECAST_INTERVAL_MS from the environment)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnomalyDetector, CapacityForecaster, Engine, DharmaError, type FindingKind } from '@iac-dharma/core';
import { SqliteStorage } from '@iac-dharma/storage-sqlite';

/** Options of {@link startService}. */
export interface ServiceOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** SQLite file: findings, samples and the detectors' learned state survive restarts. */
  databasePath: string;
  /** How often the capacity forecaster re-forecasts, in ms. @default 60000 */
  forecastIntervalMs?: number;
  /** Where log lines go. @default one JSON line per call on stdout */
  log?: (entry: Record<string, unknown>) => void;
}

/** A running service. */
export interface RunningService {
  engine: Engine;
  server: Server;
  url: string;
  /** Stops the HTTP server, then closes the engine (saving analyzer state) and the database. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

/** Starts the engine and the HTTP API. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const log = options.log ?? ((entry) => process.stdout.write(`${JSON.stringify(entry)}\n`));
  const engine = new Engine({
    storage: new SqliteStorage({ path: options.databasePath }),
    analyzers: [
      new AnomalyDetector({ threshold: 0.6 }),
      new CapacityForecaster({
        targets: [{ metric: 'disk_used_ratio', threshold: 0.9 }],
        horizon: 48,
        tickIntervalMs: options.forecastIntervalMs ?? 60_000,
      }),
    ],
  });
  engine.on('finding', (finding) =>
    log({
      event: 'finding',
      kind: finding.kind,
      resource: finding.resource,
      severity: finding.severity,
      summary: finding.summary,
    }),
  );
  engine.on('error', (error, context) => log({ event: 'error', source: context.source, message: error.message }));
  await engine.start(); // restores what the analyzers learned before the last shutdown, starts the forecaster's timer

  const server = createServer((request, response) => {
    handle(engine, request, response).catch((error: unknown) =>
      send(response, 500, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  log({ event: 'listening', url });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
      log({ event: 'closed' });
    })());
  return { engine, server, url, close };
}

async function handle(engine: Engine, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method === 'GET' && url.pathname === '/health') {
    const health = await engine.health();
    return send(response, health.status === 'down' ? 503 : 200, health);
  }
  if (request.method === 'GET' && url.pathname === '/findings') {
    const resource = url.searchParams.get('resource') ?? undefined;
    const kind = (url.searchParams.get('kind') ?? undefined) as FindingKind | undefined;
    return send(
      response,
      200,
      await engine.storage.queryFindings({ ...(resource ? { resource } : {}), ...(kind ? { kind } : {}), limit: 100 }),
    );
  }
  if (request.method === 'POST' && url.pathname === '/metrics') {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request));
    } catch (error) {
      return send(response, 400, {
        error: `the body must be JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    try {
      // One record, or an array: invalid records in an array are rejected one by one, the rest accepted.
      const result = await engine.ingest(body as never);
      return send(response, result.rejected > 0 ? 422 : 202, {
        accepted: result.accepted,
        rejected: result.rejected,
        errors: result.errors.map((error) => error.message),
        findings: result.findings.length,
      });
    } catch (error) {
      if (DharmaError.isInstance(error) && error.code === 'VALIDATION_ERROR')
        return send(response, 400, { error: error.message });
      throw error;
    }
  }
  send(response, 404, { error: 'routes: POST /metrics, GET /findings?resource=&kind=, GET /health' });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return reject(new Error(`body larger than ${MAX_BODY_BYTES} bytes`));
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

// Started directly (npm start): run until SIGTERM or SIGINT, then close gracefully.
if (import.meta.url === `file://${process.argv[1]}`) {
  const service = await startService({
    port: Number(process.env['PORT'] ?? 8080),
    databasePath: process.env['DB_PATH'] ?? 'dharma.sqlite',
    forecastIntervalMs: Number(process.env['FORECAST_INTERVAL_MS'] ?? 60_000),
  });
  const shutdown = (signal: string) => {
    process.stdout.write(`${JSON.stringify({ event: 'shutdown', signal })}\n`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(
          `close failed: ${error instanceof DharmaError || error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
