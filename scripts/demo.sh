#!/usr/bin/env bash
# The main job (README: `npm run demo`). Installs dependencies on a fresh clone, then runs the demo on
# Node 24 (bootstrapped from the npm registry when the machine's Node is another version).
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip
source scripts/node/env.sh
dharma_use_node "${DHARMA_NODE:-24}"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
dharma_native_modules
exec node --conditions=@iac-dharma/source --import tsx scripts/demo/main.ts "$@"
