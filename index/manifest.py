"""The manifest: which version of which article is indexed. Replacing CURRENT is the commit point."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from index.atomic import write_atomic
from index.chunking import chunk_id
from index.errors import NewsdeskError

CURRENT = "CURRENT"


@dataclass
class ArticleEntry:
    """One indexed article version and the offsets of its chunks."""

    article_id: str
    path: str
    version: str
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    source_file: str | None
    spans: list[tuple[int, int]]
    origin: str | None = None  # wire cluster id shared by copies of one story (index/wire.py); None when alone

    def chunk_ids(self) -> list[str]:
        """Ids of this version's chunks, in article order."""
        return [chunk_id(self.article_id, self.version, i) for i in range(len(self.spans))]


ENTRY_FIELDS = fields(ArticleEntry)


@dataclass
class Manifest:
    """Everything one committed index generation contains."""

    generation: int = 0
    signature: str = ""
    indexed_at: str | None = None
    articles: dict[str, ArticleEntry] = field(default_factory=dict)
    wire: str | None = None  # the wire-copy method the origins were found with; None in older manifests

    @property
    def chunk_count(self) -> int:
        """Number of chunks across all articles."""
        return sum(len(entry.spans) for entry in self.articles.values())

    def chunk_ids(self) -> set[str]:
        """Every chunk id this generation owns; anything else in the store is garbage."""
        return set(self.chunk_id_list())

    def chunk_id_list(self) -> list[str]:
        """Chunk ids in manifest order: the document order of this generation's BM25 index."""
        return [cid for entry in self.articles.values() for cid in entry.chunk_ids()]

    def to_json(self) -> bytes:
        """Serialise for the manifest file (what dataclasses.asdict gives, without its deep copy of every span)."""
        raw = {f.name: getattr(self, f.name) for f in fields(self)}
        raw["articles"] = {key: {f.name: getattr(entry, f.name) for f in ENTRY_FIELDS}
                           for key, entry in self.articles.items()}
        return json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        """Parse a manifest file."""
        raw = json.loads(data)
        articles = {
            key: ArticleEntry(**{**value, "spans": [tuple(s) for s in value["spans"]]})
            for key, value in raw.pop("articles").items()
        }
        return cls(articles=articles, **raw)


class ManifestStore:
    """Manifests kept as manifest-<generation>.json with a CURRENT file naming the committed one."""

    shared = False  # True when the manifests live in a Chroma server that several processes share

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.where = str(data_dir)  # where the manifests live, for error messages
        self.committed_here: int | None = None

    def current_generation(self) -> int | None:
        """The committed generation, or None before the first index run."""
        try:
            return int((self.data_dir / CURRENT).read_text(encoding="ascii").strip())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise self.damaged(str(exc)) from None

    def load(self, generation: int | None = None) -> Manifest | None:
        """The manifest of a generation (default: the committed one), or None if nothing is indexed."""
        generation = self.current_generation() if generation is None else generation
        if generation is None:
            return None
        manifest = self.read(generation)
        if manifest is None:
            raise self.damaged(f"manifest {generation} is missing")
        return manifest

    def read(self, generation: int) -> Manifest | None:
        """A generation's manifest file, parsed; a missing or unreadable file is damage, never None here."""
        try:
            return Manifest.from_json((self.data_dir / f"manifest-{generation}.json").read_bytes())
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise self.damaged(type(exc).__name__) from None

    def damaged(self, detail: str) -> NewsdeskError:
        """The error for manifests in a state no commit leaves behind: only a rebuild recovers."""
        return NewsdeskError(f"the index manifest in {self.where} is damaged ({detail}); "
                             "run `newsdesk index --rebuild`")

    def commit(self, manifest: Manifest) -> None:
        """Write the manifest file, then atomically point CURRENT at it."""
        write_atomic(self.data_dir / f"manifest-{manifest.generation}.json", manifest.to_json())
        write_atomic(self.data_dir / CURRENT, f"{manifest.generation}\n".encode("ascii"))
        self.committed_here = manifest.generation

    def prune(self, keep: set[int]) -> None:
        """Delete manifests of generations not in keep."""
        for path in self.data_dir.glob("manifest-*.json"):
            stem = path.stem.removeprefix("manifest-")
            if stem.isdigit() and int(stem) not in keep:
                path.unlink(missing_ok=True)

    def reset(self) -> None:
        """Forget every generation (for a rebuild; the caller holds the index lock)."""
        (self.data_dir / CURRENT).unlink(missing_ok=True)
        self.prune(keep=set())

    def next_generation(self, old: Manifest) -> int:
        """The number the next commit gets."""
        return old.generation + 1

    def kept_chunk_ids(self, manifest: Manifest) -> set[str]:
        """Chunks garbage collection must keep: locally, only those of the committed generation."""
        return manifest.chunk_ids()

    @contextlib.contextmanager
    def lease(self, wait: bool, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Exclusive right to commit; locally the data dir's file lock already gives it."""
        yield
