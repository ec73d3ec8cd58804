#!/usr/bin/env bash
# The main job (README: `npm run demo`). Installs dependencies on a fresh clone, then runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
exec node --conditions=@iac-dharma/source --import tsx scripts/demo/main.ts "$@"
