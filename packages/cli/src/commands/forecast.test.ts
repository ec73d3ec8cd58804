import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'dharma-forecast-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

function dharma(...args: string[]) {
  return run(process.execPath, [join(root, 'packages/cli/bin/dharma.js'), 'forecast', ...args], { cwd: root }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

/** A small M4-format file: quoted cells, ragged rows (like Hourly-train.csv). */
function writeM4(path: string, rows: Array<{ id: string; values: Array<number | string> }>) {
  const width = Math.max(...rows.map((row) => row.values.length)) + 1;
  const header = Array.from({ length: width }, (_, index) => `"V${index + 1}"`).join(',');
  const lines = rows.map((row) => [row.id, ...row.values].map((cell) => `"${cell}"`).join(','));
  writeFileSync(path, `${header}\n${lines.join('\n')}\n`);
}

const daily = (length: number, level: number) =>
  Array.from({ length }, (_, t) => Math.round(level + 20 * Math.sin((2 * Math.PI * t) / 24) + (t % 5)));

describe('dharma forecast (child process)', () => {
  it('writes id,F1..Fh for every series with a progress bar on stderr', async () => {
    const input = join(work, 'small.csv');
    const out = join(work, 'small-out.csv');
    writeM4(input, [
      { id: 'H1', values: daily(24 * 10, 100) },
      { id: 'H2', values: daily(24 * 8, 500) },
      { id: 'H3', values: new Array(50).fill(7) },
    ]);
    const result = await dharma('--format', 'm4', '--input', input, '--horizon', '48', '--out', out);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('[##############################] 3/3 series');
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    expect(lines[0]).toEqual(['id', ...Array.from({ length: 48 }, (_, index) => `F${index + 1}`)]);
    expect(lines.map((line) => line[0])).toEqual(['id', 'H1', 'H2', 'H3']);
    for (const line of lines.slice(1)) {
      expect(line).toHaveLength(49);
      expect(line.slice(1).every((cell) => Number.isFinite(Number(cell)))).toBe(true);
    }
    // H1 repeats its daily cycle; H3 is constant.
    const h1 = lines[1]!.slice(1).map(Number);
    expect(Math.abs(h1[0]! - h1[24]!)).toBeLessThan(5);
    expect(Math.max(...h1) - Math.min(...h1)).toBeGreaterThan(30);
    expect(lines[3]!.slice(1).every((cell) => cell === '7')).toBe(true);
  });

  it('reports bad series with their line, still writes a row for each, and exits 1', async () => {
    const input = join(work, 'bad.csv');
    const out = join(work, 'bad-out.csv');
    writeM4(input, [
      { id: 'H1', values: [1, 2] },
      { id: 'H2', values: [...daily(100, 50).slice(0, 60), 'oops', ...daily(100, 50).slice(61)] },
    ]);
    const result = await dharma('--input', input, '--horizon', '6', '--out', out, '--seasons', '24');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 2 \(H1\): values: need at least 3/);
    expect(result.stderr).toMatch(/line 3 \(H2\): column 62 is not a number/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('H1,2,2,2,2,2,2');
  });

  it('writes calibrated interval bounds with --level --lower-out --upper-out, in the --out layout', async () => {
    const input = join(work, 'intervals.csv');
    const out = join(work, 'intervals-point.csv');
    const lowerOut = join(work, 'intervals-lower.csv');
    const upperOut = join(work, 'intervals-upper.csv');
    writeM4(input, [
      { id: 'H1', values: daily(24 * 30, 100) },
      { id: 'H2', values: daily(24 * 20, 30) },
    ]);
    const result = await dharma(
      '--format',
      'm4',
      '--input',
      input,
      '--horizon',
      '48',
      '--out',
      out,
      '--level',
      '95',
      '--lower-out',
      lowerOut,
      '--upper-out',
      upperOut,
    );
    expect(result.code).toBe(0);
    const read = (path: string) =>
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(','));
    const [point, lower, upper] = [read(out), read(lowerOut), read(upperOut)];
    const header = ['id', ...Array.from({ length: 48 }, (_, index) => `F${index + 1}`)];
    for (const table of [point, lower, upper]) {
      expect(table[0]).toEqual(header);
      expect(table.map((line) => line[0])).toEqual(['id', 'H1', 'H2']);
    }
    for (let row = 1; row < 3; row++) {
      for (let column = 1; column <= 48; column++) {
        const [low, mid, high] = [lower, point, upper].map((table) => Number(table[row]![column]));
        expect(low).toBeLessThanOrEqual(mid!);
        expect(high).toBeGreaterThanOrEqual(mid!);
        expect(low).toBeGreaterThanOrEqual(0); // no negative history: bounds floored at 0
      }
      // Not degenerate: the bounds are apart.
      expect(Number(upper[row]![48]) - Number(lower[row]![48])).toBeGreaterThan(0);
    }
    // A lower level gives narrower intervals.
    const narrowUpper = join(work, 'intervals-upper-50.csv');
    expect((await dharma('--input', input, '--out', out, '--level', '50', '--upper-out', narrowUpper)).code).toBe(0);
    const narrow = read(narrowUpper);
    expect(Number(narrow[1]![10]) - Number(point[1]![10])).toBeLessThan(Number(upper[1]![10]) - Number(point[1]![10]));
  });

  it('rejects a --level outside (0, 100) with exit 2', async () => {
    const result = await dharma('--input', 'x.csv', '--out', 'y.csv', '--level', '0.95x');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/options\.level/);
    const high = await dharma('--input', 'x.csv', '--out', 'y.csv', '--level', '100');
    expect(high.code).toBe(2);
    expect(high.stderr).toMatch(/options\.level: a percentage between 0 and 100/);
  });

  it('exits 2 with a clear message for bad options', async () => {
    const missing = await dharma('--format', 'm4', '--horizon', '48');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/options\.input: required/);
    const format = await dharma('--format', 'tsv', '--input', 'x.csv', '--out', 'y.csv');
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/options\.format/);
    const horizon = await dharma('--input', 'x.csv', '--out', 'y.csv', '--horizon', 'abc');
    expect(horizon.code).toBe(2);
    expect(horizon.stderr).toMatch(/options\.horizon/);
  });
});
