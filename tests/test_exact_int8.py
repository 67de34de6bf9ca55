"""The int8 graphs compute the same numbers on every x86 CPU: uint8 weights, or their signed twin where exact."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from bot.answering.span_reader import LEDE_WEIGHTS, encode, get_lede_reader, get_span_reader, span_reader_files
from index.model_export import matmul_integer, signed_weights, unsigned_weights, write_probe
from index.model_files import ModelFiles, model_files
from index.signed_int8 import graph_path, signed_sums_exact, signed_twin
from tests.conftest import MODEL_DIR


def run(model: onnx.ModelProto, a: np.ndarray) -> list[np.ndarray]:
    """The graph's outputs under onnxruntime on this CPU."""
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"a": a})


def test_unsigned_weights_are_summed_exactly() -> None:
    """Large activations times large weights (where AVX2's u8 x s8 pair sums saturate) come out exact."""
    rng = np.random.default_rng(7)
    a = rng.integers(200, 256, size=(4, 64), dtype=np.uint8)
    weights = rng.choice(np.array([-128, -127, 120, 127], dtype=np.int8), size=(64, 16))
    zero = rng.integers(-3, 4, size=16).astype(np.int8)
    model = matmul_integer(weights, zero)
    assert unsigned_weights(model) == 2  # the weights and their zero point
    stored = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    assert stored["w"].dtype == np.uint8 and stored["w_zero"].dtype == np.uint8
    exact = a.astype(np.int64) @ (weights.astype(np.int64) - zero.astype(np.int64))
    np.testing.assert_array_equal(run(model, a)[0], exact)


def test_a_zero_point_two_nodes_share_is_shifted_once() -> None:
    """Two weight matrices with one zero-point tensor: both products stay exact."""
    rng = np.random.default_rng(8)
    a = rng.integers(200, 256, size=(3, 32), dtype=np.uint8)
    first, second = (rng.choice(np.array([-128, 127], dtype=np.int8), size=(32, 4)) for _ in range(2))
    model = matmul_integer(first, np.zeros(4, dtype=np.int8))
    graph = model.graph
    graph.initializer.append(numpy_helper.from_array(second, "w2"))
    graph.node.append(helper.make_node("MatMulInteger", ["a", "w2", "a_zero", "w_zero"], ["y2"]))
    graph.output.append(helper.make_tensor_value_info("y2", TensorProto.INT32, [None, 4]))
    assert unsigned_weights(model) == 3
    for out, weights in zip(run(model, a), (first, second), strict=True):
        np.testing.assert_array_equal(out, a.astype(np.int64) @ weights.astype(np.int64))


def test_a_graph_without_int8_weights_is_left_alone() -> None:
    """uint8 weights (already exact) are not shifted again."""
    model = matmul_integer(np.full((8, 2), 3, dtype=np.int8), np.zeros(2, dtype=np.int8))
    unsigned_weights(model)
    assert unsigned_weights(model) == 0
    assert numpy_helper.to_array(model.graph.initializer[0]).tolist() == [[131, 131]] * 8


def test_the_shipped_int8_graphs_hold_no_int8_weights() -> None:
    """make setup's int8 embedder and both int8 readers were exported with the uint8 weights."""
    for files in (model_files(MODEL_DIR, "int8"), span_reader_files(MODEL_DIR, "int8"),
                  span_reader_files(MODEL_DIR, "int8", LEDE_WEIGHTS)):
        graph = onnx.load(str(files.onnx)).graph
        stored = {t.name: t.data_type for t in graph.initializer}
        weights = [stored[n.input[1]] for n in graph.node if n.op_type == "MatMulInteger"]
        assert weights and set(weights) == {TensorProto.UINT8}, files.onnx.name


PAIRS = [
    ("Ask Jeeves buys Bloglines. The search firm has bought the news feed reader.",
     "How much Ask Jeeves paid for Bloglines was not revealed."),
    ("Safin wins Australian Open.",
     "Marat Safin beat Lleyton Hewitt in the final of the Australian Open in Melbourne."),
    ("Chelsea lift Carling Cup.",
     "Chelsea beat Liverpool 3-2 after extra time in the Carling Cup final at the Millennium Stadium."),
]
# The int8 readers' verdicts on PAIRS as the answer model was fitted to them (exact int8, 2026-12-07): a graph
# that computes other numbers (a saturating kernel, another export) gives other answers, so it fails here first.
FITTED = {
    ("news", "How much did Ask Jeeves pay for Bloglines?"): [0.618073, 0.002076, 0.001397],
    ("lede", "How much did Ask Jeeves pay for Bloglines?"): [0.90014, 0.00454, 0.002804],
    ("news", "Who won the Australian Open?"): [0.001849, 0.763223, 0.001267],
    ("lede", "Who won the Australian Open?"): [0.001589, 0.804351, 0.001521],
}


def logit(p: float) -> float:
    """Log-odds, where the readers' differences show at every probability."""
    return float(np.log(p / (1 - p)))


