"""Run the int8 graphs with signed weights where this CPU sums them exactly (VNNI): the same numbers, faster.

The int8 graphs store their weights as uint8 because onnxruntime sums uint8 x int8 products with saturating 16-bit
pair sums on an AVX2-only CPU (index.model_export.unsigned_weights). A CPU with VNNI sums uint8 x int8 exactly and
much faster than uint8 x uint8 (the readers took 45 against 74 ms for two sentences on such a Xeon). So setup also
writes each int8 graph's signed twin and a probe: one MatMulInteger whose products saturate a 16-bit pair sum.
A process runs the probe once and opens the twin only when the probe comes out exact, so every CPU computes what
the answer model was fitted on.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import numpy as np

from index.model_files import ModelFiles, is_ready, read_record

log = logging.getLogger(__name__)

PROBE_NAME = "int8-probe.v1.onnx"
PROBE_SHAPE = (8, 64, 16)  # activations rows x depth x weight columns (8 rows: a matrix product, not a GEMV)


def signed_twin(files: ModelFiles) -> ModelFiles:
    """Where an int8 graph's signed-weight twin and its record live, next to it."""
    onnx = files.onnx.with_name(files.onnx.name.replace(".int8.", ".int8-signed."))
    return ModelFiles(onnx, onnx.with_suffix(".json"), files.tokenizer, files.precision)


def probe_activations() -> np.ndarray:
    """uint8 activations near 255: two of them times two weights near +-128 overflow a 16-bit pair sum."""
    rows, depth, _ = PROBE_SHAPE
    return (200 + (np.arange(rows)[:, None] * 7 + np.arange(depth)[None, :] * 13) % 56).astype(np.uint8)


def probe_weights() -> np.ndarray:
    """int8 weights of +127 or -128, alike in each adjacent pair of rows (the pairs AVX2 sums in 16 bits)."""
    _, depth, cols = PROBE_SHAPE
    same_sign = (np.arange(depth)[:, None] // 2 + np.arange(cols)[None, :]) % 2 == 0
    return np.where(same_sign, 127, -128).astype(np.int8)


def graph_path(files: ModelFiles) -> Path:
    """The graph a session should open: the signed twin when it is ready and this CPU sums it exactly."""
    if files.precision != "int8":
        return files.onnx
    twin = signed_twin(files)
    if twin_of(files, twin) and is_ready(twin) and signed_sums_exact(files.onnx.parent):
        return twin.onnx
    return files.onnx


def twin_of(files: ModelFiles, twin: ModelFiles) -> bool:
    """True when the twin was made from this very graph (its record names the graph's hash as its source)."""
    graph, made_from = read_record(files), read_record(twin)
    return bool(graph and made_from and graph.get("sha256") == made_from.get("source_sha256"))


@functools.lru_cache(maxsize=8)
def signed_sums_exact(folder: Path) -> bool:
    """True when onnxruntime computes the probe (folder/PROBE_NAME) exactly on this CPU; False without a probe."""
    import onnxruntime as ort

    probe = folder / PROBE_NAME
    if not probe.is_file():
        return False
    options = ort.SessionOptions()
    options.log_severity_level = 3
    activations = probe_activations()
    try:
        session = ort.InferenceSession(str(probe), options, providers=["CPUExecutionProvider"])
        (out,) = session.run(None, {"a": activations})
    except Exception:  # a damaged probe: the uint8 graphs are exact everywhere, so fall back to them
        log.warning("the int8 probe %s cannot run; using the uint8 graphs", probe, exc_info=True)
        return False
    exact = activations.astype(np.int64) @ probe_weights().astype(np.int64)
    return bool(np.array_equal(np.asarray(out, dtype=np.int64), exact))
