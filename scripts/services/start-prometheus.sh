#!/usr/bin/env bash
# Starts a real monitoring stack for the tests: Debian's prometheus-node-exporter (1.5), prometheus (2.42)
# scraping it every second, and prometheus-alertmanager (0.25). Writes $DHARMA_SERVICES_DIR/prometheus.env:
#   DHARMA_PROMETHEUS_URL=http://127.0.0.1:<port>        the Prometheus HTTP API
#   DHARMA_NODE_EXPORTER_URL=http://127.0.0.1:<port>     node_exporter's /metrics
#   DHARMA_ALERTMANAGER_URL=http://127.0.0.1:<port>      the Alertmanager v2 API
#   DHARMA_FILL_DIR=<dir>, DHARMA_FILL_DIR_2=<dir>       two 64 MiB tmpfs node_exporter reports (empty when they
#                                                        could not be mounted): tests fill files in them
#   DHARMA_TEXTFILE_DIR=<dir>                            node_exporter's textfile collector directory
#
# - Installs the three Debian packages when a binary is missing (promtool comes with `prometheus`).
# - Free local ports (127.0.0.1 only), picked on first start and kept for restarts; data and logs in
#   $DHARMA_SERVICES_DIR/prometheus/. Alertmanager runs without clustering (no gossip port).
# - Idempotent: processes that are already running and answering are reused.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/services/env.sh
SERVICES_DIR="$(cd "$DHARMA_SERVICES_DIR" && pwd)"
BASE="$SERVICES_DIR/prometheus"
ENV_FILE="$SERVICES_DIR/prometheus.env"
log() { echo "[prometheus] $*" >&2; }

missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-node-exporter >/dev/null 2>&1 || missing+=(prometheus-node-exporter)
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The packages' maintainer scripts try to start system services; there is no init here, which is fine.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();})"
}
port_in_use() {
  node -e "const s=require('net').createServer();s.once('error',()=>process.exit(0));s.listen($1,'127.0.0.1',()=>{s.close();process.exit(1);})"
}
# A recorded pid counts only while it is still one of our binaries (pids get reused).
running() {
  local pid
  pid="$(cat "$BASE/$1.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "prometheus"
}
answers() { node -e "fetch('$1').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; }
pick_port() {
  local name="$1" port
  port="$(cat "$BASE/$name.port" 2>/dev/null || true)"
  if [ -z "$port" ] || port_in_use "$port"; then port="$(free_port)"; fi
  echo "$port" >"$BASE/$name.port"
  echo "$port"
}
wait_ready() {
  local name="$1" url="$2" deadline=$((SECONDS + 60))
  until answers "$url"; do
    if ! running "$name"; then log "$name exited"; tail -n 30 "$BASE/$name.log" >&2; exit 1; fi
    if [ "$SECONDS" -ge "$deadline" ]; then log "$name not ready after 60 s"; tail -n 30 "$BASE/$name.log" >&2; exit 1; fi
    sleep 0.2
  done
}
start() { # name, then the command line
  local name="$1"; shift
  setsid nohup "$@" >>"$BASE/$name.log" 2>&1 </dev/null &
  echo $! >"$BASE/$name.pid"
}

mkdir -p "$BASE/textfile" "$BASE/fill" "$BASE/fill2" "$BASE/prometheus-data" "$BASE/alertmanager-data"

# Small tmpfs mounts the tests can fill (one per test file that fills, so they never disturb each other):
# node_exporter reports their free bytes like any other mount.
mount_fill() {
  local dir="$1"
  if mountpoint -q "$dir" 2>/dev/null || mount -t tmpfs -o size=64m,mode=0777 dharma-fill "$dir" 2>/dev/null; then
    echo "$dir"
  else
    log "could not mount a tmpfs at $dir (not root?): the filling-disk tests will fail"
  fi
}
FILL_DIR="$(mount_fill "$BASE/fill")"
FILL_DIR_2="$(mount_fill "$BASE/fill2")"

# --- node_exporter ---------------------------------------------------------------------------------
if running node-exporter && answers "http://127.0.0.1:$(cat "$BASE/node-exporter.port")/metrics"; then
  NODE_PORT="$(cat "$BASE/node-exporter.port")"
  log "node_exporter already running on $NODE_PORT"
else
  NODE_PORT="$(pick_port node-exporter)"
  log "starting node_exporter on 127.0.0.1:$NODE_PORT"
  start node-exporter prometheus-node-exporter --web.listen-address="127.0.0.1:$NODE_PORT" \
    --collector.textfile.directory="$BASE/textfile" --no-collector.systemd
  wait_ready node-exporter "http://127.0.0.1:$NODE_PORT/metrics"
fi

# --- alertmanager ----------------------------------------------------------------------------------
cat >"$BASE/alertmanager.yml" <<YAML
# Test Alertmanager: groups alerts by alertname and resource, notifies nobody.
route:
  receiver: blackhole
  group_by: [alertname, resource]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: blackhole
YAML
if running alertmanager && answers "http://127.0.0.1:$(cat "$BASE/alertmanager.port")/api/v2/status"; then
  AM_PORT="$(cat "$BASE/alertmanager.port")"
  log "alertmanager already running on $AM_PORT"
else
  AM_PORT="$(pick_port alertmanager)"
  log "starting alertmanager on 127.0.0.1:$AM_PORT"
  start alertmanager prometheus-alertmanager --config.file="$BASE/alertmanager.yml" \
    --storage.path="$BASE/alertmanager-data" --web.listen-address="127.0.0.1:$AM_PORT" \
    --cluster.listen-address= --web.external-url="http://127.0.0.1:$AM_PORT"
  wait_ready alertmanager "http://127.0.0.1:$AM_PORT/api/v2/status"
fi

# --- prometheus ------------------------------------------------------------------------------------
cat >"$BASE/prometheus.yml" <<YAML
# Test Prometheus: scrapes the node_exporter every second so tests see changes within seconds.
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$NODE_PORT']
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:PROMETHEUS_PORT']
YAML
if running prometheus && answers "http://127.0.0.1:$(cat "$BASE/prometheus.port")/-/ready"; then
  PROM_PORT="$(cat "$BASE/prometheus.port")"
  sed -i "s/PROMETHEUS_PORT/$PROM_PORT/" "$BASE/prometheus.yml"
  log "prometheus already running on $PROM_PORT"
else
  PROM_PORT="$(pick_port prometheus)"
  sed -i "s/PROMETHEUS_PORT/$PROM_PORT/" "$BASE/prometheus.yml"
  log "starting prometheus on 127.0.0.1:$PROM_PORT"
  start prometheus prometheus --config.file="$BASE/prometheus.yml" --storage.tsdb.path="$BASE/prometheus-data" \
    --storage.tsdb.retention.time=1d --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-lifecycle
  wait_ready prometheus "http://127.0.0.1:$PROM_PORT/-/ready"
fi

cat >"$ENV_FILE.tmp" <<ENV
DHARMA_PROMETHEUS_URL=http://127.0.0.1:$PROM_PORT
DHARMA_NODE_EXPORTER_URL=http://127.0.0.1:$NODE_PORT
DHARMA_ALERTMANAGER_URL=http://127.0.0.1:$AM_PORT
DHARMA_FILL_DIR=$FILL_DIR
DHARMA_FILL_DIR_2=$FILL_DIR_2
DHARMA_TEXTFILE_DIR=$BASE/textfile
ENV
mv "$ENV_FILE.tmp" "$ENV_FILE"
log "ready: $ENV_FILE"
