// Substitution: the bundled encoder's vocabulary swapped AND its card rewritten to match must be refused,
// because SentenceEncoder.load checks the digests compiled into this package, not only the card.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ModelRuntime } from '@iac-dharma/core';
import { ModelDigestMismatchError, sha256Hex, type ModelSource } from '@iac-dharma/models';
import { BUNDLED_TEXT_DIGESTS, SentenceEncoder, defaultEncoderSource } from './index.js';
import { encoderArtifactsDirectory } from './platform/node/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const ARTIFACTS = encoderArtifactsDirectory();

/** A runtime whose sessions do nothing: counts how many were created (verification happens before). */
function countingRuntime(): ModelRuntime & { sessions: number } {
  const runtime = {
    specificationVersion: 'v1' as const,
    name: 'counting',
    sessions: 0,
    async createSession() {
      runtime.sessions++;
      return {
        inputNames: ['input_ids', 'attention_mask'],
        outputNames: ['embedding'],
        run: async () => ({}),
        release: async () => {},
      };
    },
  };
  return runtime;
}

/** The bundled source with some files of model `id` replaced (what an attacker with write access to the artifacts does). */
function substituted(source: ModelSource, id: string, files: Record<string, Uint8Array>): ModelSource {
  return {
    ...source,
    readFile: async (modelId: string, file: string) =>
      modelId === id && files[file] ? files[file] : source.readFile(modelId, file),
  };
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 1));

describe('the encoder digests compiled into @iac-dharma/models-text', () => {
  it('are up to date with the artifacts (scripts/models/compile-digests.mjs --check), and the default source pins them', () => {
    const output = execFileSync(
      process.execPath,
      [join(REPO, 'scripts/models/compile-digests.mjs'), fileURLToPath(new URL('..', import.meta.url)), '--check'],
      { encoding: 'utf8' },
    );
    expect(output).toMatch(/up to date \(1 models\)/);
    expect(Object.keys(BUNDLED_TEXT_DIGESTS)).toEqual(['minilm']);
    expect(defaultEncoderSource().digests).toBe(BUNDLED_TEXT_DIGESTS);
  });

  it('refuses a substituted vocabulary whose card was rewritten to match, and one under the intact card', async () => {
    const vocabulary = new TextEncoder().encode('[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n');
    const card = JSON.parse(readFileSync(join(ARTIFACTS, 'minilm', 'encoder-card.json'), 'utf8')) as {
      sha256: Record<string, string>;
    };
    const rewritten = { ...card, sha256: { ...card.sha256, 'vocab.txt': await sha256Hex(vocabulary) } };
    const runtime = countingRuntime();
    const error = await SentenceEncoder.load({
      source: substituted(defaultEncoderSource(), 'minilm', {
        'vocab.txt': vocabulary,
        'encoder-card.json': json(rewritten),
      }),
      runtime,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelDigestMismatchError);
    expect(error).toMatchObject({
      modelId: 'minilm',
      file: 'encoder-card.json',
      expected: BUNDLED_TEXT_DIGESTS['minilm']!['encoder-card.json'],
    });
    const alone = await SentenceEncoder.load({
      source: substituted(defaultEncoderSource(), 'minilm', { 'vocab.txt': vocabulary }),
      runtime,
    }).catch((caught: unknown) => caught);
    expect(alone).toMatchObject({
      name: 'ModelDigestMismatchError',
      modelId: 'minilm',
      file: 'vocab.txt',
      expected: BUNDLED_TEXT_DIGESTS['minilm']!['vocab.txt'],
    });
    expect(runtime.sessions).toBe(0);
  });
});
