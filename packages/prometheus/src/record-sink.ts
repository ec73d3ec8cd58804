import type { IngestRecordInput } from '@iac-dharma/core/kernel';

/**
 * Where receivers and the pull source deliver records: an `Engine` fits (`engine.ingest`), or any
 * object with the same method. A rejected promise means the batch was not accepted: receivers answer
 * 5xx so the sender retries it, and the pull source retries the step.
 */
export interface RecordSink {
  ingest(records: IngestRecordInput[]): Promise<unknown>;
}
