import { TOPICS, type IncomingMessage } from '@iac-dharma/core';
import { makeAnomalyFinding, waitFor } from '@iac-dharma/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvelopeSchema, createKafkaTransport, type KafkaTransport } from '../src/index.js';
import { fastTestOptions, kafkaBrokers, run, uniqueTopic } from './kafka-env.js';

/** One value of every kind of message the SDK moves (records, findings, remediation results, batches, plain JSON). */
const SAMPLES: { type: string; value: unknown }[] = [
  {
    type: 'metric',
    value: {
      kind: 'metric',
      resource: 'web-1',
      metric: 'cpu',
      value: 0.93,
      timestamp: 1764236400000,
      labels: { zone: 'a' },
    },
  },
  {
    type: 'event',
    value: {
      kind: 'event',
      type: 'deploy',
      resource: 'web-1',
      timestamp: 1764236400000,
      attributes: { version: '1.2.3', replicas: 3 },
    },
  },
  {
    type: 'log',
    value: {
      kind: 'log',
      resource: 'web-1',
      level: 'error',
      message: 'connection refused — ünïcødé ✓',
      timestamp: 1764236400000,
    },
  },
  { type: 'trace', value: { kind: 'trace', resource: 'web-1', traceId: 'abc', spanId: 'def', durationMs: 12.5 } },
  { type: 'anomaly', value: makeAnomalyFinding({ resource: 'web-1' }) },
  {
    type: 'prediction',
    value: {
      ...makeAnomalyFinding({ resource: 'web-1' }),
      kind: 'prediction',
      probability: 0.8,
      horizonMs: 600000,
      topFactors: [],
    },
  },
  {
    type: 'threat',
    value: { ...makeAnomalyFinding({ resource: 'web-1' }), kind: 'threat', category: 'dos', confidence: 0.99 },
  },
  {
    type: 'remediation',
    value: {
      kind: 'remediation',
      id: 'r-1',
      findingId: 'f-1',
      resource: 'web-1',
      outcome: 'succeeded',
      startedAt: 1,
      finishedAt: 2,
    },
  },
  {
    type: 'infrastructure_change',
    value: { kind: 'infrastructure_change', resource: 'web-1', change: 'scale', from: 2, to: 4 },
  },
  {
    type: 'batch',
    value: [
      { resource: 'web-1', metric: 'cpu', value: 1 },
      { resource: 'web-1', metric: 'mem', value: 2 },
    ],
  },
  { type: 'message', value: 'plain text' },
  { type: 'message', value: 42 },
  { type: 'message', value: null },
];

