import { runTransportConformance } from '@iac-dharma/core/testing';
import { createKafkaTransport } from '../src/index.js';
import { fastTestOptions, kafkaBrokers, uniqueTopic } from './kafka-env.js';

runTransportConformance('kafka', {
  open: async () => createKafkaTransport({ brokers: kafkaBrokers(), clientId: 'conformance', ...fastTestOptions }),
  topic: (base) => uniqueTopic(base),
  deliveryTimeoutMs: 30_000,
});
