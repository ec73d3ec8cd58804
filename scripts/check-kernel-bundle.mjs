// Checks the built `@iac-dharma/core/kernel` bundle: following the imports of dist/kernel/index.js (ESM, with its
// shared chunks) and reading dist/kernel/index.cjs, it must load no package but zod and contain none of the
// analytics (engine, analyzers, remediator, forecaster, in-memory adapters). Prints the bytes loaded by the
// kernel and by the root entry. Run by scripts/consumer/run.sh on the installed tarball.
// Usage: node scripts/check-kernel-bundle.mjs <folder of @iac-dharma/core>
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const folder = process.argv[2];
if (!folder) {
  console.error('usage: node scripts/check-kernel-bundle.mjs <folder of @iac-dharma/core>');
  process.exit(2);
}
// Classes defined only by analytics modules; none may be defined in the kernel's code (esbuild writes
// `var Name = class ...`, or `class Name` when kept).
const FORBIDDEN = [
  'Engine',
  'AnomalyDetector',
  'CapacityForecaster',
  'Remediator',
  'GaussianProcess',
  'LogTemplateMiner',
  'RootCauseAnalyzer',
  'MemoryStorage',
  'InProcessTransport',
  'CostPredictor',
];
const defines = (text, name) => new RegExp(`\\b${name}\\s*=\\s*class\\b|\\bclass\\s+_?${name}\\b`).test(text);
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']|\brequire\(\s*["']([^"']+)["']\s*\)/g;

/** Follows relative imports from `entry`; returns the files (with sizes) and the bare specifiers. */
function closure(entry) {
  const files = new Map();
  const packages = new Set();
  const pending = [resolve(entry)];
  while (pending.length > 0) {
    const file = pending.pop();
    if (files.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    files.set(file, text);
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  }
  return { files, packages, bytes: [...files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0) };
}

const problems = [];
const report = {};
for (const [format, file] of [
  ['esm', 'index.js'],
  ['cjs', 'index.cjs'],
]) {
  const kernel = closure(join(folder, 'dist/kernel', file));
  const root = closure(join(folder, 'dist', file));
  const extra = [...kernel.packages].filter((name) => name !== 'zod');
  if (extra.length > 0) problems.push(`${format}: the kernel loads ${extra.join(', ')}`);
  for (const [path, text] of kernel.files) {
    for (const name of FORBIDDEN) if (defines(text, name)) problems.push(`${format}: ${path} defines ${name}`);
  }
  if (!FORBIDDEN.every((name) => [...root.files.values()].some((text) => defines(text, name))))
    problems.push(`${format}: the root bundle lacks a marker (the check has gone stale)`);
  report[format] = {
    kernelFiles: kernel.files.size,
    kernelBytes: kernel.bytes,
    rootFiles: root.files.size,
    rootBytes: root.bytes,
    rootPackages: [...root.packages].sort(),
  };
}
if (problems.length > 0) {
  console.error(`[kernel] ${problems.join('\n[kernel] ')}`);
  process.exit(1);
}
for (const [format, figures] of Object.entries(report)) {
  console.log(
    `[kernel] ${format}: kernel loads ${figures.kernelFiles} file(s), ${(figures.kernelBytes / 1024).toFixed(1)} kB (zod only); root loads ${figures.rootFiles} file(s), ${(figures.rootBytes / 1024).toFixed(1)} kB (${figures.rootPackages.join(', ')})`,
  );
}
