"""Hybrid retrieval: dense (Chroma) and keyword (BM25) results fused by reciprocal rank fusion."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from index.bm25 import Bm25Index
from index.embedding import Embedder
from index.errors import NewsdeskError
from index.manifest import ArticleEntry, Manifest, ManifestStore
from index.store import ChunkStore, Hit
from index.window import Coverage, Window, articles_inside, coverage, day_number

log = logging.getLogger(__name__)

RRF_K = 60  # the constant from Cormack et al. (2009), also LlamaIndex's default
POOL = 30  # candidates taken from each retriever before fusion
LATEST_POOL = 3  # a `latest` search orders this many times k of the best passages by date, newest first


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its article's metadata, offsets and every retriever's score."""

    chunk_id: str
    article_id: str
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    path: str
    start: int
    end: int
    text: str
    score: float
    dense_score: float
    bm25_score: float | None
    dense_rank: int | None
    bm25_rank: int | None
    origin: str | None = None  # the article's wire cluster (copies of one story share it); None when alone

    def to_json(self) -> dict[str, object]:
        """The `newsdesk search --json` shape."""
        return {
            "article_id": self.article_id, "title": self.title, "path": self.path,
            "start": self.start, "end": self.end, "text": self.text, "score": round(self.score, 6),
        }


@dataclass
class IndexView:
    """One committed generation as queries see it: manifest, keyword index, chunk lookup."""

    manifest: Manifest
    bm25: Bm25Index
    chunks: dict[str, tuple[ArticleEntry, int]]

    @classmethod
    def load(cls, manifest: Manifest, bm25_dir: Path) -> IndexView:
        """Read the keyword index of the manifest's generation and map chunk ids to articles."""
        try:
            bm25 = Bm25Index.load(bm25_dir)
        except (OSError, ValueError) as exc:
            raise NewsdeskError(
                f"the keyword index {bm25_dir} is missing or damaged ({type(exc).__name__}); run `newsdesk index`"
            ) from None
        return cls.of(manifest, bm25)

    @classmethod
    def of(cls, manifest: Manifest, bm25: Bm25Index) -> IndexView:
        """A view of a manifest and its keyword index, with chunk ids mapped to articles."""
        chunks = {
            cid: (entry, i) for entry in manifest.articles.values() for i, cid in enumerate(entry.chunk_ids())
        }
        return cls(manifest, bm25, chunks)

    @cached_property
    def days(self) -> np.ndarray:
        """The publication day number of each keyword-index document (UNDATED for none), for window masks."""
        return np.array([day_number(self.chunks[cid][0].published) if cid in self.chunks else -1
                         for cid in self.bm25.ids], dtype=np.int64)

    @cached_property
    def published(self) -> dict[str, str | None]:
        """Each indexed article's publication date (None when it has none), read once per generation."""
        return {article_id: entry.published for article_id, entry in self.manifest.articles.items()}

    def coverage(self, window: Window) -> Coverage:
        """How many indexed articles the window keeps, and how many it leaves out for having no date."""
        return coverage(window, self.published.values())

    def inside(self, window: Window) -> list[str]:
        """The ids of the articles published inside the window."""
        return articles_inside(window, self.published)


def shared_keyword_index(manifest: Manifest, directory: Path, store: ChunkStore) -> Bm25Index:
    """Server mode: this data dir's keyword index for the generation, rebuilt from the stored chunk texts.

    A cached index is used only when its chunk ids equal the manifest's; chunk ids contain content
    hashes, so equal ids mean equal texts and the very index the indexer built.
    """
    ids = manifest.chunk_id_list()
    try:
        cached = Bm25Index.load(directory)
        if cached.ids == ids:
            return cached
    except (OSError, ValueError):
        pass
    texts = store.texts(ids)
    if len(texts) < len(ids):
        raise NewsdeskError(f"the Chroma server lacks {len(ids) - len(texts)} chunks of the committed index; "
                            "run `newsdesk index`")
    index = Bm25Index.build(ids, [texts[cid] for cid in ids])
    publish(index, directory)
    prune_cache(directory.parent, manifest.generation)
    return index


