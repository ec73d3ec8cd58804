import { describe, expect, it } from 'vitest';
import { runExample } from '../src/index.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('@example/gateway-client', () => {
  it('runs the walkthrough end to end and leaves no worker processes behind', async () => {
    const lines: string[] = [];
    const report = await runExample((line) => lines.push(line));
    expect(report.alert).toMatchObject({ resourceId: 'shop-node', value: 900 });
    expect(report.forecastSummary).toMatch(/shop-node\/disk_used_gb against 80: the point forecast crosses it in \d/);
    expect(report.pidsAfterScaleUp).toHaveLength(3);
    expect(report.pidsAfterScaleDown).toHaveLength(1);
    // createInfrastructure starts the first replica through the remediator too, then scale up and down.
    expect(report.historyOutcomes.filter(Boolean)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect([...report.pidsAfterScaleUp, ...report.pidsAfterScaleDown].some(alive)).toBe(false);
    expect(lines[0]).toMatch(/^gateway on http:\/\/127\.0\.0\.1:\d+\/graphql/);
  });
});
