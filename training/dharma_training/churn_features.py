"""Engineered churn features computed from the card's encoded row, in numpy and as ONNX nodes.

The TypeScript extractor (the card's `features`) is unchanged: it still produces the 45-column one-hot +
numeric row. Every engineered feature is a function of that row, so the logistic-regression model computes
them inside its ONNX graph, from one spec list shared by training (numpy) and export (ONNX nodes):

  * ("log1p", col)            log(1 + x)
  * ("ge", col, k)            1 if x >= k else 0 (cumulative tenure buckets)
  * ("per", num, den)         num / max(den, 1) (e.g. TotalCharges per month of tenure)
  * ("mul", a, b)             a * b (interactions)

Features that are linear in the row (service counts, differences) need nothing: the linear model has them.
"""
from __future__ import annotations

import numpy as np

TENURE_STEPS = [2, 6, 12, 24, 36, 48, 60, 70]


def default_spec(names: list[str]) -> list[tuple]:
    """The engineered features of the shipped logistic regression, by encoded column name."""
    spec: list[tuple] = [("log1p", "tenure"), ("log1p", "TotalCharges"), ("log1p", "MonthlyCharges")]
    spec += [("ge", "tenure", float(k)) for k in TENURE_STEPS]
    spec += [("per", "TotalCharges", "tenure")]
    m2m = "Contract=Month-to-month"
    fiber = "InternetService=Fiber optic"
    for other in ["tenure", "MonthlyCharges", fiber, "PaymentMethod=Electronic check", "PaperlessBilling=Yes",
                  "OnlineSecurity=No", "TechSupport=No", "SeniorCitizen"]:
        spec.append(("mul", m2m, other))
    for other in ["tenure", "MonthlyCharges", "StreamingTV=Yes", "StreamingMovies=Yes"]:
        spec.append(("mul", fiber, other))
    spec.append(("mul", "SeniorCitizen", "tenure"))
    missing = {c for f in spec for c in f[1:] if isinstance(c, str) and c not in names}
    if missing:
        raise ValueError(f"churn feature spec names unknown encoded columns: {sorted(missing)}")
    return spec


def engineer(X: np.ndarray, names: list[str], spec: list[tuple]) -> np.ndarray:
    """[N, width] encoded rows -> [N, width + len(spec)]: the row itself, then the engineered features.
    Computed in float32 like the ONNX graph, so native and ONNX scores agree to float32 rounding."""
    X = np.asarray(X, dtype=np.float32)
    col = {n: X[:, i] for i, n in enumerate(names)}
    out = []
    for f in spec:
        kind = f[0]
        if kind == "log1p":
            out.append(np.log(col[f[1]] + np.float32(1)))
        elif kind == "ge":
            out.append((col[f[1]] >= np.float32(f[2])).astype(np.float32))
        elif kind == "per":
            out.append(col[f[1]] / np.maximum(col[f[2]], np.float32(1)))
        elif kind == "mul":
            out.append(col[f[1]] * col[f[2]])
        else:
            raise ValueError(kind)
    return np.concatenate([X, np.stack(out, axis=1).astype(np.float32)], axis=1)


def onnx_nodes(names: list[str], spec: list[tuple], input_name: str, output_name: str, prefix: str = "fe"):
    """ONNX nodes + initializers computing `engineer` from `input_name` [N, width] into `output_name`."""
    from onnx import helper, numpy_helper

    nodes, inits = [], []
    consts = {f"{prefix}_one": 1.0}
    gathered: dict[str, str] = {}

    def const(v: float) -> str:
        for k, existing in consts.items():
            if existing == v:
                return k
        key = f"{prefix}_c{len(consts)}"
        consts[key] = v
        return key

    def column(name: str) -> str:
        if name not in gathered:
            idx = f"{prefix}_idx_{len(gathered)}"
            inits.append(numpy_helper.from_array(np.array([names.index(name)], np.int64), idx))
            out = f"{prefix}_col_{len(gathered)}"
            nodes.append(helper.make_node("Gather", [input_name, idx], [out], axis=1, name=out))
            gathered[name] = out
        return gathered[name]

    outs = []
    for i, f in enumerate(spec):
        o = f"{prefix}_f{i}"
        kind = f[0]
        if kind == "log1p":
            nodes.append(helper.make_node("Add", [column(f[1]), f"{prefix}_one"], [o + "_p1"], name=o + "_p1"))
            nodes.append(helper.make_node("Log", [o + "_p1"], [o], name=o))
        elif kind == "ge":
            c = const(float(f[2]))
            nodes.append(helper.make_node("Less", [column(f[1]), c], [o + "_lt"], name=o + "_lt"))
            nodes.append(helper.make_node("Not", [o + "_lt"], [o + "_ge"], name=o + "_ge"))
            nodes.append(helper.make_node("Cast", [o + "_ge"], [o], to=1, name=o))
        elif kind == "per":
            nodes.append(helper.make_node("Max", [column(f[2]), f"{prefix}_one"], [o + "_den"], name=o + "_den"))
            nodes.append(helper.make_node("Div", [column(f[1]), o + "_den"], [o], name=o))
        elif kind == "mul":
            nodes.append(helper.make_node("Mul", [column(f[1]), column(f[2])], [o], name=o))
        else:
            raise ValueError(kind)
        outs.append(o)
    nodes.append(helper.make_node("Concat", [input_name, *outs], [output_name], axis=1, name=output_name))
    for k, v in consts.items():
        inits.append(numpy_helper.from_array(np.array(v, np.float32), k))
    return nodes, inits
