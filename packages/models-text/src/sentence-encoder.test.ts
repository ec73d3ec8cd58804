import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelIntegrityError } from '@iac-dharma/core';
import { createBundledModelSource } from '@iac-dharma/models';
import { encoderArtifactsDirectory } from './platform/node/index.js';
import { SentenceEncoder, cosine } from './sentence-encoder.js';
import { WordPieceTokenizer } from './wordpiece-tokenizer.js';

interface EncoderParity {
  tolerance: number;
  rows: Array<{ text: string; ids: number[]; embedding: number[] }>;
}

const artifacts = new URL('../artifacts/minilm/', import.meta.url);
const parity = JSON.parse(readFileSync(new URL('encoder-parity.json', artifacts), 'utf8')) as EncoderParity;

describe('WordPieceTokenizer', () => {
  it('gives the reference tokenizer ids for every parity text (accents, CJK, controls, long words, truncation)', () => {
    const tokenizer = new WordPieceTokenizer(readFileSync(new URL('vocab.txt', artifacts), 'utf8'), { maxLength: 256 });
    expect(tokenizer.vocabularySize).toBe(30_522);
    for (const row of parity.rows) expect(tokenizer.encode(row.text).ids, row.text.slice(0, 60)).toEqual(row.ids);
    expect(tokenizer.encode('Disk full!').tokens).toEqual(['[CLS]', 'disk', 'full', '!', '[SEP]']);
  });
});

describe('SentenceEncoder (onnxruntime-node)', () => {
  it('embeds the parity texts within the stated tolerance of the Python onnxruntime embeddings', async () => {
    const encoder = await SentenceEncoder.load();
    expect(encoder.dimensions).toBe(384);
    let worst = 0;
    for (const row of parity.rows) {
      const [embedding] = await encoder.embed([row.text]);
      row.embedding.forEach((value, index) => (worst = Math.max(worst, Math.abs(value - embedding![index]!))));
    }
    expect(worst).toBeLessThan(parity.tolerance);
    // Batched with padding gives the same vectors as one by one.
    const batch = await encoder.embed(parity.rows.slice(0, 4).map((row) => row.text));
    batch.forEach((embedding, index) =>
      expect(cosine(embedding, Float32Array.from(parity.rows[index]!.embedding))).toBeGreaterThan(0.9999),
    );
    await encoder.release();
  });

  it('refuses a model whose bytes do not match the card', async () => {
    const source = createBundledModelSource({ directory: encoderArtifactsDirectory() });
    const tampered = {
      ...source,
      readFile: async (id: string, file: string) =>
        file === 'vocab.txt' ? new TextEncoder().encode('[PAD]\n[UNK]\n[CLS]\n[SEP]\n') : source.readFile(id, file),
    };
    await expect(SentenceEncoder.load({ source: tampered })).rejects.toThrow(ModelIntegrityError);
  });
});
