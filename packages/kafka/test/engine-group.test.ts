import { createEngine, type Engine } from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createKafkaTransport, type KafkaTransport } from '../src/index.js';
import { fastTestOptions, kafkaBrokers, uniqueTopic } from './kafka-env.js';

const TOTAL = 4000;
const RESOURCES = 40;

describe('engine instances in one consumer group (real broker)', () => {
  const engines: Engine[] = [];
  const transports: KafkaTransport[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close().catch(() => undefined);
    for (const transport of transports.splice(0)) await transport.close();
  });

  it('split the partitions, take over a stopped instance’s partitions, and process every sample at least once', async () => {
    const prefix = `${uniqueTopic('group')}.`;
    const open = (clientId: string) => {
      const transport = createKafkaTransport({
        brokers: kafkaBrokers(),
        clientId,
        topicPrefix: prefix,
        ...fastTestOptions,
      });
      transports.push(transport);
      return transport;
    };
    // value → resource of every sample each instance ingested (duplicates counted separately).
    const processed = [new Map<number, string>(), new Map<number, string>()];
    let duplicates = 0;
    for (const index of [0, 1]) {
      const engine = createEngine({ transport: open(`engine-${index}`), publishFindings: false });
      engine.on('ingested', (records) => {
        for (const record of records) {
          if (record.kind !== 'metric') continue;
          if (processed[0]!.has(record.value) || processed[1]!.has(record.value)) duplicates++;
          processed[index]!.set(record.value, record.resource);
        }
      });
      engines.push(engine);
      await engine.consume({ group: 'engines' });
    }
    const [engineA] = engines as [Engine, Engine];
    const producer = open('producer');
    const union = () => new Set([...processed[0]!.keys(), ...processed[1]!.keys()]).size;
    const publishRange = async (from: number, to: number) => {
      for (let start = from; start < to; start += 100) {
        const messages = Array.from({ length: Math.min(100, to - start) }, (_, offset) => {
          const value = start + offset;
          return {
            value: { resource: `node-${value % RESOURCES}`, metric: 'cpu', value, timestamp: 1764236400000 + value },
          };
        });
        await producer.publish({ topic: 'metrics', messages });
      }
    };

    await publishRange(0, TOTAL / 2);
    await waitFor(() => union() >= TOTAL / 2, { timeoutMs: 30_000, message: 'first half processed' });
    // Both instances got partitions of their own.
    expect(processed[0]!.size).toBeGreaterThan(0);
    expect(processed[1]!.size).toBeGreaterThan(0);
    const resourcesOfA = new Set(processed[0]!.values());
    const resourcesOfB = new Set(processed[1]!.values());
    expect([...resourcesOfA].some((resource) => resourcesOfB.has(resource))).toBe(false);

    // Third quarter: stop instance A while samples are still flowing; last quarter: only B is left.
    const thirdQuarter = publishRange(TOTAL / 2, (TOTAL * 3) / 4);
    await waitFor(() => union() >= TOTAL / 2 + 200, { timeoutMs: 30_000, message: 'third quarter started' });
    await engineA.close();
    const handledByAAtClose = processed[0]!.size;
    await thirdQuarter;
    await publishRange((TOTAL * 3) / 4, TOTAL);
    await waitFor(() => union() >= TOTAL, { timeoutMs: 45_000, message: `all ${TOTAL} samples processed` });

    const all = new Set([...processed[0]!.keys(), ...processed[1]!.keys()]);
    expect(all.size).toBe(TOTAL);
    for (let value = 0; value < TOTAL; value++) expect(all.has(value)).toBe(true);
    expect(processed[0]!.size).toBe(handledByAAtClose);
    // B took over A's partitions: it now handled samples of resources only A had before.
    const lateResourcesOfB = new Set(
      [...processed[1]!.entries()].filter(([value]) => value >= (TOTAL * 3) / 4).map(([, resource]) => resource),
    );
    expect([...resourcesOfA].every((resource) => lateResourcesOfB.has(resource))).toBe(true);
    // A left gracefully (engine.close commits what it stored before leaving the group), so B resumed exactly
    // where A stopped: a rebalance with a clean hand-over redelivers nothing.
    expect(duplicates).toBe(0);
    console.info(
      `engine group: A handled ${processed[0]!.size}, B handled ${processed[1]!.size}, duplicates ${duplicates}`,
    );
  }, 150_000);
});
