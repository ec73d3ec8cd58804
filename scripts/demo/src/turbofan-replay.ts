import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MetricSampleInput } from '@iac-dharma/core';

/** The committed excerpt: every cycle of C-MAPSS FD001 training engine 22 (a validation engine of the failure model). */
export const TURBOFAN_TRAJECTORY = fileURLToPath(new URL('../data/cmapss-fd001-unit-22.txt', import.meta.url));

/** One engine's run to failure, as recorded in C-MAPSS. */
export interface TurbofanTrajectory {
  /** `FD001/22`. */
  engine: string;
  unit: number;
  /** Rows in cycle order: `sensor_1` … `sensor_21` by name. */
  cycles: Array<{ cycle: number; sensors: Record<string, number> }>;
}

/**
 * Reads a C-MAPSS trajectory file (unit, cycle, 3 settings, 21 sensors per whitespace-separated line).
 * The last cycle is the engine's end of life (the data is run-to-failure).
 */
export function readTurbofanTrajectory(path = TURBOFAN_TRAJECTORY, subset = 'FD001'): TurbofanTrajectory {
  const cycles: TurbofanTrajectory['cycles'] = [];
  let unit = Number.NaN;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/).map(Number);
    if (fields.length !== 26 || fields.some((value) => !Number.isFinite(value))) continue;
    unit = fields[0]!;
    const sensors: Record<string, number> = {};
    for (let index = 1; index <= 21; index++) sensors[`sensor_${index}`] = fields[4 + index]!;
    cycles.push({ cycle: fields[1]!, sensors });
  }
  if (cycles.length === 0) throw new Error(`${path}: no C-MAPSS rows found.`);
  return { engine: `${subset}/${unit}`, unit, cycles };
}

/** The samples of one cycle: one metric per sensor the model uses, all with the same timestamp (one row). */
export function cycleSamples(options: {
  resource: string;
  row: TurbofanTrajectory['cycles'][number];
  sensors: readonly string[];
  timestamp: number;
}): MetricSampleInput[] {
  return options.sensors.map((sensor) => ({
    resource: options.resource,
    metric: sensor,
    value: options.row.sensors[sensor]!,
    timestamp: options.timestamp,
  }));
}
