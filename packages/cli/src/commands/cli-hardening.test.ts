import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, temporaryFolder } from '../io/run-cli.test-support.js';

/** stderr must be short, human lines: no stack trace, no "Unhandled 'error' event". */
function expectOneLineErrors(stderr: string) {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/Unhandled|node:internal/);
}

describe('dharma CLI: usage errors, outputs and exit codes', () => {
  it('exits 2 with one line for an unknown option, and for no command', async () => {
    const unknown = await runCli(['forecast', '--bogus', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--bogus/);
    expectOneLineErrors(unknown.stderr);
    expect((await runCli([])).code).toBe(2);
  });

  it('refuses an unwritable output before any work, in one line, exit 2', async () => {
    const folder = temporaryFolder();
    const input = join(folder, 'series.csv');
    writeFileSync(input, '"V1","V2","V3","V4"\n"H1",1,2,3\n');
    const forecast = await runCli([
      'forecast',
      '--input',
      input,
      '--out',
      join(folder, 'missing-dir', 'out.csv'),
      '--horizon',
      '2',
    ]);
    expect(forecast.code).toBe(2);
    expect(forecast.stderr).toMatch(/--out/);
    expectOneLineErrors(forecast.stderr);
    const churn = await runCli(['churn', '--input', input, '--out', join(folder, 'missing-dir', 'out.csv')]);
    expect(churn.code).toBe(2);
    expect(churn.stderr).toMatch(/--out/);
    expectOneLineErrors(churn.stderr);
  });

  it('leaves no output file behind when the input is missing', async () => {
    const folder = temporaryFolder();
    const out = join(folder, 'out.csv');
    const result = await runCli(['threat', '--input', join(folder, 'nope.csv'), '--out', out]);
    expect(result.code).not.toBe(0);
    expectOneLineErrors(result.stderr);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('forecast: 1e308-scale values are bad input, never Infinity cells', async () => {
    const folder = temporaryFolder();
    const input = join(folder, 'huge.csv');
    const out = join(folder, 'out.csv');
    const huge = Array.from({ length: 60 }, (_, index) => (index % 2 ? 1e308 : 9e307));
    writeFileSync(input, `"V1"\n${['"H1"', ...huge.map((value) => `"${value}"`)].join(',')}\n`);
    const result = await runCli(['forecast', '--input', input, '--out', out, '--horizon', '4']);
    expect(result.code).toBe(1);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/Infinity|NaN/);
    expect(result.stderr).toMatch(/1 with bad input/);
  });

  it('anomaly: an empty input file is a failure (exit 1), as for the other commands', async () => {
    const folder = temporaryFolder();
    const input = join(folder, 'empty.csv');
    writeFileSync(input, '');
    const result = await runCli(['anomaly', '--input', input, '--out', join(folder, 'out')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/empty/);
  });
});
