"""IaC Dharma training pipeline: produces the ONNX models served by @iac-dharma/models."""
import os

# The machine's 2 cores are shared with other jobs; busy-waiting OpenMP threads (torch, xgboost,
# lightgbm) then slow training down by orders of magnitude. Must be set before those libraries load.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
