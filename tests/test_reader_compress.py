"""The fully fine-tuned reader's shipping form: low-rank deltas the export folds in as it folds LoRA."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.reader_compress import WHOLE_BELOW, compress, low_rank
from bench.reader_experiment import rank_of


def test_low_rank_recovers_a_low_rank_change() -> None:
    """A rank-3 change is kept exactly at rank 3, and all its energy is reported kept."""
    rng = np.random.default_rng(0)
    delta = rng.normal(size=(40, 3)) @ rng.normal(size=(3, 30)) * 0.01
    a, b, kept = low_rank(delta, 3)
    assert a.shape == (3, 30) and b.shape == (40, 3)
    assert kept > 0.999
    assert np.abs(b.astype(np.float32) @ a.astype(np.float32) - delta).max() < 1e-4


def test_compress_keeps_small_tensors_whole_and_large_matrices_as_pairs() -> None:
    """Heads, biases and LayerNorm stay as trained; a large matrix becomes name.a / name.b around the packaged one."""
    rng = np.random.default_rng(1)
    rows = WHOLE_BELOW // 100 + 1
    base = {"bert.layer.dense.weight": rng.normal(size=(rows, 100)).astype(np.float32)}
    change = np.outer(rng.normal(size=rows), rng.normal(size=100)).astype(np.float32) * 0.01
    trained = {"bert.layer.dense.weight": base["bert.layer.dense.weight"] + change,
               "bert.layer.dense.bias": np.ones(rows, np.float32), "head.weight": np.ones((1, 100), np.float32)}
    small = compress(trained, base, rank=2)
    assert set(small) == {"bert.layer.dense.a", "bert.layer.dense.b", "bert.layer.dense.bias", "head.weight"}
    folded = small["bert.layer.dense.b"].astype(np.float32) @ small["bert.layer.dense.a"].astype(np.float32)
    assert np.abs(folded - change).max() < 1e-4


def test_rank_of_reads_the_lora_rank_or_zero_for_whole_weights(tmp_path: Path) -> None:
    """Continuing a run needs the model it was trained as: LoRA of the file's rank, or every weight free."""
    np.savez(tmp_path / "lora.npz", **{"bert.x.a": np.zeros((16, 8)), "bert.x.b": np.zeros((8, 16))})
    np.savez(tmp_path / "whole.npz", **{"bert.x.weight": np.zeros((8, 8))})
    assert rank_of(tmp_path / "lora.npz") == 16
    assert rank_of(tmp_path / "whole.npz") == 0


def test_export_folds_whole_weights_and_pairs_into_the_packaged_model() -> None:
    """A compressed file round-trips: whole tensors replace the packaged ones, pairs add their product."""
    from bot.answering.span_reader_export import merged_bert

    plain = merged_bert({})
    query = plain.encoder.layer[0].attention.self.query.weight.detach().numpy().copy()
    a, b = np.full((1, 384), 0.5, np.float16), np.full((384, 1), 0.5, np.float16)
    bert = merged_bert({"bert.embeddings.LayerNorm.bias": np.ones(384, np.float16),
                        "bert.encoder.layer.0.attention.self.query.a": a,
                        "bert.encoder.layer.0.attention.self.query.b": b})
    assert np.allclose(bert.embeddings.LayerNorm.bias.detach().numpy(), 1.0)
    assert np.allclose(bert.encoder.layer[0].attention.self.query.weight.detach().numpy(), query + 0.25)
