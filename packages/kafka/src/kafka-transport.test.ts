import { StateError, ValidationError } from '@iac-dharma/core';
import { describe, expect, it } from 'vitest';
import { createKafkaTransport } from './kafka-transport.js';

// Option and input validation happen before any network call: no broker needed here.
describe('createKafkaTransport options', () => {
  it('requires brokers and names bad fields', () => {
    expect(() => createKafkaTransport({} as never)).toThrow(/brokers/);
    expect(() => createKafkaTransport({ brokers: ['127.0.0.1:9092'], client: 'librdkafka' as never })).toThrow(
      /client/,
    );
    expect(() =>
      createKafkaTransport({ brokers: ['127.0.0.1:9092'], sasl: { mechanism: 'plain', username: '' } as never }),
    ).toThrow(/sasl/);
    expect(() => createKafkaTransport({ brokers: ['no-port'] })).toThrow(ValidationError);
    expect(() => createKafkaTransport({ brokers: ['127.0.0.1:9092'], partitions: 0 })).toThrow(/partitions/);
    expect(() => createKafkaTransport({ brokers: ['127.0.0.1:9092'], topicPrefix: 'bad prefix' })).toThrow(
      /topicPrefix/,
    );
  });

  it('maps logical topics to prefixed physical names with overrides', () => {
    const transport = createKafkaTransport({
      brokers: ['127.0.0.1:9092'],
      topicPrefix: 'prod.',
      topics: { metrics: 'node-metrics' },
    });
    expect(transport.topicName('metrics')).toBe('prod.node-metrics');
    expect(transport.topicName('alerts')).toBe('prod.alerts');
    expect(transport.topicName('dead-letter')).toBe('prod.dead-letter');
  });

  it('rejects oversized messages and payloads that fail the topic schema before sending', async () => {
    const { z } = await import('zod');
    const transport = createKafkaTransport({
      brokers: ['127.0.0.1:9092'],
      maxMessageBytes: 1000,
      payloadSchemas: { metrics: z.object({ value: z.number() }) },
    });
    await expect(transport.publish({ topic: 'other', messages: [{ value: 'x'.repeat(2000) }] })).rejects.toThrow(
      /maxMessageBytes/,
    );
    await expect(transport.publish({ topic: 'metrics', messages: [{ value: { value: 'high' } }] })).rejects.toThrow(
      /messages\[0\]\.value\.value/,
    );
    await transport.close();
    await expect(transport.publish({ topic: 'metrics', messages: [{ value: { value: 1 } }] })).rejects.toThrow(
      StateError,
    );
  });

  it('resolves every default once, in the schema', () => {
    const transport = createKafkaTransport({ brokers: ['127.0.0.1:9092'], publishBackoff: { initialMs: 5 } });
    expect(transport.options).toMatchObject({
      client: 'kafkajs',
      clientId: 'iac-dharma',
      partitions: 6,
      acks: -1,
      idempotent: true,
      maxAttempts: 5,
      dedupeWindow: 10_000,
      deadLetterTopic: 'dead-letter',
    });
    expect(transport.options.publishBackoff).toEqual({ initialMs: 5, maxMs: 5000, multiplier: 2 });
    expect(transport.options.groupIdFor('aiops', 'prod.metrics')).toBe('aiops.prod.metrics');
  });
});
