import { createSeededRandom, type IncidentKind } from '@iac-dharma/core/simulator';

/** One incident the demo injects into the fleet simulator. */
export interface ScheduledIncident {
  /** Simulated time (epoch ms). */
  at: number;
  service: string;
  kind: IncidentKind;
}

/** The timeline of one demo run, derived from `--hours` and `--seed` only. */
export interface DemoScenario {
  seed: number;
  /** Simulated start (epoch ms). */
  start: number;
  /** Simulated length, ms. */
  durationMs: number;
  /** Quiet first part of the run while the detectors learn the fleet's normal behaviour, ms. */
  warmupMs: number;
  /** Simulated time between two samples of every metric, ms. */
  stepMs: number;
  services: string[];
  incidents: ScheduledIncident[];
  /** After the on-call declines the host move, an operator migrates the service by hand at this time. */
  manualMigration: { at: number; service: string };
  /** One service's disk fills slowly (log growth): the capacity forecaster should warn before it is full. */
  diskFill: { service: string; startAt: number; ratePerHour: number; threshold: number };
  /** A port scan against the edge gateway. */
  portScan: { at: number; source: string; target: string; connections: number; durationMs: number };
  /** The turbofan asset replays one C-MAPSS trajectory: one engine cycle every `cycleMs` from `start`. */
  turbofan: { resource: string; cycleMs: number };
  /** How often the capacity forecaster re-forecasts (simulated), ms. */
  forecastEveryMs: number;
  /** Capacity forecast horizon in 5-minute steps. */
  forecastHorizon: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The alert threshold of disk utilisation (the simulator's, 85 %). */
export const DISK_THRESHOLD = 0.85;

/**
 * Builds the run's timeline. Incidents are spread over the part after the warm-up, in a fixed order of
 * kinds; which service gets which incident depends on the seed.
 */
export function createDemoScenario(options: { seed: number; hours: number; cycles: number }): DemoScenario {
  const random = createSeededRandom(options.seed);
  const services = ['svc-1', 'svc-2', 'svc-3', 'svc-4', 'svc-5'];
  const shuffled = [...services];
  for (let index = shuffled.length - 1; index > 0; index--) {
    const other = random.int(index + 1);
    [shuffled[index], shuffled[other]] = [shuffled[other]!, shuffled[index]!];
  }
  const start = Date.UTC(2026, 0, 1);
  const durationMs = options.hours * HOUR;
  const warmupMs = 3 * HOUR;
  const span = durationMs - warmupMs;
  const at = (fraction: number) => start + warmupMs + Math.round((span * fraction) / MINUTE) * MINUTE;
  const kinds: IncidentKind[] = ['memory-leak', 'cpu-saturation', 'bad-deploy', 'noisy-neighbour'];
  const incidents = kinds.map((kind, index) => ({
    at: at([0.1, 0.3, 0.5, 0.75][index]!),
    service: shuffled[index]!,
    kind,
  }));
  const noisy = incidents[3]!;
  return {
    seed: options.seed,
    start,
    durationMs,
    warmupMs,
    stepMs: MINUTE,
    services,
    incidents,
    manualMigration: { at: noisy.at + 20 * MINUTE, service: noisy.service },
    // Logs grow all day: from a ~40 % baseline the disk reaches 85 % some 15 % after the end of the run.
    diskFill: {
      service: shuffled[4]!,
      startAt: start,
      ratePerHour: 0.45 / ((durationMs * 1.15) / HOUR),
      threshold: DISK_THRESHOLD,
    },
    portScan: { at: at(0.6), source: '203.0.113.66', target: 'edge-gw', connections: 240, durationMs: 12_000 },
    turbofan: { resource: 'turbofan-1', cycleMs: Math.floor((durationMs * 0.97) / options.cycles) },
    forecastEveryMs: 15 * MINUTE,
    forecastHorizon: Math.max(24, Math.ceil((span * 0.5) / (5 * MINUTE))),
  };
}
