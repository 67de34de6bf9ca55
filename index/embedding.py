"""Sentence embeddings with onnxruntime + tokenizers: no torch on the hot path, one load per process."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.model_files import ModelFiles, ensure_model, open_session

MAX_TOKENS = 256
DIMENSIONS = 384
BATCH_SIZE = 8  # measured (bench/engine_bench.py sweep): on 2 cores smaller batches run faster and pad less

Progress = Callable[[int], None]


class Embedder:
    """all-MiniLM-L6-v2 as an ONNX session; texts are deduplicated, sorted by length and batched."""

    def __init__(self, files: ModelFiles, batch_size: int = BATCH_SIZE, threads: int = 0) -> None:
        self.session, self.tokenizer = open_session(files, threads, spinning=False)  # the reader runs right after
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.batch_size = batch_size
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Unit-length embeddings for texts, one row each; identical texts are embedded once."""
        unique = list(dict.fromkeys(texts))
        encodings = self.tokenizer.encode_batch(unique)
        order = sorted(range(len(unique)), key=lambda i: len(encodings[i].ids))
        vectors = np.zeros((len(unique), DIMENSIONS), dtype=np.float32)
        for first in range(0, len(order), self.batch_size):
            batch = order[first : first + self.batch_size]
            vectors[batch] = self._run([encodings[i].ids for i in batch])
            if progress:
                progress(len(batch))
        row = {text: i for i, text in enumerate(unique)}
        return vectors[[row[text] for text in texts]] if len(unique) != len(texts) else vectors

    def embed_query(self, text: str) -> np.ndarray:
        """One query's embedding as a 1-D vector."""
        return self.embed([text])[0]

    def count_tokens(self, text: str) -> list[int]:
        """Word-piece ids without special tokens, for token-aware chunking."""
        return self.tokenizer.encode(text, add_special_tokens=False).ids

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        """Pad a batch to its own longest row and run the graph (pooling is inside it)."""
        ids = np.zeros((len(rows), max(len(r) for r in rows)), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
        mask = (ids != 0).astype(np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        with self._lock:  # one run at a time: onnxruntime already uses every core
            return self.session.run(None, feeds)[0]


@functools.lru_cache(maxsize=4)
def get_embedder(cache_dir: Path, precision: str = "fp32") -> Embedder:
    """The process-wide embedder for a precision, loaded on first use."""
    return Embedder(ensure_model(cache_dir, precision))
