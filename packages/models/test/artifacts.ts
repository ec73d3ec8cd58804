// Test helpers: read the committed artifacts and their parity files.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ParityFileSchema, parseModelCard, type ModelCard, type ParityFile } from '../src/index.js';

/** The package's artifacts folder. */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** Ids of every artifact folder holding a card. */
export function artifactIds(): string[] {
  if (!existsSync(ARTIFACTS)) return [];
  return readdirSync(ARTIFACTS)
    .filter((id) => existsSync(join(ARTIFACTS, id, 'model-card.json')))
    .sort();
}

export function readCard(id: string): ModelCard {
  return parseModelCard(JSON.parse(readFileSync(join(ARTIFACTS, id, 'model-card.json'), 'utf8')));
}

export function readParity(id: string): ParityFile {
  return ParityFileSchema.parse(JSON.parse(readFileSync(join(ARTIFACTS, id, 'parity.json'), 'utf8')));
}

export function readBytes(id: string): Uint8Array {
  return new Uint8Array(readFileSync(join(ARTIFACTS, id, 'model.onnx')));
}

/** Flattens nested number arrays (e.g. a [30][14] window) to a plain array. */
export function flat(value: unknown): number[] {
  return Array.isArray(value) ? value.flatMap((item) => flat(item)) : [Number(value)];
}

/** Largest absolute difference between two equally long number lists. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let index = 0; index < a.length; index++) max = Math.max(max, Math.abs(a[index]! - b[index]!));
  return max;
}
