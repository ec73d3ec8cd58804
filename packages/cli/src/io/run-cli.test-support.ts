// Test support (not shipped in the CLI's exports): runs the real `dharma` binary as a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/dharma.js', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../models/artifacts/', import.meta.url));

/** Result of one CLI run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node packages/cli/bin/dharma.js <args>` and collects its output. */
export function runCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh temporary folder. */
export function temporaryFolder(): string {
  return mkdtempSync(join(tmpdir(), 'dharma-cli-'));
}

/** The parity file of a bundled model. */
export function parityOf(id: string): {
  sensorNames?: string[];
  rows: Array<{ raw: unknown; input: unknown[]; outputs: Record<string, unknown> }>;
} {
  return JSON.parse(readFileSync(join(ARTIFACTS, id, 'parity.json'), 'utf8'));
}

/** The model card of a bundled model. */
export function cardOf(id: string): {
  features: Array<{ name: string }>;
  labels?: string[];
  window?: { length: number };
} {
  return JSON.parse(readFileSync(join(ARTIFACTS, id, 'model-card.json'), 'utf8'));
}

/** Parses a CSV written by the CLI (no quoted fields expected). */
export function readCsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
}

/** Flattens nested arrays of numbers. */
export function flat(value: unknown): number[] {
  return Array.isArray(value) ? value.flatMap((item) => flat(item)) : [Number(value)];
}
