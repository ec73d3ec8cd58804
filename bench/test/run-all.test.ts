import { describe, expect, it } from 'vitest';
import {
  BENCHMARKS,
  HEADLINES,
  benchCommand,
  formatNumber,
  renderArea,
  renderPeerComparison,
  renderReport,
  renderTable,
  renderValue,
} from '../src/run-all.js';

// Rendering of bench/results/<area>.json into docs/benchmarks.md (importing run-all.ts runs no benchmark).

const scoring = {
  title: 'Model scoring',
  description: 'SDK vs bare.',
  command: 'npx tsx bench/src/scoring/scoring-bench.ts',
  measuredAt: '2026-01-02T03:04:05.000Z',
  figures: [
    {
      model: 'threat',
      algorithm: 'xgboost',
      'bare p50 ms': 0.02,
      'SDK p50 ms': 0.021,
      'SDK p99 ms': 0.15,
      'SDK overhead p50': '+5.0%',
      'SDK rows/s (batch 1024)': 250_000,
    },
    {
      model: 'failure-lstm',
      algorithm: 'lstm',
      'bare p50 ms': 0.1,
      'SDK p50 ms': 0.13,
      'SDK p99 ms': 0.9,
      'SDK overhead p50': '+30.0%',
      'SDK rows/s (batch 1024)': 20_000,
    },
  ],
  spread: { threat: { sdkP50: { median: 0.021, min: 0.02, max: 0.03 } } },
};

describe('cells', () => {
  it('formats numbers without exponent notation for large values', () => {
    expect(formatNumber(1_917_319.22)).toBe('1,917,319');
    expect(formatNumber(12.34567)).toBe('12.35');
    expect(formatNumber(0.0052861)).toBe('0.00529');
    expect(formatNumber(42)).toBe('42');
  });

  it('renders spreads as median (min–max) and escapes table syntax', () => {
    expect(renderValue({ median: 2128, min: 1876.9, max: 3332.5, runs: 7 })).toBe('2,128 (1,877–3,333, n=7)');
    expect(renderValue({ median: 6, p25: 5, p75: 7 })).toBe('6 (IQR 5–7)');
    expect(renderValue('a | b')).toBe('a \\| b');
    expect(renderValue(null)).toBe('—');
    expect(renderValue(true)).toBe('yes');
  });

  it('renders rows as a markdown table with every column, right-aligning numbers', () => {
    expect(
      renderTable([
        { model: 'a', ms: 1.5 },
        { model: 'b', extra: 'x' },
      ]),
    ).toEqual(['| model | ms | extra |', '|---|---:|---|', '| a | 1.5 | — |', '| b | — | x |']);
  });
});

