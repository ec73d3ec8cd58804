#!/usr/bin/env bash
# Starts a real Kubernetes control plane for the tests: etcd, kube-apiserver (RBAC, token auth),
# kube-controller-manager, kube-scheduler and kwok with one fake node whose pods really reach Running.
# Writes $DHARMA_SERVICES_DIR/kubernetes.env:
#   DHARMA_KUBECONFIG=<admin kubeconfig>            (system:masters)
#   DHARMA_KUBECONFIG_RESTRICTED=<user kubeconfig>  (user `dharma-remediator`, no rights until the tests bind
#                                                    packages/kubernetes/rbac/remediator-rbac.yaml to it)
#   DHARMA_KUBERNETES_SERVER=https://127.0.0.1:<port>
#   DHARMA_KUBERNETES_NODE=kwok-node-0
# The binaries are built from the Go module proxy by kubernetes/build.sh once and cached under
# ~/.cache/iac-dharma/kubernetes-<version> (cold ~12+ min on 2 cores); warm start takes seconds.
# Idempotent: a control plane that is already running and answering is reused.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
source scripts/services/env.sh
SERVICES_DIR="$(cd "$DHARMA_SERVICES_DIR" && pwd)"
K8S_VERSION="${DHARMA_KUBERNETES_VERSION:-1.34.4}"
CACHE="${DHARMA_KUBERNETES_CACHE:-$HOME/.cache/iac-dharma/kubernetes-$K8S_VERSION}"
BIN="$CACHE/bin"
BASE="$SERVICES_DIR/kubernetes"
ENV_FILE="$SERVICES_DIR/kubernetes.env"
DEADLINE_SECONDS="${DHARMA_KUBERNETES_START_TIMEOUT:-120}"
NODE_NAME="kwok-node-0"
log() { echo "[kubernetes] $*" >&2; }

nice -n 10 bash "$ROOT/scripts/services/kubernetes/build.sh"

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();})"
}
running() { [ -f "$BASE/$1.pid" ] && kill -0 "$(cat "$BASE/$1.pid")" 2>/dev/null; }
ADMIN_KUBECONFIG="$BASE/admin.kubeconfig"
RESTRICTED_KUBECONFIG="$BASE/restricted.kubeconfig"
# The script talks to the API server with curl (kubectl is built too, but nothing here needs it).
api() { # method path [curl args...]
  local method="$1" path="$2"; shift 2
  curl -sk --fail --max-time 10 -X "$method" -H "Authorization: Bearer $(sed -n 1p "$BASE/tokens.csv" | cut -d, -f1)" "https://127.0.0.1:$(cat "$BASE/apiserver.port")$path" "$@"
}
write_env() {
  cat >"$ENV_FILE" <<ENV
DHARMA_KUBECONFIG=$ADMIN_KUBECONFIG
DHARMA_KUBECONFIG_RESTRICTED=$RESTRICTED_KUBECONFIG
DHARMA_KUBERNETES_SERVER=https://127.0.0.1:$(cat "$BASE/apiserver.port")
DHARMA_KUBERNETES_NODE=$NODE_NAME
DHARMA_KUBERNETES_RESTRICTED_USER=dharma-remediator
DHARMA_KUBERNETES_BIN=$BIN
ENV
}
node_ready() {
  api GET "/api/v1/nodes/$NODE_NAME" 2>/dev/null | node -e "let t='';process.stdin.on('data',c=>t+=c).on('end',()=>{const n=JSON.parse(t);process.exit((n.status?.conditions??[]).some(c=>c.type==='Ready'&&c.status==='True')?0:1)})"
}

mkdir -p "$BASE"
if running etcd && running kube-apiserver && running kube-controller-manager && running kube-scheduler && running kwok \
  && [ -f "$BASE/tokens.csv" ] && api GET /readyz >/dev/null 2>&1 && node_ready; then
  log "already running on $(cat "$BASE/apiserver.port"): reusing it"
  write_env
  exit 0
fi
# Anything half-running from an earlier start goes first (only the processes this script started).
bash "$ROOT/scripts/services/stop-kubernetes.sh" >/dev/null 2>&1 || true
mkdir -p "$BASE"
START=$SECONDS

# --- keys, tokens, kubeconfigs -------------------------------------------------------------------------
if [ ! -f "$BASE/sa.key" ]; then
  openssl genrsa -out "$BASE/sa.key" 2048 2>/dev/null
  openssl rsa -in "$BASE/sa.key" -pubout -out "$BASE/sa.pub" 2>/dev/null
fi
if [ ! -f "$BASE/tokens.csv" ]; then
  ADMIN_TOKEN="$(openssl rand -hex 24)"
  RESTRICTED_TOKEN="$(openssl rand -hex 24)"
  cat >"$BASE/tokens.csv" <<CSV
$ADMIN_TOKEN,admin,admin-uid,system:masters
$RESTRICTED_TOKEN,dharma-remediator,dharma-remediator-uid,dharma:remediators
CSV
  chmod 600 "$BASE/tokens.csv"
