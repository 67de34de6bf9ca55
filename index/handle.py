"""One process's handle on an index: opens the store and model lazily, searches and re-indexes."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.embedding import Embedder, get_embedder
from index.errors import NewsdeskError
from index.manifest import ManifestStore
from index.model_files import MODEL_NAME
from index.reindex import EMBED_GROUP, Indexer, Progress, ReindexReport, index_lock
from index.retrieve import IndexView, Passage, Retriever
from index.shared import SharedManifestStore
from index.snapshot import IndexSnapshot
from index.store import DEFAULT_PORT, ChunkStore, MetaStore, StoreConfig
from index.window import Window
from index.wire import cluster_count

DEFAULT_PRECISION = "fp32"  # faithful embeddings; int8 is faster (bench/README.md)


@dataclass(frozen=True)
class IndexConfig:
    """Everything the index layer needs, passed in explicitly by the front end."""

    corpus_dir: Path
    data_dir: Path
    model_dir: Path
    precision: str = DEFAULT_PRECISION
    chroma_host: str | None = None
    chroma_port: int = DEFAULT_PORT
    chroma_token: str | None = None
    embed_group: int = EMBED_GROUP

    @property
    def store(self) -> StoreConfig:
        """The Chroma location: <data_dir>/chroma, or the configured server."""
        return StoreConfig(self.data_dir / "chroma", self.chroma_host, self.chroma_port, self.chroma_token)


@dataclass(frozen=True)
class IndexStatus:
    """What `newsdesk status` reports; read from the manifest, so it never loads the model."""

    corpus_dir: str
    data_dir: str
    store: str
    model: str
    articles: int
    chunks: int
    generation: int | None
    indexed_at: str | None
    wire_clusters: int | None = None  # groups of near-identical copies of one story; None until indexed with them
    dated: int = 0  # articles with a `published` date: only these can fall inside a period asked about
    newest: str | None = None  # the newest `published` date

    def to_json(self) -> dict[str, Any]:
        """Plain-dict form for --json."""
        return dict(self.__dict__)


class NewsIndex:
    """Searches and re-indexes one corpus; safe to share between threads."""

    def __init__(self, config: IndexConfig) -> None:
        self.config = config
        self._store: ChunkStore | None = None
        self._meta: MetaStore | None = None
        self._open_lock = threading.Lock()
        self.manifests = self.manifest_store()
        fallback = None if config.chroma_host else config.corpus_dir
        self.retriever = Retriever(self.store, self.embedder, self.manifests, config.data_dir, fallback)

    def manifest_store(self) -> ManifestStore:
        """Manifests in the data dir, or in the Chroma server when one is configured (shared by all its users)."""
        if self.config.chroma_host:
            return SharedManifestStore(self.config.data_dir, self.meta, self.config.store.describe())
        return ManifestStore(self.config.data_dir)

    def store(self) -> ChunkStore:
        """The Chroma store, opened on first use."""
        with self._open_lock:
            if self._store is None:
                self._store = ChunkStore(self.config.store)
            return self._store

    def meta(self) -> MetaStore:
        """The server's meta collection (manifests, commit pointer, lease), opened on first use."""
        with self._open_lock:
            if self._meta is None:
                self._meta = MetaStore(self.config.store.meta())
            return self._meta

    def close(self) -> None:
        """Release the store connections (a later call reopens them)."""
        with self._open_lock:
            for store in (self._store, self._meta):
                if store is not None:
                    store.close()
            self._store = self._meta = None

    def embedder(self) -> Embedder:
        """The process-wide embedding model."""
        return get_embedder(self.config.model_dir, self.config.precision)

    def search(self, query: str, k: int = 5, view: IndexView | None = None,
               window: Window | None = None) -> list[Passage]:
        """Hybrid search over the committed index (or over view, so a caller's later reads agree with it)."""
        return self.retriever.search(query, k, view=view, window=window)

    def snapshot(self) -> IndexSnapshot:
        """The committed generation, pinned for one answer: search, term statistics and article text agree."""
        return IndexSnapshot(self.retriever.view(), self.retriever, self.embedder, self.config.corpus_dir,
                             self.config.model_dir)

    def reindex(self, progress: Progress | None = None, rebuild: bool = False, wait: bool = True,
                on_wait: Callable[[], None] | None = None) -> ReindexReport:
        """Bring the index in line with the corpus folder (from scratch when rebuild)."""
        from index.articles import check_corpus_dir

        check_corpus_dir(self.config.corpus_dir)
        try:
            with index_lock(self.config.data_dir, wait, on_wait), self.manifests.lease(wait, on_wait):
                if rebuild:
                    self.wipe()
                indexer = Indexer(self.config.corpus_dir, self.config.data_dir, self.store(), self.manifests,
                                  self.embedder, progress, self.config.embed_group)
                return indexer.run(self.embedder_name())
        except OSError as exc:
            raise NewsdeskError(
                f"cannot write the index in {self.config.data_dir}: {exc.strerror or exc}; the previous index "
                "is unchanged (free some space or make the folder writable, then run `newsdesk index` again)"
            ) from None

    def wipe(self) -> None:
        """Delete the store, manifests and keyword indexes (caller holds the index lock)."""
        with self._open_lock:
            if self._store is not None:
                self._store.destroy()
            else:
                ChunkStore.destroy_config(self.config.store)
            self._store = None
        self.manifests.reset()
        shutil.rmtree(self.config.data_dir / "bm25", ignore_errors=True)

    def embedder_name(self) -> str:
        """The model's name without loading it."""
        return f"{MODEL_NAME} (onnx {self.config.precision})"

    def status(self) -> IndexStatus:
        """Counts and locations, from the manifest alone."""
        manifest = self.manifests.load()
        dates = [a.published for a in manifest.articles.values() if a.published] if manifest else []
        return IndexStatus(
            corpus_dir=str(self.config.corpus_dir), data_dir=str(self.config.data_dir),
            store=self.config.store.describe(), model=self.embedder_name(),
            articles=len(manifest.articles) if manifest else 0, chunks=manifest.chunk_count if manifest else 0,
            generation=manifest.generation if manifest else None, indexed_at=manifest.indexed_at if manifest else None,
            wire_clusters=cluster_count(manifest) if manifest and manifest.wire else None,
            dated=len(dates), newest=max(dates, default=None),
        )
