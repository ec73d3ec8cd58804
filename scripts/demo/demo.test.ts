// The main job end to end: `npm run demo`'s entry point as a real child process, then its HTML report in
// headless Chromium (Debian's, installed by scripts/services/start-chromium.sh; never downloaded).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The bundled artifacts; DHARMA_DEMO_MODELS points the demo (and these checks) at another artifacts folder.
const ARTIFACTS = process.env.DHARMA_DEMO_MODELS ?? join(ROOT, 'packages/models/artifacts');
const modelsPresent = (id: string) => existsSync(join(ARTIFACTS, id, 'model-card.json'));

function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@iac-dharma/source', '--import', 'tsx', 'scripts/demo/main.ts', ...args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run demo (scripts/demo/main.ts)', () => {
  let folder: string;
  let run: { code: number | null; stdout: string; stderr: string };
  let browser: Browser | undefined;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'dharma-demo-test-'));
    const models = process.env.DHARMA_DEMO_MODELS ? ['--models', process.env.DHARMA_DEMO_MODELS] : [];
    run = await runDemo(['--hours', '8', '--seed', '3', '--out', join(folder, 'report.html'), ...models]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('detects, remediates and summarises the incidents, showing progress on stderr', () => {
    expect(run.stderr).not.toMatch(/Error|demo:/);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\[#+\.*\] \d\d:\d\d simulated · \d+ findings/);
    const table = run.stdout.slice(run.stdout.indexOf('incident  '));
    for (const kind of ['memory-leak', 'cpu-saturation', 'bad-deploy', 'noisy-neighbour']) {
      expect(table).toMatch(new RegExp(`${kind} .* anomaly: \\w+ .* fixed \\d\\d:\\d\\d by `));
    }
    expect(table).toMatch(/memory-leak .* restart succeeded/);
    expect(table).toMatch(/noisy-neighbour .* migrate rejected, migrate by hand succeeded/);
    expect(table).toMatch(/disk filling slowly .* forecast: 85% by \d\d:\d\d .* clean-disk dry-run/);
    expect(run.stdout).toMatch(/Remediations +\d+ succeeded · .*dry-run/);
    expect(run.stdout).toMatch(/Approvals +\d+ approved, [1-9]\d* declined/);
    expect(run.stdout).toMatch(/Audit +\d+ hash-chained history records, verified intact/);
    expect(run.stdout).toMatch(/Engine +\d+ records ingested, 0 rejected, 0 errors/);
    if (modelsPresent('failure')) {
      expect(table).toMatch(
        /turbofan wear \(C-MAPSS FD001\/22\) .* prediction: P\(fail ≤ \d+ cycles\) = 0\.\d+ .* cycle \d+: \d+ cycles/,
      );
      expect(run.stdout).toMatch(/a validation engine the failure model never trained on/);
    } else {
      expect(run.stdout).toMatch(/Skipped +the failure model is not available/);
    }
    if (modelsPresent('threat')) expect(table).toMatch(/port scan .* threat: probe.*, [1-9]\d*\/240 flagged/);
    else expect(run.stdout).toMatch(/Skipped +the threat model is not available/);
  });

  it('writes a report that draws its charts offline in headless Chromium', async () => {
    const path = join(folder, 'report.html');
    expect(readFileSync(path, 'utf8')).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    browser = await chromium.launch({
      executablePath: process.env.DHARMA_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(path).href);
    await page.waitForFunction(() => document.body.getAttribute('data-charts-drawn') !== null, undefined, {
      timeout: 20_000,
    });
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll('.chart')].map((chart) => {
        const canvas = chart.querySelector('canvas');
        if (!canvas) return { id: chart.id, painted: 0 };
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) painted++;
        return { id: chart.id, painted, width: canvas.width, height: canvas.height };
      }),
    );
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(path).href]);
    const ids = charts.map((chart) => chart.id);
    expect(ids).toEqual(expect.arrayContaining(['series-0', 'forecast-chart', 'timeline-chart']));
    if (modelsPresent('failure')) expect(ids).toContain('turbofan-chart');
    if (modelsPresent('threat')) expect(ids).toContain('threat-chart');
    expect(charts.length).toBeGreaterThanOrEqual(5);
    // Every chart has a canvas with drawn lines/points on it (a blank canvas has no opaque pixels).
    for (const chart of charts) expect(chart.painted, chart.id).toBeGreaterThan(500);
    expect(await page.locator('.uplot').count()).toBe(charts.length);
  });
});
