/**
 * IncidentClassifier benchmark: accuracy and macro F1 on BGL's alert categories in the Loghub 2k sample
 * (categories with at least two alert lines: 10 categories, 141 of the 143 alert lines; stratified 5-fold
 * cross-validation, folds assigned round-robin within each category) and on a hand-written set of incident
 * texts (6 categories, 3 examples each as the few-shot set, 5 queries each), for the prototype and linear
 * heads; plus the encoder's size and per-item latency in Node (onnxruntime-node, one thread).
 *
 * Usage: tsx --conditions=@iac-dharma/source bench/src/logs/incident-bench.ts [--no-write]
 * Writes bench/results/incident.json.
 */
import { statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IncidentClassifier, SentenceEncoder } from '@iac-dharma/models-text';
import { LOGHUB_DIR, readStructured } from '../loghub/loghub-data.js';
import { INCIDENT_TEXTS } from './incident-texts.js';

type Head = 'prototype' | 'linear';

interface Scores {
  accuracy: number;
  macroF1: number;
}

function score(truth: readonly string[], predicted: readonly string[]): Scores {
  const labels = [...new Set(truth)];
  let right = 0;
  truth.forEach((label, index) => (right += label === predicted[index] ? 1 : 0));
  const f1 = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((actual, index) => {
      if (predicted[index] === label && actual === label) tp += 1;
      else if (predicted[index] === label) fp += 1;
      else if (actual === label) fn += 1;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return {
    accuracy: round(right / truth.length),
    macroF1: round(f1.reduce((sum, value) => sum + value, 0) / labels.length),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

async function bgl(
  encoder: SentenceEncoder,
  head: Head,
  embeddings: Float32Array[],
  rows: Array<{ label: string; text: string }>,
): Promise<Scores> {
  const fold = new Map<number, number>();
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const position = seen.get(row.label) ?? 0;
    seen.set(row.label, position + 1);
    fold.set(index, position % 5);
  });
  const labels = [...new Set(rows.map((row) => row.label))];
  const predicted: string[] = new Array(rows.length);
  for (let k = 0; k < 5; k += 1) {
    const train = rows.map((row, index) => ({ row, index })).filter(({ index }) => fold.get(index) !== k);
    const test = rows.map((row, index) => ({ row, index })).filter(({ index }) => fold.get(index) === k);
    const categories = Object.fromEntries(
      labels.map((label) => [label, train.filter(({ row }) => row.label === label).map(({ row }) => row.text)]),
    );
    const present = Object.fromEntries(Object.entries(categories).filter(([, texts]) => texts.length > 0));
    const classifier = new IncidentClassifier(encoder, { categories: present, head });
    classifier.fitEmbeddings(train.map(({ row, index }) => ({ embedding: embeddings[index]!, label: row.label })));
    for (const { index } of test) predicted[index] = classifier.classifyEmbedding(embeddings[index]!).category;
  }
  return score(
    rows.map((row) => row.label),
    predicted,
  );
}

async function handWritten(encoder: SentenceEncoder, head: Head): Promise<Scores> {
  const categories = Object.fromEntries(
    Object.entries(INCIDENT_TEXTS).map(([label, texts]) => [label, texts.slice(0, 3)]),
  );
  const classifier = new IncidentClassifier(encoder, { categories, head });
  await classifier.fit();
  const truth: string[] = [];
  const predicted: string[] = [];
  for (const [label, texts] of Object.entries(INCIDENT_TEXTS)) {
    for (const text of texts.slice(3)) {
      truth.push(label);
      predicted.push((await classifier.classify(text)).category);
    }
  }
  return score(truth, predicted);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function latency(
  encoder: SentenceEncoder,
): Promise<{ p50Ms: number; p95Ms: number; tokens: number; batch32PerItemMs: number }> {
  const text =
    'ciod: Error reading message prefix on CioStream socket to 172.16.96.116:41554, Connection reset by peer';
  for (let index = 0; index < 20; index += 1) await encoder.embed([text]);
  const times: number[] = [];
  for (let index = 0; index < 200; index += 1) {
    const start = performance.now();
    await encoder.embed([text]);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const batch = Array.from({ length: 32 }, (_, index) => `${text} #${index}`);
  const start = performance.now();
  for (let index = 0; index < 5; index += 1) await encoder.embed(batch);
  const batchMs = (performance.now() - start) / (5 * 32);
  return {
    p50Ms: round(percentile(times, 0.5)),
    p95Ms: round(percentile(times, 0.95)),
    tokens: encoder.tokenizer.encode(text).ids.length,
    batch32PerItemMs: round(batchMs),
  };
}

async function main(): Promise<void> {
  const encoder = await SentenceEncoder.load();
  const alerts = readStructured(join(LOGHUB_DIR, 'BGL', 'BGL_2k.log_structured.csv')).filter(
    (row) => row.Label !== '-',
  );
  const counts = new Map<string, number>();
  for (const row of alerts) counts.set(row.Label!, (counts.get(row.Label!) ?? 0) + 1);
  const rows = alerts
    .filter((row) => counts.get(row.Label!)! >= 2)
    .map((row) => ({ label: row.Label!, text: row.Content! }));
  const embeddings: Float32Array[] = [];
  for (let start = 0; start < rows.length; start += 16)
    embeddings.push(...(await encoder.embed(rows.slice(start, start + 16).map((row) => row.text))));
  const figures = [];
  for (const head of ['prototype', 'linear'] as const) {
    const onBgl = await bgl(encoder, head, embeddings, rows);
    const onHand = await handWritten(encoder, head);
    figures.push({
      head,
      'BGL alerts accuracy (5-fold)': onBgl.accuracy,
      'BGL alerts macro F1': onBgl.macroF1,
      'hand-written set accuracy (3-shot)': onHand.accuracy,
      'hand-written set macro F1': onHand.macroF1,
    });
  }
  const timing = await latency(encoder);
  const here = dirname(fileURLToPath(import.meta.url));
  const modelBytes = statSync(resolve(here, '../../../packages/models-text/artifacts/minilm/model.onnx')).size;
  const result = {
    title: 'Incident classification (IncidentClassifier on all-MiniLM-L6-v2)',
    description: `Few-shot incident categories over all-MiniLM-L6-v2 embeddings (int8 weights, ${(modelBytes / 1e6).toFixed(1)} MB ONNX). BGL: the alert lines of the Loghub BGL 2k sample whose category has at least two lines (${new Set(rows.map((row) => row.label)).size} categories, ${rows.length} of ${alerts.length} lines; APPCHILD and APPOUT have one line each), stratified 5-fold cross-validation on the message text. Many BGL alert lines of one category repeat the same template, so this measures how well categories separate, not generalisation to new wording. Hand-written set: bench/src/logs/incident-texts.ts, 6 categories × (3 few-shot examples + 5 queries), written for this benchmark. Latency: one ${timing.tokens}-token log line per call, onnxruntime-node CPU, one thread.`,
    command: 'npx tsx --conditions=@iac-dharma/source bench/src/logs/incident-bench.ts',
    measuredAt: new Date().toISOString(),
    figures,
    modelMegabytes: round(modelBytes / 1e6),
    latencyP50Ms: timing.p50Ms,
    latencyP95Ms: timing.p95Ms,
    batch32PerItemMs: timing.batch32PerItemMs,
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await encoder.release();
  if (!process.argv.includes('--no-write'))
    writeFileSync(join(resolve(here, '../..'), 'results/incident.json'), `${JSON.stringify(result, null, 2)}\n`);
}

await main();
