#!/usr/bin/env bash
# Stops the PostgreSQL started by start-postgres.sh (fast shutdown) and removes its env file.
# Keeps the data directory, so the next start reuses it. Does nothing when it is not running.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/services/env.sh
SERVICES_DIR="$(cd "$DHARMA_SERVICES_DIR" && pwd)"
DATA="$(cat "$SERVICES_DIR/postgres/data-dir" 2>/dev/null || echo "$SERVICES_DIR/postgres/data")"
rm -f "$SERVICES_DIR/postgres.env"
[ -f "$DATA/PG_VERSION" ] || exit 0

BIN=""
for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$dir/pg_ctl" ]; then BIN="$dir"; break; fi
done
[ -n "$BIN" ] || exit 0

if [ "$(id -u)" = "0" ]; then
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DATA" stop -m fast -w -t 60 >/dev/null
  echo "[postgres] stopped" >&2
fi
