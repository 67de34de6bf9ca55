"""Keep the index current: re-index when the corpus folder changes, and poll feeds every few minutes.

Both paths go through NewsIndex.reindex, which commits a new generation atomically, so questions keep being
answered (from the old generation or the new one) during every run.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.errors import NewsdeskError
from index.feeds import PollReport, index_owed, mark_indexed, poll_feeds
from index.fetch import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from index.handle import NewsIndex
    from index.reindex import Progress, ReindexReport

log = logging.getLogger(__name__)

STEP_MS = 200  # a burst of changes ends after this much quiet (a copy of 100 files is one burst)
DEBOUNCE_MS = 1000  # a burst longer than this is handed over anyway, so a pickup stays under 2 s
TICK_MS = 500  # the loop wakes this often without changes, to check the feed schedule and the stop flag


@dataclass(frozen=True)
class WatchEvent:
    """What the watcher just did, for the front end to show: an index run, a feed poll or an error."""

    kind: str  # "index", "poll", "error", or "ready" (once, when the first change will be picked up quickly)
    changes: int = 0
    report: Any = None  # ReindexReport for "index", PollReport for "poll"
    message: str = ""


Notify = Callable[[WatchEvent], None]


def poll_and_index(index: NewsIndex, timeout: float = DEFAULT_TIMEOUT, progress: Progress | None = None,
                   ) -> tuple[PollReport, ReindexReport | None]:
    """Poll every feed, then index what it wrote (or what a killed earlier poll wrote) in one incremental run."""
    config = index.config
    indexed: list[ReindexReport] = []

    def take_in(report: PollReport) -> None:
        if report.written or index_owed(config.data_dir):
            indexed.append(index.reindex(progress=progress))
            mark_indexed(config.data_dir)

    report = poll_feeds(config.corpus_dir, config.data_dir, timeout, progress, after=take_in)
    return report, indexed[0] if indexed else None


def poll_line(report: PollReport) -> str:
    """One log line per poll: the counts, and the first failures with their reasons."""
    failed = "; ".join(f"{url} ({reason})" for url, reason in report.failed[:3])
    more = f" and {len(report.failed) - 3} more" if len(report.failed) > 3 else ""
    return (f"feed poll: {report.feeds} feeds, {len(report.new)} new, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged, {len(report.failed)} failed{': ' + failed + more if failed else ''} "
            f"({report.seconds:.1f} s)")


def visible_in(corpus_dir: Path) -> Callable[[Any, str], bool]:
    """A watchfiles filter that ignores hidden files and folders (atomic-write temp files, .originals/)."""
    root = corpus_dir.resolve()

    def visible(_change: Any, path: str) -> bool:
        try:
            parts = Path(path).resolve().relative_to(root).parts
        except ValueError:
            return False
        return bool(parts) and not any(part.startswith(".") for part in parts)

    return visible


class FeedSchedule:
    """When the next feed poll is due (never, when minutes is 0)."""

    def __init__(self, minutes: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = minutes * 60
        self.clock = clock
        self.next = clock() if minutes > 0 else float("inf")

    def due(self) -> bool:
        """True once per period; the first poll is at once."""
        if self.clock() < self.next:
            return False
        self.next = self.clock() + self.seconds
        return True


class Watcher:
    """`newsdesk watch`: one loop that re-indexes on corpus changes and polls feeds when due."""

    def __init__(self, index: NewsIndex, notify: Notify, feed_minutes: float = 0.0,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.index = index
        self.notify = notify
        self.schedule = FeedSchedule(feed_minutes)
        self.timeout = timeout

    def run(self, stop: threading.Event | None = None) -> None:
        """Index once (catching up with whatever changed while nobody watched), then watch until stop is set."""
        import watchfiles

        corpus = self.index.config.corpus_dir
        first = True  # the catch-up run happens once watching has begun, so nothing dropped meanwhile is missed
        for changes in watchfiles.watch(corpus, watch_filter=visible_in(corpus), debounce=DEBOUNCE_MS,
                                        step=STEP_MS, rust_timeout=TICK_MS, yield_on_timeout=True,
                                        stop_event=stop):
            if changes or first:
                self.reindex(len(changes))
            if first:
                self.guarded(self.warm_up)
                self.notify(WatchEvent("ready"))
                first = False
            if self.schedule.due():
                self.poll()

    def warm_up(self) -> None:
        """Load the embedding model, chunker and keyword indexer before the first change: the first pickup is quick."""
        import bm25s  # noqa: F401  (imported by the first commit otherwise)

        from index.chunking import make_splitter

        embedder = self.index.embedder()
        embedder.embed_query("warm up")
        make_splitter(embedder.count_tokens)

    def reindex(self, changes: int) -> None:
        """One incremental run; a failure is reported and the watch goes on."""
        self.guarded(lambda: self.notify(WatchEvent("index", changes, self.index.reindex())))

    def poll(self) -> None:
        """One feed poll and the index run it needs; a failure is reported and the watch goes on."""

        def work() -> None:
            report, _ = poll_and_index(self.index, self.timeout)
            log.info(poll_line(report))
            self.notify(WatchEvent("poll", report=report, message=poll_line(report)))

        self.guarded(work)

    def guarded(self, work: Callable[[], None]) -> None:
        """Run work; user errors and surprises become an "error" event (surprises also logged in full)."""
        try:
            work()
        except NewsdeskError as exc:
            self.notify(WatchEvent("error", message=str(exc)))
        except Exception as exc:
            log.exception("watch: unexpected error")
            self.notify(WatchEvent("error", message=f"unexpected error ({type(exc).__name__}); see the log file"))


def poller_loop(index: NewsIndex, minutes: float, timeout: float, stop: threading.Event) -> None:
    """Poll feeds at once and then every `minutes` until stop is set; one log line per poll, never a crash."""
    while not stop.is_set():
        try:
            report, _ = poll_and_index(index, timeout)
            log.info(poll_line(report))
        except NewsdeskError as exc:
            log.warning("feed poll failed: %s", exc)
        except Exception:
            log.exception("feed poll failed unexpectedly")
        stop.wait(minutes * 60)


@contextmanager
def background_feeds(index: NewsIndex, minutes: float, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """While the body runs (the Discord bot), poll feeds in a daemon thread when minutes > 0."""
    if minutes <= 0:
        yield
        return
    stop = threading.Event()
    thread = threading.Thread(target=poller_loop, args=(index, minutes, timeout, stop), name="newsdesk-feeds",
                              daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=2)
