"""Repeated stratified k-fold CV of churn candidates (IBM Telco, public training rows only), one command:

    cd training && nice .venv/bin/python -m dharma_training.churn_cv --data ../../shared/datasets/telco-churn

Protocol: `telco-churn-train.csv` only (the 2,000 sealed rows are never read); RepeatedStratifiedKFold with
--folds x --repeats outer folds (default 5 x 5 = 25); ROC AUC of each candidate on every outer test fold,
reported as mean ± sd over the 25 folds, plus the paired difference to the shipped model. Every candidate
sees the same encoded 45-column row the SDK's extractor produces (the card's `features`). Hyper-parameters
that are tuned (the logistic regression's C, the ensemble weight) are chosen INSIDE each outer training set
by an inner stratified 5-fold CV (nested), so the outer figures are not tuned on their own test folds.

Candidates:
  * xgb-shipped   the model shipped before (XGBoost, depth 2, lr 0.02, 400 trees: its card's params)
  * lr-onehot     standardised one-hot + numeric row, L2 logistic regression (C nested)
  * lr-fe         + engineered features (churn_features: log charges, cumulative tenure buckets, charges per
                  month of tenure, contract/fibre interactions), L2 logistic regression (C nested)
  * xgb-isotonic  xgb-shipped calibrated with isotonic regression (CalibratedClassifierCV, 5-fold)
  * lgbm          LightGBM, small leaves, fixed settings
  * ens-lr-xgb    w * lr-fe + (1 - w) * xgb-shipped probabilities, w in {0.5, 0.7, 0.85} nested
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold
from xgboost import XGBClassifier

from . import common
from .churn import C_GRID, load, make_specs
from .churn import make_lr as lr
from .churn_features import default_spec, engineer
from .tabular import encode, encoded_names

XGB_SHIPPED = dict(objective="binary:logistic", tree_method="hist", subsample=0.8, colsample_bytree=0.8,
                   min_child_weight=5, reg_lambda=1.0, max_depth=2, learning_rate=0.02, n_estimators=400, n_jobs=1)
LGBM = dict(n_estimators=300, learning_rate=0.03, num_leaves=7, min_child_samples=40, subsample=0.8,
            subsample_freq=1, colsample_bytree=0.7, reg_lambda=1.0, deterministic=True, force_col_wise=True,
            n_jobs=1, verbose=-1)
W_GRID = [0.5, 0.7, 0.85]
CANDIDATES = ["xgb-shipped", "lr-onehot", "lr-fe", "xgb-isotonic", "lgbm", "ens-lr-xgb"]


def xgb(seed: int):
    return XGBClassifier(random_state=seed, **XGB_SHIPPED)


def inner_oof(X, y, make, seed):
    """Out-of-fold P(churn) of `make()` on (X, y) by stratified 5-fold (for nested choices)."""
    oof = np.empty(len(y))
    for tr, va in StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y):
        oof[va] = make().fit(X[tr], y[tr]).predict_proba(X[va])[:, 1]
    return oof


def choose_c(X, y, seed):
    """C with the best inner-CV AUC; returns (C, that C's out-of-fold predictions)."""
    best = None
    for C in C_GRID:
        oof = inner_oof(X, y, lambda: lr(C, seed), seed)
        auc = roc_auc_score(y, oof)
        if best is None or auc > best[0]:
            best = (auc, C, oof)
    return best[1], best[2]


def choose_w(p_lr, p_xgb, y):
    return max(W_GRID, key=lambda w: roc_auc_score(y, w * p_lr + (1 - w) * p_xgb))


def run(data: Path, folds: int, repeats: int, seed: int, candidates: list[str], log):
    df = load(data)
    specs = make_specs(df)
    X = encode(df, specs)
    names = encoded_names(specs)
    Xfe = engineer(X, names, default_spec(names))
    y = (df["Churn"] == "Yes").astype(int).to_numpy()
    log(f"[churn_cv] {len(y)} rows, width {X.shape[1]} (+{Xfe.shape[1] - X.shape[1]} engineered), "
        f"churn rate {y.mean():.3f}; {folds} folds x {repeats} repeats")
    aucs = {c: [] for c in candidates}
    chosen = {"lr-onehot.C": [], "lr-fe.C": [], "ens-lr-xgb.C": [], "ens-lr-xgb.w": []}
    t0 = time.time()
    outer = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    for i, (tr, te) in enumerate(outer.split(X, y)):
        s = seed + i
        p_xgb = None
        if {"xgb-shipped", "ens-lr-xgb"} & set(candidates):
            p_xgb = xgb(s).fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
        if "xgb-shipped" in candidates:
            aucs["xgb-shipped"].append(roc_auc_score(y[te], p_xgb))
        if "lr-onehot" in candidates:
            C, _ = choose_c(X[tr], y[tr], s)
            chosen["lr-onehot.C"].append(C)
            aucs["lr-onehot"].append(roc_auc_score(y[te], lr(C, s).fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]))
        if {"lr-fe", "ens-lr-xgb"} & set(candidates):
            C, oof_lr = choose_c(Xfe[tr], y[tr], s)
            p_lr = lr(C, s).fit(Xfe[tr], y[tr]).predict_proba(Xfe[te])[:, 1]
            if "lr-fe" in candidates:
                chosen["lr-fe.C"].append(C)
                aucs["lr-fe"].append(roc_auc_score(y[te], p_lr))
            if "ens-lr-xgb" in candidates:
                oof_xgb = inner_oof(X[tr], y[tr], lambda: xgb(s), s)
                w = choose_w(oof_lr, oof_xgb, y[tr])
                chosen["ens-lr-xgb.C"].append(C)
                chosen["ens-lr-xgb.w"].append(w)
                aucs["ens-lr-xgb"].append(roc_auc_score(y[te], w * p_lr + (1 - w) * p_xgb))
        if "xgb-isotonic" in candidates:
            cal = CalibratedClassifierCV(xgb(s), method="isotonic", cv=5).fit(X[tr], y[tr])
            aucs["xgb-isotonic"].append(roc_auc_score(y[te], cal.predict_proba(X[te])[:, 1]))
        if "lgbm" in candidates:
            from lightgbm import LGBMClassifier
            m = LGBMClassifier(random_state=s, **LGBM).fit(X[tr], y[tr])
            aucs["lgbm"].append(roc_auc_score(y[te], m.predict_proba(X[te])[:, 1]))
        log(f"[churn_cv] outer fold {i + 1}/{folds * repeats} ({time.time() - t0:.0f}s): "
            + ", ".join(f"{c} {aucs[c][-1]:.4f}" for c in candidates))
    base = np.array(aucs["xgb-shipped"]) if "xgb-shipped" in aucs else None
    results = {"protocol": {"file": "telco-churn-train.csv", "rows": int(len(y)), "folds": folds,
                            "repeats": repeats, "seed": seed, "metric": "ROC AUC per outer fold",
                            "nested": "C in %s and w in %s chosen by inner stratified 5-fold CV" % (C_GRID, W_GRID)},
               "candidates": {}}
    for c in candidates:
        a = np.array(aucs[c])
        r = {"mean": round(float(a.mean()), 4), "sd": round(float(a.std(ddof=1)), 4)}
        if base is not None and c != "xgb-shipped":
            d = a - base
            r["minusShipped"] = {"mean": round(float(d.mean()), 4), "sd": round(float(d.std(ddof=1)), 4),
                                 "foldsBetter": int((d > 0).sum())}
        results["candidates"][c] = r
    results["chosenInside"] = {k: {str(v): int(n) for v, n in zip(*np.unique(vs, return_counts=True))}
                               for k, vs in chosen.items() if vs}
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=common.DEFAULT_DATA / "telco-churn")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=common.SEED)
    ap.add_argument("--candidates", default=",".join(CANDIDATES), help="comma-separated, from: " + ", ".join(CANDIDATES))
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)
    common.seed_everything(args.seed)
    res = run(args.data, args.folds, args.repeats, args.seed, args.candidates.split(","), lambda s: print(s, flush=True))
    print(json.dumps(res, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1) + "\n")
    return res


if __name__ == "__main__":
    main()
