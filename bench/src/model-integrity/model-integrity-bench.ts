// Load-time cost of model integrity checks, per bundled model: sha256 of the model bytes (the card check, whose
// digest the compiled-digest check reuses), sha256 of the card bytes (the extra compiled-digest check), an
// Ed25519 verification of a signed card (pinned key), and the whole loadModel() through the bundled source with
// a runtime that creates empty sessions (reads + every check, no ONNX session).
//
//   npx tsx --conditions=@iac-dharma/source bench/src/model-integrity/model-integrity-bench.ts [repetitions=9]
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelRuntime } from '@iac-dharma/core';
import {
  BUNDLED_DIGESTS,
  createBundledModelSource,
  loadModel,
  sha256Hex,
  signModelCard,
  verifyModelCardSignature,
  type ArtifactDigests,
  type ModelSource,
} from '@iac-dharma/models';
import { BUNDLED_TEXT_DIGESTS, SentenceEncoder, defaultEncoderSource } from '@iac-dharma/models-text';

const repetitions = Number(process.argv[2] ?? 9);
const results = fileURLToPath(new URL('../../results/model-integrity.json', import.meta.url));
const runtime: ModelRuntime = {
  specificationVersion: 'v1',
  name: 'empty-sessions',
  createSession: async () => ({ inputNames: [], outputNames: [], run: async () => ({}), release: async () => {} }),
};

async function median(
  task: () => Promise<unknown>,
): Promise<{ median: number; min: number; max: number; runs: number }> {
  await task(); // warm-up
  const times: number[] = [];
  for (let run = 0; run < repetitions; run++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    median: round(times[Math.floor(times.length / 2)]!),
    min: round(times[0]!),
    max: round(times[times.length - 1]!),
    runs: repetitions,
  };
}

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
// The models of @iac-dharma/models, then the encoder of @iac-dharma/models-text (each package pins its own digests).
const bundles: Array<{ digests: ArtifactDigests; source: ModelSource; artifacts: string }> = [
  {
    digests: BUNDLED_DIGESTS,
    source: createBundledModelSource(),
    artifacts: fileURLToPath(new URL('../../../packages/models/artifacts/', import.meta.url)),
  },
  {
    digests: BUNDLED_TEXT_DIGESTS,
    source: defaultEncoderSource(),
    artifacts: fileURLToPath(new URL('../../../packages/models-text/artifacts/', import.meta.url)),
  },
];
const figures = [];
for (const [id, files, source, artifacts] of bundles.flatMap(({ digests, source, artifacts }) =>
  Object.entries(digests).map(([id, files]) => [id, files, source, artifacts] as const),
)) {
  const cardFile = Object.keys(files).find((file) => file.endsWith('card.json'))!;
  const model = new Uint8Array(readFileSync(join(artifacts, id, 'model.onnx')));
  const cardBytes = new Uint8Array(readFileSync(join(artifacts, id, cardFile)));
  const signed = await signModelCard(
    JSON.parse(new TextDecoder().decode(cardBytes)) as Record<string, unknown>,
    privatePem,
  );
  figures.push({
    model: id,
    'model MB': Math.round((model.byteLength / 1e6) * 100) / 100,
    'sha256 model ms': await median(() => sha256Hex(model)),
    'sha256 card ms': await median(() => sha256Hex(cardBytes)),
    'Ed25519 verify ms': await median(() => verifyModelCardSignature(signed, publicPem, id)),
    'load + checks ms': await median(() =>
      cardFile === 'model-card.json'
        ? loadModel({ id, source, runtime })
        : SentenceEncoder.load({ id, source, runtime }),
    ),
  });
}
const report = {
  title: 'Model integrity checks at load time',
  description: `Per bundled model, medians of ${repetitions} runs after one warm-up (WebCrypto in Node ${process.version}). sha256 of the model bytes is the card check, whose digest the compiled-digest check reuses; the compiled-digest check adds the sha256 of the card bytes; a pinned key adds one Ed25519 verification. "load + checks" is loadModel / SentenceEncoder.load through the bundled source with a runtime that creates empty sessions (file reads and every check, no ONNX session).`,
  command: 'npx tsx --conditions=@iac-dharma/source bench/src/model-integrity/model-integrity-bench.ts',
  measuredAt: new Date().toISOString(),
  figures,
};
writeFileSync(results, `${JSON.stringify(report, null, 2)}\n`);
for (const row of figures) {
  process.stdout.write(
    `${Object.entries(row)
      .map(
        ([key, value]) => `${key}=${typeof value === 'object' ? `${value.median} (${value.min}-${value.max})` : value}`,
      )
      .join('  ')}\n`,
  );
}
