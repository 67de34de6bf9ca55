"""Incremental, crash-safe re-indexing keyed by a content hash per article."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.add import Added, convert_html_in_corpus
from index.articles import Article, Skipped, scan_corpus
from index.bm25 import Bm25Index
from index.chunking import CHUNKER_VERSION, Chunk, chunk_article, make_splitter
from index.embedding import Embedder
from index.errors import NewsdeskError
from index.manifest import ArticleEntry, Manifest, ManifestStore
from index.store import ChunkStore
from index.wire import VERSION as WIRE_VERSION
from index.wire import assign_origins

log = logging.getLogger(__name__)

EMBED_GROUP = 512  # default chunks embedded and stored per step: the most a SIGKILL can waste
LOCK_FILE = "index.lock"

Progress = Callable[[str, int, int], None]


@dataclass
class ReindexReport:
    """What one run changed; to_json() is the `newsdesk index --json` contract."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    converted: list[Added] = field(default_factory=list)
    articles: int = 0
    chunks: int = 0
    embedded_chunks: int = 0
    seconds: float = 0.0
    generation: int = 0

    def to_json(self) -> dict[str, Any]:
        """The exact JSON object the CLI prints."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "articles": self.articles,
            "chunks": self.chunks,
            "embedded_chunks": self.embedded_chunks,
            "seconds": round(self.seconds, 3),
        }


def index_signature(embedder_name: str) -> str:
    """Everything that changes chunk vectors; a new signature re-embeds every article."""
    return f"{embedder_name}|{CHUNKER_VERSION}"


def article_version(article: Article, signature: str) -> str:
    """Hash of the file text and the signature: equal versions need no work."""
    return hashlib.sha256(f"{signature}\n{article.path}\n{article.text}".encode()).hexdigest()


@contextmanager
def index_lock(data_dir: Path, wait: bool, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """One indexer per data dir at a time; a second one waits (or fails clearly with wait=False)."""
    from filelock import FileLock, Timeout

    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(data_dir / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise NewsdeskError("another `newsdesk index` is running on this index; try again when it ends") from None
        if on_wait:
            on_wait()
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


@dataclass
class Plan:
    """Articles sorted by what the run must do with them."""

    keep: dict[str, ArticleEntry] = field(default_factory=dict)
    todo: list[tuple[Article, str]] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    removed: int = 0


def plan_changes(old: Manifest, articles: list[Article], signature: str, stored: set[str]) -> Plan:
    """Unchanged articles whose chunks are all stored are kept; the rest are (re)built."""
    plan = Plan()
    for article in articles:
        version = article_version(article, signature)
        entry = old.articles.get(article.article_id)
        if entry and entry.version == version and stored.issuperset(entry.chunk_ids()):
            plan.keep[article.article_id] = entry
            continue
        plan.todo.append((article, version))
        if entry:
            plan.updated += 1
        else:
            plan.added += 1
    present = {a.article_id for a in articles}
    plan.removed = sum(1 for article_id in old.articles if article_id not in present)
    return plan


def entry_for(article: Article, version: str, chunks: list[Chunk]) -> ArticleEntry:
    """The manifest entry describing an article version and its chunks."""
    return ArticleEntry(
        article_id=article.article_id, path=article.path, version=version, title=article.title,
        outlet=article.outlet, published=article.published, url=article.url,
        source_file=article.source_file, spans=[(c.start, c.end) for c in chunks],
    )


def chunk_metadata(article: Article, version: str, chunk: Chunk) -> dict[str, Any]:
    """What each stored chunk carries, so the store alone can cite it."""
    return {
        "article_id": article.article_id, "title": article.title, "outlet": article.outlet,
        "published": article.published, "path": article.path, "start": chunk.start, "end": chunk.end,
        "chunk": chunk.index, "content_hash": version,
    }


def embed_new(texts: list[str], embedder: Embedder, seen: dict[str, np.ndarray],
              progress: Callable[[int], None]) -> np.ndarray:
    """Vectors for texts, embedding only those not in `seen` (which is updated)."""
    fresh = [t for t in dict.fromkeys(texts) if t not in seen]
    if fresh:
        seen.update(zip(fresh, embedder.embed(fresh, progress=progress), strict=True))
    progress(len(texts) - len(fresh))
    return np.stack([seen[t] for t in texts])


class Indexer:
    """One re-index run over a corpus, a store and a data dir."""

    def __init__(self, corpus_dir: Path, data_dir: Path, store: ChunkStore, manifests: ManifestStore,
                 embedder: Callable[[], Embedder], progress: Progress | None = None,
                 group_size: int = EMBED_GROUP) -> None:
        self.corpus_dir = corpus_dir
        self.data_dir = data_dir
        self.store = store
        self.manifests = manifests
        self.embedder = embedder
        self.progress = progress or (lambda phase, done, total: None)
        self.group_size = max(1, group_size)

    def run(self, embedder_name: str) -> ReindexReport:
        """Scan, embed what changed, commit the new manifest, then collect garbage."""
        started = time.perf_counter()
        report = ReindexReport()
        report.converted, report.skipped = convert_html_in_corpus(self.corpus_dir)
        scan = scan_corpus(self.corpus_dir)
        report.skipped += scan.skipped
        old = self.manifests.load() or Manifest()
        stored = self.store.ids()
        signature = index_signature(embedder_name)
        plan = plan_changes(old, scan.articles, signature, stored)
        entries, report.embedded_chunks = self.build(plan.todo, stored)
        manifest = Manifest(old.generation, signature, old.indexed_at, {**plan.keep, **entries})
        if (plan.todo or plan.removed or old.signature != signature or self.lacks_keyword_index(old)
                or old.wire != WIRE_VERSION):
            manifest.generation = self.manifests.next_generation(old)
            manifest.indexed_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            self.commit(manifest, scan.articles)
        self.collect_garbage(manifest, stored)
        report.added, report.updated, report.removed = plan.added, plan.updated, plan.removed
        report.unchanged = len(plan.keep)
        report.articles, report.chunks = len(manifest.articles), manifest.chunk_count
        report.generation = manifest.generation
        report.seconds = time.perf_counter() - started
        return report

    def build(self, todo: list[tuple[Article, str]], stored: set[str]) -> tuple[dict[str, ArticleEntry], int]:
        """Chunk changed articles and embed the chunks the store does not already hold."""
        if not todo:
            return {}, 0
        embedder = self.embedder()
        splitter = make_splitter(embedder.count_tokens)
        entries: dict[str, ArticleEntry] = {}
        pending: list[tuple[Article, str, Chunk]] = []
        for done, (article, version) in enumerate(todo, 1):
            chunks = chunk_article(article, version, splitter)
            entries[article.article_id] = entry_for(article, version, chunks)
            pending += [(article, version, c) for c in chunks if c.chunk_id not in stored]
            self.progress("chunking", done, len(todo))
        self.embed_and_store(embedder, pending)
        return entries, len(pending)

    def embed_and_store(self, embedder: Embedder, pending: list[tuple[Article, str, Chunk]]) -> None:
        """Embed in groups and store each group at once, so a crash keeps finished groups.

        Chunks go in order of length (batches pad little) and a text seen earlier in the run
        (a paragraph two articles share) reuses its vector instead of being embedded again.
        """
        pending = sorted(pending, key=lambda item: len(item[2].text))
        seen: dict[str, np.ndarray] = {}
        done = 0
        self.progress("embedding", 0, len(pending))
        for first in range(0, len(pending), self.group_size):
            group = pending[first : first + self.group_size]

            def tick(n: int) -> None:
                nonlocal done
                done += n
                self.progress("embedding", done, len(pending))

            vectors = embed_new([c.text for _, _, c in group], embedder, seen, tick)
            self.store.add(
                [c.chunk_id for _, _, c in group], [c.text for _, _, c in group], vectors,
                [chunk_metadata(a, v, c) for a, v, c in group],
            )
            log.info("stored %d of %d new chunks", first + len(group), len(pending))

    def commit(self, manifest: Manifest, articles: list[Article]) -> None:
        """Build this generation's BM25 index, then make the manifest current (the commit point)."""
        text_of = {a.article_id: a.text for a in articles}
        assign_origins(manifest, {a.article_id: a.body for a in articles})  # wire copies, recomputed each commit
        ids = manifest.chunk_id_list()
        texts = [text_of[entry.article_id][s:e] for entry in manifest.articles.values() for s, e in entry.spans]
        self.progress("keyword index", 0, 1)
        Bm25Index.build(ids, texts).save(self.bm25_dir(manifest.generation))
        if self.manifests.shared:
            self.check_stored(ids)
        self.manifests.commit(manifest)
        log.info("committed generation %d: %d articles, %d chunks", manifest.generation,
                 len(manifest.articles), manifest.chunk_count)
        self.progress("keyword index", 1, 1)

    def lacks_keyword_index(self, old: Manifest) -> bool:
        """Commit even without changes when nothing is committed, or (locally) the keyword index is lost.

        With a Chroma server, each process rebuilds a missing keyword index from the stored chunks itself.
        """
        if self.manifests.shared:
            return old.generation == 0
        return not self.bm25_dir(old.generation).exists()

    def check_stored(self, ids: list[str]) -> None:
        """Server mode: never commit a manifest naming chunks the shared store lost during the run."""
        missing = len(set(ids) - self.store.existing(ids))
        if missing:
            raise NewsdeskError(
                f"{missing} chunks vanished from the Chroma server during this run (another indexer or a "
                "rebuild?); nothing was committed; run `newsdesk index` again"
            )

    def collect_garbage(self, manifest: Manifest, stored: set[str]) -> None:
        """Delete chunks no kept manifest owns, and all but the last two generations' files."""
        self.store.delete(sorted(stored - self.manifests.kept_chunk_ids(manifest)))
        keep = {manifest.generation, manifest.generation - 1}
        self.manifests.prune(keep)
        for path in (self.data_dir / "bm25").glob("*"):
            if not (path.name.isdigit() and int(path.name) in keep):
                shutil.rmtree(path, ignore_errors=True)

    def bm25_dir(self, generation: int) -> Path:
        """Where a generation's keyword index lives."""
        return self.data_dir / "bm25" / str(generation)
