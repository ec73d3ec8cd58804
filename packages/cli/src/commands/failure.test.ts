import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flat, parityOf, readCsv, runCli, temporaryFolder } from '../io/run-cli.test-support.js';

describe('dharma failure (child process)', () => {
  it('writes unit,rul,probability for the last cycle of each unit', async () => {
    const parity = parityOf('failure');
    const sensors = parity.sensorNames!;
    const rows = parity.rows.slice(0, 40);
    // Rebuild C-MAPSS lines: unit, cycle, 3 settings, 21 sensors (sensors the model does not use are 0).
    const lines: string[] = [];
    rows.forEach((row, unitIndex) => {
      (row.raw as { sensors: number[][] }).sensors.forEach((values, cycle) => {
        const columns = new Array<number>(26).fill(0);
        columns[0] = unitIndex + 1;
        columns[1] = cycle + 1;
        sensors.forEach((sensor, index) => (columns[4 + Number(sensor.replace('sensor_', ''))] = values[index]!));
        lines.push(`${columns.join(' ')}  `);
      });
    });
    lines.splice(10, 0, '1 x 0.5');
    const folder = temporaryFolder();
    const input = join(folder, 'test_FD001.txt');
    const out = join(folder, 'rul.csv');
    writeFileSync(input, `${lines.join('\n')}\n`);

    const result = await runCli(['failure', '--format', 'cmapss', '--input', input, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('line 11:');
    expect(result.stderr).toMatch(new RegExp(`scored ${rows.length} units, rejected 1 lines`));

    const [header, ...written] = readCsv(out);
    expect(header).toEqual(['unit', 'rul', 'probability']);
    expect(written).toHaveLength(rows.length);
    written.forEach(([unit, rul, probability], index) => {
      expect(Number(unit)).toBe(index + 1);
      expect(Number(rul)).toBeCloseTo(flat(rows[index]!.outputs['rul'])[0]!, 3);
      expect(Number(probability)).toBeCloseTo(flat(rows[index]!.outputs['failureProbability'])[0]!, 5);
    });
  });

  it('lists only failure models in --help and refuses a classifier (exit 2)', async () => {
    const help = await runCli(['failure', '--help']);
    expect(help.stdout).toContain('default: failure; bundled alternative: failure-lstm');
    expect(help.stdout).not.toContain('threat-rf');
    const result = await runCli(['failure', '--input', '-', '--out', '-', '--model', 'threat']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--model threat is a multiclass-classification model; this command needs a sensor-window regression model',
    );
  });
});
