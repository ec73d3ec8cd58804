#!/usr/bin/env bash
# Starts a real Apache Kafka broker (single KRaft node: broker + controller, no ZooKeeper, no Docker)
# and writes its connection settings to $DHARMA_SERVICES_DIR/kafka.env:
#   DHARMA_KAFKA_BROKERS=127.0.0.1:<port>
#
# - Fetches org.apache.kafka:kafka_2.13 ($DHARMA_KAFKA_VERSION, default 4.1.1) and its runtime
#   dependencies from Maven Central with scripts/services/kafka/pom.xml into
#   ~/.cache/iac-dharma/kafka-<version>/libs, once; later runs reuse the cache.
# - Installs kcat (Debian package) when missing: the tests use it as an independent client.
# - Runs on Java 17 with its data in $DHARMA_SERVICES_DIR/kafka/data and its log in
#   $DHARMA_SERVICES_DIR/kafka/broker.log, listening on 127.0.0.1 only: the client port and the
#   controller port are free ports picked on first start and kept for restarts (same port, same data).
# - Idempotent: a broker that is already running is reused. Tuned for tests (small segments, short
#   retention, fast group joins); topics are not auto-created (the transport creates what it uses).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
source scripts/services/env.sh
SERVICES_DIR="$(cd "$DHARMA_SERVICES_DIR" && pwd)"
VERSION="${DHARMA_KAFKA_VERSION:-4.1.1}"
CACHE="${DHARMA_KAFKA_CACHE:-$HOME/.cache/iac-dharma/kafka-$VERSION}"
BASE="$SERVICES_DIR/kafka"
DATA="$BASE/data"
LOG="$BASE/broker.log"
PID_FILE="$BASE/broker.pid"
ENV_FILE="$SERVICES_DIR/kafka.env"
DEADLINE_SECONDS="${DHARMA_KAFKA_START_TIMEOUT:-120}"

# C1-only JIT: the broker answers in about half the time after a (re)start on a busy 2-core machine,
# which the tests need; set DHARMA_KAFKA_JVM_OPTS (e.g. without TieredStopAtLevel) for peak throughput.
JVM_OPTS="${DHARMA_KAFKA_JVM_OPTS:--Xms256m -Xmx1g -XX:+UseG1GC -XX:TieredStopAtLevel=1}"

log() { echo "[kafka] $*" >&2; }

# --- kcat, the independent client -------------------------------------------------------------
if ! command -v kcat >/dev/null 2>&1; then
  log "kcat not found: installing Debian's kcat package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq kcat >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq kcat >/dev/null; }
fi

# --- the broker's jars (cached across runs) --------------------------------------------------------
if [ ! -f "$CACHE/libs/.complete" ]; then
  log "fetching kafka_2.13 $VERSION and its runtime dependencies into $CACHE/libs"
  command -v mvn >/dev/null 2>&1 || { log "Maven (mvn) is required to fetch the broker"; exit 1; }
  TMP_LIBS="$CACHE/libs.partial.$$"
  rm -rf "$TMP_LIBS"
  mkdir -p "$TMP_LIBS"
  mvn -q -B -f "$ROOT/scripts/services/kafka/pom.xml" -Dkafka.version="$VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$TMP_LIBS" >&2
  touch "$TMP_LIBS/.complete"
  rm -rf "$CACHE/libs"
  mv "$TMP_LIBS" "$CACHE/libs"
