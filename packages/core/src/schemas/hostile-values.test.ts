import { describe, expect, it } from 'vitest';
import { ValidationError, parseWith } from '../errors/index.js';
import { IdSchema, MAX_TIMESTAMP, TimestampSchema } from './common.js';
import { IngestRecordSchema, MetricSampleSchema } from './records.js';

const refusal = (schema: Parameters<typeof parseWith>[0], value: unknown): ValidationError => {
  try {
    parseWith(schema, value, 'record');
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
};

describe('hostile values are refused with the field named', () => {
  it.each([Infinity, -Infinity, 1e308, -1e300, 1e19])('metric value %d', (value) => {
    const error = refusal(MetricSampleSchema, { resource: 'web-1', metric: 'cpu', value, timestamp: 1000 });
    expect(error.field).toBe('value');
  });

  it('accepts large but sane values', () => {
    expect(MetricSampleSchema.parse({ resource: 'web-1', metric: 'bytes', value: 9e15, timestamp: 1000 }).value).toBe(
      9e15,
    );
  });

  it.each(['1', '2001', '1969-12-31T23:59:59Z', '0001-01-01', 'yesterday', '2026-13-45'])(
    'timestamp string %j',
    (timestamp) => {
      const error = refusal(MetricSampleSchema, { resource: 'web-1', metric: 'cpu', value: 1, timestamp });
      expect(error.field).toBe('timestamp');
    },
  );

  it.each([-1, Number.MAX_VALUE, MAX_TIMESTAMP + 1, 1.5e15])('timestamp number %d', (timestamp) => {
    const error = refusal(IngestRecordSchema, { resource: 'web-1', metric: 'cpu', value: 1, timestamp });
    expect(error.field).toBe('timestamp');
  });

  it('reads ISO-8601 strings and epoch ms inside the range', () => {
    expect(TimestampSchema.parse('2026-01-02T03:04:05Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(TimestampSchema.parse('2026-01-02')).toBe(Date.UTC(2026, 0, 2));
    expect(TimestampSchema.parse('2026-01-02T03:04:05.250+02:00')).toBe(Date.UTC(2026, 0, 2, 1, 4, 5, 250));
    expect(TimestampSchema.parse(0)).toBe(0);
  });

  it.each([
    'shop\u200b',
    '\u200bshop',
    'sh\u00adop',
    'shop\ufeff',
    'shop\u2060',
    'shop\u202e',
    'shop\u00a0',
    'shop\u3164',
  ])('ids with invisible characters: %j', (id) => {
    const error = refusal(MetricSampleSchema, { resource: id, metric: 'cpu', value: 1, timestamp: 1000 });
    expect(error.field).toBe('resource');
    expect(error.message).toMatch(/invisible/);
  });

  it('normalises ids to NFC, so look-alike spellings are one id', () => {
    expect(IdSchema.parse('cafe\u0301')).toBe('caf\u00e9');
    expect(IdSchema.parse('web 1')).toBe('web 1');
  });
});
