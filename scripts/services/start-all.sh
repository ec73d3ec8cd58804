#!/usr/bin/env bash
# Starts every service the test suite needs; each script writes its connection settings to
# $DHARMA_SERVICES_DIR/<name>.env, which the tests read.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/services/env.sh
for service in scripts/services/start-*.sh; do
  [ "$(basename "$service")" = "start-all.sh" ] && continue
  bash "$service"
done
