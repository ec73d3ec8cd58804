import { StateError, ValidationError } from '@iac-dharma/core';
import { describe, expect, it } from 'vitest';
import { createKafkaTransport } from './kafka-transport.js';

// Option and input validation happen before any network call: no broker needed here.
describe('createKafkaTransport options', () => {
  it('requires brokers (or a client) and names bad fields', () => {
    expect(() => createKafkaTransport({})).toThrow(/brokers/);
    expect(() => createKafkaTransport({ brokers: ['no-port'] })).toThrow(ValidationError);
    expect(() => createKafkaTransport({ brokers: ['127.0.0.1:9092'], partitions: 0 })).toThrow(/partitions/);
    expect(() => createKafkaTransport({ brokers: ['127.0.0.1:9092'], topicPrefix: 'bad prefix' })).toThrow(/topicPrefix/);
  });

  it('maps logical topics to prefixed physical names with overrides', () => {
    const transport = createKafkaTransport({ brokers: ['127.0.0.1:9092'], topicPrefix: 'prod.', topics: { metrics: 'node-metrics' } });
    expect(transport.topicName('metrics')).toBe('prod.node-metrics');
    expect(transport.topicName('alerts')).toBe('prod.alerts');
    expect(transport.topicName('dead-letter')).toBe('prod.dead-letter');
  });

  it('rejects oversized messages and payloads that fail the topic schema before sending', async () => {
    const { z } = await import('zod');
    const transport = createKafkaTransport({ brokers: ['127.0.0.1:9092'], maxMessageBytes: 1000, payloadSchemas: { metrics: z.object({ value: z.number() }) } });
    await expect(transport.publish({ topic: 'other', messages: [{ value: 'x'.repeat(2000) }] })).rejects.toThrow(/maxMessageBytes/);
    await expect(transport.publish({ topic: 'metrics', messages: [{ value: { value: 'high' } }] })).rejects.toThrow(/messages\[0\]\.value\.value/);
    await transport.close();
    await expect(transport.publish({ topic: 'metrics', messages: [{ value: { value: 1 } }] })).rejects.toThrow(StateError);
  });
});
