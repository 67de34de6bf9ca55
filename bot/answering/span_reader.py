"""A reader that chooses: P(this sentence answers the question) and the answer span inside it, per candidate.

Where the former veto reader only said whether the chosen quotes answer, this one scores each
candidate sentence (with the sentence before it as context) and points at the words that answer, so the caller
can pick the answering sentence and lift its short answer. It is the packaged all-MiniLM-L6-v2 with LoRA
adapters, an answerability head on the mean-pooled states and a start/end span head, trained by
bench/span_reader_train.py on SQuAD 2.0 (outside the test articles) and synthetic questions made from BBC
sentences, then taught real news questions by bench/span_reader_news.py (the sentences it reads for the questions
of bench.news_questions.READER_SETS); bot/models/span_reader.npz holds only the trained parameters and
`make setup` folds them into an ONNX graph (bot.answering.span_reader_export). It runs with onnxruntime and
tokenizers, never torch.

A second reader, bot/models/span_reader_lede.npz, is the same model taught the same news questions from the
SQuAD-trained start with the article's lede in its context as well (lede_context; `bench.span_reader_news
--lede`); bot.answering.choose reads every sentence with both and agrees their verdicts.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.answering.sentences import headline
from index.model_files import ModelFiles, ensure_ready, open_session, packaged_model_dir

SPAN_WEIGHTS = Path(__file__).resolve().parents[1] / "models" / "span_reader.npz"
LEDE_WEIGHTS = Path(__file__).resolve().parents[1] / "models" / "span_reader_lede.npz"
MAX_TOKENS = 128  # as trained: question + previous sentence + target sentence
MAX_QUESTION_TOKENS = 48  # a longer question is cut, so the sentences always keep room
PREVIOUS_CHARS = 200  # the context: the headline, then the end of the previous sentence ("it", "the firm")
TITLE_CHARS = 80  # a headline is cut to this many characters, so the previous sentence keeps room
MAX_SPAN_TOKENS = 30  # a short answer, not a clause
PRECISION = "int8"  # validation AUC 0.787 against fp32 0.788; 8 sentences ~50-65 ms, 16 ~150-190 ms on 2 cores
EXPORT_VERSION = 2  # bump when the export recipe changes, so old files are remade (2: exact int8)
# Each reader runs on one core and the two read at once (bot.answering.choose.span_reader_for): two sentences read
# by both took 16 ms (median) so against 26 ms one after the other with two threads each, on 2 cores.
THREADS = 1
OUTER_PUNCTUATION = "\"'“”‘’«»()[]{},.;:!?…"  # stripped from a snapped span's ends; £ $ € % stay


@dataclass(frozen=True)
class Reading:
    """One candidate's verdict: P(it answers) and the best span as character offsets inside the target sentence."""

    probability: float
    start: int
    end: int


@dataclass
class Encoded:
    """A padded batch of (question, previous + target) pairs, plus where each target's tokens are."""

    ids: np.ndarray  # [batch, tokens] int64
    mask: np.ndarray  # [batch, tokens] int64
    types: np.ndarray  # [batch, tokens] int64
    target: np.ndarray  # [batch, tokens] bool: the token lies in the target sentence (span candidates)
    offsets: np.ndarray  # [batch, tokens, 2] int64: character offsets inside the target sentence (-1 elsewhere)

    def feeds(self) -> dict[str, np.ndarray]:
        """The graph's inputs."""
        return {"input_ids": self.ids, "attention_mask": self.mask, "token_type_ids": self.types}


@functools.lru_cache(maxsize=4)
def weights_digest(weights: Path = SPAN_WEIGHTS) -> str:
    """The first 12 hex digits of the weights' SHA-256: a new training run gets a new ONNX file."""
    return hashlib.sha256(weights.read_bytes()).hexdigest()[:12]


def span_reader_files(cache_dir: Path, precision: str, weights: Path = SPAN_WEIGHTS) -> ModelFiles:
    """Where one precision's span-reader graph lives in the model cache."""
    onnx = cache_dir / f"newsdesk-span-reader.{weights_digest(weights)}.{precision}.v{EXPORT_VERSION}.onnx"
    return ModelFiles(onnx, onnx.with_suffix(".json"), packaged_model_dir() / "tokenizer.json", precision)


def tokenizers_for(path: Path) -> tuple[Any, Any]:
    """(pair tokenizer: truncated to MAX_TOKENS, padded; counter: no truncation, measures the question alone)."""
    from tokenizers import Tokenizer

    pair = Tokenizer.from_file(str(path))
    pair.enable_truncation(MAX_TOKENS, strategy="only_second")
    pair.enable_padding(pad_id=0, pad_token="[PAD]")
    counter = Tokenizer.from_file(str(path))
    counter.no_truncation()
    counter.no_padding()
    return pair, counter


def short_question(counter: Any, question: str) -> str:
    """The question cut to MAX_QUESTION_TOKENS word pieces."""
    pieces = counter.encode(question, add_special_tokens=False)
    if len(pieces.ids) <= MAX_QUESTION_TOKENS:
        return question
    return question[: pieces.offsets[MAX_QUESTION_TOKENS - 1][1]]


def reader_context(title: str | None, previous: str) -> str:
    """The headline and the end of the previous sentence, at most PREVIOUS_CHARS in all.

    A news question takes details from the story's headline ("the 2004 Guardian First Book Award") that the
    answering sentence does not repeat; without the headline the reader takes their absence for a sign that the
    sentence does not answer, as SQuAD 2.0's unanswerable questions taught it.
    """
    return then_previous(headline(title, TITLE_CHARS), previous)


