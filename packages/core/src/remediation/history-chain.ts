import { DharmaError } from '../errors/dharma-error.js';
import { StorageError } from '../errors/errors.js';
import type { HistoryRecord, RemediationOutcome } from '../schemas/remediation.js';
import type { HistoryQuery, Storage } from '../spec/storage.js';
import { randomId } from '../util/random-id.js';
import { toJsonData } from './canonical-json.js';
import { signHash, type HistorySigningKeys } from './history-crypto.js';
import { hashHistoryRecord, verifyHistoryRecords, type HistoryVerification } from './verify-history-records.js';

/** What a caller gives {@link HistoryChain.append}: the chain fills seq, id, prevHash, hash and signature. */
export interface HistoryEntry {
  type: string;
  remediationId: string;
  resource: string;
  timestamp: number;
  outcome?: RemediationOutcome;
  data?: Record<string, unknown>;
}

const PAGE = 1000;

/**
 * Writes the remediation history as a hash chain through `Storage.appendHistory`: each record carries the
 * previous record's hash and its own sha256, optionally signed with Ed25519. Appends are serialised; a
 * sequence conflict (another writer on the same storage) reloads the head and retries.
 */
export class HistoryChain {
  private head: { seq: number; hash: string } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: { storage: Storage; signing?: HistorySigningKeys | undefined }) {}

  /** Appends one record and resolves with it as stored. */
  append(entry: HistoryEntry): Promise<HistoryRecord> {
    const run = this.queue.then(() => this.write(entry));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Every record in `seq` order (paged reads). */
  async readAll(query: Omit<HistoryQuery, 'afterSeq' | 'limit'> = {}): Promise<HistoryRecord[]> {
    const records: HistoryRecord[] = [];
    for (let afterSeq = 0; ;) {
      const page = await this.options.storage.readHistory({ ...query, afterSeq, limit: PAGE });
      records.push(...page);
      if (page.length < PAGE) return records;
      afterSeq = page.at(-1)!.seq;
    }
  }

  /** Verifies the stored chain, including that nothing this chain wrote is missing at the end. */
  async verify(): Promise<HistoryVerification> {
    await this.queue;
    const records = await this.readAll();
    return verifyHistoryRecords(records, {
      ...(this.options.signing ? { publicKey: this.options.signing.publicKey } : {}),
      ...(this.head ? { expectedLastSeq: this.head.seq, expectedLastHash: this.head.hash } : {}),
    });
  }

  private async loadHead(): Promise<{ seq: number; hash: string }> {
    const records = await this.readAll();
    const last = records.at(-1);
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: '' };
  }

  private async write(entry: HistoryEntry): Promise<HistoryRecord> {
    for (let attempt = 0; ; attempt++) {
      const head = (this.head ??= await this.loadHead());
      const unsigned = {
        seq: head.seq + 1,
        id: randomId(),
        timestamp: entry.timestamp,
        type: entry.type,
        remediationId: entry.remediationId,
        resource: entry.resource,
        ...(entry.outcome ? { outcome: entry.outcome } : {}),
        data: toJsonData(entry.data ?? {}),
        prevHash: head.hash,
      };
      const hash = await hashHistoryRecord(unsigned);
      const record: HistoryRecord = {
        ...unsigned,
        hash,
        ...(this.options.signing ? { signature: await signHash(hash, this.options.signing.privateKey) } : {}),
      };
      try {
        await this.options.storage.appendHistory({ record });
        this.head = { seq: record.seq, hash };
        return record;
      } catch (error) {
        // Another writer appended first: reload the head and chain after its record.
        if (attempt >= 3 || !(DharmaError.isInstance(error) && error.code === new StorageError('').code)) throw error;
        this.head = undefined;
      }
    }
  }
}
