#!/usr/bin/env bash
# The one test command (README: `npm test`). Installs and starts the real services the suite needs
# (PostgreSQL, an Apache Kafka broker, Chromium), runs every test once, and stops the services.
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

source scripts/services/env.sh
trap 'bash scripts/services/stop-all.sh' EXIT
bash scripts/services/start-all.sh

# Build every published package and check its exports map with publint and attw first (the CLI and
# gateway tests then run the built packages, as a user would), and build the docs.
if [ "$#" -eq 0 ]; then
  npx turbo run build --filter='./packages/*'
  npx turbo run lint --filter='./packages/*'
  # The API reference and guides must build with no warnings (typedoc treats them as errors).
  npm run docs
fi

npx vitest run "$@"
