#!/usr/bin/env bash
# Starts a private PostgreSQL for the tests and writes its connection settings to
# $DHARMA_SERVICES_DIR/postgres.env (DHARMA_PG_URL=postgres://user:password@127.0.0.1:port/db).
#
# - Installs Debian's PostgreSQL (15) when no server binaries are found.
# - Keeps the cluster in $DHARMA_SERVICES_DIR/postgres/data, owned by the `postgres` user when run as
#   root (PostgreSQL refuses to run as root), listening on 127.0.0.1 only, on a free port, with its
#   unix socket in $DHARMA_SERVICES_DIR/postgres/run.
# - Idempotent: a cluster that is already running is reused; a stopped one is started again.
# - Tuned for throwaway test data (fsync off): never point production data at it.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/services/env.sh
SERVICES_DIR="$(cd "$DHARMA_SERVICES_DIR" && pwd)"
BASE="$SERVICES_DIR/postgres"
DATA="$BASE/data"
SOCKET_DIR="$BASE/run"
LOG="$BASE/postgres.log"
ENV_FILE="$SERVICES_DIR/postgres.env"
DB_NAME="dharma"
DB_USER="dharma"

log() { echo "[postgres] $*" >&2; }

find_bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

BIN="$(find_bin_dir || true)"
if [ -z "$BIN" ]; then
  log "PostgreSQL server not found: installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  BIN="$(find_bin_dir)"
fi

# Run server commands as `postgres` when we are root; as ourselves otherwise.
if [ "$(id -u)" = "0" ]; then
  as_owner() { runuser -u postgres -- "$@"; }
  OWNER=postgres
else
  as_owner() { "$@"; }
  OWNER="$(id -un)"
fi

mkdir -p "$BASE"
# The server user must be able to walk every parent directory of its data directory. When it cannot
# (e.g. a checkout under /root), keep the cluster in a private directory under /var/tmp instead.
if ! as_owner test -x "$BASE" 2>/dev/null; then
  RUNTIME="/var/tmp/dharma-postgres-$(printf '%s' "$BASE" | sha256sum | cut -c1-12)"
  log "user $OWNER cannot reach $BASE: keeping the cluster in $RUNTIME"
  DATA="$RUNTIME/data"
  SOCKET_DIR="$RUNTIME/run"
  LOG="$RUNTIME/postgres.log"
  mkdir -p "$RUNTIME"
  chown "$OWNER" "$RUNTIME"
  chmod 700 "$RUNTIME"
fi
echo "$DATA" >"$BASE/data-dir" # read by stop-postgres.sh
mkdir -p "$DATA" "$SOCKET_DIR"
chmod 700 "$DATA"
chown -R "$OWNER" "$BASE" "$DATA" "$SOCKET_DIR"

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();})"
}

port_in_use() {
  node -e "const s=require('net').createServer();s.once('error',()=>process.exit(0));s.listen($1,'127.0.0.1',()=>{s.close();process.exit(1);})"
}

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "creating a cluster in $DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C >"$BASE/initdb.log" 2>&1 || { cat "$BASE/initdb.log" >&2; exit 1; }
fi

if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  PORT="$(cat "$BASE/port")"
  log "already running on port $PORT: reusing it"
else
  PORT="$(cat "$BASE/port" 2>/dev/null || true)"
  if [ -z "$PORT" ] || port_in_use "$PORT"; then PORT="$(free_port)"; fi
  echo "$PORT" >"$BASE/port"
  log "starting on 127.0.0.1:$PORT"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start \
    -o "-p $PORT -k $SOCKET_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || { tail -n 30 "$LOG" >&2; exit 1; }
fi

# pg_ctl -w already waited; poll anyway (with a deadline) so a slow or restarting server is caught here.
deadline=$((SECONDS + 60))
until "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; do
  if [ "$SECONDS" -ge "$deadline" ]; then log "not accepting connections after 60 s"; tail -n 30 "$LOG" >&2; exit 1; fi
  sleep 0.2
done

if [ ! -s "$BASE/password" ]; then
  head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$BASE/password"
  chmod 600 "$BASE/password"
fi
PASSWORD="$(cat "$BASE/password")"

admin_psql() { as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres "$@"; }
admin_psql -v user="$DB_USER" -v password="$PASSWORD" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN PASSWORD :'password';
SQL
if ! admin_psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
  admin_psql -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
fi

URL="postgres://$DB_USER:$PASSWORD@127.0.0.1:$PORT/$DB_NAME"
# Check the URL the tests will use: TCP with the password.
"$BIN/psql" -X -q "$URL" -tAc 'SELECT 1' | grep -q 1 || { log "cannot connect with $URL"; exit 1; }

cat >"$ENV_FILE.tmp" <<EOF
DHARMA_PG_URL=$URL
DHARMA_PG_HOST=127.0.0.1
DHARMA_PG_PORT=$PORT
DHARMA_PG_DATABASE=$DB_NAME
DHARMA_PG_USER=$DB_USER
DHARMA_PG_PASSWORD=$PASSWORD
DHARMA_PG_SOCKET_DIR=$SOCKET_DIR
EOF
mv "$ENV_FILE.tmp" "$ENV_FILE"
log "ready: $ENV_FILE"
