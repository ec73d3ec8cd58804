import { z } from 'zod';

/** Why a message went to the dead-letter topic. */
export const DeadLetterReasonSchema = z.enum([
  'invalid-json',
  'invalid-envelope',
  'invalid-payload',
  'oversized',
  'handler-failed',
]);
export type DeadLetterReason = z.infer<typeof DeadLetterReasonSchema>;

/**
 * What the dead-letter topic receives (as the `payload` of a normal envelope of type `dead-letter`):
 * the reason, where the message came from, and its original bytes in base64 so it can be replayed.
 */
export const DeadLetterRecordSchema = z.object({
  kind: z.literal('dead-letter'),
  reason: DeadLetterReasonSchema,
  /** Human-readable explanation (the parse error, the zod issues, the handler's last error). */
  detail: z.string(),
  /** Logical and physical topic, partition and offset of the original message. */
  topic: z.string(),
  physicalTopic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  key: z.string().nullable(),
  /** Envelope id of the original, when it could be decoded. */
  envelopeId: z.string().optional(),
  /** Handler attempts made (`handler-failed` only). */
  attempts: z.number().int().optional(),
  /** Size of the original value in bytes. */
  originalBytes: z.number().int().nonnegative(),
  /** The original value, base64 (cut to `maxOriginalBytes` when `truncated`). */
  originalBase64: z.string(),
  truncated: z.boolean(),
});
export type DeadLetterRecord = z.infer<typeof DeadLetterRecordSchema>;

/** Builds a dead-letter record; keeps at most `maxOriginalBytes` of the original so the record fits in one message. */
export function buildDeadLetterRecord(options: {
  reason: DeadLetterReason;
  detail: string;
  topic: string;
  physicalTopic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  envelopeId?: string;
  attempts?: number;
  maxOriginalBytes: number;
}): DeadLetterRecord {
  const value = options.value ?? Buffer.alloc(0);
  const kept = value.length > options.maxOriginalBytes ? value.subarray(0, options.maxOriginalBytes) : value;
  return {
    kind: 'dead-letter',
    reason: options.reason,
    detail: options.detail.slice(0, 4096),
    topic: options.topic,
    physicalTopic: options.physicalTopic,
    partition: options.partition,
    offset: options.offset,
    key: options.key === null ? null : options.key.toString('utf8'),
    ...(options.envelopeId === undefined ? {} : { envelopeId: options.envelopeId }),
    ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
    originalBytes: value.length,
    originalBase64: kept.toString('base64'),
    truncated: kept.length < value.length,
  };
}