def publish(index: Bm25Index, directory: Path) -> None:
    """Save under a private name, then rename into place: a reader never sees half an index."""
    staging = directory.with_name(f".{directory.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    index.save(staging)
    shutil.rmtree(directory, ignore_errors=True)
    try:
        os.rename(staging, directory)
    except OSError:  # another process sharing this data dir published it first
        shutil.rmtree(staging, ignore_errors=True)


def prune_cache(root: Path, generation: int) -> None:
    """Drop cached keyword indexes of generations older than the previous one."""
    for path in root.glob("*"):
        if path.name.isdigit() and int(path.name) < generation - 1:
            shutil.rmtree(path, ignore_errors=True)


def passage_for(view: IndexView, cid: str, text: str, score: float, dense_score: float, dense_rank: int | None,
                bm25_score: float | None, bm25_rank: int | None) -> Passage:
    """A Passage for a chunk of the view, with its article's metadata and offsets."""
    entry, i = view.chunks[cid]
    start, end = entry.spans[i]
    return Passage(cid, entry.article_id, entry.title, entry.outlet, entry.published, entry.url, entry.path,
                   start, end, text, score, dense_score, bm25_score, dense_rank, bm25_rank, entry.origin)


def newest_first(passages: list[Passage]) -> list[Passage]:
    """Passages ordered by their article's date, newest first (undated last), ties kept in relevance order."""
    return sorted(passages, key=lambda p: -day_number(p.published))


def rrf(rankings: list[list[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion: each list adds 1 / (k + rank) to the ids it ranks."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, 1):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (k + rank)
    return fused


class Retriever:
    """Answers searches from the committed generation, reloading when a re-index commits a new one."""

    def __init__(self, store: Callable[[], ChunkStore], embedder: Callable[[], Embedder],
                 manifests: ManifestStore, data_dir: Path, fallback_corpus: Path | None = None) -> None:
        self._store = store
        self._embedder = embedder
        self.manifests = manifests
        self.data_dir = data_dir
        self.fallback_corpus = fallback_corpus  # local mode: answer from BM25 + files when the store fails
        self._view: IndexView | None = None
        self._lock = threading.Lock()

    def view(self) -> IndexView:
        """The current generation's view, reloaded (and the store reopened) when it changed."""
        generation = self.manifests.current_generation()
        if generation is None:
            raise NewsdeskError("the index has not been built yet: run `newsdesk index` first")
        with self._lock:
            if self._view is None or self._view.manifest.generation != generation:
                manifest = self.manifests.load(generation)
                assert manifest is not None
                view = self.load_view(manifest)
                if self._view is not None and self.manifests.committed_here != generation:
                    self._store().reopen()  # another process wrote it: drop cached vectors
                self._view = view
            return self._view

    def load_view(self, manifest: Manifest) -> IndexView:
        """The generation's view: its keyword index from the data dir (in server mode, rebuilt if absent)."""
        directory = self.data_dir / "bm25" / str(manifest.generation)
        if not self.manifests.shared:
            return IndexView.load(manifest, directory)
        return IndexView.of(manifest, shared_keyword_index(manifest, directory, self._store()))

    def search(self, query: str, k: int = 5, view: IndexView | None = None,
               vector: np.ndarray | None = None, window: Window | None = None) -> list[Passage]:
        """The k best passages for a query, best first; a caller holding a view (or the query's vector) passes it.

        A bounded window keeps only articles published inside it, in both retrievers (a Chroma metadata filter
        and a mask over the keyword scores); a `latest` window orders the best passages newest first.
        """
        if not query.strip():
            raise NewsdeskError("the query is empty")
        view = view or self.view()
        articles = view.inside(window) if window is not None and window.bounded else None
        if not view.chunks or articles == []:
            return []
        wanted = LATEST_POOL * k if window is not None and window.latest else k
        vector = self._embedder().embed_query(query) if vector is None else vector
        mask = window.mask(view.days) if articles is not None and window is not None else None
        keyword = [(cid, s) for cid, s in view.bm25.search(query, POOL, mask) if cid in view.chunks]
        try:
            # twice the pool: chunks of an uncommitted run may sit among the nearest and are filtered out
            hits = self._store().query(vector, 2 * POOL, articles)
            dense = [h for h in hits if h.chunk_id in view.chunks][:POOL]
            if not dense and self.fallback_corpus is not None:
                raise NewsdeskError("the vector store holds none of the indexed chunks (run `newsdesk index`)")
            fused = rrf([[h.chunk_id for h in dense], [cid for cid, _ in keyword]])
            best = sorted(fused, key=lambda cid: (-fused[cid], cid))[:wanted]
            found = self.passages(view, vector, best, fused, dense, keyword)
        except NewsdeskError as exc:
            if self.fallback_corpus is None:
                raise
            log.warning("%s; answering from the keyword index and the article files alone", exc)
            found = self.keyword_only(view, vector, keyword[:wanted])
        return newest_first(found)[:k] if wanted > k else found

    def keyword_only(self, view: IndexView, vector: np.ndarray, keyword: list[tuple[str, float]]) -> list[Passage]:
        """Passages from BM25 hits when the vector store cannot be read: text from the files, vectors re-made."""
        assert self.fallback_corpus is not None
        found = []
        for rank, (cid, score) in enumerate(keyword, 1):
            entry, i = view.chunks[cid]
            start, end = entry.spans[i]
            try:
                text = Path(self.fallback_corpus, entry.path).read_text(encoding="utf-8")[start:end]
            except (OSError, UnicodeDecodeError):
                continue
            found.append((rank, cid, score, text))
        vectors = self._embedder().embed([item[-1] for item in found]) if found else []
        return [
            passage_for(view, cid, text, 1.0 / (RRF_K + rank), float(np.dot(vector, v)), None, score, rank)
            for (rank, cid, score, text), v in zip(found, vectors, strict=True)
        ]

    def passages(self, view: IndexView, vector: np.ndarray, best: list[str], fused: dict[str, float],
                 dense: list[Hit], keyword: list[tuple[str, float]]) -> list[Passage]:
        """Build Passage objects from one store read; the stored vectors score the chunks only BM25 found."""
        dense_at = {h.chunk_id: (rank, h) for rank, h in enumerate(dense, 1)}
        keyword_at = {cid: (rank, score) for rank, (cid, score) in enumerate(keyword, 1)}
        stored = self._store().texts_and_vectors(best)
        result = []
        for cid in best:
            if cid not in stored:
                continue  # collected by a re-index while this query ran
            text, stored_vector = stored[cid]
            if cid in dense_at:
                rank, hit = dense_at[cid]
                similarity = hit.similarity
            else:
                rank = None
                similarity = float(np.dot(vector, stored_vector))
            b_rank, b_score = keyword_at.get(cid, (None, None))
            result.append(passage_for(view, cid, text, fused[cid], similarity, rank, b_score, b_rank))
        return result

