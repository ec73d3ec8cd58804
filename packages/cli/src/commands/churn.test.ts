import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardOf, flat, parityOf, readCsv, runCli, temporaryFolder } from '../io/run-cli.test-support.js';

describe('dharma churn (child process)', () => {
  it('writes customerID,churn_probability and reports imputed blank TotalCharges and bad lines', async () => {
    const parity = parityOf('churn');
    const names = cardOf('churn').features.map((feature) => feature.name);
    const header = ['customerID', ...names, 'Churn'];
    const lines = parity.rows.map((row, index) =>
      [`C-${index}`, ...names.map((name) => String((row.raw as Record<string, unknown>)[name])), 'No'].join(','),
    );
    lines.splice(3, 0, 'C-bad,too,few');
    const blanks = parity.rows.filter(
      (row) => String((row.raw as Record<string, unknown>)['TotalCharges']).trim() === '',
    ).length;
    const folder = temporaryFolder();
    const input = join(folder, 'customers.csv');
    const out = join(folder, 'churn.csv');
    writeFileSync(input, `${[header.join(','), ...lines].join('\r\n')}\r\n`);

    const result = await runCli(['churn', '--input', input, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('line 5:');
    expect(blanks).toBeGreaterThan(0);
    expect(result.stderr).toContain(`${blanks} rows had a blank or unparseable TotalCharges, imputed as 0`);
    expect(result.stderr).toMatch(new RegExp(`scored ${parity.rows.length} rows, rejected 1 lines`));

    const [outHeader, ...rows] = readCsv(out);
    expect(outHeader).toEqual(['customerID', 'churn_probability']);
    expect(rows).toHaveLength(parity.rows.length);
    rows.forEach(([id, probability], index) => {
      expect(id).toBe(`C-${index}`);
      expect(Number(probability)).toBeCloseTo(flat(parity.rows[index]!.outputs['probabilities'])[1]!, 5);
    });
  });
});