def test_the_int8_readers_give_the_verdicts_the_answer_model_was_fitted_on() -> None:
    """Each reader's log-odds on three fixed pairs within 0.01 of the recorded ones (fp32 noise is ~1e-5)."""
    readers = {"news": get_span_reader(MODEL_DIR), "lede": get_lede_reader(MODEL_DIR)}
    for (name, question), expected in FITTED.items():
        got = [logit(r.probability) for r in readers[name].read(question, PAIRS)]
        assert np.allclose(got, [logit(p) for p in expected], atol=0.01), (name, question, got)


def test_signed_weights_undo_unsigned_weights() -> None:
    """The twin's weights are the quantizer's int8 numbers again, zero point included."""
    rng = np.random.default_rng(9)
    weights = rng.integers(-128, 128, size=(16, 4)).astype(np.int8)
    zero = rng.integers(-3, 4, size=4).astype(np.int8)
    model = matmul_integer(weights, zero)
    unsigned_weights(model)
    assert signed_weights(model) == 2
    stored = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    assert stored["w"].dtype == np.int8 and stored["w"].tolist() == weights.tolist()
    assert stored["w_zero"].tolist() == zero.tolist()


def test_the_probe_says_what_this_cpu_does_with_signed_weights(tmp_path: Path) -> None:
    """Another saturating product with stored int8 weights is exact here exactly when the probe says so."""
    write_probe(tmp_path)
    rng = np.random.default_rng(10)
    a = rng.integers(220, 256, size=(6, 96), dtype=np.uint8)
    signs = np.repeat(rng.choice(np.array([-128, 127], dtype=np.int8), size=(48, 8)), 2, axis=0)  # alike in pairs
    exact = a.astype(np.int64) @ signs.astype(np.int64)
    computed = run(matmul_integer(signs, np.zeros(8, dtype=np.int8)), a)[0]
    assert signed_sums_exact(tmp_path) == bool(np.array_equal(computed, exact))


def test_without_a_probe_or_a_twin_the_uint8_graph_runs(tmp_path: Path) -> None:
    """A cache made before the twins (no probe, no twin) keeps running the exact uint8 graph."""
    shipped = span_reader_files(MODEL_DIR, "int8")
    files = ModelFiles(tmp_path / shipped.onnx.name, tmp_path / shipped.record.name, shipped.tokenizer, "int8")
    assert graph_path(files) == files.onnx
    write_probe(tmp_path)
    assert graph_path(files) == files.onnx  # a probe but no twin


def test_the_shipped_twins_hold_int8_weights_and_run_where_exact() -> None:
    """make setup wrote each int8 graph's signed twin; a session opens it exactly when this CPU sums it exactly."""
    for files in (model_files(MODEL_DIR, "int8"), span_reader_files(MODEL_DIR, "int8"),
                  span_reader_files(MODEL_DIR, "int8", LEDE_WEIGHTS)):
        twin = signed_twin(files)
        graph = onnx.load(str(twin.onnx)).graph
        stored = {t.name: t.data_type for t in graph.initializer}
        assert {stored[n.input[1]] for n in graph.node if n.op_type == "MatMulInteger"} == {TensorProto.INT8}
        expected = twin.onnx if signed_sums_exact(files.onnx.parent) else files.onnx
        assert graph_path(files) == expected, files.onnx.name


def test_the_twin_computes_what_the_uint8_graph_computes() -> None:
    """On a CPU that runs the twin, the reader's outputs on real pairs are the uint8 graph's, bit for bit."""
    files = span_reader_files(MODEL_DIR, "int8")
    if graph_path(files) == files.onnx:
        pytest.skip("this CPU runs the uint8 graph (the twin is not exact here)")
    reader = get_span_reader(MODEL_DIR)
    batch = encode(reader.tokenizer, reader.counter, [("Who won the Australian Open?", p, t) for p, t in PAIRS])
    plain = ort.InferenceSession(str(files.onnx), providers=["CPUExecutionProvider"]).run(None, batch.feeds())
    for mine, theirs in zip(reader.session.run(None, batch.feeds()), plain, strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_a_damaged_probe_falls_back_to_the_uint8_graphs(tmp_path: Path) -> None:
    """A probe that cannot run says no, so sessions open the graphs that are exact everywhere."""
    (tmp_path / "int8-probe.v1.onnx").write_bytes(b"not a graph")
    assert signed_sums_exact(tmp_path) is False


def test_a_twin_of_an_earlier_graph_is_not_run(tmp_path: Path) -> None:
    """A twin whose record names another graph as its source (the graph was remade since) stays unopened."""
    shipped = span_reader_files(MODEL_DIR, "int8")
    files = ModelFiles(tmp_path / shipped.onnx.name, tmp_path / shipped.record.name, shipped.tokenizer, "int8")
    twin = signed_twin(files)
    for source, target in ((shipped, files), (signed_twin(shipped), twin)):
        target.onnx.write_bytes(source.onnx.read_bytes())
        target.record.write_text(source.record.read_text())
    write_probe(tmp_path)
    expected = twin.onnx if signed_sums_exact(tmp_path) else files.onnx
    assert graph_path(files) == expected
    record = json.loads(files.record.read_text())
    files.record.write_text(json.dumps({**record, "sha256": "0" * 64}))
    assert graph_path(files) == files.onnx
