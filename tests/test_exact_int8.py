"""The int8 graphs compute the same numbers on every x86 CPU: their weights are uint8, which ORT sums exactly."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from bot.answering.span_reader import LEDE_WEIGHTS, span_reader_files
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


def run(model: onnx.ModelProto, a: np.ndarray) -> np.ndarray:
    """The graph's output under onnxruntime on this CPU."""
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"a": a})[0]


def test_unsigned_weights_are_summed_exactly() -> None:
    """Large activations times large weights (where AVX2's u8 x s8 pair sums saturate) come out exact."""
    rng = np.random.default_rng(7)
    a = rng.integers(200, 256, size=(4, 64), dtype=np.uint8)
    weights = rng.choice(np.array([-128, -127, 120, 127], dtype=np.int8), size=(64, 16))
    zero = rng.integers(-3, 4, size=16).astype(np.int8)
    model = matmul_integer(weights, zero)
    assert unsigned_weights(model) == 1
    stored = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    assert stored["w"].dtype == np.uint8 and stored["w_zero"].dtype == np.uint8
    exact = a.astype(np.int64) @ (weights.astype(np.int64) - zero.astype(np.int64))
    np.testing.assert_array_equal(run(model, a), exact)


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
