import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@iac-dharma/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaTransport, type KafkaTransport } from '../src/index.js';
import { fastTestOptions, readEnvFile, repoRoot, run } from './kafka-env.js';

// This test stops its broker, so it runs a private one (same scripts, its own services dir) and never
// disturbs the shared broker other test files use at the same time.
const servicesDir = mkdtempSync(join(tmpdir(), 'dharma-kafka-restart-'));
const env = { ...process.env, DHARMA_SERVICES_DIR: servicesDir };
const script = (name: string) => join(repoRoot, 'scripts/services', name);
const brokerAddress = () => readEnvFile(join(servicesDir, 'kafka.env')).DHARMA_KAFKA_BROKERS!;

const TOTAL = 3000;

describe('broker stopped and restarted mid-stream (real broker)', () => {
  let transport: KafkaTransport | undefined;
  beforeAll(async () => {
    await run('bash', [script('start-kafka.sh')], { env, timeoutMs: 170_000 });
  }, 180_000);
  afterAll(async () => {
    await transport?.close();
    await run('bash', [script('stop-kafka.sh')], { env }).catch(() => undefined);
    rmSync(servicesDir, { recursive: true, force: true });
  }, 60_000);

  it('producer and consumer recover on their own and nothing is lost', async () => {
    const address = brokerAddress();
    transport = createKafkaTransport({
      brokers: [address],
      clientId: 'restart',
      ...fastTestOptions,
      sessionTimeoutMs: 3000,
      deliveryTimeoutMs: 90_000,
    });
    const handled = new Set<number>();
    await transport.subscribe({
      topic: 'metrics',
      group: 'restart',
      handler: async (message) => void handled.add((message.value as { value: number }).value),
    });

    let published = 0;
    const producing = (async () => {
      for (let start = 0; start < TOTAL; start += 50) {
        const messages = Array.from({ length: 50 }, (_, offset) => ({
          value: { resource: `node-${(start + offset) % 16}`, metric: 'cpu', value: start + offset },
        }));
        await transport!.publish({ topic: 'metrics', messages });
        published += messages.length;
      }
    })();

    await waitFor(() => published >= TOTAL / 3 && handled.size > 0, { timeoutMs: 30_000, message: 'stream under way' });
    const phases: Record<string, number> = {};
    const began = Date.now();
    await run('bash', [script('stop-kafka.sh'), '--keep-data'], { env });
    phases.stopped = Date.now() - began;
    const publishedWhileDown = published;
    await run('bash', [script('start-kafka.sh')], { env, timeoutMs: 120_000 });
    phases.restarted = Date.now() - began;
    expect(brokerAddress()).toBe(address);

    await producing;
    phases.produced = Date.now() - began;
    await waitFor(() => handled.size >= TOTAL, {
      timeoutMs: 60_000,
      message: `all ${TOTAL} samples consumed after the restart`,
    });
    phases.consumed = Date.now() - began;
    for (let value = 0; value < TOTAL; value++) expect(handled.has(value)).toBe(true);
    const stats = transport.stats();
    expect(publishedWhileDown).toBeLessThan(TOTAL);
    expect(stats.publishFailures).toBe(0);
    expect(stats.published).toBe(TOTAL);
    expect((await transport.health()).status).not.toBe('down');
    console.info(
      `broker restart: publish retries ${stats.publishRetries}, consumer crashes ${stats.consumerCrashes}, duplicates dropped ${stats.duplicates}, rebalances ${stats.rebalances}; ms since the stop: ${JSON.stringify(phases)}`,
    );
  }, 150_000);
});
