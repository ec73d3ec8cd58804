// Substitution: a bundled model whose bytes were swapped AND whose card was rewritten to match must be refused,
// because the loader checks the digests compiled into the package, not only the card next to the bytes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelIntegrityError, type ModelRuntime } from '@iac-dharma/core';
import {
  BUNDLED_DIGESTS,
  ModelDigestMismatchError,
  createBundledModelSource,
  loadModel,
  sha256Hex,
  type ModelSource,
} from '../src/index.js';
import { ARTIFACTS, readBytes } from './artifacts.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** A runtime whose sessions do nothing: counts how many were created (verification happens before). */
function countingRuntime(): ModelRuntime & { sessions: number } {
  const runtime = {
    specificationVersion: 'v1' as const,
    name: 'counting',
    sessions: 0,
    async createSession() {
      runtime.sessions++;
      return { inputNames: ['input'], outputNames: ['output'], run: async () => ({}), release: async () => {} };
    },
  };
  return runtime;
}

/** The bundled source with some files of model `id` replaced (what an attacker with write access to the artifacts does). */
function substituted(source: ModelSource, id: string, files: Record<string, Uint8Array>): ModelSource {
  const readFile = async (modelId: string, file: string) =>
    modelId === id && files[file] ? files[file] : source.readFile(modelId, file);
  return {
    ...source,
    readFile,
    readCard: async (modelId: string) =>
      JSON.parse(new TextDecoder().decode(await readFile(modelId, 'model-card.json'))) as unknown,
  };
}

function rawCard(id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ARTIFACTS, id, 'model-card.json'), 'utf8')) as Record<string, unknown>;
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 1));

describe('bundled model digests compiled into the package', () => {
  it('are up to date with the artifacts (scripts/models/compile-digests.mjs --check)', () => {
    const output = execFileSync(
      process.execPath,
      [join(REPO, 'scripts/models/compile-digests.mjs'), fileURLToPath(new URL('..', import.meta.url)), '--check'],
      { encoding: 'utf8' },
    );
    expect(output).toMatch(/up to date \(\d+ models\)/);
    expect(Object.keys(BUNDLED_DIGESTS)).toEqual(expect.arrayContaining(['churn', 'threat', 'failure']));
  });

  it('the default bundled source pins them; a custom folder does not', () => {
    expect(createBundledModelSource().digests).toBe(BUNDLED_DIGESTS);
    expect(createBundledModelSource({ directory: ARTIFACTS }).digests).toBe(BUNDLED_DIGESTS);
    expect(createBundledModelSource({ directory: REPO }).digests).toBeUndefined();
  });

  it('refuses a substituted bundled model whose card was rewritten to match, naming the model and both digests', async () => {
    // The churn folder now holds another model's bytes (threat-rf's), with a card whose sha256 and size match them.
    const other = readBytes('threat-rf');
    const card = { ...rawCard('churn'), sha256: await sha256Hex(other), bytes: other.byteLength };
    const cardBytes = json(card);
    const source = substituted(createBundledModelSource(), 'churn', {
      'model.onnx': other,
      'model-card.json': cardBytes,
    });
    const runtime = countingRuntime();
    const error = await loadModel({ id: 'churn', source, runtime }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelDigestMismatchError);
    expect(error).toBeInstanceOf(ModelIntegrityError);
    const mismatch = error as ModelDigestMismatchError;
    // The card is checked first, as bytes, before it is parsed.
    const expected = BUNDLED_DIGESTS['churn']!['model-card.json']!;
    const actual = await sha256Hex(cardBytes);
    expect(mismatch).toMatchObject({
      code: 'MODEL_INTEGRITY_ERROR',
      modelId: 'churn',
      file: 'model-card.json',
      expected,
      actual,
    });
    expect(mismatch.message).toContain('Model "churn"');
    expect(mismatch.message).toContain(expected);
    expect(mismatch.message).toContain(actual);
    expect(runtime.sessions).toBe(0);
  });

  it("refuses other bytes under the intact bundled card as a substitution, with the model file's digests", async () => {
    const other = readBytes('threat-rf');
    const source = substituted(createBundledModelSource(), 'churn', { 'model.onnx': other });
    const runtime = countingRuntime();
    const error = await loadModel({ id: 'churn', source, runtime }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelDigestMismatchError);
    expect(error).toMatchObject({
      modelId: 'churn',
      file: 'model.onnx',
      expected: BUNDLED_DIGESTS['churn']!['model.onnx'],
      actual: await sha256Hex(other),
    });
    expect((error as Error).message).toMatch(
      /was substituted: model\.onnx has sha256 [0-9a-f]{64}, but this package was built with [0-9a-f]{64}/,
    );
    expect(runtime.sessions).toBe(0);
  });

  it('refuses a rewritten bundled card even when the model bytes are intact (e.g. labels swapped)', async () => {
    const card = rawCard('churn');
    const source = substituted(createBundledModelSource(), 'churn', {
      'model-card.json': json({ ...card, labels: [...(card['labels'] as string[])].reverse() }),
    });
    const runtime = countingRuntime();
    const error = await loadModel({ id: 'churn', source, runtime }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelDigestMismatchError);
    expect(error).toMatchObject({
      modelId: 'churn',
      file: 'model-card.json',
      expected: BUNDLED_DIGESTS['churn']!['model-card.json'],
    });
    expect(runtime.sessions).toBe(0);
  });

  it('any package can pin its own compiled digests on a source; a file they do not list is refused', async () => {
    const card = BUNDLED_DIGESTS['churn']!['model-card.json']!;
    const digests = { churn: { 'model-card.json': card } };
    const source = createBundledModelSource({ directory: ARTIFACTS, digests });
    expect(source.digests).toBe(digests);
    const error = await loadModel({ id: 'churn', source, runtime: countingRuntime() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      name: 'ModelDigestMismatchError',
      modelId: 'churn',
      file: 'model.onnx',
      expected: undefined,
    });
    expect((error as Error).message).toContain('is not one of the files this package was built with');
  });

  it('still loads the genuine bundled model, and the same substitution from your own folder (no pinned digests) loads', async () => {
    const runtime = countingRuntime();
    const genuine = await loadModel({ id: 'churn', source: createBundledModelSource(), runtime });
    expect(genuine.card.id).toBe('churn');
    const other = readBytes('threat-rf');
    const card = { ...rawCard('churn'), sha256: await sha256Hex(other), bytes: other.byteLength };
    const own = substituted(createBundledModelSource({ directory: REPO }), 'churn', {
      'model.onnx': other,
      'model-card.json': json(card),
    });
    await expect(loadModel({ id: 'churn', source: own, runtime })).resolves.toBeDefined();
    expect(runtime.sessions).toBe(2);
  });
});
