#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (never downloads a browser build).
# Writes $DHARMA_SERVICES_DIR/chromium.env with DHARMA_CHROMIUM=/usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/services/env.sh
if ! command -v chromium >/dev/null 2>&1; then
  echo "[chromium] installing Debian's chromium package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
fi
echo "DHARMA_CHROMIUM=$(command -v chromium)" > "$DHARMA_SERVICES_DIR/chromium.env"
echo "[chromium] $(chromium --version 2>/dev/null | head -1)"
