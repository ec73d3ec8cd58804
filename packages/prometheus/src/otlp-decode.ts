import { ProtobufDecodeError, ProtobufReader } from './protobuf-reader.js';

/** One OTLP data point, number or histogram, in a form shared by the protobuf and JSON decoders. @internal */
export interface OtlpPoint {
  attributes: Record<string, string>;
  /** Epoch ms. */
  start: number;
  /** Epoch ms. */
  time: number;
  /** Number points: the value (NaN when neither asDouble nor asInt was set). */
  value: number;
  /** Histogram points. */
  count?: number;
  sum?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
  /** Bit 0: no recorded value. */
  flags: number;
}

/** The metric types OTLP defines; `unknown` for a type this receiver does not map. @internal */
export type OtlpMetricType = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary' | 'unknown';

/** One OTLP metric. @internal */
export interface OtlpMetric {
  name: string;
  unit: string;
  type: OtlpMetricType;
  /** 1 delta, 2 cumulative, 0 unspecified. */
  temporality: number;
  monotonic: boolean;
  points: OtlpPoint[];
}

/** Metrics of one resource. @internal */
export interface OtlpResourceMetrics {
  resource: Record<string, string>;
  metrics: OtlpMetric[];
}

const NANOS_PER_MS = 1_000_000;

// ---- protobuf ----------------------------------------------------------------------------------

function anyValue(reader: ProtobufReader, end: number): string {
  let text = '';
  while (reader.position < end) {
    const tag = reader.varint();
    switch (tag) {
      case 0x0a:
        text = reader.string();
        break;
      case 0x10:
        text = String(reader.varint() !== 0);
        break;
      case 0x18:
        text = String(reader.int64());
        break;
      case 0x21:
        text = String(reader.double());
        break;
      default:
        reader.skip(tag & 7);
        text = text || '[complex]';
    }
  }
  return text;
}

function keyValue(reader: ProtobufReader, end: number, into: Record<string, string>): void {
  let key = '';
  let value = '';
  while (reader.position < end) {
    const tag = reader.varint();
    if (tag === 0x0a) key = reader.string();
    else if (tag === 0x12) {
      const valueEnd = reader.lengthDelimitedEnd();
      value = anyValue(reader, valueEnd);
      reader.position = valueEnd;
    } else reader.skip(tag & 7);
  }
  into[key] = value;
}

function attributes(reader: ProtobufReader, into: Record<string, string>): void {
  const end = reader.lengthDelimitedEnd();
  keyValue(reader, end, into);
  reader.position = end;
}

function numberPoint(reader: ProtobufReader, end: number): OtlpPoint {
  const point: OtlpPoint = { attributes: {}, start: 0, time: 0, value: Number.NaN, flags: 0 };
  while (reader.position < end) {
    const tag = reader.varint();
    switch (tag) {
      case 0x3a:
        attributes(reader, point.attributes);
        break;
      case 0x11:
        point.start = reader.fixed64() / NANOS_PER_MS;
        break;
      case 0x19:
        point.time = reader.fixed64() / NANOS_PER_MS;
        break;
      case 0x21:
        point.value = reader.double();
        break;
      case 0x31:
        point.value = reader.sfixed64();
        break;
      case 0x40:
        point.flags = reader.varint();
        break;
      default:
        reader.skip(tag & 7);
    }
  }
  return point;
}

function packedOrSingle(reader: ProtobufReader, tag: number, read: () => number, into: number[]): void {
  if ((tag & 7) === 2) {
    const end = reader.lengthDelimitedEnd();
    while (reader.position < end) into.push(read());
    reader.position = end;
  } else into.push(read());
}

function histogramPoint(reader: ProtobufReader, end: number): OtlpPoint {
  const point: OtlpPoint = {
    attributes: {},
    start: 0,
    time: 0,
    value: Number.NaN,
    flags: 0,
    count: 0,
    bucketCounts: [],
    explicitBounds: [],
  };
  while (reader.position < end) {
    const tag = reader.varint();
    const field = tag >>> 3;
    switch (field) {
      case 9:
        attributes(reader, point.attributes);
        break;
      case 2:
        point.start = reader.fixed64() / NANOS_PER_MS;
        break;
      case 3:
        point.time = reader.fixed64() / NANOS_PER_MS;
        break;
      case 4:
        point.count = reader.fixed64();
        break;
      case 5:
        point.sum = reader.double();
        break;
      case 6:
        packedOrSingle(reader, tag, () => reader.fixed64(), point.bucketCounts!);
        break;
      case 7:
        packedOrSingle(reader, tag, () => reader.double(), point.explicitBounds!);
        break;
      case 10:
        point.flags = reader.varint();
        break;
      default:
        reader.skip(tag & 7);
    }
  }
  return point;
}

const TYPE_BY_FIELD: Record<number, OtlpMetricType> = {
  5: 'gauge',
  7: 'sum',
  9: 'histogram',
  10: 'exponential_histogram',
  11: 'summary',
};

function metric(reader: ProtobufReader, end: number): OtlpMetric {
  const result: OtlpMetric = { name: '', unit: '', type: 'unknown', temporality: 0, monotonic: false, points: [] };
  while (reader.position < end) {
    const tag = reader.varint();
    const field = tag >>> 3;
    if (tag === 0x0a) result.name = reader.string();
    else if (tag === 0x1a) result.unit = reader.string();
    else if ((tag & 7) === 2 && TYPE_BY_FIELD[field]) {
      result.type = TYPE_BY_FIELD[field]!;
      const dataEnd = reader.lengthDelimitedEnd();
      if (result.type === 'gauge' || result.type === 'sum' || result.type === 'histogram') {
        while (reader.position < dataEnd) {
          const inner = reader.varint();
          if (inner === 0x0a) {
            const pointEnd = reader.lengthDelimitedEnd();
            result.points.push(
              result.type === 'histogram' ? histogramPoint(reader, pointEnd) : numberPoint(reader, pointEnd),
            );
            reader.position = pointEnd;
          } else if (inner === 0x10) result.temporality = reader.varint();
          else if (inner === 0x18) result.monotonic = reader.varint() !== 0;
          else reader.skip(inner & 7);
        }
      }
      reader.position = dataEnd;
    } else reader.skip(tag & 7);
  }
  return result;
}

