"""The ONNX embedding engine: same vectors as sentence-transformers, deduplication, the hash record."""

from __future__ import annotations

import numpy as np
import pytest

from index.embedding import get_embedder
from index.model_files import is_ready, model_files, packaged_model_dir
from tests.conftest import MODEL_DIR

TEXTS = [
    "Which chip runs DeepSeek R1 inference?",
    "Huawei's Ascend 910C chip is poised as a competitor to NVIDIA's Hopper H100 AI accelerators. " * 12,
    "Short.",
    "DeepSeek R1 was trained on NVIDIA H800 AI GPUs, inferencing is done on Huawei 910C AI chips.",
]


def test_onnx_matches_sentence_transformers() -> None:
    sentence_transformers = pytest.importorskip("sentence_transformers")
    reference = sentence_transformers.SentenceTransformer(str(packaged_model_dir()), device="cpu")
    expected = reference.encode(TEXTS, batch_size=4, normalize_embeddings=True)
    got = get_embedder(MODEL_DIR, "fp32").embed(TEXTS)  # one padded batch of very different lengths
    cosines = (expected * got).sum(axis=1)
    assert cosines.min() > 0.999
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)


def test_identical_texts_are_embedded_once() -> None:
    embedder = get_embedder(MODEL_DIR, "fp32")
    counted: list[int] = []
    vectors = embedder.embed(["same text", "other text", "same text"], progress=counted.append)
    assert sum(counted) == 2
    assert np.array_equal(vectors[0], vectors[2])


def test_model_file_matches_its_recorded_hash() -> None:
    assert is_ready(model_files(MODEL_DIR, "fp32"), full_check=True)


def test_int8_is_close_to_fp32() -> None:
    files = model_files(MODEL_DIR, "int8")
    if not is_ready(files):
        pytest.skip("int8 model not prepared")
    fp32 = get_embedder(MODEL_DIR, "fp32").embed(TEXTS)
    int8 = get_embedder(MODEL_DIR, "int8").embed(TEXTS)
    assert ((fp32 * int8).sum(axis=1)).min() > 0.95
