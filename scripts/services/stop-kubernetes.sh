#!/usr/bin/env bash
# Stops the control plane started by start-kubernetes.sh: only the processes whose pid files it wrote.
cd "$(dirname "$0")/../.."
source scripts/services/env.sh
BASE="$DHARMA_SERVICES_DIR/kubernetes"
[ -d "$BASE" ] || exit 0
for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  pid_file="$BASE/$name.pid"
  [ -f "$pid_file" ] || continue
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
done
rm -f "$DHARMA_SERVICES_DIR/kubernetes.env"
