// The consumer program of scripts/consumer/run.sh, compiled and run from a fresh project that installed the
// packed tarballs (ESM). Imports every published package and subpath, and uses a little of each.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { AnomalyDetector, StorageError, Engine, type Finding } from '@iac-dharma/core';
import * as kernel from '@iac-dharma/core/kernel';
import { loadAugurs, createPrometheusMetrics } from '@iac-dharma/core/node';
import { ManualClock } from '@iac-dharma/core/testing';
import { choleskyFactor } from '@iac-dharma/core/internal';
import * as simulator from '@iac-dharma/core/simulator';
import * as browser from '@iac-dharma/core/browser';
import { ThreatDetector, createOnnxRuntime, loadModel } from '@iac-dharma/models';
import { DEFAULT_ENCODER_ID, WordPieceTokenizer, defaultEncoderSource } from '@iac-dharma/models-text';
import { SqliteStorage } from '@iac-dharma/storage-sqlite';
import { PostgresStorage } from '@iac-dharma/storage-postgres';
import { KafkaTransport } from '@iac-dharma/kafka';
import { DriftDetector, createKubernetesPlugin } from '@iac-dharma/kubernetes';
import { parseDuration } from '@iac-dharma/prometheus';
// Type-only: the scoring worker entry is for browsers (a Web Worker).
import type { createScoringWorker } from '@iac-dharma/models/worker';
import { createGateway } from '@iac-dharma/gateway';
import { createClient } from '@iac-dharma/client';
import { commands } from '@iac-dharma/cli';

const fixture = JSON.parse(readFileSync(new URL('./threat-row.json', import.meta.url), 'utf8')) as {
  raw: Record<string, unknown>;
  probabilities: number[];
};

assert.equal(typeof choleskyFactor, 'function');
// The kernel is the root entry's own code (shared chunks in ESM): the same classes.
assert.equal(kernel.StorageError, StorageError);
assert.equal(typeof PostgresStorage, 'function');
assert.equal(typeof KafkaTransport, 'function');
assert.equal(typeof createKubernetesPlugin, 'function');
assert.equal(typeof DriftDetector, 'function');
assert.equal(parseDuration('1m'), 60_000);
const workerFactory: typeof createScoringWorker | undefined = undefined;
assert.equal(workerFactory, undefined);
assert.ok(Object.keys(simulator).length > 0 && Object.keys(browser).length > 0);
assert.ok('threat' in commands);
assert.equal(new ManualClock(1000).now(), 1000);

// core/node: the forecaster's WebAssembly and the Prometheus metrics.
assert.equal(typeof loadAugurs().mstl, 'object');
const metrics = createPrometheusMetrics();

// An engine on SQLite with the anomaly detector.
const storage = new SqliteStorage({ path: ':memory:' });
const engine = new Engine({ storage, metrics, analyzers: [new AnomalyDetector()] });
const findings: Finding[] = [];
engine.on('anomaly', (finding) => findings.push(finding));
await engine.ingest({ resource: 'web-1', metric: 'cpu', value: 0.5 });
assert.ok((await metrics.registry.metrics()).includes('dharma_records_ingested_total'));

// A model with no onnxruntime-node installed: the WebAssembly backend from the onnxruntime-web package.
const runtime = createOnnxRuntime();
assert.equal(await runtime.backend(), 'wasm');
const detector = new ThreatDetector({ model: await loadModel({ id: 'threat', runtime }) });
const [verdict] = await detector.classify([fixture.raw]);
const got = Object.values(verdict!.probabilities);
fixture.probabilities.forEach((want, index) =>
  assert.ok(Math.abs(got[index]! - want) <= 1e-5, `probability ${index}: ${got[index]} vs ${want}`),
);

// The text models' package finds its own artifacts (the encoder's vocabulary) from the installed package.
const vocabulary = new TextDecoder().decode(await defaultEncoderSource().readFile(DEFAULT_ENCODER_ID, 'vocab.txt'));
assert.deepEqual(new WordPieceTokenizer(vocabulary).encode('Disk full!').tokens, [
  '[CLS]',
  'disk',
  'full',
  '!',
  '[SEP]',
]);

// The gateway over the engine, driven by the typed client.
const gateway = createGateway({ engine, apiKeys: [{ key: 'consumer-key', role: 'operator' }] });
const url = await gateway.listen(0);
const client = createClient({ url, apiKey: 'consumer-key' });
assert.deepEqual(await client.listInfrastructures(), []);
await gateway.close();
await engine.close();
console.log(`esm ok: threat ${verdict!.category} on ${runtime.name}`);
