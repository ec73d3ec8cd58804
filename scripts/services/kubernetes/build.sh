#!/usr/bin/env bash
# Builds a Kubernetes control plane for the tests from the Go module proxy (no Docker, no release
# downloads): kube-apiserver, kube-controller-manager, kube-scheduler and kubectl from k8s.io/kubernetes
# (as a module dependency whose staging modules are replaced by their published versions), etcd and kwok.
# Binaries go to $DHARMA_KUBERNETES_CACHE (default ~/.cache/iac-dharma/kubernetes-<version>/bin); a marker
# file `.complete` naming the versions is written only after every binary built, and a later run with the
# same marker does nothing. Cold: ~12+ minutes on 2 cores; run under `nice`.
set -euo pipefail
K8S_VERSION="${DHARMA_KUBERNETES_VERSION:-1.34.4}"
ETCD_VERSION="${DHARMA_ETCD_VERSION:-3.6.17}"
KWOK_VERSION="${DHARMA_KWOK_VERSION:-0.8.0}"
CACHE="${DHARMA_KUBERNETES_CACHE:-$HOME/.cache/iac-dharma/kubernetes-$K8S_VERSION}"
BIN="$CACHE/bin"
SRC="$CACHE/src"
MARKER="$BIN/.complete"
WANT="kubernetes=v$K8S_VERSION etcd=v$ETCD_VERSION kwok=v$KWOK_VERSION"
BINARIES="kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok"
log() { echo "[kubernetes-build] $*" >&2; }

complete() {
  [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT" ] || return 1
  for b in $BINARIES; do [ -x "$BIN/$b" ] || return 1; done
}
if complete; then log "cached: $BIN ($WANT)"; exit 0; fi

command -v go >/dev/null 2>&1 || { log "Go is required to build the control plane"; exit 1; }
mkdir -p "$BIN" "$SRC"
exec 9>"$CACHE/.build.lock"
flock 9
if complete; then log "cached: $BIN ($WANT)"; exit 0; fi
rm -f "$MARKER"
export GOFLAGS="-mod=mod -buildvcs=false"
export CGO_ENABLED=0
START=$SECONDS

# --- Kubernetes components ------------------------------------------------------------------------
K="$SRC/k8s"
mkdir -p "$K"
if [ ! -f "$K/.tidy" ] || [ "$(cat "$K/.tidy")" != "$K8S_VERSION" ]; then
  log "resolving k8s.io/kubernetes v$K8S_VERSION"
  GOMOD="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [ -f "$GOMOD" ] || { log "could not download k8s.io/kubernetes@v$K8S_VERSION"; exit 1; }
  STAGING_VERSION="v0.${K8S_VERSION#1.}"
  {
    echo "module dharma.local/kubernetes-test-cluster"
    echo
    echo "go 1.24"
    echo
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    echo
    grep -E '^\s*k8s\.io/[^ ]+ => \./staging/' "$GOMOD" | awk -v v="$STAGING_VERSION" '{print "replace " $1 " => " $1 " " v}'
  } >"$K/go.mod"
  for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do mkdir -p "$K/cmd/$cmd"; done
  cat >"$K/cmd/kube-apiserver/main.go" <<'GO'
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }
GO
  cat >"$K/cmd/kube-controller-manager/main.go" <<'GO'
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() { os.Exit(cli.Run(app.NewControllerManagerCommand())) }
GO
  cat >"$K/cmd/kube-scheduler/main.go" <<'GO'
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-scheduler/app"
)

func main() { os.Exit(cli.Run(app.NewSchedulerCommand())) }
GO
  cat >"$K/cmd/kubectl/main.go" <<'GO'
package main

import (
	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"
)

func main() {
	command := cmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		util.CheckErr(err)
	}
}
GO
  log "go mod tidy (k8s)"
  (cd "$K" && go mod tidy)
  echo "$K8S_VERSION" >"$K/.tidy"
fi
MAJOR="${K8S_VERSION%%.*}"; REST="${K8S_VERSION#*.}"; MINOR="${REST%%.*}"
LDFLAGS="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LDFLAGS="$LDFLAGS -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=$MAJOR -X $pkg.gitMinor=$MINOR -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  if [ -x "$BIN/$cmd" ] && [ -f "$BIN/.$cmd.version" ] && [ "$(cat "$BIN/.$cmd.version")" = "$K8S_VERSION" ]; then continue; fi
  t=$SECONDS
  log "building $cmd v$K8S_VERSION"
  (cd "$K" && go build -p "${DHARMA_GO_BUILD_P:-2}" -trimpath -ldflags "$LDFLAGS" -o "$BIN/$cmd.partial" "./cmd/$cmd")
  mv "$BIN/$cmd.partial" "$BIN/$cmd"
  echo "$K8S_VERSION" >"$BIN/.$cmd.version"
  log "built $cmd in $((SECONDS - t))s"
done

# --- etcd -------------------------------------------------------------------------------------------
if ! { [ -x "$BIN/etcd" ] && [ "$(cat "$BIN/.etcd.version" 2>/dev/null)" = "$ETCD_VERSION" ]; }; then
  E="$SRC/etcd"
  mkdir -p "$E"
  cat >"$E/go.mod" <<GOMOD
module dharma.local/etcd

go 1.24

require go.etcd.io/etcd/server/v3 v$ETCD_VERSION
GOMOD
  cat >"$E/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  t=$SECONDS
  log "building etcd v$ETCD_VERSION"
  (cd "$E" && go mod tidy && go build -p "${DHARMA_GO_BUILD_P:-2}" -trimpath -ldflags "-s -w" -o "$BIN/etcd.partial" .)
  mv "$BIN/etcd.partial" "$BIN/etcd"
  echo "$ETCD_VERSION" >"$BIN/.etcd.version"
  log "built etcd in $((SECONDS - t))s"
fi

# --- kwok -------------------------------------------------------------------------------------------
if ! { [ -x "$BIN/kwok" ] && [ "$(cat "$BIN/.kwok.version" 2>/dev/null)" = "$KWOK_VERSION" ]; }; then
  t=$SECONDS
  log "building kwok v$KWOK_VERSION"
  GOBIN="$SRC/kwok-bin" go install -p "${DHARMA_GO_BUILD_P:-2}" -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"
  mv "$SRC/kwok-bin/kwok" "$BIN/kwok"
  echo "$KWOK_VERSION" >"$BIN/.kwok.version"
  log "built kwok in $((SECONDS - t))s"
fi

echo "$WANT" >"$MARKER"
log "complete in $((SECONDS - START))s: $BIN ($WANT)"