describe('Kafka transport on a real broker', () => {
  const transports: KafkaTransport[] = [];
  const open = (prefix: string) => {
    const transport = createKafkaTransport({
      brokers: kafkaBrokers(),
      clientId: 'round-trip',
      topicPrefix: prefix,
      ...fastTestOptions,
    });
    transports.push(transport);
    return transport;
  };
  afterEach(async () => {
    for (const transport of transports.splice(0)) await transport.close();
  });

  it('round-trips every message type through every one of the nine topics', async () => {
    const transport = open(`${uniqueTopic('rt')}.`);
    const received = new Map<string, IncomingMessage[]>(TOPICS.map((topic) => [topic, []]));
    await Promise.all(
      TOPICS.map((topic) =>
        transport.subscribe({ topic, handler: async (message) => void received.get(topic)!.push(message) }),
      ),
    );
    await Promise.all(
      TOPICS.map((topic) => transport.publish({ topic, messages: SAMPLES.map(({ value }) => ({ value })) })),
    );
    await waitFor(() => [...received.values()].every((messages) => messages.length >= SAMPLES.length), {
      timeoutMs: 30_000,
      message: 'every sample on every topic',
    });
    for (const topic of TOPICS) {
      const messages = received.get(topic)!;
      expect(messages).toHaveLength(SAMPLES.length);
      // One key (web-1) → one partition → publish order kept, except keyless scalars which may land anywhere.
      const keyed = messages.filter((message) => message.key === 'web-1').map((message) => message.value);
      expect(keyed).toEqual(
        SAMPLES.filter((sample) => typeof sample.value === 'object' && sample.value !== null).map(
          (sample) => sample.value,
        ),
      );
      expect(new Set(messages.map((message) => message.id)).size).toBe(SAMPLES.length);
      expect(messages.every((message) => message.topic === topic)).toBe(true);
      expect(messages.map((message) => message.value)).toEqual(
        expect.arrayContaining(SAMPLES.map((sample) => sample.value)),
      );
    }
    expect(transport.stats()).toMatchObject({
      published: TOPICS.length * SAMPLES.length,
      handled: TOPICS.length * SAMPLES.length,
      deadLettered: 0,
    });
  });

  it('writes envelopes kcat can read, and reads envelopes kcat wrote', async () => {
    const transport = open('');
    const topic = uniqueTopic('kcat');
    await transport.publish({ topic, messages: SAMPLES.map(({ value }) => ({ key: 'web-1', value })) });
    const brokers = kafkaBrokers().join(',');
    // The transport created the topic with the configured partition count.
    const metadata = JSON.parse(await run('kcat', ['-L', '-b', brokers, '-t', topic, '-J'])) as {
      topics: { topic: string; partitions: unknown[] }[];
    };
    expect(metadata.topics.find((entry) => entry.topic === topic)?.partitions).toHaveLength(
      fastTestOptions.partitions!,
    );
    const lines = (await run('kcat', ['-C', '-b', brokers, '-t', topic, '-o', 'beginning', '-e', '-q', '-J']))
      .trim()
      .split('\n');
    const read = lines.map((line) => JSON.parse(line) as { key: string; payload: string; partition: number });
    expect(read).toHaveLength(SAMPLES.length);
    expect(new Set(read.map((message) => message.partition)).size).toBe(1);
    const envelopes = read.map((message) => EnvelopeSchema.parse(JSON.parse(message.payload)));
    expect(read.every((message) => message.key === 'web-1')).toBe(true);
    expect(envelopes.map((envelope) => envelope.type)).toEqual(SAMPLES.map((sample) => sample.type));
    expect(envelopes.map((envelope) => envelope.payload)).toEqual(SAMPLES.map((sample) => sample.value));

    // The other direction: kcat produces gzip-compressed envelopes with keys; the transport consumes them.
    const written = SAMPLES.map((sample, index) => ({
      schema: 'iac-dharma.envelope',
      version: 1,
      type: sample.type,
      id: `kcat-${index}`,
      time: 1764236400000 + index,
      payload: sample.value,
    }));
    const received: IncomingMessage[] = [];
    const otherTopic = uniqueTopic('kcat-in');
    await transport.subscribe({ topic: otherTopic, handler: async (message) => void received.push(message) });
    await run('kcat', ['-P', '-b', brokers, '-t', otherTopic, '-K', '\t', '-z', 'gzip'], {
      input: written.map((envelope) => `db-7\t${JSON.stringify(envelope)}`).join('\n') + '\n',
    });
    await waitFor(() => received.length >= written.length, { timeoutMs: 20_000, message: 'messages written by kcat' });
    expect(received.map((message) => [message.key, message.id, message.timestamp, message.value])).toEqual(
      written.map((envelope) => ['db-7', envelope.id, envelope.time, envelope.payload]),
    );
  });

  it('reports broker connectivity and consumer lag in health()', async () => {
    const transport = createKafkaTransport({
      brokers: kafkaBrokers(),
      clientId: 'health',
      ...fastTestOptions,
      maxHealthyLag: 5,
    });
    transports.push(transport);
    const topic = uniqueTopic('health');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let handled = 0;
    await transport.subscribe({
      topic,
      group: 'lagging',
      handler: async () => {
        await gate;
        handled++;
      },
    });
    await transport.publish({
      topic,
      messages: Array.from({ length: 10 }, (_, n) => ({ key: 'one-key', value: { n } })),
    });
    const lagging = await transport.health();
    expect(lagging.status).toBe('degraded');
    expect(lagging.data).toMatchObject({ totalLag: 10, brokers: kafkaBrokers() });
    release();
    await waitFor(async () => (await transport.health()).data?.totalLag === 0, {
      timeoutMs: 20_000,
      message: 'lag back to 0 after the handler caught up',
    });
    expect(handled).toBe(10);
    expect((await transport.health()).status).toBe('ok');
    await transport.close();
    expect((await transport.health()).status).toBe('down');
  });
});