describe('renderArea', () => {
  it('renders a results file with figures as title, description, table, command and details', () => {
    const markdown = renderArea('scoring', scoring);
    expect(markdown).toMatch(/^## Model scoring\n\nSDK vs bare\./);
    expect(markdown).toContain(
      '| model | algorithm | bare p50 ms | SDK p50 ms | SDK p99 ms | SDK overhead p50 | SDK rows/s (batch 1024) |',
    );
    expect(markdown).toContain('| threat | xgboost | 0.02 | 0.021 | 0.15 | +5.0% | 250,000 |');
    expect(markdown).toContain('Reproduce: `npx tsx bench/src/scoring/scoring-bench.ts`');
    expect(markdown).toContain('Measured: 2026-01-02T03:04:05.000Z');
    expect(markdown).toContain('<details><summary>All figures</summary>');
    expect(markdown).toContain('"sdkP50"');
  });

  it('checks the scoring goals: overhead < 10% for every model, p99 < 0.2 ms for tree models only', () => {
    const rows = HEADLINES['scoring']!(scoring);
    expect(rows.map((row) => [row.figure, row.met])).toEqual([
      ['threat (xgboost): SDK overhead vs bare onnxruntime-node, p50', true],
      ['threat (xgboost): SDK single-row p99', true],
      ['failure-lstm (lstm): SDK overhead vs bare onnxruntime-node, p50', false],
    ]);
    expect(renderArea('scoring', scoring)).toContain(
      '| threat (xgboost): SDK single-row p99 | 0.15 ms | < 0.2 ms | ✅ |',
    );
  });

  it('renders a file without figures from its row arrays and top-level spreads, with a fallback title and command', () => {
    const markdown = renderArea(
      'remediation',
      {
        benchmark: 'remediation',
        autoRemediationRate: { median: 0.99, min: 0.98, max: 1, runs: 5 },
        guardViolations: 0,
        perSeed: [{ seed: 1, rate: 0.99 }],
        learningCurve: Array.from({ length: 50 }, (_, index) => ({ block: index, rate: 0.5 })),
      },
      { modifiedAt: '2026-01-01T00:00:00.000Z' },
    );
    expect(markdown).toMatch(/^## Auto-remediation on the fleet simulator/);
    expect(markdown).toContain('| autoRemediationRate | 0.99 (0.98–1, n=5) |');
    expect(markdown).toContain('| guardViolations | 0 |');
    expect(markdown).toContain('| 1 | 0.99 |');
    expect(markdown).toContain(
      'Reproduce: `npx tsx --conditions=@iac-dharma/source bench/src/remediation/remediation-bench.ts 200 5`',
    );
    expect(markdown).toContain('Measured: 2026-01-01T00:00:00.000Z (results file written)');
    // the long learning curve is not a table but stays in the details
    expect(markdown).not.toContain('| 49 | 0.5 |');
    expect(markdown).toContain('"learningCurve"');
  });

  it('marks figures that were not re-measured and results that record why they were not run', () => {
    const markdown = renderArea(
      'python-peers',
      {
        title: 'Python peers',
        notRun: 'not run: training/.venv missing (bash training/setup.sh)',
        figures: [],
        measuredAt: '2026-01-01',
      },
      { skipped: 'exited with status 1' },
    );
    expect(markdown).toContain(
      '> **Not re-measured in the last run** (exited with status 1); the figures below are from 2026-01-01.',
    );
    expect(markdown).toContain('**not run: training/.venv missing (bash training/setup.sh)**');
  });

  it('renders the NAB scores of every profile as headline figures', () => {
    const nab = { scores: { standard: { profile: 'standard', threshold: 0.4766, normalizedScore: 75.3249 } } };
    expect(renderArea('nab', nab)).toContain('| NAB score, standard profile (threshold 0.477) | 75.32 |');
  });

  it('checks Kafka goals written as "≥ n" and "< n"', () => {
    const rows = HEADLINES['kafka']!({
      figures: [
        { scenario: 'drain', instances: 1, median: 25_000, unit: 'samples/s', goal: '≥ 20000' },
        { scenario: 'p99', instances: 1, median: 80, unit: 'ms', goal: '< 50' },
        { scenario: 'p50', instances: 1, median: 10, unit: 'ms', goal: '—' },
      ],
    });
    expect(rows.map((row) => row.met)).toEqual([true, false]);
  });
});

describe('renderPeerComparison', () => {
  it('joins scoring and Python peer rows by model, with the library / SDK ratio', () => {
    const peers = {
      figures: [
        { model: 'threat', 'library p50 ms': 0.21, 'Python ORT p50 ms': 0.018, 'library rows/s (batch 1024)': 80_000 },
      ],
    };
    const lines = renderPeerComparison(scoring, peers).join('\n');
    expect(lines).toContain('| threat | 0.021 | 0.02 | 0.018 | 0.21 | 0.15 | — | — | 10× | 250,000 | — | 80,000 |');
    expect(lines).not.toContain('failure-lstm');
    expect(renderPeerComparison(scoring, { figures: [] })).toEqual([]);
  });
});

describe('renderReport', () => {
  it('has the machine, a goals summary, one section per results file in run order, and the not-run list', () => {
    const report = renderReport({
      results: { zeta: { title: 'Zeta' }, scoring },
      skipped: { kafka: 'no broker: run `bash scripts/services/start-kafka.sh` first' },
      machine: '2 × Test CPU',
      generatedAt: '2026-01-02T00:00:00.000Z',
    });
    expect(report).toMatch(/^# Benchmarks\n/);
    expect(report).toContain('2 × Test CPU. Report written 2026-01-02T00:00:00.000Z.');
    expect(report).toContain(
      '| scoring: failure-lstm (lstm): SDK overhead vs bare onnxruntime-node, p50 | +30.0% | < +10% | ❌ |',
    );
    expect(report.indexOf('## Model scoring')).toBeLessThan(report.indexOf('## Zeta'));
    expect(report).toContain('## Not run in the last invocation\n\n- kafka: no broker');
    expect(report).toContain('## How to reproduce');
  });
});

describe('BENCHMARKS', () => {
  it('lists every area once, with an entry file under its area folder', () => {
    const areas = BENCHMARKS.map((bench) => bench.area);
    expect(new Set(areas).size).toBe(areas.length);
    expect(areas).toEqual(
      expect.arrayContaining([
        'anomaly',
        'nab',
        'm4',
        'scoring',
        'python-peers',
        'remediation',
        'optimizer',
        'gateway',
        'kafka',
        'browser',
      ]),
    );
    expect(benchCommand(BENCHMARKS.find((bench) => bench.area === 'anomaly')!)).toBe(
      'npx tsx --expose-gc --conditions=@iac-dharma/source bench/src/anomaly/anomaly-throughput.ts',
    );
  });
});

describe('M4 headline', () => {
  it('reports the OWA of the default forecaster per origin', () => {
    const rows = HEADLINES['m4']!({
      rows: [
        { method: 'naive2', origin: 'validation', smape: 19, mase: 2.4, owa: 1 },
        { method: 'select (default)', origin: 'validation', smape: 10.29, mase: 0.881, owa: 0.447 },
      ],
    });
    expect(rows).toEqual([
      {
        figure: 'default forecaster (select), validation split: OWA (sMAPE 10.29, MASE 0.881)',
        measured: '0.447',
        goal: '— (Naive2 = 1, lower is better)',
      },
    ]);
  });
});
