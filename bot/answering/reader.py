"""A second opinion on answerability: a small cross-encoder reads the question against the chosen quotes.

The lexical abstention model (bot.answering.abstain) cannot tell a question that the quotes answer from one that
only shares their words (SQuAD 2.0's unanswerable questions are written that way). The reader is the
packaged all-MiniLM-L6-v2 with LoRA adapters and a logistic head, trained by bench/reader_experiment.py
on SQuAD 2.0 questions outside the evaluation set; bot/models/reader.npz holds only the trained
parameters and `make setup` folds them into an ONNX graph (bot.answering.reader_export). It runs with onnxruntime.
"""

from __future__ import annotations

import functools
import hashlib
import math
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.answering.answer_types import yes_no
from bot.answering.sentences import headline
from index.model_files import ModelFiles, ensure_ready, open_session, packaged_model_dir

READER_WEIGHTS = Path(__file__).resolve().parents[1] / "models" / "reader.npz"
MAX_TOKENS = 96  # as trained: question + quotes, the quotes cut to fit
MAX_QUESTION_TOKENS = 48  # a longer question is cut, so the quotes always keep room
PRECISION = "int8"  # fp32 costs ~14 ms a question against int8's ~7 (issue 6's tail budget)
# Trained with headlines (`bench/reader_experiment.py --headlines`): at the validation quantile of the previous
# reader's 0.1138, as the first headline-trained run set it; never chosen on the test questions (README).
THRESHOLD = 0.080
EXPORT_VERSION = 2  # bump when the export recipe changes, so old files are remade


def in_scope(question: str) -> bool:
    """True for the extractive questions the reader was trained on (SQuAD's): a yes/no question gets no veto."""
    return not yes_no(question)


@functools.lru_cache(maxsize=1)
def weights_digest() -> str:
    """The first 12 hex digits of the weights' SHA-256: a new training run gets a new ONNX file."""
    return hashlib.sha256(READER_WEIGHTS.read_bytes()).hexdigest()[:12]


def reader_files(cache_dir: Path, precision: str) -> ModelFiles:
    """Where one precision's reader graph lives in the model cache."""
    onnx = cache_dir / f"newsdesk-reader.{weights_digest()}.{precision}.v{EXPORT_VERSION}.onnx"
    return ModelFiles(onnx, onnx.with_suffix(".json"), packaged_model_dir() / "tokenizer.json", precision)


class Reader:
    """The reader graph as an onnxruntime session plus the pair tokenizer it was trained with."""

    def __init__(self, files: ModelFiles, threads: int = 0) -> None:
        from tokenizers import Tokenizer

        self.session, self.tokenizer = open_session(files, threads, spinning=False)
        self.tokenizer.enable_truncation(MAX_TOKENS, strategy="only_second")
        self.counter = Tokenizer.from_file(str(files.tokenizer))  # no truncation: measures the question alone
        self.counter.no_padding()
        self._lock = threading.Lock()

    def probability(self, question: str, quotes: Sequence[str]) -> float:
        """P(the quotes answer the question), as the reader estimates it."""
        pair = self.tokenizer.encode(self._short(question), " ".join(quotes))
        ids = np.array([pair.ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                 "token_type_ids": np.array([pair.type_ids], dtype=np.int64)}
        with self._lock:  # one run at a time: onnxruntime already uses every core
            logit = float(self.session.run(None, feeds)[0][0])
        return 1.0 / (1.0 + math.exp(-logit))

    def _short(self, question: str) -> str:
        """The question cut to MAX_QUESTION_TOKENS word pieces (answer() already caps its characters)."""
        pieces = self.counter.encode(question, add_special_tokens=False)
        if len(pieces.ids) <= MAX_QUESTION_TOKENS:
            return question
        return question[: pieces.offsets[MAX_QUESTION_TOKENS - 1][1]]


def headed(title: str | None, quotes: list[str]) -> list[str]:
    """The quotes after their first article's headline, which holds details a news question takes from the story."""
    head = headline(title)
    return [head, *quotes] if head else quotes


def agrees(question: str, quotes: list[str], cache_dir: Path) -> bool:
    """False only when the reader vetoes: an in-scope question the quotes, in its judgement, do not answer.

    Yes/no questions are outside its training, so they pass without running (or loading) it.
    """
    return not in_scope(question) or get_reader(cache_dir).probability(question, quotes) >= THRESHOLD


@functools.lru_cache(maxsize=4)
def get_reader(cache_dir: Path, precision: str = PRECISION) -> Reader:
    """The process-wide reader, loaded on first use (exported first if setup has not run on this machine)."""
    files = reader_files(cache_dir, precision)
    return Reader(ensure_ready(files, "the answerability reader", "bot.answering.reader_export"))
