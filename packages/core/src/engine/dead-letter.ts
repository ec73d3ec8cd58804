import type { ValidationError } from '../errors/validation-error.js';
import type { IngestRecord } from '../schemas/records.js';
import type { IncomingMessage, OutgoingMessage } from '../spec/transport.js';

/** What the dead-letter topic receives for a record rejected while consuming. */
export interface RejectedRecordLetter {
  /** The validation error's message. */
  reason: string;
  /** The field it names. */
  field: string;
  /** Position of the record in its message (0 for a message of one record). */
  index: number;
  /** The rejected record. */
  record: unknown;
  /** Topic and id of the message it came in. */
  topic: string;
  id: string;
  /** The message's whole value. */
  original: unknown;
}

/** The dead-letter message of one rejected record: keyed like the message it came in. */
export function deadLetterMessage(
  message: IncomingMessage,
  index: number,
  record: unknown,
  error: ValidationError,
): OutgoingMessage {
  const value: RejectedRecordLetter = {
    reason: error.message,
    field: error.field,
    index,
    record,
    topic: message.topic,
    id: message.id,
    original: message.value,
  };
  return { key: message.key, value };
}

/** Outcome of checking one delivered record: the stamped record, or the error that rejected it. */
export type CheckedRecord = { ok: true; record: IngestRecord } | { ok: false; error: ValidationError };

/**
 * Sorts delivered messages into accepted records and dead letters. Each message value is one record or an
 * array of records; `check` validates one (and reports a rejection).
 */
export function sortDelivered(
  messages: readonly IncomingMessage[],
  check: (value: unknown, index: number) => CheckedRecord,
): { accepted: IngestRecord[]; deadLetters: OutgoingMessage[] } {
  const accepted: IngestRecord[] = [];
  const deadLetters: OutgoingMessage[] = [];
  for (const message of messages) {
    const values = Array.isArray(message.value) ? (message.value as unknown[]) : [message.value];
    values.forEach((value, index) => {
      const checked = check(value, index);
      if (checked.ok) accepted.push(checked.record);
      else deadLetters.push(deadLetterMessage(message, index, value, checked.error));
    });
  }
  return { accepted, deadLetters };
}
