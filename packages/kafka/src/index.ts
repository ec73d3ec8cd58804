export { KafkaTransport, createKafkaTransport } from './kafka-transport.js';
export {
  BackoffOptionsSchema,
  KafkaTransportOptionsSchema,
  type KafkaTransportOptions,
  type KafkaTransportOptionsInput,
} from './kafka-transport-options.js';
export { createTransportStats, type KafkaTransportStats } from './transport-stats.js';
export {
  ENVELOPE_SCHEMA,
  ENVELOPE_VERSION,
  EnvelopeSchema,
  decodeEnvelope,
  encodeEnvelope,
  envelopeTypeOf,
  type DecodeFailureReason,
  type DecodeResult,
  type Envelope,
} from './envelope.js';
export {
  DeadLetterReasonSchema,
  DeadLetterRecordSchema,
  buildDeadLetterRecord,
  type DeadLetterReason,
  type DeadLetterRecord,
} from './dead-letter.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { DedupeWindow } from './dedupe-window.js';
export { resourceKeyOf } from './resource-key.js';
