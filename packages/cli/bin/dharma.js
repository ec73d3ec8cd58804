#!/usr/bin/env node
// Entry of the `dharma` command. Runs the built CLI; inside the monorepo, before a build, it runs
// the TypeScript sources through tsx so `npx dharma` works on a fresh clone.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/bin.js', import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const source = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
  const result = spawnSync(
    process.execPath,
    ['--conditions=@iac-dharma/source', '--import', 'tsx', source, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exitCode = result.status ?? 1;
}
