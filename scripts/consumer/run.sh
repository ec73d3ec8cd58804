#!/usr/bin/env bash
# The consumer test (part of `npm test`, after the packages are built): packs every published package,
# installs the tarballs into a fresh project outside the repo (registry dependencies only: no workspace
# links, no onnxruntime-node), then
#   - typechecks scripts/consumer/app with --strict under TypeScript 5.9 and the current TypeScript major,
#     with `nodenext` (main.mts + main.cts) and `bundler` (main.mts) resolution,
#   - runs the program as ESM and as CommonJS,
#   - runs the `dharma` CLI from the installed package.
# Set DHARMA_CONSUMER_KEEP=1 to keep the project folder (its path is printed).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
source scripts/node/env.sh
TYPESCRIPT_VERSIONS=(5.9 latest)
NPM_INSTALL=(npm install --no-audit --no-fund --prefer-offline --loglevel=error)

work="$(mktemp -d "${TMPDIR:-/tmp}/dharma-consumer-XXXXXX")"
if [ -z "${DHARMA_CONSUMER_KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "[consumer] project: $work"; fi
mkdir -p "$work/tarballs" "$work/app"

# 1. Pack every published (non-private) package.
packages=()
for manifest in packages/*/package.json; do
  [ "$(node -p "require('./$manifest').private === true")" = "true" ] && continue
  packages+=("$(dirname "$manifest")")
done
for folder in "${packages[@]}"; do
  (cd "$folder" && npm pack --silent --pack-destination "$work/tarballs" >/dev/null)
done
# The program must import every package and subpath (a new package or export is added to main.mts).
node -e "
const fs = require('node:fs');
const program = fs.readFileSync('scripts/consumer/app/main.mts', 'utf8');
const missing = [];
for (const folder of process.argv.slice(1)) {
  const manifest = JSON.parse(fs.readFileSync(folder + '/package.json', 'utf8'));
  for (const key of Object.keys(manifest.exports ?? { '.': null })) {
    if (key === './package.json' || key.includes('*')) continue;
    const specifier = manifest.name + key.slice(1);
    if (!program.includes(\"'\" + specifier + \"'\")) missing.push(specifier);
  }
}
if (missing.length > 0) { console.error('[consumer] add an import of ' + missing.join(', ') + ' to scripts/consumer/app/main.mts (and a require to main.cts): the consumer test imports every published package and subpath'); process.exit(1); }
" "${packages[@]}"
echo "[consumer] packed ${#packages[@]} packages: $(cd "$work/tarballs" && ls | tr '\n' ' ')"

# 2. A fresh project depending on the tarballs (plus what a TypeScript Node project has: @types/node;
#    and vitest, for the testing kit).
#    better-sqlite3 is pinned to the repo's version so the native build for this Node comes from the cache.
sqlite_version="$(node -p "require('./node_modules/better-sqlite3/package.json').version")"
types_node="$(node -p "'^' + process.versions.node.split('.')[0]")"
# vitest: @iac-dharma/core/testing (the conformance suites) runs inside vitest, an optional peer.
vitest_version="$(node -p "require('./node_modules/vitest/package.json').version")"
node - "$work" "$sqlite_version" "$types_node" "$vitest_version" <<'JS'
const [work, sqlite, typesNode, vitestVersion] = process.argv.slice(2);
const fs = require('node:fs');
const dependencies = {};
for (const file of fs.readdirSync(`${work}/tarballs`)) {
  const name = '@iac-dharma/' + file.replace(/^iac-dharma-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '');
  dependencies[name] = `file:../tarballs/${file}`;
}
dependencies['better-sqlite3'] = sqlite;
fs.writeFileSync(`${work}/app/package.json`, JSON.stringify({ name: 'dharma-consumer', private: true, type: 'module', dependencies, devDependencies: { '@types/node': typesNode, vitest: vitestVersion } }, null, 2));
JS
cp scripts/consumer/app/main.mts scripts/consumer/app/main.cts scripts/consumer/app/tsconfig.*.json "$work/app/"
# One row of the threat model's parity file (kept in the repo, not in the package) and its Python outputs.
node -e "
const p = require('./packages/models/artifacts/threat/parity.json');
const row = p.rows[0];
require('node:fs').writeFileSync(process.argv[1], JSON.stringify({ raw: row.raw, probabilities: row.outputs.probabilities }));
" "$work/app/threat-row.json"
# --ignore-scripts: nothing downloads; better-sqlite3 is then built (or restored) for this Node below.
(cd "$work/app" && ONNXRUNTIME_NODE_INSTALL=skip "${NPM_INSTALL[@]}" --ignore-scripts)
(cd "$work/app" && dharma_native_modules)
if [ -e "$work/app/node_modules/onnxruntime-node" ]; then
  echo "[consumer] onnxruntime-node was installed, but it must stay an optional peer" >&2
  exit 1
fi
# The kernel subpath of the installed core loads zod only, none of the analytics (prints its size vs the root).
node "$ROOT/scripts/check-kernel-bundle.mjs" "$work/app/node_modules/@iac-dharma/core"
if [ -e "$work/app/node_modules/@iac-dharma/models/artifacts/threat/parity.json" ] || [ -e "$work/app/node_modules/@iac-dharma/models-text/artifacts/minilm/encoder-parity.json" ]; then
  echo "[consumer] the parity fixtures were published" >&2
  exit 1
fi

# Fails on any error in the program or in the SDK's own declarations (skipLibCheck is off). Errors inside
# other packages' declarations (e.g. isomorphic-ws, reached through @kubernetes/client-node's KubeConfig) are printed, not fatal:
# the SDK cannot fix them, and consumers with skipLibCheck (the default of `tsc --init`) never see them.
check_tsc_output() {
  local log="$1" what="$2" ours theirs
  ours="$(grep -E '^[^ ].*error TS' "$log" | grep -vE '^node_modules/' ; grep -E '^node_modules/@iac-dharma/.*error TS' "$log" || true)"
  theirs="$(grep -E '^node_modules/.*error TS' "$log" | grep -vE '^node_modules/@iac-dharma/' | sed -E 's/\(.*//' | sort | uniq -c || true)"
  if [ -n "$theirs" ]; then echo "[consumer] $what: errors in third-party declarations (not ours): $(echo "$theirs" | tr -s ' ' | tr '\n' ';')"; fi
  if [ -n "$ours" ]; then
    echo "[consumer] $what: type errors:" >&2
    cat "$log" >&2
    return 1
  fi
}

