"""One committed generation of the index, as the answering engine reads it: search, term statistics, article text.

`answer()` reads everything through one snapshot, so its search, its IDF weights and the article files it
quotes all come from the same generation, and tests can hand the engine a small fake with the same methods.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from index.retrieve import IndexView, Passage, Retriever
from index.window import Coverage, Window

log = logging.getLogger(__name__)


@dataclass
class ArticleTexts:
    """Article files read at most once per answer, from the corpus folder."""

    corpus_dir: Path
    cache: dict[str, str] = field(default_factory=dict)

    def get(self, path: str) -> str | None:
        """The file's text, or None when it cannot be read."""
        if path not in self.cache:
            try:
                self.cache[path] = Path(self.corpus_dir, path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                log.warning("cannot read %s while answering; run `newsdesk index`", path)
                return None
        return self.cache[path]

    def holds(self, path: str, start: int, end: int, quote: str) -> bool:
        """True when the file's text[start:end] is exactly the quote: the promise every citation makes."""
        text = self.get(path)
        return text is not None and text[start:end] == quote


class Snapshot(Protocol):
    """What the answering engine needs from an index; IndexSnapshot is the real one."""

    corpus_dir: Path
    model_dir: Path
    texts: ArticleTexts

    def search(self, query: str, k: int, window: Window | None = None) -> list[Passage]: ...

    def coverage(self, window: Window) -> Coverage: ...

    def document_frequencies(self, terms: set[str]) -> dict[str, int]: ...

    @property
    def documents(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass
class IndexSnapshot:
    """A NewsIndex pinned to one generation (its view) for the length of one answer."""

    view: IndexView
    retriever: Retriever
    embedder: Callable[[], object]
    corpus_dir: Path
    model_dir: Path
    texts: ArticleTexts = field(init=False)
    _vectors: dict[str, np.ndarray] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.texts = ArticleTexts(self.corpus_dir)

    def search(self, query: str, k: int, window: Window | None = None) -> list[Passage]:
        """Hybrid search over this generation (only articles published inside the window, when one is given)."""
        return self.retriever.search(query, k, view=self.view, vector=self.query_vector(query), window=window)

    def coverage(self, window: Window) -> Coverage:
        """How many of this generation's articles the window keeps, and how many it leaves out undated."""
        return self.view.coverage(window)

    def query_vector(self, query: str) -> np.ndarray:
        """The query's embedding, computed once per snapshot (search and sentence similarity share it)."""
        if query not in self._vectors:
            self._vectors[query] = self.embedder().embed_query(query)  # type: ignore[attr-defined]
        return self._vectors[query]

    def document_frequencies(self, terms: set[str]) -> dict[str, int]:
        """How many chunks hold each term, from this generation's keyword index."""
        return self.view.bm25.document_frequencies(terms)

    @property
    def documents(self) -> int:
        """Chunks in this generation (the N of IDF)."""
        return max(1, len(self.view.chunks))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings of texts (sentence-level similarity), one row each; the query's is cached."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return self.embedder().embed(list(texts))  # type: ignore[attr-defined]
