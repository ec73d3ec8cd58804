import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const exampleDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(exampleDir, '../..');

/** The broker started by scripts/services/start-kafka.sh; fails (never skips) without one. */
function kafkaBrokers(): string {
  if (process.env.DHARMA_KAFKA_BROKERS) return process.env.DHARMA_KAFKA_BROKERS;
  const file = join(process.env.DHARMA_SERVICES_DIR ?? join(repoRoot, '.services'), 'kafka.env');
  const line = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .find((entry) => entry.startsWith('DHARMA_KAFKA_BROKERS='))
    : undefined;
  if (!line)
    throw new Error(
      `No Kafka broker (${file} missing). Run npm test: it starts one with scripts/services/start-kafka.sh.`,
    );
  return line.slice('DHARMA_KAFKA_BROKERS='.length).trim();
}

describe('example: kafka-scale-out', () => {
  it('runs two engine instances in one group; the survivor processes every sample after the other stops', async () => {
    const brokers = kafkaBrokers();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolvePromise, reject) => {
        const child = spawn(
          join(repoRoot, 'node_modules/.bin/tsx'),
          ['--conditions=@iac-dharma/source', 'src/index.ts'],
          {
            cwd: exampleDir,
            env: { ...process.env, DHARMA_KAFKA_BROKERS: brokers, SCALE_OUT_SAMPLES: '4000' },
          },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (exitCode) => resolvePromise({ code: exitCode, stdout: out, stderr: err }));
      },
    );
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      published: number;
      processedByA: number;
      processedByB: number;
      distinctProcessed: number;
      aStoppedAfter: number;
      expectedAnomalies: number;
      anomaliesOnTopic: number;
    };
    expect(report.published).toBe(4000);
    expect(report.distinctProcessed).toBe(4000);
    expect(report.processedByA).toBeGreaterThan(0);
    expect(report.processedByA).toBe(report.aStoppedAfter);
    expect(report.processedByA + report.processedByB).toBeGreaterThanOrEqual(4000);
    expect(report.anomaliesOnTopic).toBe(report.expectedAnomalies);
    expect(report.expectedAnomalies).toBe(40);
  }, 120_000);
});
