"""Python peers of the scoring benchmark: each bundled model through its original library (scikit-learn /
XGBoost / LightGBM / PyTorch) and through Python onnxruntime, measured the same way as
bench/src/scoring/scoring-bench.ts (same pre-encoded parity rows, 200 warm-up calls, then N single-row
calls timed individually for p50/p99, and batches of 1024 rows for throughput; each figure the median of
R repetitions with min-max spread). Writes bench/results/python-peers.json.

Run: training/.venv/bin/python bench/src/python-peers/python-peers.py
Env: BENCH_SINGLE_CALLS (3000), BENCH_BATCH_CALLS (20), BENCH_REPETITIONS (5), BENCH_MODELS (all),
     BENCH_ARTIFACTS (packages/models/artifacts), BENCH_DATASETS (../shared/datasets).
"""
from __future__ import annotations

import json
import math
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peer_models  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = Path(os.environ.get("BENCH_ARTIFACTS", ROOT / "packages/models/artifacts"))
DATASETS = Path(os.environ.get("BENCH_DATASETS", peer_models.DATASETS))
SINGLE_CALLS = int(os.environ.get("BENCH_SINGLE_CALLS", 3000))
BATCH_ROWS = 1024
BATCH_CALLS = int(os.environ.get("BENCH_BATCH_CALLS", 20))
REPETITIONS = int(os.environ.get("BENCH_REPETITIONS", 5))
WARMUP = 200
# A slow peer (scikit-learn's random forest: ~25 ms per single-row call) would take many minutes at
# SINGLE_CALLS calls x REPETITIONS; it gets as many calls as fit in this budget per repetition (at least 300).
PEER_SECONDS = float(os.environ.get("BENCH_PEER_SECONDS", 10))
MIN_CALLS = 300


