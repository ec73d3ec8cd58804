import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { HOURS_PER_MONTH, estimateSavings } from './estimate-savings.js';

const GIB = 2 ** 30;

describe('estimateSavings', () => {
  it('prices freed cores and GiB per replica, per hour and per month', () => {
    const estimate = estimateSavings(
      [
        // 3 replicas: 2 → 0.5 cores and 4 → 1.5 GiB each: 4.5 cores and 7.5 GiB freed.
        {
          workload: 'api',
          replicas: 3,
          cpu: { target: 0.5, current: 2, lowerBound: 0, upperBound: 1, riskAtTarget: 0 },
          memory: { target: 1.5 * GIB, current: 4 * GIB, lowerBound: 0, upperBound: 0, riskAtTarget: 0 },
        },
        // Under-provisioned: needs 1 more core; memory request unknown → contributes nothing.
        {
          workload: 'db',
          replicas: 1,
          cpu: { target: 3, current: 2, lowerBound: 0, upperBound: 1, riskAtTarget: 0 },
          memory: { target: GIB, lowerBound: 0, upperBound: 0, riskAtTarget: 0 },
        },
      ],
      { cpuCoreHour: 0.04, memoryGiBHour: 0.005 },
    );
    const [api, db] = estimate.workloads;
    expect(api!.cpuCores).toBeCloseTo(4.5, 12);
    expect(api!.memoryGiB).toBeCloseTo(7.5, 12);
    expect(api!.hourly).toBeCloseTo(4.5 * 0.04 + 7.5 * 0.005, 12); // 0.2175
    expect(api!.monthly).toBeCloseTo(0.2175 * 730, 9);
    expect(db!.hourly).toBeCloseTo(-0.04, 12);
    expect(db!.memoryGiB).toBe(0);
    expect(estimate.totalHourly).toBeCloseTo(0.1775, 12);
    expect(estimate.totalMonthly).toBeCloseTo(0.1775 * HOURS_PER_MONTH, 9);
  });

  it('rejects bad prices and recommendations', () => {
    expect(() => estimateSavings([], { cpuCoreHour: -1, memoryGiBHour: 0 })).toThrowError(/prices\.cpuCoreHour/);
    expect(() =>
      estimateSavings([{ workload: 'x', replicas: 1, cpu: { target: Number.NaN }, memory: { target: 1 } } as never], {
        cpuCoreHour: 1,
        memoryGiBHour: 1,
      }),
    ).toThrowError(ValidationError);
  });
});
