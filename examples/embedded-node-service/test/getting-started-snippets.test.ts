// Runs every TypeScript snippet of docs/getting-started.md, as written, in a child process, and checks
// what it prints — so the guide cannot drift from the SDK.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));
const GUIDE = fileURLToPath(new URL('../../../docs/getting-started.md', import.meta.url));
const snippets = [...readFileSync(GUIDE, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);

// Inside the example folder, so the snippets resolve @iac-dharma/* and zod like an app would.
const folder = mkdtempSync(join(EXAMPLE, '.snippets-'));

function runSnippet(index: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(folder, `snippet-${index}.mts`);
  writeFileSync(file, snippets[index]!);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@iac-dharma/source', '--import', 'tsx', file], {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('docs/getting-started.md', () => {
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('has the three snippets this test knows', () => {
    expect(snippets).toHaveLength(3);
  });

  it('first detector: prints the anomaly', async () => {
    const run = await runSnippet(0);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^anomaly: cpu of web-1 is unusual: 0\.97 \(expected about 0\.(3|29\d*)\)$/);
  });

  it('SQLite + capacity forecaster: prints the forecast and leaves the database file', async () => {
    const run = await runSnippet(1);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^db-1\/disk_used_ratio is forecast to rise above 0\.9 in 1\d\.\d min \(pessimistic: in [\d.]+ min/,
    );
    expect(readFileSync(join(folder, 'dharma.sqlite')).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('first remediation plugin: remediates, verifies and keeps an intact history', async () => {
    const run = await runSnippet(2);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^remediation: succeeded - worker-1\/memory: \d+ point\(s\) since the action, last 0\.\d+, \d+ healthy in a row \(need 3\)$/m,
    );
    expect(run.stdout).toMatch(/^history intact: true$/m);
  });
});
