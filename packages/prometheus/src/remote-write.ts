import { seriesKey, type MetricSampleInput } from '@iac-dharma/core/kernel';
import { ProtobufDecodeError, ProtobufReader } from './protobuf-reader.js';
import { PushRequestError } from './errors.js';
import { SnappyDecodeError, snappyDecompress } from './snappy.js';
import { labelsFingerprint, mapSeries, type MappedSeries, type SeriesMapping } from './series-mapping.js';
import type { SeriesDropReason, SeriesLimiter } from './series-limiter.js';

/** Counters of what decoding skipped; every skipped sample is counted in exactly one of them. */
export interface DecodeCounters {
  /** Samples turned into records. */
  samples: number;
  /** NaN or ±Infinity values (not stale markers). */
  invalidValues: number;
  /** Prometheus stale markers (the special NaN that ends a series). */
  staleMarkers: number;
  /** Samples dropped because the series cap was full. */
  seriesCapDrops: number;
  /** Samples dropped because their label set mapped onto a series another label set holds. */
  collisionDrops: number;
  /** Native histogram samples (not mapped: use classic `_bucket`/`_sum`/`_count` series). */
  histograms: number;
  /** Series without a `__name__` label. */
  unnamedSeries: number;
}

/** Fresh zeroed counters. */
export function emptyDecodeCounters(): DecodeCounters {
  return {
    samples: 0,
    invalidValues: 0,
    staleMarkers: 0,
    seriesCapDrops: 0,
    collisionDrops: 0,
    histograms: 0,
    unnamedSeries: 0,
  };
}

/** What a series resolved to, cached per label set so repeated pushes skip the mapping work. */
interface ResolvedSeries extends MappedSeries {
  key: string;
  fingerprint: string;
}

/** Decoding state shared across requests: the mapping, the cap and a cache of mapped series. @internal */
export class SeriesResolver {
  private readonly cache = new Map<string, ResolvedSeries | SeriesDropReason>();

  constructor(
    readonly mapping: SeriesMapping,
    readonly limiter: SeriesLimiter,
  ) {}

  /** The mapped series for a label set, or why it is refused (series cap, collision). */
  resolve(labels: Record<string, string>, name: string): ResolvedSeries | SeriesDropReason {
    const fingerprint = `${name}\u0002${labelsFingerprint(labels)}`;
    const cached = this.cache.get(fingerprint);
    if (cached !== undefined) return cached;
    const mapped = mapSeries(labels, name, this.mapping);
    const key = seriesKey(mapped);
    const refusal = this.limiter.admit(key, fingerprint);
    if (refusal !== null) {
      // Cache refusals only while the cache is small: a cardinality flood must not grow memory.
      if (this.cache.size < this.limiter.maxSeries * 2) this.cache.set(fingerprint, refusal);
      return refusal;
    }
    const resolved = { ...mapped, key, fingerprint };
    this.cache.set(fingerprint, resolved);
    return resolved;
  }

  /** Forgets cached refusals (after series are forgotten, refused ones may fit). */
  clearRefusals(): void {
    for (const [fingerprint, value] of this.cache) if (typeof value === 'string') this.cache.delete(fingerprint);
  }
}

/** Prometheus's stale marker: NaN with this exact bit pattern (0x7ff0000000000002). */
const STALE_HIGH = 0x7ff00000;
const STALE_LOW = 2;

/**
 * Decodes an uncompressed remote-write 1.0 `WriteRequest` into metric records. Malformed protobuf throws
 * {@link PushRequestError} (`reason: 'protobuf'`, status 400); bad values are counted and skipped.
 */
