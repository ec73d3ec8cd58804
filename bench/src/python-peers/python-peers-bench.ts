/**
 * Python peers of the scoring benchmark (each bundled model through its original library and through
 * Python onnxruntime): runs bench/src/python-peers/python-peers.py with training/.venv/bin/python as a
 * child process, which writes bench/results/python-peers.json. Without training/.venv it writes a results
 * file that says why the comparison was not run, and exits 0.
 *
 * Run: npx tsx --conditions=@iac-dharma/source bench/src/python-peers/python-peers-bench.ts
 * Env (passed through): BENCH_SINGLE_CALLS, BENCH_BATCH_CALLS, BENCH_REPETITIONS, BENCH_MODELS.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const python = join(root, 'training/.venv/bin/python');
const script = join(here, 'python-peers.py');
const output = join(root, 'bench/results/python-peers.json');

/** Writes the "not run" results file. */
function recordNotRun(reason: string): void {
  mkdirSync(dirname(output), { recursive: true });
  const result = {
    title: 'Model scoring: Python peers (original library and Python onnxruntime)',
    description: 'Not measured in the last run.',
    command:
      'bash training/setup.sh && npx tsx --conditions=@iac-dharma/source bench/src/python-peers/python-peers-bench.ts',
    measuredAt: new Date().toISOString(),
    notRun: reason,
    figures: [],
  };
  writeFileSync(output, `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`python peers: ${reason}\n`);
}

async function main(): Promise<number> {
  if (!existsSync(python)) {
    recordNotRun('not run: training/.venv missing (bash training/setup.sh)');
    return 0;
  }
  const child = spawn(python, [script], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  // If the aggregator stops this process (timeout), stop the Python child with it.
  const stop = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
    process.exitCode = 1;
  };
  process.once('SIGTERM', stop('SIGTERM'));
  process.once('SIGINT', stop('SIGINT'));
  return new Promise((resolvePromise) => {
    child.once('error', (error) => {
      process.stderr.write(`python peers: could not start ${python}: ${error.message}\n`);
      resolvePromise(1);
    });
    child.once('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

process.exitCode = await main();
