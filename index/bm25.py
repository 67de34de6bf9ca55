"""Keyword search over the committed chunks with bm25s; one saved index per generation."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.atomic import write_atomic

IDS_FILE = "chunk_ids.json"
PARAMS_FILE = "params.index.json"  # the file names bm25s's save writes
VOCAB_FILE = "vocab.index.json"
ARRAY_FILES = ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy")
NONOCCURRENCE_METHODS = frozenset({"bm25l", "bm25+"})
# The words that make a question a question, not what it is about: one list for keyword search and the answerer.
QUESTION_WORDS = frozenset(
    "what which who whom whose when where why how does did do done is was were are be been being much many "
    "kind type sort please tell me know anything about have has had say said says".split()
)
TOKEN = re.compile(r"(?u)\b\w\w+\b")


@functools.lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202  (PyStemmer has no type hints)
    """The Snowball English stemmer bm25s uses, created once."""
    import Stemmer

    return Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """bm25s's English stop words, so question terms match the keyword index's terms.

    Read from bm25s's stopwords.py without importing the bm25s package, which pulls in scipy (0.25 s of every
    `newsdesk ask`); bm25s itself is needed only to build an index.
    """
    spec = importlib.util.find_spec("bm25s")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        from bm25s.stopwords import STOPWORDS_EN

        return frozenset(STOPWORDS_EN)
    path = Path(locations[0], "stopwords.py")
    module_spec = importlib.util.spec_from_file_location("_newsdesk_bm25s_stopwords", path)
    module = importlib.util.module_from_spec(module_spec)  # type: ignore[arg-type]
    module_spec.loader.exec_module(module)  # type: ignore[union-attr]
    return frozenset(module.STOPWORDS_EN)


def terms(text: str) -> list[str]:
    """Lower-cased, stop-word-free, stemmed tokens, exactly as the BM25 index tokenizes."""
    words = [w for w in TOKEN.findall(text.lower()) if w not in _stopwords()]
    return _stemmer().stemWords(words)


@functools.lru_cache(maxsize=1)
def question_stems() -> frozenset[str]:
    """QUESTION_WORDS as the keyword index spells its terms (stemmed)."""
    return frozenset(_stemmer().stemWords(sorted(QUESTION_WORDS)))


TERM_ID = np.int32  # the cache holds every indexed word of every chunk: 4 bytes a word, as bm25s's own ids


class TermCache:
    """Each chunk's stemmed terms as ids into one vocabulary, kept between builds of one process (`watch`, the bench).

    A build after one article changed tokenizes only that article's chunks; the rest come from the cache. Each
    distinct word is stemmed once (terms() of the word alone), as bm25s.tokenize does. The ids are renumbered to
    this build's vocabulary each time, so the terms of deleted chunks leave with them.
    """

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.words: dict[str, int] = {}  # a lower-cased word's term id; -1 for a stop word
        self.by_chunk: dict[tuple[str, int], np.ndarray] = {}

    def tokenized(self, ids: Sequence[str], texts: Sequence[str]) -> Any:
        """bm25s's Tokenized (term ids per text, vocabulary) for these chunks, as bm25s.tokenize would give."""
        from bm25s.tokenization import Tokenized

        keys = [(cid, hash(text)) for cid, text in zip(ids, texts, strict=True)]
        arrays = [self.by_chunk.get(key) for key in keys]
        arrays = [self.encode(text) if a is None else a for a, text in zip(arrays, texts, strict=True)]
        present = np.unique(np.concatenate(arrays)) if arrays else np.zeros(0, dtype=TERM_ID)
        renumber = np.full(len(self.vocab), -1, dtype=TERM_ID)
        renumber[present] = np.arange(len(present))
        arrays = [renumber[a] for a in arrays]
        self.vocab = {term: int(renumber[i]) for term, i in self.vocab.items() if renumber[i] >= 0}
        self.words = {word: -1 if i < 0 else int(renumber[i]) for word, i in self.words.items()
                      if i < 0 or renumber[i] >= 0}
        self.by_chunk = dict(zip(keys, arrays, strict=True))
        vocab = dict(self.vocab)  # a copy: bm25s adds its empty token to the vocabulary it is given
        return Tokenized(ids=[a.tolist() for a in arrays], vocab=vocab)

    def encode(self, text: str) -> np.ndarray:
        """One text's terms as vocabulary ids (terms() word by word), adding terms not seen before."""
        found = TOKEN.findall(text.lower())
        for word in set(found).difference(self.words):
            self.words[word] = self.term_id(word)
        return np.array([t for t in map(self.words.__getitem__, found) if t >= 0], dtype=TERM_ID)

    def term_id(self, word: str) -> int:
        """A word's term id, new terms numbered next; -1 for a stop word (terms() keeps nothing of it)."""
        found = terms(word)
        return self.vocab.setdefault(found[0], len(self.vocab)) if found else -1


