"""The int8 graphs compute the same numbers on every x86 CPU: their weights are uint8, which ORT sums exactly."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from bot.answering.span_reader import LEDE_WEIGHTS, get_lede_reader, get_span_reader, span_reader_files
from index.model_export import unsigned_weights
from index.model_files import model_files
from tests.conftest import MODEL_DIR


def matmul_integer(weights: np.ndarray, zero: np.ndarray) -> onnx.ModelProto:
    """One MatMulInteger node: uint8 activations (zero point 0) times a stored int8 weight matrix."""
    node = helper.make_node("MatMulInteger", ["a", "w", "a_zero", "w_zero"], ["y"])
    graph = helper.make_graph(
        [node], "matmul", [helper.make_tensor_value_info("a", TensorProto.UINT8, [None, weights.shape[0]])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [None, weights.shape[1]])],
        [numpy_helper.from_array(weights, "w"), numpy_helper.from_array(zero, "w_zero"),
         numpy_helper.from_array(np.array(0, dtype=np.uint8), "a_zero")],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


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
