/** Small helpers of the gateway benchmark: percentiles, medians with spread, and the server process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `q`-quantile (0..1) of `values` (nearest rank). */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Median, min and max of repeated runs. */
export function spread(values: number[]): { median: number; min: number; max: number; runs: number } {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    median: round(percentile(values, 0.5)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    runs: values.length,
  };
}

/** Starts `gateway-bench-server.ts` in a child process; resolves its URL and a stop function. */
export async function startServer(
  env: Record<string, string> = {},
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const entry = fileURLToPath(new URL('./gateway-bench-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@iac-dharma/source', '--import', 'tsx', entry], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /READY (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with code ${code}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