TERMS = TermCache()


@dataclass(frozen=True)
class TermScores:
    """bm25s's precomputed score of each (term, chunk) pair, as its save writes them.

    What a query needs, read with numpy alone, so answering never imports bm25s and scipy.
    """

    vocab: dict[str, int]
    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    documents: int

    @classmethod
    def of(cls, retriever: Any) -> TermScores:
        """The arrays of a bm25s index just built."""
        scores = retriever.scores
        return cls(dict(retriever.vocab_dict), scores["data"], scores["indices"], scores["indptr"], scores["num_docs"])

    @classmethod
    def read(cls, directory: Path) -> TermScores:
        """The arrays bm25s's save wrote (memory-mapped); only its default method (no non-occurrence array) is read."""
        params = json.loads((directory / PARAMS_FILE).read_text(encoding="utf-8"))
        if params.get("method", "lucene") in NONOCCURRENCE_METHODS:
            raise ValueError(f"BM25 method {params['method']!r} is not one newsdesk builds")
        vocab = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
        data, indices, indptr = (np.load(directory / name, mmap_mode="r") for name in ARRAY_FILES)
        return cls(vocab, data, indices, indptr, int(params["num_docs"]))

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the query terms, summed exactly as bm25s's get_scores sums them."""
        scores = np.zeros(self.documents, dtype=self.data.dtype)
        for token in tokens:
            column = self.vocab.get(token)
            if column is not None and column + 1 < len(self.indptr):
                start, end = self.indptr[column], self.indptr[column + 1]
                np.add.at(scores, self.indices[start:end], self.data[start:end])
        return scores

    def frequency(self, term: str) -> int:
        """How many chunks contain the (stemmed) term."""
        column = self.vocab.get(term)
        known = column is not None and column + 1 < len(self.indptr)
        return int(self.indptr[column + 1] - self.indptr[column]) if known else 0


class Bm25Index:
    """A bm25s index's term scores plus the chunk id of each of its documents."""

    def __init__(self, ids: list[str], scores: TermScores | None, retriever: Any = None) -> None:
        self.ids = ids
        self.term_scores = scores
        self.retriever = retriever  # the bm25s object, kept only by build() for save()

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], cache: TermCache = TERMS) -> Bm25Index:
        """Index the given chunk texts (chunk ids name their content, so the cache knows each chunk's terms)."""
        import bm25s

        if not ids:
            return cls([], None)
        retriever = bm25s.BM25()
        retriever.index(cache.tokenized(ids, texts), show_progress=False)
        return cls(list(ids), TermScores.of(retriever), retriever)

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Up to k (chunk id, score) pairs with a positive score, best first; mask (one bool per id) limits them."""
        if not self.ids or self.term_scores is None or k <= 0:
            return []
        tokens = terms(query)  # the very terms build() indexed each chunk with
        if not tokens:
            return []
        scores = self.term_scores.scores(self.telling(tokens))
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        return [(self.ids[int(i)], float(scores[i])) for i in top_positive(scores, k)]

    @staticmethod
    def telling(tokens: list[str]) -> list[str]:
        """Drop question words ("what", "did", "how"…) from a query: they match articles by accident."""
        return [t for t in tokens if t not in question_stems()] or tokens

    def document_frequencies(self, terms: set[str]) -> dict[str, int]:
        """How many chunks contain each (already stemmed) term; 0 for terms the corpus never uses."""
        scores = self.term_scores
        return {term: scores.frequency(term) if scores is not None else 0 for term in terms}

    def save(self, directory: Path) -> None:
        """Write the index (bm25s's layout) and its id list; the directory is complete only when the ids file exists."""
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        if self.ids:
            if self.retriever is None:
                raise ValueError("only an index built in this process can be saved")
            self.retriever.save(str(directory), show_progress=False)
        write_atomic(directory / IDS_FILE, json.dumps(self.ids).encode("utf-8"))

    @classmethod
    def load(cls, directory: Path) -> Bm25Index:
        """Read an index written by save (memory-mapped)."""
        ids = json.loads((directory / IDS_FILE).read_text(encoding="utf-8"))
        return cls(ids, TermScores.read(directory) if ids else None)


def top_positive(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the k highest positive scores, best first.

    Selecting among the non-zero scores only: numpy's argpartition slows down badly on arrays that are
    mostly zeros, which a BM25 score vector over 100k chunks is (13 ms against 0.3 ms here).
    """
    positive = np.flatnonzero(scores > 0)
    if len(positive) > k:
        positive = positive[np.argpartition(-scores[positive], k - 1)[:k]]
    return sorted(positive.tolist(), key=lambda i: (-scores[i], i))