fi
CLASSPATH_LIBS="$CACHE/libs/*"

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();})"
}
port_in_use() {
  node -e "const s=require('net').createServer();s.once('error',()=>process.exit(0));s.listen($1,'127.0.0.1',()=>{s.close();process.exit(1);})"
}
broker_running() {
  [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null && grep -q kafka.Kafka "/proc/$(cat "$PID_FILE")/cmdline" 2>/dev/null
}
broker_answers() {
  if command -v kcat >/dev/null 2>&1; then
    kcat -L -b "127.0.0.1:$1" -m 3 -J 2>/dev/null | grep -q '"brokers":\[{'
  else
    grep -q 'Kafka Server started' "$LOG" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}
write_env() {
  cat >"$ENV_FILE" <<ENV
DHARMA_KAFKA_BROKERS=127.0.0.1:$1
DHARMA_KAFKA_VERSION=$VERSION
DHARMA_KAFKA_PID=$(cat "$PID_FILE")
DHARMA_KAFKA_LOG=$LOG
DHARMA_KAFKA_JVM_OPTS="$JVM_OPTS"
ENV
}

mkdir -p "$BASE"
if broker_running; then
  PORT="$(cat "$BASE/port")"
  if broker_answers "$PORT"; then
    log "already running on 127.0.0.1:$PORT: reusing it"
    write_env "$PORT"
    exit 0
  fi
fi

# Same ports as last time when they are free, so a restart keeps clients' bootstrap address valid.
PORT="$(cat "$BASE/port" 2>/dev/null || true)"
if [ -z "$PORT" ] || port_in_use "$PORT"; then PORT="$(free_port)"; fi
CONTROLLER_PORT="$(cat "$BASE/controller-port" 2>/dev/null || true)"
if [ -z "$CONTROLLER_PORT" ] || [ "$CONTROLLER_PORT" = "$PORT" ] || port_in_use "$CONTROLLER_PORT"; then
  CONTROLLER_PORT="$(free_port)"
  while [ "$CONTROLLER_PORT" = "$PORT" ]; do CONTROLLER_PORT="$(free_port)"; done
fi
echo "$PORT" >"$BASE/port"
echo "$CONTROLLER_PORT" >"$BASE/controller-port"

cat >"$BASE/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA
num.partitions=3
default.replication.factor=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests: join groups at once and allow short consumer session timeouts.
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
# Throwaway test data: small segments, short retention.
log.segment.bytes=8388608
log.retention.ms=3600000
log.retention.bytes=268435456
log.retention.check.interval.ms=60000
num.network.threads=2
num.io.threads=4
PROPS

if [ ! -f "$DATA/meta.properties" ]; then
  # A Kafka cluster id: 16 random bytes, base64url (what `kafka-storage random-uuid` prints), without a JVM start.
  CLUSTER_ID="$(node -e "const c=require('crypto');let id;do{id=c.randomBytes(16).toString('base64url')}while(id.startsWith('-'));console.log(id)")"
  log "formatting $DATA (cluster id $CLUSTER_ID)"
  mkdir -p "$DATA"
  java -XX:TieredStopAtLevel=1 -cp "$CLASSPATH_LIBS" -Dlog4j2.configurationFile="$ROOT/scripts/services/kafka/log4j2.properties" \
    kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$BASE/server.properties" >"$BASE/format.log" 2>&1 \
    || { cat "$BASE/format.log" >&2; exit 1; }
fi

log "starting kafka $VERSION on 127.0.0.1:$PORT (controller 127.0.0.1:$CONTROLLER_PORT)"
# setsid + nohup: the broker outlives this script and is not tied to the caller's process group.
setsid nohup java $JVM_OPTS -Djava.awt.headless=true \
  -Dlog4j2.configurationFile="$ROOT/scripts/services/kafka/log4j2.properties" \
  -cp "$CLASSPATH_LIBS" kafka.Kafka "$BASE/server.properties" >>"$LOG" 2>&1 </dev/null &
echo $! >"$PID_FILE"

deadline=$((SECONDS + DEADLINE_SECONDS))
until broker_answers "$PORT"; do
  if ! broker_running; then
    log "the broker exited during start; last lines of $LOG:"
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "the broker did not answer within ${DEADLINE_SECONDS}s; last lines of $LOG:"
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  sleep 0.3
done
write_env "$PORT"
log "ready: DHARMA_KAFKA_BROKERS=127.0.0.1:$PORT (settings in $ENV_FILE)"
