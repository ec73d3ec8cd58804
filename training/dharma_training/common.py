"""Shared helpers: determinism, model-card writing, ONNX checks and parity files.

Everything that ends up in an artifact must be a pure function of (data, code,
pinned library versions): no timestamps, no host names, no absolute paths.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import random
import sys
from importlib import metadata
from pathlib import Path

import numpy as np

SEED = 42
OPSET = 17
# ai.onnx.ml opset used by the tree converters; 3 runs in onnxruntime-web and -node.
ML_OPSET = 3

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "datasets"
DEFAULT_OUT = REPO_ROOT / "packages" / "models" / "artifacts"


def seed_everything(seed: int = SEED) -> None:
    random.seed(seed)
    np.random.seed(seed)
    os.environ.setdefault("PYTHONHASHSEED", str(seed))


def library_versions(*names: str) -> dict:
    out = {"python": platform.python_version()}
    for n in names:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:  # pragma: no cover
            out[n] = "not-installed"
    return out


def sha256_bytes(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def rel_command(module: str, data: Path, out: Path) -> str:
    """The command line as a user would type it from the repo root (no absolute paths)."""
    def rel(p: Path) -> str:
        try:
            return os.path.relpath(Path(p).resolve(), REPO_ROOT)
        except ValueError:  # pragma: no cover - different drive on Windows
            return str(p)
    return f"training/.venv/bin/python -m dharma_training.{module} --data {rel(data)} --out {rel(out)}"


def f32(x) -> list:
    """float32 array -> nested plain-Python floats: the shortest decimal that parses back to the
    same float32 (Math.fround(v) in JS gives the exact value), which keeps parity files small."""
    a = np.asarray(x, dtype=np.float32)
    flat = [float(np.format_float_positional(v, unique=True, trim="-")) if np.isfinite(v) else float(v)
            for v in a.ravel()]
    return np.array(flat, dtype=np.float64).reshape(a.shape).tolist()


def jsonable(x):
    if isinstance(x, np.ndarray):
        if x.dtype == np.float32:
            return f32(x)
        return x.tolist()
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    return x


def _dumps(o, ind: int, depth: int) -> str:
    """JSON with objects indented but lists of scalars (and parity rows) on one line."""
    pad, pad_in = " " * (ind * depth), " " * (ind * (depth + 1))
    compact = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    if isinstance(o, dict):
        if not o:
            return "{}"
        items = [f"{pad_in}{json.dumps(k)}: {_dumps(v, ind, depth + 1)}" for k, v in o.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(o, list):
        if all(not isinstance(v, (dict, list)) for v in o) or depth >= 3:
            return compact(o)
        return "[\n" + ",\n".join(pad_in + _dumps(v, ind, depth + 1) for v in o) + "\n" + pad + "]"
    return compact(o)


def write_json(path: Path, obj, compact_from_depth: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Key order is part of the documented shape, so keys are never sorted.
    obj = jsonable(obj)
    if compact_from_depth is not None:  # parity: one row per line
        rows = obj.pop("rows")
        head = _dumps(obj, 1, 0)[:-2]
        body = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows)
        path.write_text(head + ',\n "rows": [\n' + body + "\n ]\n}\n")
    else:
        path.write_text(_dumps(obj, 1, 0) + "\n")


def rounded(d, nd: int = 5):
    """Round metric floats so cards stay readable (models are deterministic anyway)."""
    if isinstance(d, dict):
        return {k: rounded(v, nd) for k, v in d.items()}
    if isinstance(d, (list, tuple)):
        return [rounded(v, nd) for v in d]
    if isinstance(d, (float, np.floating)):
        return round(float(d), nd)
    if isinstance(d, np.integer):
        return int(d)
    return d


def ort_session(model_bytes: bytes):
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    return ort.InferenceSession(model_bytes, sess_options=so, providers=["CPUExecutionProvider"])


def io_spec(model_bytes: bytes, meanings: dict[str, str]):
    """Read input/output names, dtypes and shapes back from the ONNX graph itself."""
    import onnx

    m = onnx.load_from_string(model_bytes)
    tmap = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.INT64: "int64",
            onnx.TensorProto.STRING: "string", onnx.TensorProto.DOUBLE: "float64"}

    def spec(v):
        t = v.type.tensor_type
        shape = [d.dim_value if d.HasField("dim_value") else -1 for d in t.shape.dim]
        return {"name": v.name, "dtype": tmap[t.elem_type], "shape": shape}

    inputs = [spec(v) for v in m.graph.input]
    outputs = []
    for v in m.graph.output:
        s = spec(v)
        s["meaning"] = meanings[v.name]
        outputs.append(s)
    opsets = {o.domain or "": o.version for o in m.opset_import}
    return inputs, outputs, opsets


def to_opset(model, opset: int = OPSET):
    """onnxmltools caps its converters at opset 15; the tree graphs only use ai.onnx.ml ops plus
    a few core ops (Cast, Identity, ...), which the official version converter lifts to 17."""
    import onnx
    from onnx import version_converter

    cur = {o.domain or "": o.version for o in model.opset_import}.get("", opset)
    if cur != opset:
        model = version_converter.convert_version(model, opset)
    onnx.checker.check_model(model)
    return model


def finalize_onnx(model, doc: str):
    """Strip volatile metadata so bytes depend only on the trained model."""
    model.producer_name = "dharma_training"
    model.producer_version = "1"
    model.doc_string = doc
    model.graph.doc_string = ""
    model.graph.name = "dharma"  # converters put a random uuid here, which broke byte-identical rebuilds
    return model


def save_artifact(out_dir: Path, model_id: str, model_bytes: bytes, card: dict, parity: dict) -> dict:
    d = Path(out_dir) / model_id
    d.mkdir(parents=True, exist_ok=True)
    (d / "model.onnx").write_bytes(model_bytes)
    write_json(d / "model-card.json", card)
    write_json(d / "parity.json", parity, compact_from_depth=1)
    print(f"[{model_id}] wrote {d} ({len(model_bytes)} bytes, sha256 {card['sha256'][:12]}…)")
    return card


def base_card(model_id: str, task: str, algorithm: str, description: str, model_bytes: bytes,
              meanings: dict[str, str]) -> dict:
    inputs, outputs, opsets = io_spec(model_bytes, meanings)
    return {
        "cardVersion": 1,
        "id": model_id,
        "version": "1.0.0",
        "task": task,
        "algorithm": algorithm,
        "description": description,
        "file": "model.onnx",
        "sha256": sha256_bytes(model_bytes),
        "bytes": len(model_bytes),
        "opset": opsets.get("", OPSET),
        "inputs": inputs,
        "outputs": outputs,
    }


def parity_rows(sess, X: np.ndarray, raws: list) -> list:
    """Run onnxruntime on the exact float32 inputs and record every output tensor."""
    names = [o.name for o in sess.get_outputs()]
    res = sess.run(None, {sess.get_inputs()[0].name: X.astype(np.float32)})
    rows = []
    for i, raw in enumerate(raws):
        outs = {n: jsonable(r[i]) for n, r in zip(names, res)}
        rows.append({"raw": raw, "input": f32(X[i]), "outputs": outs})
    return rows


def check_ort_matches(sess, X: np.ndarray, expected: np.ndarray, out_index: int, atol: float, what: str):
    got = sess.run(None, {sess.get_inputs()[0].name: X.astype(np.float32)})[out_index]
    diff = float(np.max(np.abs(np.asarray(got, dtype=np.float64).reshape(expected.shape) - expected)))
    print(f"[{what}] max |onnx - native| = {diff:.3g}")
    if diff > atol:
        raise SystemExit(f"{what}: ONNX output differs from the native model by {diff} (> {atol})")
    return diff


def base_argparser(module: str, default_data_sub: str):
    import argparse

    p = argparse.ArgumentParser(prog=f"python -m dharma_training.{module}")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA / default_data_sub,
                   help=f"dataset folder (default: ../shared/datasets/{default_data_sub})")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help="artifacts root; models go to <out>/<model-id>/ (default: packages/models/artifacts)")
    p.add_argument("--seed", type=int, default=SEED)
    return p


def python_exe_note() -> str:
    return sys.version.split()[0]
