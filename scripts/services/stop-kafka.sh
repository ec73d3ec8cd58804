#!/usr/bin/env bash
# Stops the broker started by start-kafka.sh (graceful SIGTERM, SIGKILL after 30 s).
#   stop-kafka.sh              stops it and deletes its data (the next start formats a fresh cluster)
#   stop-kafka.sh --keep-data  stops it and keeps data and ports, so start-kafka.sh restarts the same broker
# Does nothing when no broker is running.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/services/env.sh
SERVICES_DIR="$(cd "$DHARMA_SERVICES_DIR" && pwd)"
BASE="$SERVICES_DIR/kafka"
PID_FILE="$BASE/broker.pid"
KEEP_DATA=false
[ "${1:-}" = "--keep-data" ] && KEEP_DATA=true

log() { echo "[kafka] $*" >&2; }

if [ -f "$PID_FILE" ]; then
  PID="$(cat "$PID_FILE")"
  if kill -0 "$PID" 2>/dev/null && grep -q kafka.Kafka "/proc/$PID/cmdline" 2>/dev/null; then
    log "stopping broker (pid $PID)"
    kill -TERM "$PID"
    deadline=$((SECONDS + 30))
    while kill -0 "$PID" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        log "still running after 30 s: killing it"
        kill -KILL "$PID" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
  fi
  rm -f "$PID_FILE"
fi
rm -f "$SERVICES_DIR/kafka.env"
if [ "$KEEP_DATA" = false ] && [ -d "$BASE" ]; then
  rm -rf "$BASE/data" "$BASE/port" "$BASE/controller-port"
fi
