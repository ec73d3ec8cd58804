#!/usr/bin/env bash
# Stops every service started by start-all.sh (ignores ones that are not running).
cd "$(dirname "$0")/../.."
source scripts/services/env.sh
for service in scripts/services/stop-*.sh; do
  [ "$(basename "$service")" = "stop-all.sh" ] && continue
  bash "$service" || true
done
