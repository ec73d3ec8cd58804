import { readFileSync } from 'node:fs';
import { loadModel, createOnnxRuntime, TabularExtractor, WindowExtractor } from '@iac-dharma/models';
import { createOnnxRuntime as web } from '../../../packages/models/src/platform/browser/onnx-runtime.js';
const dir = 'packages/models/artifacts';
for (const id of ['churn', 'failure', 'failure-lstm', 'threat', 'threat-rf']) {
  const bytes = new Uint8Array(readFileSync(`${dir}/${id}/model.onnx`)); const card = JSON.parse(readFileSync(`${dir}/${id}/model-card.json`, 'utf8'));
  const parity = JSON.parse(readFileSync(`${dir}/${id}/parity.json`, 'utf8'));
  const a = await loadModel({ bytes, card, runtime: createOnnxRuntime() }); const b = await loadModel({ bytes, card, runtime: web() });
  let batch: Float32Array; const rows = parity.rows.length;
  if (a.card.window) { const ex = new WindowExtractor(a.card); batch = new Float32Array(rows * a.rowWidth); parity.rows.forEach((r: any, i: number) => ex.encodeInto(r.raw.sensors, batch, i * a.rowWidth)); } else batch = TabularExtractor.fromCard(a.card).encodeBatch(parity.rows.map((r: any) => r.raw));
  const [x, y] = [await a.run(batch, rows), await b.run(batch, rows)];
  const flat = (v: unknown): number[] => Array.isArray(v) ? v.flatMap(flat) : [Number(v)];
  const res: Record<string, string> = {};
  for (const n of Object.keys(x)) { const p = Array.from(x[n]!.data as any, Number), q = Array.from(y[n]!.data as any, Number); const py = parity.rows.flatMap((r: any) => flat(r.outputs[n]));
    res[n] = `node-python ${Math.max(...p.map((v, i) => Math.abs(v - py[i]!))).toExponential(2)} web-node ${Math.max(...p.map((v, i) => Math.abs(v - q[i]!))).toExponential(2)}`; }
  console.log(id, rows, JSON.stringify(res));
}
