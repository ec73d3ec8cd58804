import { ValidationError, parseWith } from '@iac-dharma/core/kernel';
import { z } from 'zod';

/** Marker in every envelope, so a stray non-SDK message on a topic is recognised as foreign. */
export const ENVELOPE_SCHEMA = 'iac-dharma.envelope';

/** Envelope versions this package reads. Writers always write the latest. */
export const ENVELOPE_VERSION = 1;

/**
 * The versioned wrapper around every value the Kafka transport writes (JSON, then gzip per batch):
 *
 * ```json
 * { "schema": "iac-dharma.envelope", "version": 1, "type": "metric", "id": "…uuid…", "time": 1764236400000, "payload": { … } }
 * ```
 */
export const EnvelopeSchema = z.object({
  /** Always `iac-dharma.envelope`. */
  schema: z.literal(ENVELOPE_SCHEMA),
  /** Envelope format version; only {@link ENVELOPE_VERSION} is understood. */
  version: z.literal(ENVELOPE_VERSION, {
    error: `unsupported envelope version: this reader understands version ${ENVELOPE_VERSION}`,
  }),
  /** What the payload is: a record or finding `kind` (`metric`, `anomaly`…), `batch` for arrays, `message` otherwise. */
  type: z.string().min(1).max(64),
  /** Unique id; redeliveries and producer retries keep it, so consumers can drop duplicates. */
  id: z.string().min(1).max(128),
  /** Publish time, epoch milliseconds. */
  time: z.number().finite().nonnegative(),
  /** The published value (any JSON). */
  payload: z.unknown(),
});

/** A decoded envelope. */
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** Why bytes could not be turned into an envelope. */
export type DecodeFailureReason = 'invalid-json' | 'invalid-envelope';

/** Result of {@link decodeEnvelope}: the envelope, or why the bytes are unusable. */
export type DecodeResult =
  { ok: true; envelope: Envelope } | { ok: false; reason: DecodeFailureReason; detail: string };

/** The envelope `type` of a value: its string `kind`, `batch` for arrays, `message` otherwise. */
export function envelopeTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'batch';
  if (typeof value === 'object' && value !== null) {
    const kind = (value as { kind?: unknown }).kind;
    if (typeof kind === 'string' && kind.length > 0 && kind.length <= 64) return kind;
  }
  return 'message';
}

/**
 * Wraps `payload` in an envelope and serialises it to JSON bytes. Throws {@link ValidationError} when
 * the payload is not JSON-serialisable (`undefined`, a function, a cycle, a BigInt).
 */
export function encodeEnvelope(options: { id: string; time: number; payload: unknown; type?: string }): Buffer {
  if (options.payload === undefined || typeof options.payload === 'function' || typeof options.payload === 'symbol') {
    throw new ValidationError(
      'Invalid message value: it is undefined or not JSON data; publish plain JSON data (null is allowed).',
      [{ path: 'value', message: 'must be JSON data', code: 'custom' }],
    );
  }
  const candidate = {
    schema: ENVELOPE_SCHEMA,
    version: ENVELOPE_VERSION,
    type: options.type ?? envelopeTypeOf(options.payload),
    id: options.id,
    time: options.time,
    payload: options.payload,
  };
  // Hot path: the hand-written check accepts exactly what EnvelopeSchema accepts; zod only runs to explain a failure.
  const envelope = isEnvelope(candidate) ? candidate : parseWith(EnvelopeSchema, candidate, 'envelope');
  let json: string | undefined;
  try {
    json = JSON.stringify(envelope);
  } catch (error) {
    throw new ValidationError(
      `Invalid message value: it cannot be serialised to JSON (${String(error)}); publish plain JSON data.`,
      [{ path: 'value', message: 'must be JSON-serialisable', code: 'custom' }],
    );
  }
  return Buffer.from(json, 'utf8');
}

/** Parses and validates envelope bytes; never throws. */
export function decodeEnvelope(bytes: Buffer | null): DecodeResult {
  if (bytes === null) return { ok: false, reason: 'invalid-envelope', detail: 'the message has no value (tombstone)' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'invalid-json', detail: `the value is not JSON: ${(error as Error).message}` };
  }
  if (isEnvelope(parsed)) {
    const { schema, version, type, id, time, payload } = parsed;
    return { ok: true, envelope: { schema, version, type, id, time, payload } };
  }
  const result = EnvelopeSchema.safeParse(parsed);
  if (!result.success)
    return { ok: false, reason: 'invalid-envelope', detail: ValidationError.fromZod(result.error, 'envelope').message };
  return { ok: true, envelope: result.data };
}

/**
 * Same acceptance as {@link EnvelopeSchema}, without zod's per-call allocations (it runs once per
 * message on both sides of the broker). `payload` must be present and may be any JSON, as in the schema.
 */
function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  const { type, id, time } = candidate;
  return (
    candidate.schema === ENVELOPE_SCHEMA &&
    candidate.version === ENVELOPE_VERSION &&
    'payload' in candidate &&
    typeof type === 'string' &&
    type.length >= 1 &&
    type.length <= 64 &&
    typeof id === 'string' &&
    id.length >= 1 &&
    id.length <= 128 &&
    typeof time === 'number' &&
    Number.isFinite(time) &&
    time >= 0
  );
}