fi
ADMIN_TOKEN="$(sed -n 1p "$BASE/tokens.csv" | cut -d, -f1)"
RESTRICTED_TOKEN="$(sed -n 2p "$BASE/tokens.csv" | cut -d, -f1)"

ETCD_PORT="$(free_port)"; ETCD_PEER_PORT="$(free_port)"; API_PORT="$(free_port)"
while [ "$ETCD_PEER_PORT" = "$ETCD_PORT" ]; do ETCD_PEER_PORT="$(free_port)"; done
while [ "$API_PORT" = "$ETCD_PORT" ] || [ "$API_PORT" = "$ETCD_PEER_PORT" ]; do API_PORT="$(free_port)"; done
echo "$API_PORT" >"$BASE/apiserver.port"
SERVER="https://127.0.0.1:$API_PORT"

kubeconfig() { # file user token
  cat >"$1" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: dharma-test
  cluster:
    server: $SERVER
    insecure-skip-tls-verify: true
users:
- name: $2
  user:
    token: $3
contexts:
- name: $2@dharma-test
  context:
    cluster: dharma-test
    user: $2
current-context: $2@dharma-test
KCFG
  chmod 600 "$1"
}
kubeconfig "$ADMIN_KUBECONFIG" admin "$ADMIN_TOKEN"
kubeconfig "$RESTRICTED_KUBECONFIG" dharma-remediator "$RESTRICTED_TOKEN"

spawn() { # name args...
  local name="$1"; shift
  setsid nohup "$@" >"$BASE/$name.log" 2>&1 </dev/null &
  echo $! >"$BASE/$name.pid"
}
wait_for() { # description command...
  local description="$1"; shift
  local deadline=$((SECONDS + DEADLINE_SECONDS))
  until "$@" >/dev/null 2>&1; do
    for p in "$BASE"/*.pid; do
      [ -f "$p" ] || continue
      local name; name="$(basename "$p" .pid)"
      if ! kill -0 "$(cat "$p")" 2>/dev/null; then log "$name exited; last lines of its log:"; tail -n 30 "$BASE/$name.log" >&2; exit 1; fi
    done
    if [ "$SECONDS" -ge "$deadline" ]; then log "$description not ready within ${DEADLINE_SECONDS}s"; tail -n 30 "$BASE"/*.log >&2; exit 1; fi
    sleep 0.2
  done
}

# --- etcd (fresh data each start: the tests use unique namespaces, nothing needs to survive) --------------
rm -rf "$BASE/etcd-data"
spawn etcd "$BIN/etcd" --name dharma --data-dir "$BASE/etcd-data" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "dharma=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync=true --log-level=warn \
  --quota-backend-bytes=1073741824
wait_for etcd curl -sf "http://127.0.0.1:$ETCD_PORT/health"

# --- kube-apiserver ---------------------------------------------------------------------------------------
mkdir -p "$BASE/certs"
spawn kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port "$API_PORT" --cert-dir "$BASE/certs" \
  --service-account-key-file "$BASE/sa.pub" --service-account-signing-key-file "$BASE/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --token-auth-file "$BASE/tokens.csv" --authorization-mode=RBAC --service-cluster-ip-range=10.0.0.0/24 \
  --profiling=false --v=0
wait_for "kube-apiserver /readyz" api GET /readyz

# --- controllers, scheduler, kwok -----------------------------------------------------------------------
spawn kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$ADMIN_KUBECONFIG" \
  --authentication-kubeconfig "$ADMIN_KUBECONFIG" --authorization-kubeconfig "$ADMIN_KUBECONFIG" \
  --leader-elect=false --secure-port=0 --controllers='*' --service-account-private-key-file "$BASE/sa.key" \
  --use-service-account-credentials=false --concurrent-deployment-syncs=10 --concurrent-replicaset-syncs=10 --v=0
spawn kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$ADMIN_KUBECONFIG" \
  --authentication-kubeconfig "$ADMIN_KUBECONFIG" --authorization-kubeconfig "$ADMIN_KUBECONFIG" \
  --leader-elect=false --secure-port=0 --v=0
spawn kwok "$BIN/kwok" --kubeconfig "$ADMIN_KUBECONFIG" --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --config "$ROOT/scripts/services/kubernetes/kwok-stages.yaml" \
  --server-address=127.0.0.1:0 --node-ip=10.1.0.1 --cidr=10.1.0.0/16 --node-lease-duration-seconds=40

cat >"$BASE/node.yaml" <<NODE
apiVersion: v1
kind: Node
metadata:
  name: $NODE_NAME
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: $NODE_NAME
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  allocatable: { cpu: "32", memory: 256Gi, pods: "500" }
  capacity: { cpu: "32", memory: 256Gi, pods: "500" }
NODE
wait_for "node creation" api PATCH "/api/v1/nodes/$NODE_NAME?fieldManager=dharma-test-setup&force=true" -H "Content-Type: application/apply-patch+yaml" --data-binary "@$BASE/node.yaml"
wait_for "kwok node Ready" node_ready
# The default service account must exist before pods can be created in `default`.
wait_for "default service account" api GET /api/v1/namespaces/default/serviceaccounts/default
write_env
log "ready in $((SECONDS - START))s: $SERVER (settings in $ENV_FILE)"
