#!/usr/bin/env bash
# The one test command (README: `npm test`). Runs on the supported Node lines, bootstrapping them from
# the npm registry when the machine's Node is another version (scripts/node/env.sh):
#   1. Node 24: installs and starts the real services the suite needs (PostgreSQL, an Apache Kafka
#      broker, Chromium, ...), builds and lints every package, builds the docs, runs every test once,
#      then the consumer test (packed tarballs installed into a fresh project), and stops the services.
#   2. Node 22: the unit tests that need no service (NODE22_TESTS below).
# `npm test -- <vitest args>` runs only vitest with those arguments, on Node 24.
#
# Extending it: a new service is a scripts/services/start-<name>.sh + stop-<name>.sh pair (picked up by
# start-all/stop-all); a new test file is picked up by vitest.config.ts; a quick service-free test folder
# can be added to NODE22_TESTS.
set -euo pipefail
cd "$(dirname "$0")/.."
# onnxruntime-node is an optional peer (a dev dependency here): never let its install script download
# CUDA libraries from outside the npm registry.
export ONNXRUNTIME_NODE_INSTALL=skip
source scripts/node/env.sh

# Main Node line of the suite (DHARMA_NODE=22 runs everything on 22), and the second line's unit tests.
MAIN_NODE="${DHARMA_NODE:-24}"
SECOND_NODE="${DHARMA_SECOND_NODE:-22}"
# Only folders whose tests need no service (packages/cli has `dharma watch` tests against Prometheus).
NODE22_TESTS=(packages/core packages/models packages/models-text packages/client bench/test)

SYSTEM_PATH="$PATH"
# Keep the machine's Node working in this checkout (e.g. `npx vitest run` on it afterwards): cache its
# better-sqlite3 build now, and put it back at the end (restore only, never a build).
if [ -d node_modules ]; then dharma_native_modules cache || true; fi
trap 'PATH="$SYSTEM_PATH" dharma_native_modules restore >/dev/null 2>&1 || true' EXIT
dharma_use_node "$MAIN_NODE"

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
dharma_native_modules

if [ "$#" -gt 0 ]; then
  (
    source scripts/services/env.sh
    trap 'bash scripts/services/stop-all.sh' EXIT
    bash scripts/services/start-all.sh
    npx vitest run "$@"
  )
  exit 0
fi

echo "[test] Node $(node --version): services, build, lint, docs, the whole suite, the consumer test"
# Lint gate first (fast, needs no service): eslint.config.js — no explicit any, type-only imports, no import
# cycles, no node:* in browser-safe code; any warning fails.
npm run lint:code
# One formatter at one line length (prettier, .prettierrc.json: 120 columns): `npm run format` fixes.
npm run format:check
# The gateway's resolver types are generated from its SDL and committed: fail when they drift (offline, seconds).
npm run codegen:check
(
  source scripts/services/env.sh
  trap 'bash scripts/services/stop-all.sh' EXIT
  bash scripts/services/start-all.sh

  # Build every published package and check its exports map with publint and attw first (the CLI and
  # gateway tests then run the built packages, as a user would), and build the docs.
  npx turbo run build --filter='./packages/*'
  npx turbo run lint --filter='./packages/*'
  # The API reference and guides must build with no warnings (typedoc treats them as errors).
  npm run docs

  npx vitest run
  # Pack every published package, install the tarballs into a fresh project, typecheck, run ESM + CJS + CLI.
  bash scripts/consumer/run.sh
)

if [ "$SECOND_NODE" != "$MAIN_NODE" ]; then
  (
    export PATH="$SYSTEM_PATH"
    unset DHARMA_NODE_HOME npm_config_nodedir
    dharma_use_node "$SECOND_NODE"
    echo "[test] Node $(node --version): unit tests (${NODE22_TESTS[*]})"
    dharma_native_modules
    npx vitest run "${NODE22_TESTS[@]}"
  )
fi
