"""The tabular feature extractor, written to mirror the contract in training/README.md.

For each feature in `features` order: numeric -> 1 column (parsed as float64, blanks
imputed per `missing`, then normalised), categorical -> one column per category in
`categories` order (1.0 for the matching category, unknown -> all zeros). The
vector is cast to float32 at the very end. The TypeScript extractor does the same.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class FeatureSpec:
    name: str
    kind: str  # "numeric" | "categorical"
    categories: list[str] = field(default_factory=list)
    normalization: dict = field(default_factory=lambda: {"type": "none"})
    missing: dict | None = None  # e.g. {"when": "blank", "value": 0}


def parse_numeric(s: pd.Series, spec: FeatureSpec) -> np.ndarray:
    txt = s.astype(str).str.strip()
    vals = pd.to_numeric(txt, errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(vals)
    if bad.any():
        if spec.missing is None:
            raise ValueError(f"{spec.name}: {int(bad.sum())} unparseable values and no imputation rule")
        vals[bad] = spec.missing["value"]
    return vals


def normalise(v: np.ndarray, norm: dict) -> np.ndarray:
    t = norm["type"]
    if t == "none":
        return v
    if t == "minmax":
        rng = norm["max"] - norm["min"]
        return (v - norm["min"]) / (rng if rng != 0 else 1.0)
    if t == "zscore":
        return (v - norm["mean"]) / (norm["std"] if norm["std"] != 0 else 1.0)
    raise ValueError(t)


def encode(df: pd.DataFrame, specs: list[FeatureSpec]) -> np.ndarray:
    cols = []
    for s in specs:
        if s.kind == "numeric":
            cols.append(normalise(parse_numeric(df[s.name], s), s.normalization)[:, None])
        else:
            v = df[s.name].astype(str).to_numpy()
            cols.append(np.stack([(v == c).astype(np.float64) for c in s.categories], axis=1))
    return np.concatenate(cols, axis=1).astype(np.float32)


def encoded_names(specs: list[FeatureSpec]) -> list[str]:
    out = []
    for s in specs:
        out += [s.name] if s.kind == "numeric" else [f"{s.name}={c}" for c in s.categories]
    return out


def features_json(specs: list[FeatureSpec]) -> list[dict]:
    out = []
    for s in specs:
        if s.kind == "numeric":
            d = {"name": s.name, "kind": "numeric", "normalization": s.normalization}
            if s.missing is not None:
                d["missing"] = s.missing
        else:
            d = {"name": s.name, "kind": "categorical", "categories": s.categories}
        out.append(d)
    return out
