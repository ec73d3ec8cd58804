/**
 * Packed (.tgz) and unpacked sizes of every published package, as `npm pack --dry-run` reports them for the
 * current build (run `npm run build` first). Writes bench/results/package-sizes.json.
 *
 * Usage: npx tsx bench/src/package-sizes/package-sizes.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface PackReport {
  name: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: Array<{ path: string; size: number }>;
}

const figures: Record<string, unknown>[] = [];
for (const folder of readdirSync(join(root, 'packages')).sort()) {
  const manifestPath = join(root, 'packages', folder, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; private?: boolean };
  if (manifest.private) continue;
  if (!existsSync(join(root, 'packages', folder, 'dist')))
    throw new Error(`${manifest.name} is not built: run \`npm run build\` first.`);
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: join(root, 'packages', folder),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [report] = JSON.parse(output) as PackReport[];
  if (!report) throw new Error(`npm pack printed no report for ${manifest.name}`);
  const largest = [...report.files].sort((a, b) => b.size - a.size)[0];
  figures.push({
    package: report.name,
    files: report.entryCount,
    'packed kB': Math.round(report.size / 100) / 10,
    'unpacked kB': Math.round(report.unpackedSize / 100) / 10,
    'largest file': largest ? `${largest.path} (${Math.round(largest.size / 1000)} kB)` : '—',
  });
}

const results = {
  title: 'Package sizes (npm pack)',
  description:
    'What `npm install` downloads (packed .tgz) and writes (unpacked) for each published package, without its dependencies. ' +
    'The model parity fixtures stay in the repository for the tests and are not published (measured the same way on commit 6a11233, before that change, @iac-dharma/models was 66 files, 1,577 kB packed and 9,866 kB unpacked). ' +
    'The 23.5 MB int8 MiniLM sentence encoder ships in @iac-dharma/models-text, not in @iac-dharma/models (measured the same way on commit 51975cb, before that move, @iac-dharma/models was 68 files, 22,802 kB packed and 32,668 kB unpacked).',
  command: 'npm run build && npx tsx bench/src/package-sizes/package-sizes.ts',
  measuredAt: new Date().toISOString(),
  figures,
};
writeFileSync(join(root, 'bench/results/package-sizes.json'), `${JSON.stringify(results, null, 2)}\n`);
console.table(figures);
