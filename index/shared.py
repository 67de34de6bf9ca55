"""Index state shared through a Chroma server: manifests, the commit pointer and the indexer lease.

Several newsdesk processes, on several machines with their own data dirs, may use one server. They
agree on what is committed because the manifests live in the server's meta collection: one manifest
per generation (stored in small parts) and a single pointer record naming the committed generation.
Upserting that pointer is the commit point. An indexer holds a lease record while it runs, so only
one process writes at a time, and it re-checks the lease right before it commits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from index.errors import NewsdeskError
from index.manifest import Manifest, ManifestStore
from index.store import MetaStore, Record

log = logging.getLogger(__name__)

POINTER = "current"
LEASE = "lease"
PART_CHARS = 4000  # manifest text per record: within the document limits of distributed Chroma deployments
LEASE_SECONDS = 120.0  # a crashed indexer blocks others at most this long
RENEW_SECONDS = 30.0
SETTLE_SECONDS = 0.5  # Chroma has no compare-and-set: write the lease, wait, and read it back
POLL_SECONDS = 1.0


class SharedManifestStore(ManifestStore):
    """The manifest lineage of a Chroma server, seen the same way by every process that uses it."""

    shared = True

    def __init__(self, data_dir: Path, meta: Callable[[], MetaStore], where: str) -> None:
        super().__init__(data_dir)
        self._meta = meta
        self.where = where  # the server, not the data dir, holds the manifests
        self.owner = uuid.uuid4().hex
        self._lease: Lease | None = None

    def pointer(self) -> Record | None:
        """The commit pointer record, or None on a server nothing was ever committed to."""
        return self._meta().get([POINTER]).get(POINTER)

    def current_generation(self) -> int | None:
        """The committed generation, read from the server (so every process sees the same one)."""
        record = self.pointer()
        generation = int(record.metadata.get("generation", 0)) if record else 0
        return generation or None

    def high_water(self) -> int:
        """The highest generation ever committed here; a rebuild continues after it, never reusing one."""
        record = self.pointer()
        return int(record.metadata.get("high_water", 0)) if record else 0

    def read(self, generation: int) -> Manifest | None:
        """A stored manifest, None when that generation has no record; complete or an error."""
        found = self._meta().find({"$and": [{"kind": "manifest"}, {"generation": generation}]})
        first = next((r for r in found if r.metadata.get("part") == 0), None)
        if first is None:
            return None
        parts, commit = first.metadata.get("parts"), first.metadata.get("commit")
        pieces = sorted((r for r in found if r.metadata.get("commit") == commit), key=lambda r: r.metadata["part"])
        if len(pieces) != parts:
            raise self.damaged(f"manifest {generation} has {len(pieces)} of {parts} parts")
        try:
            return Manifest.from_json("".join(r.document for r in pieces).encode("utf-8"))
        except (ValueError, TypeError, KeyError) as exc:
            raise self.damaged(type(exc).__name__) from None

    def commit(self, manifest: Manifest) -> None:
        """Store the manifest's parts, then point the server at it with one upsert (the commit point)."""
        self.check_lease()
        commit = uuid.uuid4().hex
        text = manifest.to_json().decode("utf-8")
        parts = [text[i : i + PART_CHARS] for i in range(0, len(text), PART_CHARS)]
        meta = {"kind": "manifest", "generation": manifest.generation, "parts": len(parts), "commit": commit}
        self._meta().put([Record(f"manifest-{manifest.generation}-{i}", part, {**meta, "part": i})
                          for i, part in enumerate(parts)])
        self.check_lease()
        high = max(manifest.generation, self.high_water())
        self.point_at(manifest.generation, high, commit)
        self.committed_here = manifest.generation

    def point_at(self, generation: int, high_water: int, commit: str) -> None:
        """Write the pointer record (generation 0: nothing committed)."""
        metadata = {"kind": "pointer", "generation": generation, "high_water": high_water, "commit": commit}
        self._meta().put([Record(POINTER, "", metadata)])

    def prune(self, keep: set[int]) -> None:
        """Delete the manifests of generations not in keep."""
        where: dict[str, object] = {"kind": "manifest"}
        if keep:
            where = {"$and": [where, {"generation": {"$nin": sorted(keep)}}]}
        self._meta().delete_where(where)

    def reset(self) -> None:
        """Forget every generation but remember the highest number, so none is reused."""
        high = self.high_water()
        self.point_at(0, high, "")
        self.prune(keep=set())

    def next_generation(self, old: Manifest) -> int:
        """One past both the old generation and any generation this server ever committed."""
        return max(old.generation, self.high_water()) + 1

    def kept_chunk_ids(self, manifest: Manifest) -> set[str]:
        """Chunks of the committed and the previous generation: readers may still be on the previous one."""
        kept = manifest.chunk_ids()
        previous = self.read(manifest.generation - 1)
        return kept | previous.chunk_ids() if previous else kept

    @contextlib.contextmanager
    def lease(self, wait: bool, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the server's indexer lease for the duration of a run."""
        lease = Lease(self._meta, self.owner)
        lease.acquire(wait, on_wait)
        self._lease = lease
        try:
            yield
        finally:
            self._lease = None
            lease.release()

    def check_lease(self) -> None:
        """Refuse to commit when another process has taken the lease over (say, after ours expired)."""
        if self._lease is not None and not self._lease.held():
            raise NewsdeskError("another `newsdesk index` took over this Chroma server's index while this run "
                                "was working; nothing was committed; run `newsdesk index` again")


class Lease:
    """A renewable, expiring lock record: at most one indexer per server commits at a time."""

    def __init__(self, meta: Callable[[], MetaStore], owner: str) -> None:
        self._meta = meta
        self.owner = owner
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def holder(self) -> Record | None:
        """The live lease record, or None when nobody holds it (or the holder's lease expired)."""
        record = self._meta().get([LEASE]).get(LEASE)
        if record is None or float(record.metadata.get("expires", 0.0)) < time.time():
            return None
        return record

    def held(self) -> bool:
        """True while this process owns the lease."""
        record = self.holder()
        return record is not None and record.metadata.get("owner") == self.owner

    def write(self) -> None:
        """Claim (or extend) the lease."""
        metadata = {"kind": "lease", "owner": self.owner, "host": socket.gethostname(), "pid": os.getpid(),
                    "expires": time.time() + LEASE_SECONDS}
        self._meta().put([Record(LEASE, "", metadata)])

    def acquire(self, wait: bool, on_wait: Callable[[], None] | None) -> None:
        """Take the lease, waiting for another indexer to finish (or failing at once when not wait)."""
        told = False
        while not self.try_take():
            if not wait:
                raise NewsdeskError("another `newsdesk index` is writing to this Chroma server's index; "
                                    "try again when it ends")
            if on_wait and not told:
                on_wait()
                told = True
            time.sleep(POLL_SECONDS)
        self._renewer = threading.Thread(target=self.renew, name="newsdesk-lease", daemon=True)
        self._renewer.start()

    def try_take(self) -> bool:
        """Write the lease if it is free, then read it back after a pause: the last writer wins."""
        record = self.holder()
        if record is not None and record.metadata.get("owner") != self.owner:
            return False
        self.write()
        time.sleep(SETTLE_SECONDS)
        return self.held()

    def renew(self) -> None:
        """Extend the lease until released; a server hiccup is logged and the commit-time check decides."""
        while not self._stop.wait(RENEW_SECONDS):
            try:
                if not self.held():
                    log.warning("lost the indexer lease to another process")
                    return
                self.write()
            except NewsdeskError as exc:
                log.warning("could not renew the indexer lease: %s", exc)

    def release(self) -> None:
        """Stop renewing and delete the lease if it is still ours (an unreachable server lets it expire)."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)
        try:
            if self.held():
                self._meta().delete([LEASE])
        except NewsdeskError as exc:
            log.warning("could not release the indexer lease (it expires by itself): %s", exc)