# 3. Typecheck under each TypeScript version, with nodenext and bundler resolution.
for version in "${TYPESCRIPT_VERSIONS[@]}"; do
  mkdir -p "$work/ts-$version"
  (cd "$work/ts-$version" && echo '{"private":true}' > package.json && "${NPM_INSTALL[@]}" "typescript@$version")
  tsc="$work/ts-$version/node_modules/typescript/bin/tsc"
  echo "[consumer] TypeScript $(node "$tsc" --version | sed 's/Version //'): --strict, nodenext and bundler"
  for config in tsconfig.nodenext.json tsconfig.bundler.json; do
    rc=0
    (cd "$work/app" && node "$tsc" -p "$config" --noEmit --pretty false > "$work/tsc.log" 2>&1) || rc=$?
    if [ "$rc" != 0 ] && ! grep -q 'error TS' "$work/tsc.log"; then cat "$work/tsc.log" >&2; exit 1; fi
    check_tsc_output "$work/tsc.log" "TypeScript $version, $config"
  done
done

# 4. Run it as ESM and as CommonJS (emitted by TypeScript 5.9 with nodenext, already checked above:
#    .mts -> .mjs, .cts -> .cjs).
(cd "$work/app" && node "$work/ts-5.9/node_modules/typescript/bin/tsc" -p tsconfig.nodenext.json --noCheck)
cp "$work/app/threat-row.json" "$work/app/dist/"
(cd "$work/app" && node dist/main.mjs && node dist/main.cjs)

# 5. The CLI from the installed package: help, a scoring run on the WebAssembly backend, a usage error.
cd "$work/app"
npx --no-install dharma --help >/dev/null
node -e "
const p = require('$ROOT/packages/models/artifacts/threat/parity.json');
const card = require('$ROOT/packages/models/artifacts/threat/model-card.json');
const lines = p.rows.slice(0, 50).map((row) => card.features.map((f) => String(row.raw[f.name])).join(','));
require('node:fs').writeFileSync('kdd.txt', lines.join('\n') + '\n');
"
npx --no-install dharma threat --format nsl-kdd --input kdd.txt --out scores.csv 2>cli.log || { cat cli.log >&2; exit 1; }
rows="$(($(wc -l < scores.csv) - 1))"
[ "$rows" = 50 ] || { echo "[consumer] dharma threat wrote $rows rows, expected 50" >&2; cat cli.log >&2; exit 1; }
set +e
npx --no-install dharma threat --format nsl-kdd --input kdd.txt --out - --model failure-lstm >/dev/null 2>cli.log
code=$?
set -e
[ "$code" = 2 ] || { echo "[consumer] dharma threat --model failure-lstm exited $code, expected 2" >&2; cat cli.log >&2; exit 1; }
echo "[consumer] ok: tarballs installed, typechecked (TypeScript ${TYPESCRIPT_VERSIONS[*]}; nodenext, bundler), ESM + CJS ran, dharma CLI scored 50 rows"
