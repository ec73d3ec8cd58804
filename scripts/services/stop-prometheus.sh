#!/usr/bin/env bash
# Stops the Prometheus, Alertmanager and node_exporter started by start-prometheus.sh (only those: by the
# pids it recorded), unmounts the test tmpfs and removes the env file. Keeps the data for the next start.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/services/env.sh
SERVICES_DIR="$(cd "$DHARMA_SERVICES_DIR" && pwd)"
BASE="$SERVICES_DIR/prometheus"
rm -f "$SERVICES_DIR/prometheus.env"
[ -d "$BASE" ] || exit 0
for name in prometheus alertmanager node-exporter; do
  pid="$(cat "$BASE/$name.pid" 2>/dev/null || true)"
  # Only a pid that is still one of our binaries (pids get reused).
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "prometheus"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "[prometheus] stopped $name" >&2
  fi
  rm -f "$BASE/$name.pid"
done
for dir in "$BASE/fill" "$BASE/fill2"; do
  if mountpoint -q "$dir" 2>/dev/null; then umount "$dir" 2>/dev/null || true; fi
done
exit 0
