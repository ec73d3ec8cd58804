import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const exampleDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(exampleDir, '../..');

/** The admin kubeconfig of the control plane started by scripts/services/start-kubernetes.sh; fails (never skips) without one. */
function kubeconfig(): string {
  const file = join(process.env.DHARMA_SERVICES_DIR ?? join(repoRoot, '.services'), 'kubernetes.env');
  const line = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .find((entry) => entry.startsWith('DHARMA_KUBECONFIG='))
    : undefined;
  if (!line)
    throw new Error(
      `No Kubernetes control plane (${file} missing). Run npm test: it starts one with scripts/services/start-kubernetes.sh.`,
    );
  return line.slice('DHARMA_KUBECONFIG='.length).trim();
}

describe('example: kubernetes-remediation', () => {
  it('dry-runs, scales, restarts, finds the scale as drift, reconciles it, and keeps an intact history', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolvePromise, reject) => {
        const child = spawn(process.execPath, ['--conditions=@iac-dharma/source', '--import', 'tsx', 'src/index.ts'], {
          cwd: exampleDir,
          env: { ...process.env, DHARMA_KUBECONFIG: kubeconfig() },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (exitCode) => resolvePromise({ code: exitCode, stdout: out, stderr: err }));
      },
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(
      /dry run: dry-run — dry run: would run kubernetes\.scale: scale Deployment shop-\w+\/checkout from 2 to 4 replicas \(accepted by the API server in a dryRun=All request/,
    );
    expect(stdout).toMatch(/scale: succeeded/);
    expect(stdout).toMatch(/rollout restart: succeeded/);
    expect(stdout).toMatch(
      /drift: changed shop-\w+\/Deployment\/checkout spec\.replicas 2 -> 3 \(risk 0\.67 ± 0\.24\)/,
    );
    expect(stdout).toMatch(/reconcile: succeeded/);
    expect(stdout).toContain('drifted after reconcile: 0');
    expect(stdout).toMatch(/history: \d+ records, chain intact/);
  });
});
