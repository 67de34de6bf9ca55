"""The Chroma store, local directory or server: the only module that imports chromadb."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from index.errors import NewsdeskError

log = logging.getLogger(__name__)

COLLECTION = "newsdesk"
META_SUFFIX = "_meta"
CONNECT_TIMEOUT = 5.0  # seconds to reach a Chroma server before it counts as down
REQUEST_TIMEOUT = 60.0  # seconds for one server request (chromadb's own client never times out)
BATCH = 300  # records per server request: the most hosted Chroma accepts per write or returns per read
DELETE_BATCH = 5000  # ids per delete request
# HNSW search breadth. Chroma's default of 100 finds 99.3 % of the true 30 nearest chunks at BBC scale and which
# ones it misses changes from process to process, so the same question could be answered in one run and not the
# next; at 400 the 30 that retrieval fuses were the exact 30 for all 80 bbc-dev questions.
EF_SEARCH = 400

T = TypeVar("T")


def batches(seq: Sequence[T], n: int = BATCH) -> Iterator[list[T]]:
    """Consecutive slices of at most n items, so no single server request grows past its limit."""
    items = list(seq)
    for first in range(0, len(items), n):
        yield items[first : first + n]


DEFAULT_PORT = 8000  # `chroma run`'s port


def import_client() -> None:
    """Import chromadb now (~0.7 s of Python), so a caller can overlap it with models loading in a thread."""
    import chromadb  # noqa: F401


@dataclass(frozen=True)
class StoreConfig:
    """Where the vectors live: a local folder, or a Chroma server when host is set."""

    path: Path
    host: str | None = None
    port: int = DEFAULT_PORT
    token: str | None = None
    collection: str = COLLECTION

    def describe(self) -> str:
        """One line naming the store for `newsdesk status`."""
        if self.host:
            return f"chroma server http://{self.host}:{self.port} (collection {self.collection})"
        return f"local chroma at {self.path} (collection {self.collection})"

    def meta(self) -> StoreConfig:
        """The companion collection holding manifests and the commit pointer in server mode."""
        return replace(self, collection=self.collection + META_SUFFIX)


@dataclass(frozen=True)
class Hit:
    """A dense search result: chunk id and cosine similarity."""

    chunk_id: str
    similarity: float


def widen_search(collection: Any) -> None:
    """Raise a collection made by an older newsdesk (Chroma's default breadth) to EF_SEARCH; creation ignores it."""
    hnsw = (collection.configuration or {}).get("hnsw") or {}
    if hnsw.get("ef_search", EF_SEARCH) >= EF_SEARCH:
        return
    try:
        collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
    except Exception:  # a read-only server token, say: searching still works, only less repeatably
        log.warning("could not widen the HNSW search of collection %s", collection.name, exc_info=True)
        return
    log.info("widened the HNSW search of collection %s to ef_search=%d", collection.name, EF_SEARCH)


def unavailable(config: StoreConfig, exc: BaseException) -> NewsdeskError:
    """A user-facing error for a store that cannot be reached or read."""
    cause = transport_cause(exc) if config.host else None
    if cause is not None:
        return NewsdeskError(
            f"index unavailable: cannot reach the Chroma server at {config.host}:{config.port} "
            f"({type(cause).__name__}); is `chroma run` up?"
        )
    if config.host:
        return NewsdeskError(
            f"index unavailable: the Chroma server at {config.host}:{config.port} refused a request "
            f"({type(exc).__name__}: {str(exc)[:120]})"
        )
    cannot_write = write_failure(str(exc))
    if cannot_write:
        return NewsdeskError(
            f"index unavailable: the store at {config.path} cannot be written ({cannot_write}); free some space "
            "or make the folder writable, then run `newsdesk index`"
        )
    return NewsdeskError(
        f"index unavailable: the store at {config.path} cannot be read ({type(exc).__name__}: "
        f"{str(exc)[:120]}); run `newsdesk index --rebuild`"
    )


def write_failure(message: str) -> str | None:
    """'disk full' or 'read-only' when a driver error says the folder cannot take writes."""
    lowered = message.lower()
    if "disk is full" in lowered or "no space" in lowered:
        return "disk full"
    if "readonly" in lowered or "read-only" in lowered or "permission denied" in lowered:
        return "read-only or not permitted"
    return None


def transport_cause(exc: BaseException) -> BaseException | None:
    """The connection or timeout failure behind exc (the server is down or unreachable), even when wrapped."""
    import httpx

    seen: BaseException | None = exc
    for _ in range(8):  # a chain is short; the bound guards against a cyclic one
        if seen is None or isinstance(seen, httpx.TransportError | ConnectionError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class ChunkStore:
    """One Chroma collection in cosine space; we always pass our own embeddings."""

    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        self._client: Any = None
        self._collection: Any = None
        self.open()

    def open(self) -> None:
        """Connect (or reconnect) to the store and its collection."""
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        try:
            if self.config.host:
                self._client = chromadb.HttpClient(
                    host=self.config.host, port=self.config.port, settings=with_token(settings, self.config.token)
                )
                bound_timeouts(self._client)
            else:
                self.config.path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(self.config.path), settings=settings)
            self._collection = self._client.get_or_create_collection(
                self.config.collection, embedding_function=None,
                configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}},
            )
            widen_search(self._collection)
        except NewsdeskError:
            raise
        except Exception as exc:
            forget_local_system(self.config)  # chroma caches a half-open store per path; drop it
            raise unavailable(self.config, exc) from exc

    def reopen(self) -> None:
        """Drop cached segments so writes by another process become visible to queries."""
        self.close()
        self.open()

    def close(self) -> None:
        """Release the client; a damaged store may fail to close, which is logged and ignored."""
        if self._client is not None:
            try:
                self._client.close()
            except Exception:
                log.debug("closing the chroma client failed", exc_info=True)
        self._client = self._collection = None

    def destroy(self) -> None:
        """Delete every stored chunk: the collection on a server, the whole folder locally."""
        if self.config.host:
            self._call(lambda: self._client.delete_collection(self.config.collection))
            self.close()  # the next operation re-creates the collection
            return
        self.close()
        ChunkStore.destroy_config(self.config)

    @staticmethod
    def destroy_config(config: StoreConfig) -> None:
        """Delete a store that may be too damaged to open."""
        if config.host:
            ChunkStore(config).destroy()
        else:
            forget_local_system(config)
            shutil.rmtree(config.path, ignore_errors=True)

    def count(self) -> int:
        """Number of stored chunks."""
        return self._call(lambda: self._collection.count())

    def ids(self) -> set[str]:
        """Every stored chunk id."""
        return set(self._call(lambda: self._collection.get(include=[])["ids"]))

    def existing(self, ids: Sequence[str]) -> set[str]:
        """The subset of ids already stored, asked for in batches."""
        found: set[str] = set()
        for batch in batches(ids):
            found.update(self._call(lambda batch=batch: self._collection.get(ids=batch, include=[])["ids"]))
        return found

    def add(self, ids: Sequence[str], texts: Sequence[str], embeddings: np.ndarray,
            metadatas: Sequence[dict[str, Any]]) -> None:
        """Store chunks with their embeddings through LlamaIndex's ChromaVectorStore."""
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
        from llama_index.vector_stores.chroma import ChromaVectorStore

        nodes = [
            TextNode(
                id_=cid, text=text, embedding=vector.tolist(), metadata=meta,
                relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=meta["article_id"])},
            )
            for cid, text, vector, meta in zip(ids, texts, embeddings, metadatas, strict=True)
        ]
        self._call(lambda: ChromaVectorStore(chroma_collection=self._collection).add(nodes))

    def delete(self, ids: Sequence[str]) -> None:
        """Remove chunks by id, in batches the server accepts."""
        for batch in batches(ids, DELETE_BATCH):
            self._call(lambda batch=batch: self._collection.delete(ids=batch))

    def query(self, embedding: np.ndarray, n: int, articles: Sequence[str] | None = None) -> list[Hit]:
        """The n nearest chunks by cosine similarity (ids and scores only: texts are fetched for the winners).

        With `articles`, only chunks of those articles (a metadata filter: a window of publication dates).
        """
        if n <= 0 or articles == []:
            return []
        where = {"article_id": {"$in": list(articles)}} if articles is not None else None
        result = self._call(
            lambda: self._collection.query(query_embeddings=[embedding], n_results=n, where=where,
                                           include=["distances"])
        )
        return [Hit(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)]

    def texts(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored text of the given chunks, read in batches (missing ids are absent from the result)."""
        found: dict[str, str] = {}
        for batch in batches(ids):
            result = self._call(lambda batch=batch: self._collection.get(ids=batch, include=["documents"]))
            found.update(zip(result["ids"], (doc or "" for doc in result["documents"]), strict=True))
        return found

    def texts_and_vectors(self, ids: Sequence[str]) -> dict[str, tuple[str, np.ndarray]]:
        """Stored text and embedding of the given chunks."""
        if not ids:
            return {}
        result = self._call(lambda: self._collection.get(ids=list(ids), include=["documents", "embeddings"]))
        rows = zip(result["ids"], result["documents"], result["embeddings"], strict=True)
        return {cid: (doc or "", np.asarray(vec, dtype=np.float32)) for cid, doc, vec in rows}

    def _call(self, operation: Any) -> Any:
        """Run a store operation, turning driver failures into a clear NewsdeskError."""
        if self.config.host:
            return self._call_server(operation)
        try:
            return operation()
        except NewsdeskError:
            raise
        except Exception as exc:
            log.debug("store operation failed", exc_info=True)
            raise unavailable(self.config, exc) from exc

    def _call_server(self, operation: Any) -> Any:
        """Like _call, but reconnect after any failure, so a restarted or rebuilt server is picked up.

        A server that answered with an error (say, for a collection another process re-created) gets one
        immediate retry on a fresh connection; a server that cannot be reached does not.
        """
        retried = False
        while True:
            if self._collection is None:
                self.open()
            try:
                return operation()
            except Exception as exc:
                log.debug("server store operation failed", exc_info=True)
                self.close()
                if retried or transport_cause(exc) is not None:
                    raise unavailable(self.config, exc) from exc
                retried = True


@dataclass(frozen=True)
class Record:
    """A small JSON document with flat metadata, kept in the meta collection."""

    record_id: str
    document: str
    metadata: dict[str, Any]


class MetaStore(ChunkStore):
    """Manifests, the commit pointer and the indexer lease, in a companion collection on the server."""

    def get(self, ids: Sequence[str]) -> dict[str, Record]:
        """The records with the given ids that exist."""
        result = self._call(lambda: self._collection.get(ids=list(ids), include=["documents", "metadatas"]))
        return records(result)

    def find(self, where: dict[str, Any]) -> list[Record]:
        """Every record whose metadata matches a Chroma `where` filter, read page by page."""
        found: dict[str, Record] = {}
        offset = 0
        while True:
            page = records(self._call(lambda offset=offset: self._collection.get(
                where=where, include=["documents", "metadatas"], limit=BATCH, offset=offset)))
            found.update(page)
            offset += BATCH
            if len(page) < BATCH:
                return list(found.values())

    def delete_where(self, where: dict[str, Any]) -> None:
        """Delete every record whose metadata matches a Chroma `where` filter."""
        self._call(lambda: self._collection.delete(where=where))

    def put(self, items: Sequence[Record]) -> None:
        """Insert or replace records; each request is atomic on the server."""
        for batch in batches(items):
            self._call(lambda batch=batch: self._collection.upsert(
                ids=[r.record_id for r in batch], documents=[r.document for r in batch],
                metadatas=[r.metadata for r in batch], embeddings=[[1.0] for _ in batch],
            ))


def records(result: dict[str, Any]) -> dict[str, Record]:
    """Records from a Chroma get() result, by id."""
    rows = zip(result["ids"], result["documents"], result["metadatas"], strict=True)
    return {rid: Record(rid, doc or "", dict(meta or {})) for rid, doc, meta in rows}


def bound_timeouts(client: Any) -> None:
    """Give chromadb's HTTP session finite timeouts (it ships with none), so a dead server cannot hang us."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(REQUEST_TIMEOUT, connect=CONNECT_TIMEOUT)
    else:
        log.warning("cannot set timeouts on this chromadb client; a hung server may block requests")


def with_token(settings: Any, token: str | None) -> Any:
    """Add Chroma's token authentication to client settings when a token is configured."""
    if token:
        settings.chroma_client_auth_provider = "chromadb.auth.token_authn.TokenAuthClientProvider"
        settings.chroma_client_auth_credentials = token
    return settings


def forget_local_system(config: StoreConfig) -> None:
    """Evict chroma's per-path cached system, so the next open really re-reads the folder."""
    if config.host:
        return
    from chromadb.api.shared_system_client import SharedSystemClient

    system = SharedSystemClient._identifier_to_system.pop(str(config.path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(config.path), None)
    if system is not None:
        try:
            system.stop()
        except Exception:  # a half-initialised system may not stop cleanly
            log.debug("stopping a cached chroma system failed", exc_info=True)