/** Decodes a protobuf `ExportMetricsServiceRequest`. Throws {@link ProtobufDecodeError} when malformed. @internal */
export function decodeOtlpProtobuf(body: Uint8Array): OtlpResourceMetrics[] {
  const reader = new ProtobufReader(body);
  const out: OtlpResourceMetrics[] = [];
  while (!reader.done()) {
    const tag = reader.varint();
    if (tag !== 0x0a) {
      reader.skip(tag & 7);
      continue;
    }
    const rmEnd = reader.lengthDelimitedEnd();
    const entry: OtlpResourceMetrics = { resource: {}, metrics: [] };
    while (reader.position < rmEnd) {
      const inner = reader.varint();
      if (inner === 0x0a) {
        const resourceEnd = reader.lengthDelimitedEnd();
        while (reader.position < resourceEnd) {
          const resourceTag = reader.varint();
          if (resourceTag === 0x0a) attributes(reader, entry.resource);
          else reader.skip(resourceTag & 7);
        }
        reader.position = resourceEnd;
      } else if (inner === 0x12) {
        const scopeEnd = reader.lengthDelimitedEnd();
        while (reader.position < scopeEnd) {
          const scopeTag = reader.varint();
          if (scopeTag === 0x12) {
            const metricEnd = reader.lengthDelimitedEnd();
            entry.metrics.push(metric(reader, metricEnd));
            reader.position = metricEnd;
          } else reader.skip(scopeTag & 7);
        }
        reader.position = scopeEnd;
      } else reader.skip(inner & 7);
    }
    reader.position = rmEnd;
    out.push(entry);
  }
  return out;
}

// ---- JSON (OTLP/JSON: lowerCamelCase fields, 64-bit integers as strings or numbers) ----------------

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asNumber = (value: unknown): number => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return Number.NaN;
    if (value === 'Infinity' || value === '+Infinity') return Number.POSITIVE_INFINITY;
    if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
    return value.trim() === '' ? Number.NaN : Number(value);
  }
  return Number.NaN;
};

function jsonAttributes(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of asArray(list)) {
    const entry = asObject(item);
    const value = asObject(entry.value);
    const scalar = value.stringValue ?? value.boolValue ?? value.intValue ?? value.doubleValue;
    if (typeof entry.key === 'string') out[entry.key] = scalar === undefined ? '[complex]' : String(scalar);
  }
  return out;
}

function jsonPoint(raw: unknown, histogram: boolean): OtlpPoint {
  const point = asObject(raw);
  const result: OtlpPoint = {
    attributes: jsonAttributes(point.attributes),
    start: asNumber(point.startTimeUnixNano) / NANOS_PER_MS,
    time: asNumber(point.timeUnixNano) / NANOS_PER_MS,
    value:
      point.asDouble !== undefined
        ? asNumber(point.asDouble)
        : point.asInt !== undefined
          ? asNumber(point.asInt)
          : Number.NaN,
    flags: asNumber(point.flags) || 0,
  };
  if (histogram) {
    result.count = asNumber(point.count);
    if (point.sum !== undefined) result.sum = asNumber(point.sum);
    result.bucketCounts = asArray(point.bucketCounts).map(asNumber);
    result.explicitBounds = asArray(point.explicitBounds).map(asNumber);
  }
  return result;
}

const JSON_TYPES: Array<[string, OtlpMetricType]> = [
  ['gauge', 'gauge'],
  ['sum', 'sum'],
  ['histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary'],
];

/** Decodes an OTLP/JSON `ExportMetricsServiceRequest` (already parsed). @internal */
export function decodeOtlpJson(body: unknown): OtlpResourceMetrics[] {
  return asArray(asObject(body).resourceMetrics).map((raw) => {
    const resourceMetrics = asObject(raw);
    const metrics: OtlpMetric[] = [];
    for (const scope of asArray(resourceMetrics.scopeMetrics)) {
      for (const item of asArray(asObject(scope).metrics)) {
        const entry = asObject(item);
        const found = JSON_TYPES.find(([field]) => entry[field] !== undefined);
        const type = found?.[1] ?? 'unknown';
        const data = found ? asObject(entry[found[0]]) : {};
        const temporality = data.aggregationTemporality;
        metrics.push({
          name: typeof entry.name === 'string' ? entry.name : '',
          unit: typeof entry.unit === 'string' ? entry.unit : '',
          type,
          temporality:
            temporality === 'AGGREGATION_TEMPORALITY_DELTA'
              ? 1
              : temporality === 'AGGREGATION_TEMPORALITY_CUMULATIVE'
                ? 2
                : asNumber(temporality) || 0,
          monotonic: data.isMonotonic === true,
          points:
            type === 'gauge' || type === 'sum' || type === 'histogram'
              ? asArray(data.dataPoints).map((point) => jsonPoint(point, type === 'histogram'))
              : [],
        });
      }
    }
    return { resource: jsonAttributes(asObject(resourceMetrics.resource).attributes), metrics };
  });
}

export { ProtobufDecodeError };
