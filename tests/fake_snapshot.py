"""A small in-memory index for engine tests: real article files in a temp dir, word-overlap search, hashed vectors.

answer() reads everything through a snapshot (index.snapshot.Snapshot); this one needs no Chroma and no embedding
model, so the answer-type, selection and abstention cases run in milliseconds. The readers stay real.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.model_files import default_cache_dir
from index.retrieve import Passage
from index.snapshot import ArticleTexts
from index.window import Coverage, Window, coverage

DIMENSIONS = 256


def words(text: str) -> list[str]:
    """Lower-cased words, the fake's only notion of meaning."""
    return re.findall(r"\w+", text.lower())


def vector(text: str) -> np.ndarray:
    """A unit bag-of-words vector with hashed dimensions (deterministic across runs)."""
    v = np.zeros(DIMENSIONS, dtype=np.float32)
    for w in words(text):
        v[int(hashlib.md5(w.encode()).hexdigest(), 16) % DIMENSIONS] += 1.0
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


@dataclass
class FakeSnapshot:
    """Articles as files, each paragraph a passage; search ranks passages by shared words."""

    corpus_dir: Path
    articles: dict[str, str]  # file name -> body (paragraphs separated by blank lines)
    model_dir: Path = field(default_factory=default_cache_dir)
    published: dict[str, str] = field(default_factory=dict)  # file name -> YYYY-MM-DD (others are undated)
    passages: list[Passage] = field(default_factory=list, init=False)
    texts: ArticleTexts = field(init=False)

    def __post_init__(self) -> None:
        self.corpus_dir.mkdir(parents=True, exist_ok=True)
        for name, body in self.articles.items():
            text = f"---\ntitle: {name}\noutlet: Test Wire\n---\n\n{body}\n"
            Path(self.corpus_dir, name).write_text(text, encoding="utf-8")
            self.passages += paragraphs(name, text, self.published.get(name))
        self.texts = ArticleTexts(self.corpus_dir)

    def snapshot(self) -> FakeSnapshot:
        """answer() asks its index for a snapshot; the fake is its own."""
        return self

    def search(self, query: str, k: int, window: Window | None = None) -> list[Passage]:
        """Passages sharing the most words with the query (of articles inside the window, when given)."""
        asked = set(words(query))
        kept = [p for p in self.passages if window is None or not window.bounded or window.contains(p.published)]
        ranked = sorted(kept, key=lambda p: -len(asked & set(words(p.text))))
        return [scored(p, self.query_vector(query)) for p in ranked[:k]]

    def coverage(self, window: Window) -> Coverage:
        """How many fake articles the window keeps and how many are undated."""
        return coverage(window, [self.published.get(name) for name in self.articles])

    def document_frequencies(self, terms: set[str]) -> dict[str, int]:
        """How many passages hold each (stemmed) term."""
        from index.bm25 import terms as stems

        held = [set(stems(p.text)) for p in self.passages]
        return {t: sum(t in h for h in held) for t in terms}

    @property
    def documents(self) -> int:
        """Passages in the fake index."""
        return max(1, len(self.passages))

    def query_vector(self, query: str) -> np.ndarray:
        """The query's hashed vector."""
        return vector(query)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Hashed vectors, one row per text."""
        return np.stack([vector(t) for t in texts]) if texts else np.zeros((0, DIMENSIONS), dtype=np.float32)


def paragraphs(name: str, text: str, published: str | None = None) -> list[Passage]:
    """One passage per non-empty paragraph of the body, with exact file offsets."""
    body = text.index("---\n\n") + 5
    found = []
    for i, m in enumerate(re.finditer(r"[^\n]+(?:\n[^\n]+)*", text[body:])):
        start, end = body + m.start(), body + m.end()
        stem = Path(name).stem
        found.append(Passage(f"{stem}:{i}", stem, stem, "Test Wire", published, None, name, start, end, text[start:end],
                             0.0, 0.0, None, None, None))
    return found


def scored(passage: Passage, query: np.ndarray) -> Passage:
    """The passage with its similarity to the query as its dense score."""
    from dataclasses import replace

    similarity = float(vector(passage.text) @ query)
    return replace(passage, score=similarity, dense_score=similarity)
