// The CommonJS half of the consumer program: the `require` conditions and the .d.cts declarations.
import assert = require('node:assert/strict');
import fs = require('node:fs');
import path = require('node:path');
import core = require('@iac-dharma/core');
import kernel = require('@iac-dharma/core/kernel');
import coreNode = require('@iac-dharma/core/node');
import coreInternal = require('@iac-dharma/core/internal');
// Type-only: the testing kit runs inside vitest, which cannot be require()d (vitest is ESM-only).
import type * as testing from '@iac-dharma/core/testing';
import simulator = require('@iac-dharma/core/simulator');
import browser = require('@iac-dharma/core/browser');
import models = require('@iac-dharma/models');
import modelsText = require('@iac-dharma/models-text');
import sqlite = require('@iac-dharma/storage-sqlite');
import postgres = require('@iac-dharma/storage-postgres');
import kafka = require('@iac-dharma/kafka');
import kubernetes = require('@iac-dharma/kubernetes');
import prometheus = require('@iac-dharma/prometheus');
import gateway = require('@iac-dharma/gateway');
import client = require('@iac-dharma/client');
import cli = require('@iac-dharma/cli');

async function main(): Promise<void> {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'threat-row.json'), 'utf8')) as {
    raw: Record<string, unknown>;
    probabilities: number[];
  };
  const clock: testing.ManualClock | undefined = undefined;
  assert.equal(clock, undefined);
  for (const module of [
    coreInternal,
    simulator,
    browser,
    postgres,
    kafka,
    kubernetes,
    prometheus,
    gateway,
    client,
    cli,
  ])
    assert.ok(Object.keys(module).length > 0);
  assert.equal(typeof coreNode.loadAugurs().mstl, 'object');
  // In CommonJS the kernel is a separate bundle, yet its errors are instances of the root's classes (and back).
  assert.ok(
    new kernel.StorageError('x') instanceof core.StorageError &&
      new core.ValidationError('x', []) instanceof kernel.ValidationError,
  );
  assert.ok(!(new kernel.StorageError('x') instanceof core.ValidationError));
  const engine = new core.Engine({
    storage: new sqlite.SqliteStorage({ path: ':memory:' }),
    analyzers: [new core.AnomalyDetector()],
  });
  await engine.ingest({ resource: 'web-1', metric: 'cpu', value: 0.5 });
  const runtime = models.createOnnxRuntime();
  const detector = new models.ThreatDetector({ model: await models.loadModel({ id: 'threat', runtime }) });
  const [verdict] = await detector.classify([fixture.raw]);
  const got = Object.values(verdict!.probabilities);
  fixture.probabilities.forEach((want, index) =>
    assert.ok(Math.abs(got[index]! - want) <= 1e-5, `probability ${index}`),
  );
  assert.equal(await runtime.backend(), 'wasm');
  const vocabulary = new TextDecoder().decode(
    await modelsText.defaultEncoderSource().readFile(modelsText.DEFAULT_ENCODER_ID, 'vocab.txt'),
  );
  assert.deepEqual(new modelsText.WordPieceTokenizer(vocabulary).encode('Disk full!').ids.length, 5);
  await engine.close();
  console.log(`cjs ok: threat ${verdict!.category} on ${runtime.name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
