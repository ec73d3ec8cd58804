import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, parseWith } from '../errors/index.js';
import { FindingSchema } from './finding.js';
import { EventRecordSchema, IngestRecordSchema, LogRecordSchema, MetricSampleSchema } from './records.js';
import { HistoryRecordSchema, RemediationPlanSchema, RemediationResultSchema } from './remediation.js';
import { ResourceSchema } from './resource.js';

const SCHEMAS = {
  MetricSampleSchema,
  EventRecordSchema,
  LogRecordSchema,
  IngestRecordSchema,
  ResourceSchema,
  FindingSchema,
  RemediationPlanSchema,
  RemediationResultSchema,
  HistoryRecordSchema,
};

/** Values that look almost right: objects with the usual field names holding random or hostile values. */
const nearMiss = fc.record(
  {
    kind: fc.constantFrom('metric', 'event', 'log', 'anomaly', 'threat', 'bogus', undefined, 42),
    type: fc.oneof(fc.string(), fc.constantFrom('deployment', 'compute', 'infrastructure')),
    resource: fc.oneof(fc.string(), fc.constant(''), fc.constant('\u0000'), fc.integer()),
    metric: fc.string(),
    id: fc.string(),
    value: fc.oneof(fc.double(), fc.constant(Number.NaN), fc.constant(Infinity), fc.string(), fc.constant(null)),
    timestamp: fc.oneof(fc.double(), fc.string(), fc.date({ noInvalidDate: false }), fc.constant(-1)),
    score: fc.double(),
    severity: fc.string(),
    replicas: fc.oneof(fc.integer(), fc.double()),
    attributes: fc.dictionary(fc.string(), fc.anything()),
    labels: fc.dictionary(fc.string(), fc.anything()),
  },
  { requiredKeys: [] },
);

/** A value as JSON carries it (what storage and the wire keep). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('domain schemas under random and malformed input', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`${name} either parses or throws a ValidationError naming a field — never anything else`, () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything(), nearMiss), (value) => {
          try {
            const parsed = parseWith(schema, value, name);
            // Whatever is accepted must survive a JSON round trip and parse again to the same value, as JSON
            // sees it (JSON has no -0: a stored -0 reads back as 0, which is the same measurement).
            const again = parseWith(schema, JSON.parse(JSON.stringify(parsed)), name);
            expect(asJson(again)).toEqual(asJson(parsed));
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            const validation = error as ValidationError;
            expect(validation.issues.length).toBeGreaterThan(0);
            expect(validation.message).toContain(name);
          }
        }),
        // -0 is always tried: random runs found it only now and then.
        {
          numRuns: 1000,
          examples: [[{ kind: 'metric', resource: ' ', metric: 'a', value: -0, timestamp: -0, score: -0 }]],
        },
      );
    });
  }

  it('accepted metric samples always have a finite value and a finite timestamp', () => {
    fc.assert(
      fc.property(nearMiss, (value) => {
        const result = MetricSampleSchema.safeParse(value);
        if (result.success) {
          expect(Number.isFinite(result.data.value)).toBe(true);
          if (result.data.timestamp !== undefined) expect(Number.isFinite(result.data.timestamp)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
