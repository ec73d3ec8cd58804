import { createEngine, type IncomingMessage } from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DeadLetterRecordSchema,
  createKafkaTransport,
  type DeadLetterRecord,
  type KafkaTransport,
} from '../src/index.js';
import { fastTestOptions, kafkaBrokers, run, uniqueTopic } from './kafka-env.js';

const envelope = (id: string, payload: unknown) =>
  JSON.stringify({ schema: 'iac-dharma.envelope', version: 1, type: 'metric', id, time: 1764236400000, payload });

describe('dead-letter topic on a real broker', () => {
  const transports: KafkaTransport[] = [];
  afterEach(async () => {
    for (const transport of transports.splice(0)) await transport.close();
  });

  it('dead-letters bad JSON, foreign JSON, schema violations, oversized values and failing handlers, and the stream goes on', async () => {
    const prefix = `${uniqueTopic('dlq')}.`;
    const transport = createKafkaTransport({
      brokers: kafkaBrokers(),
      clientId: 'dead-letter',
      topicPrefix: prefix,
      maxMessageBytes: 20_000,
      maxAttempts: 3,
      payloadSchemas: { metrics: z.object({ resource: z.string(), metric: z.string(), value: z.number() }) },
      ...fastTestOptions,
    });
    transports.push(transport);
    const handled: IncomingMessage[] = [];
    let poisonAttempts = 0;
    await transport.subscribe({
      topic: 'metrics',
      handler: async (message) => {
        if ((message.value as { metric: string }).metric === 'explodes') {
          poisonAttempts++;
          throw new Error('handler cannot cope');
        }
        handled.push(message);
      },
    });
    const deadLetters: DeadLetterRecord[] = [];
    await transport.subscribe({
      topic: 'dead-letter',
      handler: async (message) => void deadLetters.push(DeadLetterRecordSchema.parse(message.value)),
    });

    // Poison and good messages interleaved on one key (one partition, so order is fixed); written by kcat.
    const oversized = envelope('big', { resource: 'web-1', metric: 'cpu', value: 1, padding: 'x'.repeat(30_000) });
    const lines = [
      envelope('good-1', { resource: 'web-1', metric: 'cpu', value: 1 }),
      '{"resource": "web-1", "metric": cpu',
      envelope('good-2', { resource: 'web-1', metric: 'cpu', value: 2 }),
      JSON.stringify({ resource: 'web-1', metric: 'cpu', value: 3 }),
      envelope('wrong-payload', { resource: 'web-1', metric: 'cpu', value: 'high' }),
      oversized,
      envelope('explodes', { resource: 'web-1', metric: 'explodes', value: 0 }),
      envelope('good-3', { resource: 'web-1', metric: 'cpu', value: 3 }),
    ];
    await run('kcat', ['-P', '-b', kafkaBrokers().join(','), '-t', transport.topicName('metrics'), '-K', '\t'], {
      input: lines.map((line) => `web-1\t${line}`).join('\n') + '\n',
    });

    await waitFor(() => handled.length >= 3 && deadLetters.length >= 5, {
      timeoutMs: 30_000,
      message: '3 handled and 5 dead-lettered',
    });
    expect(handled.map((message) => message.id)).toEqual(['good-1', 'good-2', 'good-3']);
    expect(poisonAttempts).toBe(3);

    const byReason = new Map(deadLetters.map((record) => [record.reason, record]));
    expect([...byReason.keys()].sort()).toEqual([
      'handler-failed',
      'invalid-envelope',
      'invalid-json',
      'invalid-payload',
      'oversized',
    ]);
    const original = (record: DeadLetterRecord) => Buffer.from(record.originalBase64, 'base64').toString('utf8');
    expect(original(byReason.get('invalid-json')!)).toBe(lines[1]);
    expect(byReason.get('invalid-json')!.detail).toMatch(/not JSON/);
    expect(original(byReason.get('invalid-envelope')!)).toBe(lines[3]);
    expect(byReason.get('invalid-payload')!).toMatchObject({
      envelopeId: 'wrong-payload',
      topic: 'metrics',
      physicalTopic: `${prefix}metrics`,
      key: 'web-1',
    });
    expect(byReason.get('invalid-payload')!.detail).toMatch(/payload\.value/);
    const big = byReason.get('oversized')!;
    expect(big).toMatchObject({ truncated: true, originalBytes: Buffer.byteLength(oversized) });
    expect(oversized.startsWith(original(big))).toBe(true);
    expect(big.detail).toMatch(/maxMessageBytes is 20000/);
    expect(byReason.get('handler-failed')!).toMatchObject({ envelopeId: 'explodes', attempts: 3 });
    expect(byReason.get('handler-failed')!.detail).toMatch(/handler cannot cope/);

    const stats = transport.stats();
    expect(stats.deadLettered).toBe(5);
    expect(stats.deadLetterReasons).toEqual({
      'invalid-json': 1,
      'invalid-envelope': 1,
      'invalid-payload': 1,
      oversized: 1,
      'handler-failed': 1,
    });
    expect(stats.handlerFailures).toBe(3);
    expect(stats.handlerRetries).toBe(2);
    expect((await transport.health()).data).toMatchObject({ deadLettered: 5 });
  });

  it('drops a redelivered message with an already handled envelope id (idempotent handling)', async () => {
    const transport = createKafkaTransport({ brokers: kafkaBrokers(), clientId: 'dedupe', ...fastTestOptions });
    transports.push(transport);
    const topic = uniqueTopic('dedupe');
    const handled: string[] = [];
    await transport.subscribe({ topic, handler: async (message) => void handled.push(message.id) });
    // The same envelope written three times, as a producer retry or a replay would.
    const lines = ['a', 'a', 'b', 'a', 'c'].map((id) => `k\t${envelope(id, { n: id })}`);
    await run('kcat', ['-P', '-b', kafkaBrokers().join(','), '-t', transport.topicName(topic), '-K', '\t'], {
      input: lines.join('\n') + '\n',
    });
    await waitFor(() => transport.stats().received >= 5, { timeoutMs: 20_000 });
    await waitFor(() => handled.length >= 3, { timeoutMs: 5_000 });
    expect(handled).toEqual(['a', 'b', 'c']);
    expect(transport.stats().duplicates).toBe(2);
  });

  it('engine.consume() dead-letters invalid records of a valid message and ingests the rest', async () => {
    const prefix = `${uniqueTopic('engine-dlq')}.`;
    const engine = createEngine({
      transport: createKafkaTransport({
        brokers: kafkaBrokers(),
        clientId: 'engine-dlq',
        topicPrefix: prefix,
        ...fastTestOptions,
      }),
      publishFindings: false,
    });
    const ingested: number[] = [];
    engine.on('ingested', (records) =>
      records.forEach((record) => record.kind === 'metric' && ingested.push(record.value)),
    );
    engine.on('error', () => undefined);
    await engine.consume({ group: 'engines' });
    const observer = createKafkaTransport({
      brokers: kafkaBrokers(),
      clientId: 'engine-dlq-observer',
      topicPrefix: prefix,
      ...fastTestOptions,
    });
    transports.push(observer);
    const deadLetters: unknown[] = [];
    await observer.subscribe({
      topic: 'dead-letter',
      handler: async (message) => void deadLetters.push(message.value),
    });
    await observer.publish({
      topic: 'metrics',
      messages: [
        {
          value: [
            { resource: 'web-1', metric: 'cpu', value: 1 },
            { resource: 'web-1', metric: 'cpu', value: 'high' },
            { resource: 'web-1', metric: 'cpu', value: 3 },
          ],
        },
      ],
    });
    await waitFor(() => ingested.length >= 2 && deadLetters.length >= 1, {
      timeoutMs: 30_000,
      message: 'valid records ingested, invalid one dead-lettered',
    });
    expect(ingested).toEqual([1, 3]);
    // The engine's dead-letter record names the field and carries the whole original message value.
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({
      field: 'value',
      topic: 'metrics',
      original: [{ value: 1 }, { value: 'high' }, { value: 3 }],
    });
    expect((deadLetters[0] as { reason: string }).reason).toMatch(/value/);
    await engine.close();
  });
});
