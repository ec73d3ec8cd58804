import { ValidationError } from '@iac-dharma/core';
import { runTransportConformance } from '@iac-dharma/core/testing';
import { describe, expect, it } from 'vitest';
import { createKafkaTransport } from '../src/index.js';
import { fastTestOptions, kafkaBrokers, uniqueTopic } from './kafka-env.js';

/** `@platformatic/kafka` runs on Node.js >= 22.22 (its engines field); the test command runs Node 24. */
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const supported = major > 22 || (major === 22 && minor >= 22);

if (supported) {
  // The same conformance suite the kafkajs adapter passes (test/conformance.test.ts), batches included.
  runTransportConformance('kafka (@platformatic/kafka)', {
    open: async () =>
      createKafkaTransport({
        brokers: kafkaBrokers(),
        clientId: 'conformance-platformatic',
        client: 'platformatic',
        ...fastTestOptions,
      }),
    topic: (base) => uniqueTopic(`pk-${base}`),
    deliveryTimeoutMs: 30_000,
  });
} else {
  describe('kafka (@platformatic/kafka) on an older Node.js', () => {
    it('refuses the client with a typed error naming the option', () => {
      let error: unknown;
      try {
        createKafkaTransport({ brokers: kafkaBrokers(), client: 'platformatic' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('client');
      expect((error as Error).message).toMatch(/22\.22/);
    });
  });
}
