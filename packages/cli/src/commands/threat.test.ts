import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardOf, flat, parityOf, readCsv, runCli, temporaryFolder } from '../io/run-cli.test-support.js';

describe('dharma threat (child process)', () => {
  it('writes label,attack_probability for every valid row, in order, and reports bad lines', async () => {
    const parity = parityOf('threat');
    const labels = cardOf('threat').labels!;
    const names = cardOf('threat').features.map((feature) => feature.name);
    const lines = parity.rows.map((row) =>
      [...names.map((name) => String((row.raw as Record<string, unknown>)[name])), 'neptune', '21'].join(','),
    );
    const bad = 'this,is,not,a,connection';
    lines.splice(5, 0, bad);
    const folder = temporaryFolder();
    const input = join(folder, 'kdd.txt');
    const out = join(folder, 'out.csv');
    writeFileSync(input, `${lines.join('\n')}\n`);

    const result = await runCli(['threat', '--format', 'nsl-kdd', '--input', input, '--out', out]);
    expect(result.stderr).toContain('line 6:');
    expect(result.stderr).toMatch(new RegExp(`scored ${parity.rows.length} rows, rejected 1 lines`));
    expect(result.code).toBe(0);

    const [header, ...rows] = readCsv(out);
    expect(header).toEqual(['label', 'attack_probability']);
    expect(rows).toHaveLength(parity.rows.length);
    rows.forEach(([label, probability], index) => {
      const expected = flat(parity.rows[index]!.outputs['probabilities']);
      expect(label).toBe(labels[expected.indexOf(Math.max(...expected))]);
      expect(Number(probability)).toBeCloseTo(1 - expected[0]!, 5);
    });
  });

  it('exits with 2 and the usage when --input is missing', async () => {
    const result = await runCli(['threat', '--format', 'nsl-kdd', '--out', '-']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--input is required');
  });

  it('lists only compatible bundled models in --help', async () => {
    const result = await runCli(['threat', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('default: threat; bundled alternative: threat-rf');
    expect(result.stdout).not.toContain('failure-lstm');
  });

  it('refuses a model of another kind once, with a usage error (exit 2), before reading the input', async () => {
    const parity = parityOf('threat');
    const names = cardOf('threat').features.map((feature) => feature.name);
    const folder = temporaryFolder();
    const input = join(folder, 'kdd.txt');
    writeFileSync(
      input,
      `${parity.rows
        .slice(0, 20)
        .map((row) => names.map((name) => String((row.raw as Record<string, unknown>)[name])).join(','))
        .join('\n')}\n`,
    );
    const result = await runCli([
      'threat',
      '--format',
      'nsl-kdd',
      '--input',
      input,
      '--out',
      join(folder, 'out.csv'),
      '--model',
      'failure-lstm',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'dharma threat: --model failure-lstm is a regression model over a sensor window; this command needs a multiclass connection classifier (NSL-KDD). Compatible bundled models: threat, threat-rf.',
    ]);
  });
});
