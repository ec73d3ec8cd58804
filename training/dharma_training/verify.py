"""Check shipped artifacts against their own contract, using ONLY model-card.json (not training code):

  python -m dharma_training.verify [--out packages/models/artifacts]

For every <id>/: sha256 and size match the card, the card has the documented keys, a fresh
extractor written from the card reproduces parity `input` from `raw`, and onnxruntime reproduces
parity `outputs` from `input` (both within 1e-5). This is what the TypeScript side re-implements.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np

from . import common

REQUIRED = ["cardVersion", "id", "version", "task", "algorithm", "description", "file", "sha256", "bytes",
            "opset", "inputs", "outputs", "features", "encodedWidth", "postprocess", "training", "metrics",
            "libraries"]
TOL = 1e-5


def _num(v, feat):
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(str(v).strip())
    except ValueError:
        if "missing" not in feat:
            raise
        return float(feat["missing"]["value"])


def _norm(x, n):
    if n["type"] == "minmax":
        r = n["max"] - n["min"]
        return (x - n["min"]) / (r if r != 0 else 1.0)
    if n["type"] == "zscore":
        return (x - n["mean"]) / (n["std"] if n["std"] != 0 else 1.0)
    return x


def extract_tabular(card, raw: dict) -> np.ndarray:
    out = []
    for f in card["features"]:
        v = raw.get(f["name"])
        if f["kind"] == "numeric":
            out.append(_norm(_num(v, f), f["normalization"]))
        else:
            out += [1.0 if str(v) == c else 0.0 for c in f["categories"]]
    return np.array(out, dtype=np.float64).astype(np.float32)


def extract_window(card, raw: dict) -> np.ndarray:
    L = card["window"]["length"]
    rows = raw["sensors"][-L:]
    rows = [rows[0]] * (L - len(rows)) + rows  # repeat-first padding
    feats = card["features"]
    W = np.array([[_norm(float(r[j]), feats[j]["normalization"]) for j in range(len(feats))] for r in rows])
    if "windowFeatures" not in card:
        return W.astype(np.float32)
    i = np.arange(L, dtype=np.float64)
    ic = i - (L - 1) / 2
    stats = {"last": lambda w: w[-1], "mean": lambda w: w.sum() / L,
             "slope": lambda w: float(np.sum(ic * (w - w.sum() / L)) / np.sum(ic * ic)),
             "min": lambda w: w.min(), "max": lambda w: w.max(), "first": lambda w: w[0],
             "std": lambda w: float(np.sqrt(np.sum((w - w.sum() / L) ** 2) / L))}
    vec = [stats[s](W[:, j]) for s in card["windowFeatures"] for j in range(len(feats))]  # stat-major
    return np.array(vec, dtype=np.float64).astype(np.float32)


def verify(model_dir: Path) -> list[str]:
    errs = []
    card = json.loads((model_dir / "model-card.json").read_text())
    parity = json.loads((model_dir / "parity.json").read_text())
    onx = (model_dir / card["file"]).read_bytes()
    errs += [f"missing card key {k}" for k in REQUIRED if k not in card]
    if hashlib.sha256(onx).hexdigest() != card["sha256"] or len(onx) != card["bytes"]:
        errs.append("sha256/bytes mismatch")
    sess = common.ort_session(onx)
    names = [o.name for o in sess.get_outputs()]
    if names != [o["name"] for o in card["outputs"]]:
        errs.append(f"output names {names} != card")
    window = "window" in card
    worst_in = worst_out = 0.0
    for r in parity["rows"]:
        x = np.array(r["input"], dtype=np.float32)
        ext = extract_window(card, r["raw"]) if window else extract_tabular(card, r["raw"])
        worst_in = max(worst_in, float(np.max(np.abs(ext.astype(np.float64) - x))))
        res = sess.run(None, {card["inputs"][0]["name"]: x[None]})
        for n, v in zip(names, res):
            d = np.max(np.abs(np.asarray(v[0], dtype=np.float64) - np.asarray(r["outputs"][n], dtype=np.float64)))
            worst_out = max(worst_out, float(d))
    if worst_in > TOL:
        errs.append(f"extractor differs from parity input by {worst_in}")
    if worst_out > TOL:
        errs.append(f"onnxruntime differs from parity outputs by {worst_out}")
    print(f"{card['id']:14s} {card['bytes']:>9d} B  rows={len(parity['rows'])}  "
          f"max|extract-input|={worst_in:.2g}  max|ort-outputs|={worst_out:.2g}  {'OK' if not errs else errs}")
    return errs


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m dharma_training.verify")
    ap.add_argument("--out", type=Path, default=common.DEFAULT_OUT)
    args = ap.parse_args(argv)
    bad = 0
    for d in sorted(p for p in args.out.iterdir() if (p / "model-card.json").exists()):
        bad += bool(verify(d))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
