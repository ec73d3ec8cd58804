import { ValidationError, parseWith } from '../errors/validation-error.js';
import { IdSchema } from '../schemas/common.js';
import { FindingSchema, type Finding } from '../schemas/finding.js';
import { SeriesPointSchema, type SeriesPoint } from '../schemas/records.js';
import { HistoryRecordSchema, type HistoryRecord } from '../schemas/remediation.js';
import { ResourceSchema, type Resource } from '../schemas/resource.js';
import type { Storage } from '../spec/storage.js';
import { z } from 'zod';

const FindingsSchema = FindingSchema.array();
const PointsSchema = SeriesPointSchema.array();
const Bound = z.number().finite().optional();
const Limit = z.number().int('must be a whole number').nonnegative().optional();
const Text = z.string().optional();

const FindingQuerySchema = z.object({ resource: Text, kind: Text, from: Bound, to: Bound, limit: Limit });
const PointRangeQuerySchema = z.object({
  series: z.string().min(1, 'must not be empty'),
  from: Bound,
  to: Bound,
  limit: Limit,
});
const HistoryQuerySchema = z.object({
  resource: Text,
  remediationId: Text,
  outcome: Text,
  from: Bound,
  to: Bound,
  afterSeq: Bound,
  beforeSeq: Bound,
  limit: Limit,
  latest: z.boolean().optional(),
});

/** Validates the filter fields of a findings query (bounds finite, limit a non-negative integer). */
function checkFindingQuery(query: unknown): void {
  parseWith(FindingQuerySchema, query, 'query');
}

/** Validates a point range query. */
function checkPointRangeQuery(query: unknown): void {
  parseWith(PointRangeQuerySchema, query, 'query');
}

/** Validates a history query. */
function checkHistoryQuery(query: unknown): void {
  parseWith(HistoryQuerySchema, query, 'query');
}

// The parse* functions validate and return the caller's own values, not zod's output: storage keeps
// exactly what it was given (extra fields included), as MemoryStorage does.

/** Validates findings before they are written; throws `ValidationError` naming the field. */
function parseFindings(findings: readonly Finding[]): readonly Finding[] {
  parseWith(FindingsSchema, findings, 'findings');
  return findings;
}

/** Validates series points before they are written. */
function parsePoints(points: readonly SeriesPoint[]): readonly SeriesPoint[] {
  parseWith(PointsSchema, points, 'points');
  return points;
}

/** Validates one history record before it is appended. */
function parseHistoryRecord(record: HistoryRecord): HistoryRecord {
  parseWith(HistoryRecordSchema, record, 'record');
  return record;
}

/** Validates an inventory resource before it is stored. */
function parseResource(resource: Resource): Resource {
  parseWith(ResourceSchema, resource, 'resource');
  return resource;
}

/** Validates a state key (1–256 characters, no control characters). */
function parseStateKey(key: unknown): string {
  return parseWith(IdSchema, key, 'key');
}

/** Serialises a state value to JSON; throws `ValidationError` when it is not JSON-serialisable. */
function stateToJson(key: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ValidationError(
      `Invalid value for state "${key}": not JSON-serialisable (${String(error)}).`,
      [{ path: 'value', message: 'must be JSON-serialisable', code: 'custom' }],
      { cause: error },
    );
  }
  if (text === undefined) {
    throw new ValidationError(
      `Invalid value for state "${key}": ${typeof value} is not JSON-serialisable; use null to clear.`,
      [{ path: 'value', message: 'must be JSON-serialisable', code: 'custom' }],
    );
  }
  return text;
}

const PartIdSchema = z.string().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters');
const BatchSizeSchema = z.number().int('must be a whole number').min(1).max(100_000).optional();

/**
 * Validates one part of a chunked state write and serialises its value: the JSON text, or `null` for a
 * deletion (`value: null`). Throws `ValidationError` naming the field (`parts[<id>].value`).
 */
function statePartToJson(key: string, part: unknown): { id: string; json: string | null } {
  if (typeof part !== 'object' || part === null) {
    throw new ValidationError(
      `Invalid part of state "${key}": expected { id, value }, got ${part === null ? 'null' : typeof part}.`,
      [{ path: 'parts', message: 'must be an object { id, value }', code: 'custom' }],
    );
  }
  const { id, value } = part as { id?: unknown; value?: unknown };
  const validId = parseWith(PartIdSchema, id, 'part.id');
  return { id: validId, json: value === null ? null : stateToJson(`${key}" part "${validId}`, value) };
}

/** Validates the `batchSize` of a chunked state read (1–100000; default 1000). */
function parseStateBatchSize(batchSize: unknown): number {
  return parseWith(BatchSizeSchema, batchSize, 'batchSize') ?? 1000;
}

/**
 * The input checks every {@link Storage} adapter applies before it reads or writes, so that all adapters
 * reject the same bad input with the same `ValidationError` (naming the field). Use them in your own adapter.
 */
export const storageInput = {
  checkFindingQuery,
  checkPointRangeQuery,
  checkHistoryQuery,
  parseFindings,
  parsePoints,
  parseHistoryRecord,
  parseResource,
  parseStateKey,
  stateToJson,
  statePartToJson,
  parseStateBatchSize,
} as const;