export function decodeWriteRequest(
  body: Uint8Array,
  resolver: SeriesResolver,
  counters: DecodeCounters,
): MetricSampleInput[] {
  const records: MetricSampleInput[] = [];
  const reader = new ProtobufReader(body);
  try {
    while (!reader.done()) {
      const tag = reader.varint();
      if (tag === 0x0a) {
        const end = reader.lengthDelimitedEnd();
        decodeTimeSeries(reader, end, resolver, counters, records);
        reader.position = end;
      } else reader.skip(tag & 7);
    }
  } catch (error) {
    if (error instanceof ProtobufDecodeError) {
      throw new PushRequestError(
        'protobuf',
        400,
        `Malformed remote-write body: ${error.message}. Expected a snappy-compressed prometheus.WriteRequest (remote-write 1.0).`,
        { cause: error },
      );
    }
    throw error;
  }
  return records;
}

function decodeTimeSeries(
  reader: ProtobufReader,
  end: number,
  resolver: SeriesResolver,
  counters: DecodeCounters,
  records: MetricSampleInput[],
): void {
  const labels: Record<string, string> = {};
  const sampleStarts: number[] = [];
  while (reader.position < end) {
    const tag = reader.varint();
    if (tag === 0x0a) {
      const labelEnd = reader.lengthDelimitedEnd();
      let name = '';
      let value = '';
      const inner = new ProtobufReader(reader.bytes, reader.position, labelEnd);
      while (!inner.done()) {
        const labelTag = inner.varint();
        if (labelTag === 0x0a) name = inner.string();
        else if (labelTag === 0x12) value = inner.string();
        else inner.skip(labelTag & 7);
      }
      labels[name] = value;
      reader.position = labelEnd;
    } else if (tag === 0x12) {
      // Samples come after labels in practice, but the wire allows any order: remember where they are.
      sampleStarts.push(reader.position);
      reader.skip(2);
    } else if (tag === 0x22) {
      counters.histograms++;
      reader.skip(2);
    } else reader.skip(tag & 7);
  }
  if (sampleStarts.length === 0) return;
  const name = labels.__name__;
  if (name === undefined || name === '') counters.unnamedSeries++;
  let series: ReturnType<SeriesResolver['resolve']> | undefined;
  for (const start of sampleStarts) {
    reader.position = start;
    const sampleEnd = reader.lengthDelimitedEnd();
    let value = Number.NaN;
    let stale = false;
    let timestamp = 0;
    while (reader.position < sampleEnd) {
      const tag = reader.varint();
      if (tag === 0x09) {
        const [low, high] = reader.doubleBits();
        stale = low === STALE_LOW && high === STALE_HIGH;
        value = reader.double();
      } else if (tag === 0x10) timestamp = reader.int64();
      else reader.skip(tag & 7);
    }
    reader.position = sampleEnd;
    if (stale) {
      counters.staleMarkers++;
      continue;
    }
    if (!Number.isFinite(value)) {
      counters.invalidValues++;
      continue;
    }
    series ??= resolver.resolve(labels, name || 'unnamed');
    if (typeof series === 'string') {
      counters[series === 'collision' ? 'collisionDrops' : 'seriesCapDrops']++;
      continue;
    }
    counters.samples++;
    records.push(
      series.labels === undefined
        ? { resource: series.resource, metric: series.metric, value, timestamp }
        : { resource: series.resource, metric: series.metric, value, timestamp, labels: series.labels },
    );
  }
}

/** Decompresses a snappy remote-write body, mapping failures to {@link PushRequestError}. @internal */
export function decompressBody(body: Uint8Array, maxDecodedBytes: number): Uint8Array {
  try {
    return snappyDecompress(body, maxDecodedBytes);
  } catch (error) {
    if (error instanceof SnappyDecodeError) {
      const tooLarge = error.message.includes('exceeds the limit');
      throw new PushRequestError(
        tooLarge ? 'too-large' : 'snappy',
        tooLarge ? 413 : 400,
        `${tooLarge ? 'Remote-write body too large' : 'Corrupt snappy body'}: ${error.message}.`,
        { cause: error },
      );
    }
    throw error;
  }
}
