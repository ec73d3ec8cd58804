"""The original-library model objects behind each bundled ONNX model, for the Python peer benchmark.

Tree models (XGBoost, random forest, LightGBM) and the churn logistic regression are retrained deterministically with the exact code,
parameters and seed of the training pipeline (training/dharma_training/*.py); the pipeline does not save
the library objects. The LSTM is rebuilt with the pipeline's architecture and its weights are copied out
of the shipped ONNX graph (retraining it takes 5-17 minutes). Every peer is checked against the model's
parity.json outputs, so the timed object is the shipped model, not a look-alike.

Each builder returns (library label, predict(X float32) -> the model's primary output, output name).
Prediction runs on one thread (n_jobs=1 / num_threads=1 / torch threads 1), like the ONNX sessions.
"""
from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np

from dharma_training import churn, failure, threat
from dharma_training.tabular import encode

DATASETS = Path(__file__).resolve().parents[3].parent / "shared" / "datasets"


@functools.lru_cache(maxsize=1)
def _threat_data(datasets: Path):
    """Encoded KDDTrain+ and its category labels (shared by threat and threat-rf)."""
    df, feature_names = threat.load(datasets / "nsl-kdd")
    X = encode(df, threat.make_specs(df, feature_names))
    y = df["category"].map({c: i for i, c in enumerate(threat.LABELS)}).to_numpy()
    return X, y


def _threat(kind: str, card: dict, datasets: Path):
    X, y = _threat_data(datasets)
    model = threat.fit(kind, X, y, card["training"]["seed"])  # the pipeline refits on all of KDDTrain+
    model.set_params(n_jobs=1)
    import sklearn, xgboost  # noqa: E401
    label = (f"scikit-learn {sklearn.__version__} RandomForestClassifier.predict_proba" if kind == "rf"
             else f"xgboost {xgboost.__version__} XGBClassifier.predict_proba")
    return label, model.predict_proba, "probabilities"


def _churn(card: dict, datasets: Path):
    import sklearn

    from dharma_training.churn_features import engineer
    from dharma_training.tabular import encoded_names

    df = churn.load(datasets / "telco-churn")
    specs = churn.make_specs(df)
    X = encode(df, specs)
    y = (df["Churn"] == "Yes").astype(int).to_numpy()
    names = encoded_names(specs)
    # The pipeline refits on all rows with the card's C; the feature engineering runs in the peer too.
    model, spec, _, _ = churn.fit(X, y, names, card["training"]["seed"], C=card["training"]["params"]["C"])
    return (f"scikit-learn {sklearn.__version__} LogisticRegression.predict_proba (+ numpy feature engineering)",
            lambda rows: model.predict_proba(engineer(rows, names, spec)), "probabilities")


def _failure_gbm(card: dict, datasets: Path):
    import lightgbm
    from scipy.special import ndtr

    seed = card["training"]["seed"]
    df = failure.load(datasets / "nasa-cmapss")
    is_val, _ = failure.split_units(df, seed)
    tr_df = df[~is_val]
    sensors = [f["name"] for f in card["features"]]
    norm = (np.array([f["normalization"]["min"] for f in card["features"]]),
            np.array([f["normalization"]["max"] for f in card["features"]]))
    Xtr, ytr, *_ = failure.make_windows(failure.engines(tr_df), sensors, norm)
    model = failure.train_gbm(failure.window_stats(Xtr).astype(np.float32), ytr, seed)
    sigma = card["postprocess"]["residualSigma"]

    def predict(F):  # same outputs as the graph: clipped RUL and P(RUL <= 30)
        rul = np.clip(model.predict(F, num_threads=1), 0, failure.RUL_CAP)
        return rul, ndtr((failure.HORIZON - rul) / sigma)

    return f"lightgbm {lightgbm.__version__} LGBMRegressor.predict", lambda F: predict(F)[0], "rul"


def _failure_lstm(card: dict, model_path: Path):
    import onnx
    import torch
    from onnx import numpy_helper
    from torch import nn

    torch.set_num_threads(1)
    cfg = failure.LSTM_CFG
    weights = {i.name: numpy_helper.to_array(i) for i in onnx.load(str(model_path)).graph.initializer}
    W, R, B = _lstm_tensors(weights)
    n_in, hidden = W.shape[2], cfg["hidden"]

    class Net(nn.Module):  # the pipeline's architecture (failure.train_lstm)
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(n_in, hidden, num_layers=cfg["layers"], batch_first=True)
            self.head = nn.Sequential(nn.Linear(hidden, 32), nn.ReLU(), nn.Linear(32, 1))

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.head(out[:, -1, :])

    net = Net().eval()
    # ONNX gate order is i, o, f, c; torch's is i, f, g(c), o.
    order = lambda a: np.concatenate([np.split(a, 4)[k] for k in (0, 2, 3, 1)])  # noqa: E731
    with torch.no_grad():
        net.lstm.weight_ih_l0.copy_(torch.tensor(order(W[0])))
        net.lstm.weight_hh_l0.copy_(torch.tensor(order(R[0])))
        net.lstm.bias_ih_l0.copy_(torch.tensor(order(B[0][:4 * hidden])))
        net.lstm.bias_hh_l0.copy_(torch.tensor(order(B[0][4 * hidden:])))
        for index in (0, 2):
            net.head[index].weight.copy_(torch.tensor(weights[f"net.head.{index}.weight"]))
            net.head[index].bias.copy_(torch.tensor(weights[f"net.head.{index}.bias"]))
    sigma = card["postprocess"]["residualSigma"]

    def predict(X):  # the exported module: clamp(net(x) * 125, 0, 125) and the erf probability
        with torch.inference_mode():
            rul = torch.clamp(net(torch.from_numpy(X)) * failure.RUL_CAP, 0.0, failure.RUL_CAP)
            prob = 0.5 * (1.0 + torch.erf((failure.HORIZON - rul) / (sigma * math.sqrt(2.0))))
            return rul.numpy(), prob.numpy()

    return f"torch {torch.__version__} nn.LSTM forward (inference_mode)", lambda X: predict(X)[0], "rul"


def _lstm_tensors(weights: dict):
    """W [1,4H,I], R [1,4H,H], B [1,8H] of the exported LSTM node, told apart by shape."""
    lstm = [v for k, v in weights.items() if k.startswith("onnx::LSTM")]
    B = next(v for v in lstm if v.ndim == 2)
    three = [v for v in lstm if v.ndim == 3]
    hidden = B.shape[1] // 8
    R = next(v for v in three if v.shape[2] == hidden)
    W = next(v for v in three if v is not R)
    return W, R, B


def build(model_id: str, card: dict, model_dir: Path, datasets: Path = DATASETS):
    """-> (library label, predict function, primary output name) for one bundled model."""
    algorithm = card["algorithm"]
    if model_id.startswith("threat"):
        return _threat("rf" if algorithm == "random-forest" else "xgb", card, datasets)
    if model_id == "churn":
        return _churn(card, datasets)
    if algorithm == "lightgbm":
        return _failure_gbm(card, datasets)
    if algorithm == "lstm":
        return _failure_lstm(card, model_dir / card["file"])
    raise ValueError(f"no Python peer for model {model_id} ({algorithm})")