def lede_context(title: str | None, lede: str, previous: str) -> str:
    """The headline, the start of the lede and the end of the previous sentence: the lede reader's context.

    News questions name their story by a detail of its opening sentence ("Which former IMF figure did Ariel
    Sharon pick …?" for "Stanley Fischer … has agreed to take the Bank of Israel job" under "Israel has asked a
    US banker and former International Monetary Fund director to run its central bank"). The lede takes at most
    half the room the headline leaves; the previous sentence's end fills the rest (PREVIOUS_CHARS in all).
    """
    head = headline(title, TITLE_CHARS)
    share = (PREVIOUS_CHARS - len(head) - 3) // 2  # half the room after the headline, less " …"
    part = lede if len(lede) <= share else lede[: share + 1].rsplit(" ", 1)[0] + " …"
    return then_previous(f"{head} {part}".strip(), previous)


def then_previous(lead: str, previous: str) -> str:
    """The lead, then as much of the previous sentence's end as fits: PREVIOUS_CHARS in all."""
    room = PREVIOUS_CHARS - len(lead) - 1 if lead else PREVIOUS_CHARS
    tail = previous[-room:].strip() if room > 0 else ""
    return f"{lead} {tail}".strip()


def second_segment(previous: str, target: str) -> tuple[str, int]:
    """The previous sentence's last PREVIOUS_CHARS characters, a space, the target; and where the target starts."""
    tail = previous[-PREVIOUS_CHARS:].strip()
    return (f"{tail} {target}", len(tail) + 1) if tail else (target, 0)


def encode(pair: Any, counter: Any, rows: Sequence[tuple[str, str, str]]) -> Encoded:
    """Tokenize (question, previous, target) rows the way the reader was trained: one padded batch."""
    seconds = [second_segment(previous, target) for _, previous, target in rows]
    texts = [(short_question(counter, q), text) for (q, _, _), (text, _) in zip(rows, seconds, strict=True)]
    encodings = pair.encode_batch(texts)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    offsets = np.full((*ids.shape, 2), -1, dtype=np.int64)
    target = np.zeros(ids.shape, dtype=bool)
    for b, (encoding, (_, shift)) in enumerate(zip(encodings, seconds, strict=True)):
        for t, (kind, (lo, hi)) in enumerate(zip(encoding.sequence_ids, encoding.offsets, strict=True)):
            if kind == 1 and lo >= shift and hi > lo:
                target[b, t] = True
                offsets[b, t] = (lo - shift, hi - shift)
    return Encoded(ids, np.array([e.attention_mask for e in encodings], dtype=np.int64),
                   np.array([e.type_ids for e in encodings], dtype=np.int64), target, offsets)


def best_span(start: np.ndarray, end: np.ndarray, target: np.ndarray, offsets: np.ndarray,
              text: str) -> tuple[int, int]:
    """The highest start + end logit pair over the target's tokens (end >= start, <= MAX_SPAN_TOKENS), in chars."""
    tokens = np.flatnonzero(target)
    if tokens.size == 0:  # the target was cut off entirely (cannot happen within MAX_TOKENS, kept safe)
        return snap(text, 0, len(text))
    pair = start[tokens][:, None] + end[tokens][None, :]
    gap = np.arange(tokens.size)[None, :] - np.arange(tokens.size)[:, None]
    pair = np.where((gap >= 0) & (gap < MAX_SPAN_TOKENS), pair, -np.inf)
    first, last = np.unravel_index(int(np.argmax(pair)), pair.shape)
    return snap(text, int(offsets[tokens[first], 0]), int(offsets[tokens[last], 1]))


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole whitespace-delimited words, then trim quotes, brackets and end punctuation."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    lo, hi = start, end
    while lo < hi and text[lo] in OUTER_PUNCTUATION:
        lo += 1
    while hi > lo and text[hi - 1] in OUTER_PUNCTUATION:
        hi -= 1
    if hi > lo:
        return lo, hi
    return (start, end) if end > start else (0, len(text))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function, stable for large |x|."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


class SpanReader:
    """The span-reader graph as an onnxruntime session plus the pair tokenizer it was trained with."""

    def __init__(self, files: ModelFiles, threads: int = THREADS) -> None:
        self.session, _ = open_session(files, threads, spinning=False)
        self.tokenizer, self.counter = tokenizers_for(files.tokenizer)
        self._lock = threading.Lock()

    def read(self, question: str, items: Sequence[tuple[str, str]]) -> list[Reading]:
        """For each (previous sentence, target sentence): P(the target answers) and its best span, in one run."""
        if not items:
            return []
        batch = encode(self.tokenizer, self.counter, [(question, previous, target) for previous, target in items])
        with self._lock:  # one run at a time: onnxruntime already uses every core
            logit, start, end = self.session.run(None, batch.feeds())
        probability = sigmoid(logit.astype(np.float64))
        readings = []
        for b, (_, target) in enumerate(items):
            lo, hi = best_span(start[b], end[b], batch.target[b], batch.offsets[b], target)
            readings.append(Reading(float(probability[b]), lo, hi))
        return readings


@functools.lru_cache(maxsize=4)
def get_span_reader(cache_dir: Path, precision: str = PRECISION, weights: Path = SPAN_WEIGHTS) -> SpanReader:
    """The process-wide span reader, loaded on first use (exported first if setup has not run on this machine)."""
    files = span_reader_files(cache_dir, precision, weights)
    what, maker = ("the span reader", "export") if weights == SPAN_WEIGHTS else ("the lede reader", "export_lede")
    return SpanReader(ensure_ready(files, what, "bot.answering.span_reader_export", maker))


def get_lede_reader(cache_dir: Path, precision: str = PRECISION) -> SpanReader:
    """The process-wide lede reader: the same graph taught with the lede in its context (lede_context)."""
    return get_span_reader(cache_dir, precision, LEDE_WEIGHTS)
