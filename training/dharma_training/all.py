"""Train every model: python -m dharma_training.all [--datasets ../shared/datasets] [--out packages/models/artifacts]."""
from __future__ import annotations

import argparse
from pathlib import Path

from . import churn, common, failure, threat


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m dharma_training.all")
    ap.add_argument("--datasets", type=Path, default=common.DEFAULT_DATA,
                    help="folder holding nasa-cmapss/, nsl-kdd/ and telco-churn/ (default: ../shared/datasets)")
    ap.add_argument("--out", type=Path, default=common.DEFAULT_OUT)
    ap.add_argument("--only", nargs="*", choices=["failure", "threat", "churn"],
                    default=["threat", "churn", "failure"])
    args = ap.parse_args(argv)
    mods = {"threat": (threat, "nsl-kdd"), "churn": (churn, "telco-churn"), "failure": (failure, "nasa-cmapss")}
    done = {}
    for name in args.only:
        mod, sub = mods[name]
        done[name] = mod.main(["--data", str(args.datasets / sub), "--out", str(args.out)])
    print("defaults and alternatives:", done)


if __name__ == "__main__":
    main()
