import { ValidationError } from '@iac-dharma/core';
import { describe, expect, it } from 'vitest';
import { EnvelopeSchema, decodeEnvelope, encodeEnvelope, envelopeTypeOf } from './envelope.js';
import { resourceKeyOf } from './resource-key.js';

describe('envelope', () => {
  it('round-trips a payload with its id, time and inferred type', () => {
    const bytes = encodeEnvelope({ id: 'id-1', time: 1700000000000, payload: { kind: 'anomaly', resource: 'web-1' } });
    const decoded = decodeEnvelope(bytes);
    expect(decoded).toEqual({
      ok: true,
      envelope: {
        schema: 'iac-dharma.envelope',
        version: 1,
        type: 'anomaly',
        id: 'id-1',
        time: 1700000000000,
        payload: { kind: 'anomaly', resource: 'web-1' },
      },
    });
  });

  it('types arrays as batch and kind-less values as message', () => {
    expect(envelopeTypeOf([1, 2])).toBe('batch');
    expect(envelopeTypeOf({ resource: 'a', metric: 'cpu', value: 1 })).toBe('message');
    expect(envelopeTypeOf('text')).toBe('message');
  });

  it('rejects values that are not JSON data with a ValidationError naming the value', () => {
    expect(() => encodeEnvelope({ id: 'x', time: 1, payload: undefined })).toThrow(ValidationError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeEnvelope({ id: 'x', time: 1, payload: cyclic })).toThrow(/JSON/);
  });

  it('reports bad JSON, foreign JSON, unknown versions and tombstones without throwing', () => {
    expect(decodeEnvelope(Buffer.from('{not json'))).toMatchObject({ ok: false, reason: 'invalid-json' });
    expect(decodeEnvelope(Buffer.from('{"resource":"web-1"}'))).toMatchObject({
      ok: false,
      reason: 'invalid-envelope',
    });
    const future = decodeEnvelope(
      Buffer.from(
        JSON.stringify({ schema: 'iac-dharma.envelope', version: 2, type: 'metric', id: 'a', time: 1, payload: {} }),
      ),
    );
    expect(future).toMatchObject({ ok: false, reason: 'invalid-envelope' });
    expect(future.ok ? '' : future.detail).toMatch(/version/);
    expect(decodeEnvelope(null)).toMatchObject({ ok: false, reason: 'invalid-envelope' });
  });
});

describe('resourceKeyOf', () => {
  it('keys by resource, by the shared resource of a batch, and not at all otherwise', () => {
    expect(resourceKeyOf({ resource: 'db-1', metric: 'cpu', value: 1 })).toBe('db-1');
    expect(resourceKeyOf([{ resource: 'db-1' }, { resource: 'db-1' }])).toBe('db-1');
    expect(resourceKeyOf([{ resource: 'db-1' }, { resource: 'db-2' }])).toBeUndefined();
    expect(resourceKeyOf(42)).toBeUndefined();
  });
});

describe('envelope fast path', () => {
  it('accepts and rejects exactly what EnvelopeSchema does, and returns the same envelope', () => {
    const base = { schema: 'iac-dharma.envelope', version: 1, type: 'metric', id: 'a', time: 1, payload: { x: 1 } };
    const candidates: unknown[] = [
      base,
      { ...base, extra: true },
      { ...base, payload: undefined },
      (({ payload: _payload, ...rest }) => rest)(base),
      { ...base, payload: null },
      { ...base, schema: 'other' },
      { ...base, version: '1' },
      { ...base, type: '' },
      { ...base, type: 'x'.repeat(64) },
      { ...base, type: 'x'.repeat(65) },
      { ...base, id: 'y'.repeat(128) },
      { ...base, id: 'y'.repeat(129) },
      { ...base, id: 7 },
      { ...base, time: -1 },
      { ...base, time: 0 },
      { ...base, time: 1.5 },
      { ...base, time: '1' },
      [base],
      'text',
      42,
    ];
    for (const candidate of candidates) {
      const decoded = decodeEnvelope(Buffer.from(JSON.stringify(candidate)));
      const zodOfJson = EnvelopeSchema.safeParse(JSON.parse(JSON.stringify(candidate)));
      expect(decoded.ok, JSON.stringify(candidate)).toBe(zodOfJson.success);
      if (decoded.ok && zodOfJson.success) expect(decoded.envelope).toEqual(zodOfJson.data);
    }
  });
});
