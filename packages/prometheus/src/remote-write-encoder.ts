import { ProtobufWriter } from './protobuf-reader.js';
import { snappyCompress } from './snappy.js';

/** One series of a {@link encodeWriteRequest} request. */
export interface WriteRequestSeries {
  /** Labels including `__name__`. */
  labels: Record<string, string>;
  /** `[epoch ms, value]` samples; `'stale'` writes Prometheus's stale marker (a NaN with a fixed bit pattern). */
  samples: Array<[number, number | 'stale']>;
}

/**
 * Encodes a remote-write 1.0 `WriteRequest` and snappy-compresses it: the body Prometheus POSTs. For
 * tests and load generators (send it with `content-type: application/x-protobuf`, `content-encoding: snappy`).
 */
export function encodeWriteRequest(
  series: readonly WriteRequestSeries[],
  options: { compress?: boolean } = {},
): Uint8Array {
  const writer = new ProtobufWriter();
  for (const item of series) {
    writer.message(1, (timeSeries) => {
      for (const name of Object.keys(item.labels).sort()) {
        timeSeries.message(1, (label) => label.tag(1, 2).string(name).tag(2, 2).string(item.labels[name]!));
      }
      for (const [timestamp, value] of item.samples) {
        timeSeries.message(2, (sample) => {
          sample.tag(1, 1);
          if (value === 'stale') sample.fixed64Words(2, 0x7ff00000);
          else sample.double(value);
          sample.tag(2, 0).varint(timestamp);
        });
      }
    });
  }
  const raw = writer.finish();
  return options.compress === false ? raw : snappyCompress(raw);
}