def percentile(sorted_values, p):
    """Nearest-rank percentile (0..100), as bench/src/scoring/measure.ts."""
    index = min(len(sorted_values) - 1, max(0, math.ceil(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def latency(fn, rows, calls):
    """p50/p99 in ms of `calls` sequential single-row calls, cycling through `rows`."""
    times = []
    n = len(rows)
    for index in range(calls):
        row = rows[index % n]
        start = time.perf_counter()
        fn(row)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return percentile(times, 50), percentile(times, 99)


def throughput(fn, batch, calls):
    start = time.perf_counter()
    for _ in range(calls):
        fn(batch)
    return len(batch) * calls / (time.perf_counter() - start)


def summary(values):
    return {"median": float(np.median(values)), "min": float(min(values)), "max": float(max(values))}


def bench_model(model_id):
    model_dir = ARTIFACTS / model_id
    card = json.loads((model_dir / "model-card.json").read_text())
    parity = json.loads((model_dir / "parity.json").read_text())
    encoded = np.array([row["input"] for row in parity["rows"]], dtype=np.float32)
    t0 = time.perf_counter()
    library, predict, output = peer_models.build(model_id, card, model_dir, DATASETS)
    build_seconds = time.perf_counter() - t0
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(model_dir / card["file"]), options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    onnx_run = lambda x: session.run(None, {input_name: x})  # noqa: E731 - all outputs, like session.run in TS

    # The peer must be the shipped model: compare its output on all parity rows with the parity file.
    want = np.array([row["outputs"][output] for row in parity["rows"]], dtype=np.float64).reshape(len(encoded), -1)
    got = np.asarray(predict(encoded), dtype=np.float64).reshape(len(encoded), -1)
    max_diff = float(np.max(np.abs(got - want)))

    rows = [encoded[i:i + 1] for i in range(len(encoded))]
    batch = encoded[np.arange(BATCH_ROWS) % len(encoded)]
    for index in range(WARMUP):
        onnx_run(rows[index % len(rows)])
    warm_start = time.perf_counter()
    for index in range(WARMUP):
        predict(rows[index % len(rows)])
    per_call = (time.perf_counter() - warm_start) / WARMUP
    library_calls = min(SINGLE_CALLS, max(MIN_CALLS, int(PEER_SECONDS / per_call)))
    runs = {key: [] for key in ("libraryP50", "libraryP99", "ortP50", "ortP99", "libraryRowsPerSecond", "ortRowsPerSecond")}
    for repetition in range(REPETITIONS):
        ort_p50, ort_p99 = latency(onnx_run, rows, SINGLE_CALLS)
        lib_p50, lib_p99 = latency(predict, rows, library_calls)
        runs["ortP50"].append(ort_p50); runs["ortP99"].append(ort_p99)
        runs["libraryP50"].append(lib_p50); runs["libraryP99"].append(lib_p99)
        runs["ortRowsPerSecond"].append(throughput(onnx_run, batch, BATCH_CALLS))
        runs["libraryRowsPerSecond"].append(throughput(predict, batch, BATCH_CALLS))
        print(f"python peers: {model_id} repetition {repetition + 1}/{REPETITIONS}", file=sys.stderr, flush=True)
    spread = {key: summary(values) for key, values in runs.items()}
    m = lambda key: spread[key]["median"]  # noqa: E731
    table = {
        "model": model_id,
        "algorithm": card["algorithm"],
        "library": library,
        "library single-row calls": library_calls,
        "library p50 ms": round(m("libraryP50"), 4), "library p99 ms": round(m("libraryP99"), 4),
        "Python ORT p50 ms": round(m("ortP50"), 4), "Python ORT p99 ms": round(m("ortP99"), 4),
        "library rows/s (batch 1024)": round(m("libraryRowsPerSecond")),
        "Python ORT rows/s (batch 1024)": round(m("ortRowsPerSecond")),
        "library / ORT p50": round(m("libraryP50") / m("ortP50"), 2),
        "parity max abs diff": float(f"{max_diff:.3g}"),
    }
    return table, {"spread": spread, "peerBuildSeconds": round(build_seconds, 1), "parityOutput": output,
                   "parityRows": len(encoded)}


def main():
    ids = sorted(p.name for p in ARTIFACTS.iterdir() if (p / "model-card.json").exists())
    wanted = os.environ.get("BENCH_MODELS")
    if wanted:
        ids = [i for i in ids if i in wanted.split(",")]
    figures, details = [], {}
    for model_id in ids:
        print(f"python peers: {model_id} (building the library model)…", file=sys.stderr, flush=True)
        table, detail = bench_model(model_id)
        figures.append(table)
        details[model_id] = detail
        print(json.dumps(table), file=sys.stderr, flush=True)
    versions = {"python": platform.python_version(), "onnxruntime": ort.__version__, "numpy": np.__version__}
    output = {
        "title": "Model scoring: Python peers (original library and Python onnxruntime)",
        "description": (
            f"The same models and pre-encoded parity rows as the scoring benchmark, scored in Python: the model's original "
            f"library (the object the training pipeline fits; tree models retrained deterministically with the pipeline's "
            f"code and seed, the LSTM rebuilt from the ONNX weights) and Python onnxruntime {ort.__version__}. Single-row p50/p99 "
            f"over {SINGLE_CALLS} sequential calls (fewer for a slow library, as many as fit in {PEER_SECONDS:g} s but at "
            f"least {MIN_CALLS}: see 'library single-row calls') after {WARMUP} warm-up calls; throughput over {BATCH_CALLS} batches of "
            f"{BATCH_ROWS} rows; each figure the median of {REPETITIONS} repetitions (spread in the details). One thread "
            f"everywhere (n_jobs=1, num_threads=1, torch.set_num_threads(1); ORT 1 intra-op + 1 inter-op thread, graph "
            f"optimisation all). 'parity max abs diff' = the library's output vs the parity file (proves it is the shipped model)."),
        "command": "training/.venv/bin/python bench/src/python-peers/python-peers.py",
        "measuredAt": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "figures": figures,
        "details": details,
        "versions": versions,
        "loadAverageAtEnd": [round(v, 2) for v in os.getloadavg()],
    }
    out = ROOT / "bench/results/python-peers.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(output, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
