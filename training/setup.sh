#!/usr/bin/env bash
# Creates training/.venv with the pinned requirements. Run from anywhere: bash training/setup.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="${PYTHON:-python3}"
"$py" -m venv "$here/.venv"
pip="$here/.venv/bin/pip"
# torch: the CPU-only wheel (≈200 MB) if download.pytorch.org is reachable, else PyPI (pulls CUDA
# libraries, ≈3 GB, unused here but harmless). Same torch version either way.
torch_pin="$(grep -E '^torch==' "$here/requirements.txt")"
if curl -s -m 10 -o /dev/null https://download.pytorch.org/whl/cpu/torch/; then
  "$pip" install --quiet "$torch_pin" --index-url https://download.pytorch.org/whl/cpu || true
fi
"$pip" install --quiet -r "$here/requirements.txt"
"$pip" install --quiet -e "$here" --no-deps
echo "ready: $here/.venv/bin/python -m dharma_training.all"
