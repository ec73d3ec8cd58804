import { readFileSync } from 'node:fs';
import { createBundledModelSource, loadModel, TabularExtractor, WindowExtractor } from '@iac-dharma/models';
const dir = process.argv[2]!;
const id = process.argv[3]!;
const model = await loadModel({ id, source: createBundledModelSource({ directory: dir }) });
interface ParityRow {
  raw: Record<string, unknown>;
  input: unknown;
  outputs: Record<string, unknown>;
}
const parity = JSON.parse(readFileSync(`${dir}/${id}/parity.json`, 'utf8')) as { rows: ParityRow[] };
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);
let batch: Float32Array;
const rows = parity.rows.length;
if (model.card.window) {
  const ex = new WindowExtractor(model.card);
  batch = new Float32Array(rows * model.rowWidth);
  parity.rows.forEach((r, i) =>
    ex.encodeInto(r.raw.sensors as Parameters<WindowExtractor['encodeInto']>[0], batch, i * model.rowWidth),
  );
} else
  batch = TabularExtractor.fromCard(model.card).encodeBatch(
    parity.rows.map((r) => r.raw) as Parameters<TabularExtractor['encodeBatch']>[0],
  );
let dIn = 0;
parity.rows.forEach((r, i) => {
  const f = flat(r.input);
  f.forEach((v, j) => (dIn = Math.max(dIn, Math.abs(v - batch[i * model.rowWidth + j]!))));
});
const out = await model.run(batch, rows);
const dOut: Record<string, number> = {};
for (const name of Object.keys(parity.rows[0]!.outputs)) {
  const got = Array.from(out[name]!.data as ArrayLike<number | bigint>, Number);
  const want = parity.rows.flatMap((r) => flat(r.outputs[name]));
  dOut[name] = got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0);
}
console.log(id, 'rows', rows, 'max input diff', dIn, 'max output diff', dOut);
