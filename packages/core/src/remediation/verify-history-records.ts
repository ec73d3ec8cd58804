import type { HistoryRecord } from '../schemas/remediation.js';
import { canonicalJson } from './canonical-json.js';
import { sha256Hex, verifyHashSignature } from './history-crypto.js';

/** Outcome of a history verification: `brokenAt` is the `seq` of the first record that does not fit. */
export interface HistoryVerification {
  ok: boolean;
  /** Sequence number of the first bad (or missing) record. */
  brokenAt?: number;
  /** What is wrong there. */
  reason?: string;
  /** How many records were checked. */
  checked: number;
}

/** The sha256 (hex) of a history record's canonical JSON, without its `hash` and `signature`. */
export async function hashHistoryRecord(
  record: Omit<HistoryRecord, 'hash' | 'signature'> & { hash?: string; signature?: string },
): Promise<string> {
  const { hash: _hash, signature: _signature, ...rest } = record;
  return sha256Hex(canonicalJson(rest));
}

/** Options of {@link verifyHistoryRecords}. */
export interface VerifyHistoryRecordsOptions {
  /** Check every record's Ed25519 signature with this key (unsigned records then fail). */
  publicKey?: CryptoKey;
  /** The last `seq` known to have been written: fewer records means the tail was removed. */
  expectedLastSeq?: number;
  /** The hash of the record at `expectedLastSeq`, when known. */
  expectedLastHash?: string;
}

/**
 * Checks a complete history, in storage order: sequence numbers 1, 2, 3..., each `prevHash` equal to the
 * previous record's `hash`, each `hash` equal to the record's recomputed hash, and signatures when a key is
 * given. Any edited, removed or reordered record breaks one of these.
 */
export async function verifyHistoryRecords(
  records: readonly HistoryRecord[],
  options: VerifyHistoryRecordsOptions = {},
): Promise<HistoryVerification> {
  let previousHash = '';
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    const expectedSeq = index + 1;
    const fail = (reason: string): HistoryVerification => ({
      ok: false,
      brokenAt: expectedSeq,
      reason,
      checked: index,
    });
    if (record.seq !== expectedSeq)
      return fail(`record at position ${expectedSeq} has seq ${record.seq}: a record was removed or reordered`);
    if (record.prevHash !== previousHash)
      return fail(
        `record ${expectedSeq}'s prevHash does not match the hash of record ${expectedSeq - 1}: the chain was cut or reordered`,
      );
    if ((await hashHistoryRecord(record)) !== record.hash)
      return fail(`record ${expectedSeq}'s content does not match its hash: it was edited`);
    if (options.publicKey) {
      if (!record.signature) return fail(`record ${expectedSeq} is not signed`);
      if (!(await verifyHashSignature(record.hash, record.signature, options.publicKey)))
        return fail(`record ${expectedSeq}'s signature is invalid`);
    }
    previousHash = record.hash;
  }
  const lastSeq = records.length;
  if (options.expectedLastSeq !== undefined && lastSeq < options.expectedLastSeq) {
    return {
      ok: false,
      brokenAt: lastSeq + 1,
      reason: `${options.expectedLastSeq - lastSeq} record(s) missing at the end of the history (last written seq is ${options.expectedLastSeq})`,
      checked: lastSeq,
    };
  }
  if (
    options.expectedLastHash !== undefined &&
    options.expectedLastSeq === lastSeq &&
    lastSeq > 0 &&
    previousHash !== options.expectedLastHash
  ) {
    return {
      ok: false,
      brokenAt: lastSeq,
      reason: `record ${lastSeq} is not the record this remediator wrote last`,
      checked: lastSeq,
    };
  }
  return { ok: true, checked: lastSeq };
}
