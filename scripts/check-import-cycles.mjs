// Finds import cycles across packages/*/src (tests left out), counting type-only imports too: eslint's
// import-x/no-cycle only sees run-time imports, but a type-only cycle still ties modules together (neither can be
// understood, moved or split out alone). Follows relative imports and `@iac-dharma/*` imports (through each
// package's `@iac-dharma/source` export condition). Prints every cycle (one strongly connected component per line)
// and exits 1 when there is one. Part of `npm run lint:code`.
// Usage: node scripts/check-import-cycles.mjs [--quiet]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const packagesFolder = join(root, 'packages');

/** `@iac-dharma/name/sub` → source file, from each package's exports map. */
const sourceEntries = new Map();
for (const name of readdirSync(packagesFolder)) {
  const manifestPath = join(packagesFolder, name, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  for (const [key, target] of Object.entries(manifest.exports ?? {})) {
    const source = typeof target === 'object' && target !== null ? target['@iac-dharma/source'] : undefined;
    if (typeof source === 'string') sourceEntries.set(manifest.name + key.slice(1), join(packagesFolder, name, source));
  }
}

function sourceFiles(folder) {
  const files = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (
      /\.(ts|tsx|mts|cts)$/.test(entry.name) &&
      !/\.test\.tsx?$/.test(entry.name) &&
      !entry.name.endsWith('.d.ts')
    )
      files.push(path);
  }
  return files;
}

function resolveImport(from, specifier) {
  if (specifier.startsWith('.')) {
    const base = resolve(dirname(from), specifier);
    const candidates = [
      base.replace(/\.(m|c)?js$/, '.$1ts'),
      base.replace(/\.js$/, '.tsx'),
      `${base}.ts`,
      `${base}.tsx`,
      join(base, 'index.ts'),
    ];
    return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  }
  return sourceEntries.get(specifier);
}

const files = readdirSync(packagesFolder)
  .filter((name) => existsSync(join(packagesFolder, name, 'src')))
  .flatMap((name) => sourceFiles(join(packagesFolder, name, 'src')));
const graph = new Map();
for (const file of files) {
  // Syntactic: every import and export declaration, type-only or not, and import() calls and types.
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
  const targets = new Set();
  for (const { fileName } of importedFiles) {
    const target = resolveImport(file, fileName);
    if (target !== undefined && target !== file) targets.add(target);
  }
  graph.set(file, [...targets]);
}

// Tarjan's strongly connected components (iterative).
const index = new Map();
const low = new Map();
const onStack = new Set();
const stack = [];
const components = [];
let counter = 0;
for (const start of graph.keys()) {
  if (index.has(start)) continue;
  const work = [[start, 0]];
  index.set(start, counter);
  low.set(start, counter++);
  stack.push(start);
  onStack.add(start);
  while (work.length > 0) {
    const frame = work[work.length - 1];
    const [node, next] = frame;
    const edges = graph.get(node) ?? [];
    if (next < edges.length) {
      frame[1]++;
      const target = edges[next];
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        index.set(target, counter);
        low.set(target, counter++);
        stack.push(target);
        onStack.add(target);
        work.push([target, 0]);
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node), index.get(target)));
      continue;
    }
    work.pop();
    if (work.length > 0) {
      const parent = work[work.length - 1][0];
      low.set(parent, Math.min(low.get(parent), low.get(node)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.map((file) => relative(root, file)).sort());
    }
  }
}

if (components.length > 0) {
  console.error(
    `[cycles] ${components.length} import cycle(s) among ${files.length} source files (type-only imports count):`,
  );
  for (const component of components) console.error(`  ${component.join(' <-> ')}`);
  process.exit(1);
}
if (!process.argv.includes('--quiet'))
  console.log(
    `[cycles] no import cycle among ${files.length} source files in packages/*/src (type-only imports included)`,
  );
