import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { AnomalyDetector } from '@iac-dharma/core';

const run = promisify(execFile);
const root = new URL('../../../../', import.meta.url).pathname;
const nab = join(process.env.NAB_DIR ?? '/work/shared/datasets/nab', 'data');
const NAB_FILES = [
  'realKnownCause/ec2_request_latency_system_failure.csv',
  'artificialWithAnomaly/art_daily_jumpsup.csv',
];
const work = mkdtempSync(join(tmpdir(), 'dharma-anomaly-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Runs `dharma anomaly` as a child process: through packages/cli/bin/dharma.js (which prefers a built
 * dist/ when one exists), or with `fromSource` through the TypeScript sources exactly as that bin does
 * on a fresh clone, so a stale build cannot hide a difference from the library under test.
 */
function dharma(options: { fromSource?: boolean }, ...args: string[]) {
  const entry = options.fromSource
    ? ['--conditions=@iac-dharma/source', '--import', 'tsx', join(root, 'packages/cli/src/bin.ts')]
    : [join(root, 'packages/cli/bin/dharma.js')];
  return run(process.execPath, [...entry, 'anomaly', ...args], { cwd: root }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

function readCsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','));
}

describe.skipIf(!existsSync(nab))('dharma anomaly (child process)', () => {
  it('writes timestamp,value,anomaly_score for each NAB file at the same relative path', async () => {
    const input = join(work, 'in');
    for (const file of NAB_FILES) {
      mkdirSync(join(input, file, '..'), { recursive: true });
      copyFileSync(join(nab, file), join(input, file));
    }
    const out = join(work, 'out');
    const result = await dharma({ fromSource: true }, '--input', input, '--out', out);
    expect(result.code).toBe(0);
    // This NAB file repeats 11 timestamps: those rows are kept (score 0), counted, and not learned.
    expect(result.stderr).toContain('2 of 2 files, 8053 rows scored, 11 skipped (duplicate-timestamp 11)');
    for (const file of NAB_FILES) {
      const source = readCsv(join(nab, file));
      const written = readCsv(join(out, file));
      expect(written[0]).toEqual(['timestamp', 'value', 'anomaly_score']);
      expect(written).toHaveLength(source.length);
      // Same rows, and the same scores the library gives when the file arrives as a live stream.
      const detector = new AnomalyDetector();
      for (let row = 1; row < source.length; row += 1) {
        expect(written[row]!.slice(0, 2)).toEqual(source[row]);
        const score = Number(written[row]![2]);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(score).toBe(
          detector.score('series', Date.parse(`${source[row]![0]!.replace(' ', 'T')}Z`), Number(source[row]![1])),
        );
      }
      expect(detector.stats().scored).toBe(file.includes('latency') ? 4021 : 4032);
      expect(written.slice(1).some((row) => Number(row[2]) > 0.5)).toBe(true);
    }
  });

  it('skips and counts bad rows deterministically, never writing NaN', async () => {
    const input = join(work, 'bad.csv');
    writeFileSync(
      input,
      [
        'timestamp,value',
        '2020-01-01 00:00:00,1',
        '2020-01-01 00:05:00,abc',
        '2020-01-01 00:05:00,2',
        '2020-01-01 00:05:00,3',
        '2020-01-01 00:01:00,4',
        'yesterday,5',
        '2020-01-01 00:10:00,',
        '2020-01-01 00:15:00,NaN',
        '2020-01-01 00:20:00,Infinity',
        '2020-01-01 00:25:00',
        '2020-01-01T00:30:00Z,7',
      ].join('\n'),
    );
    const out = join(work, 'bad-out');
    const result = await dharma({}, '--input', input, '--out', out);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      '3 rows scored, 8 skipped (invalid-value 4, invalid-timestamp 1, out-of-order 1, duplicate-timestamp 1, malformed-row 1)',
    );
    const written = readCsv(join(out, 'bad.csv'));
    // One output row per input row; unscored rows carry score 0.
    expect(written.map((row) => row[1])).toEqual([
      'value',
      '1',
      'abc',
      '2',
      '3',
      '4',
      '5',
      '',
      'NaN',
      'Infinity',
      '',
      '7',
    ]);
    expect(written.slice(1).every((row) => row.length === 3 && Number.isFinite(Number(row[2])))).toBe(true);
    expect(
      written
        .slice(1)
        .map((row) => Number(row[2]))
        .filter((_, index) => ![0, 2, 10].includes(index)),
    ).toEqual(new Array(8).fill(0));
  });

  it('fails clearly on a file without the columns and on missing options', async () => {
    const input = join(work, 'nocolumns');
    mkdirSync(input);
    writeFileSync(join(input, 'x.csv'), 'time,reading\n1,2\n');
    const result = await dharma({}, '--input', input, '--out', join(work, 'x-out'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('must name a "timestamp" and a "value" column');
    const missing = await dharma({}, '--input', input);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('options.out');
  });
});
