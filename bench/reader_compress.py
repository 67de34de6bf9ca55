"""Ship a fully fine-tuned span reader small: each changed weight matrix as a low-rank delta from the packaged MiniLM.

A reader trained with every weight free (`bench/span_reader_train.py --rank 0`, then bench/span_reader_news.py)
saves all 22.7 M parameters (42 MB as fp16). What it learnt is the difference from the packaged model, and most
of that difference is low-rank: this script keeps, for every matrix (the linear layers and the word embeddings),
the best rank-R approximation of (trained - packaged) as the LoRA pair the export already folds in
(bot/answering/span_reader_export.merged_bert: W + B @ A), and every vector (biases, LayerNorm) and the small
embedding tables whole. It prints, per group, how much of the delta's energy the kept rank holds.

    .venv/bin/python -m bench.reader_compress /tmp/full.npz bot/models/span_reader.npz --rank 64
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from index.model_files import packaged_model_dir

WHOLE_BELOW = 100_000  # a tensor with fewer values than this is kept as trained (biases, LayerNorm, small tables)


def packaged_weights() -> dict[str, np.ndarray]:
    """The packaged MiniLM's parameters by name, as the trained file names them (prefix 'bert.')."""
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(packaged_model_dir()))
    return {f"bert.{n}": p.detach().numpy() for n, p in bert.named_parameters()}


def low_rank(delta: np.ndarray, rank: int) -> tuple[np.ndarray, np.ndarray, float]:
    """(A, B, share of the delta's energy kept) with B @ A the best rank-`rank` approximation of delta."""
    u, s, vt = np.linalg.svd(delta.astype(np.float64), full_matrices=False)
    kept = float((s[:rank] ** 2).sum() / max((s**2).sum(), 1e-30))
    root = np.sqrt(s[:rank])
    return (root[:, None] * vt[:rank]).astype(np.float16), (u[:, :rank] * root).astype(np.float16), kept


def compress(trained: dict[str, np.ndarray], base: dict[str, np.ndarray], rank: int) -> dict[str, np.ndarray]:
    """The file to ship: heads and small tensors whole, every large matrix as a low-rank delta (name.a, name.b)."""
    out: dict[str, np.ndarray] = {}
    for name, value in trained.items():
        if not name.startswith("bert.") or value.size < WHOLE_BELOW or value.ndim != 2:
            out[name] = value.astype(np.float16)
            continue
        a, b, kept = low_rank(value.astype(np.float32) - base[name], rank)
        stem = name[: -len(".weight")]
        out[f"{stem}.a"], out[f"{stem}.b"] = a, b
        print(f"{stem}: {value.shape}, rank {rank} keeps {kept:.1%} of the change", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trained", type=Path, help="a whole-weights reader (.npz from a --rank 0 run)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--rank", type=int, default=64)
    args = parser.parse_args()
    small = compress(dict(np.load(args.trained)), packaged_weights(), args.rank)
    np.savez_compressed(args.out, **small)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
