import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KafkaTransportOptionsInput } from '../src/index.js';

/** Repository root (packages/kafka/test → ../../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Reads `NAME=value` lines of a service env file. */
export function readEnvFile(path: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  return values;
}

/**
 * The broker started by scripts/services/start-kafka.sh: `DHARMA_KAFKA_BROKERS` from the environment or
 * from `$DHARMA_SERVICES_DIR/kafka.env`. Throws (the tests fail, never skip) when there is none.
 */
export function kafkaBrokers(): string[] {
  const fromEnv = process.env.DHARMA_KAFKA_BROKERS;
  if (fromEnv) return fromEnv.split(',');
  const file = join(process.env.DHARMA_SERVICES_DIR ?? join(repoRoot, '.services'), 'kafka.env');
  const fromFile = existsSync(file) ? readEnvFile(file).DHARMA_KAFKA_BROKERS : undefined;
  if (!fromFile) {
    throw new Error(
      `No Kafka broker: DHARMA_KAFKA_BROKERS is not set and ${file} does not exist. Run npm test (it starts the broker with scripts/services/start-kafka.sh).`,
    );
  }
  return fromFile.split(',');
}

/** Transport settings that make consumer groups join, rebalance and stop quickly in tests. */
export const fastTestOptions: Partial<KafkaTransportOptionsInput> = {
  partitions: 4,
  sessionTimeoutMs: 6000,
  heartbeatIntervalMs: 300,
  rebalanceTimeoutMs: 10_000,
  maxWaitTimeMs: 250,
  commitIntervalMs: 200,
  handlerBackoff: { initialMs: 10, maxMs: 50 },
  publishBackoff: { initialMs: 100, maxMs: 1000 },
};

/** A topic name unique to one test run. */
export function uniqueTopic(base: string): string {
  return `t-${base}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Runs a command to completion; resolves with its stdout (rejects with stderr on a non-zero exit). */
export function run(
  command: string,
  args: string[],
  options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(Buffer.concat(stdout).toString('utf8'));
      else
        reject(
          new Error(`${command} ${args.join(' ')} exited with ${code}: ${Buffer.concat(stderr).toString('utf8')}`),
        );
    });
    child.stdin.end(options.input ?? '');
  });
}
