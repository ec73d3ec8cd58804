import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Median, min and max of repeated measurements (rounded to 0.001). */
export function spread(values: number[]): { median: number; min: number; max: number; runs: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return { median: round(median), min: round(sorted[0]!), max: round(sorted.at(-1)!), runs: values.length };
}

/** What a kind of file is, for the download table. */
export function fileKind(path: string): string {
  if (path.endsWith('.wasm')) return 'onnxruntime-web .wasm';
  if (path.startsWith('/ort/')) return 'onnxruntime-web wasm glue (.mjs)';
  if (path.startsWith('/models/')) return path.endsWith('.json') ? 'model cards' : 'model files (.onnx)';
  if (path.endsWith('.js')) return 'JavaScript (page + worker + onnxruntime-web)';
  return 'HTML';
}

/** Bytes fetched by a page, grouped by kind, raw and gzip-compressed (what a server with gzip would send). */
export function downloadTable(
  sent: Map<string, number>,
  outDir: string,
): Array<{ kind: string; files: number; bytes: number; gzipBytes: number }> {
  const groups = new Map<string, { kind: string; files: number; bytes: number; gzipBytes: number }>();
  for (const [path, bytes] of sent) {
    const kind = fileKind(path);
    const group = groups.get(kind) ?? { kind, files: 0, bytes: 0, gzipBytes: 0 };
    group.files += 1;
    group.bytes += bytes;
    group.gzipBytes += gzipSync(readFileSync(join(outDir, path))).byteLength;
    groups.set(kind, group);
  }
  const rows = [...groups.values()].sort((a, b) => b.bytes - a.bytes);
  rows.push(
    rows.reduce(
      (total, row) => ({
        kind: 'total',
        files: total.files + row.files,
        bytes: total.bytes + row.bytes,
        gzipBytes: total.gzipBytes + row.gzipBytes,
      }),
      { kind: 'total', files: 0, bytes: 0, gzipBytes: 0 },
    ),
  );
  return rows;
}
