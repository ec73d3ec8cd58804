import { AnomalyDetector } from '@iac-dharma/core';
import { FailurePredictor, ThreatDetector } from '@iac-dharma/models';
import { createScoringWorker } from '@iac-dharma/models/worker';
import { NORMAL_CONNECTION, SYN_FLOOD_CONNECTION, engineReading } from './demo-inputs.js';
import { createMetricStream } from './metric-stream.js';
import { drawScores, logLine } from './score-log.js';

const status = document.querySelector<HTMLElement>('#status')!;
const anomalyLog = document.querySelector<HTMLElement>('#anomaly-log')!;
const failureLog = document.querySelector<HTMLElement>('#failure-log')!;
const threatLog = document.querySelector<HTMLElement>('#threat-log')!;
const chart = document.querySelector<HTMLCanvasElement>('#anomaly-chart')!;
/** Milliseconds between ticks (`?interval=50` speeds the demo up). */
const intervalMs = Number(new URLSearchParams(location.search).get('interval') ?? 500);

async function start(): Promise<void> {
  const started = performance.now();
  // Every ONNX session lives in this worker; the `new URL(..., import.meta.url)` form lets Vite bundle it.
  const worker = new Worker(new URL('./scoring-worker.ts', import.meta.url), { type: 'module' });
  const scoring = createScoringWorker({ worker, modelBaseUrl: 'models/', wasmPaths: 'ort/' });
  const [failureModel, threatModel] = await Promise.all([
    scoring.loadModel({ id: 'failure' }),
    scoring.loadModel({ id: 'threat' }),
  ]);
  const failure = new FailurePredictor({ model: failureModel });
  const threat = new ThreatDetector({ model: threatModel });
  const detector = new AnomalyDetector();
  const nextSamples = createMetricStream();
  const history: number[][] = [];
  const cpuScores: number[] = [];
  let tick = 0;
  let busy = false;

  const step = async () => {
    // Skip a tick rather than queue work when a model call is still running.
    if (busy) return;
    busy = true;
    try {
      for (const sample of nextSamples()) {
        const outcome = detector.observe(`${sample.resource}/${sample.metric}`, sample.timestamp, sample.value);
        if (outcome.status !== 'scored') continue;
        if (sample.metric === 'cpu') cpuScores.push(outcome.score);
        const alert = outcome.score >= detector.threshold;
        if (alert || tick % 10 === 0)
          logLine(
            anomalyLog,
            `${new Date(sample.timestamp).toISOString().slice(11, 19)} ${sample.metric} ${sample.value.toFixed(1)} → ${outcome.score.toFixed(3)}`,
            alert,
          );
      }
      drawScores(chart, cpuScores.slice(-300), detector.threshold);
      history.push(engineReading(failureModel.card, Math.min(1, tick / 240), tick));
      const [prediction] = await failure.predictBatch([history], { explain: false });
      logLine(
        failureLog,
        `cycle ${tick}: P(fail ≤ ${prediction!.horizon}) ${(prediction!.probability * 100).toFixed(1)}%, RUL ≈ ${prediction!.timeToFailure?.toFixed(0)}`,
        prediction!.probability >= 0.5,
      );
      const flood = tick % 20 >= 15;
      const [verdict] = await threat.classify([flood ? SYN_FLOOD_CONNECTION : NORMAL_CONNECTION]);
      logLine(
        threatLog,
        `${flood ? 'SYN flood' : 'normal  '} → ${verdict!.category} (attack ${(verdict!.probability * 100).toFixed(1)}%)`,
        verdict!.isThreat,
      );
      // performance.now() counts from the navigation: the second figure includes loading the page and its scripts.
      if (tick === 0)
        status.textContent = `Scoring in the browser: first model score ${Math.round(performance.now() - started)} ms after start (wasm + models), ${Math.round(performance.now())} ms after navigation.`;
      tick += 1;
      document.body.dataset['ticks'] = String(tick);
    } catch (error) {
      showError(error);
    } finally {
      busy = false;
    }
  };
  await step();
  setInterval(() => void step(), intervalMs);
}

function showError(error: unknown): void {
  status.dataset['error'] = 'true';
  status.textContent = `Scoring failed: ${error instanceof Error ? error.message : String(error)}`;
}

start().catch(showError);
