"""Follow RSS/Atom feeds: a small feed list in the data dir, and a poll that writes each new item as an article.

Crash safety: the poll saves new validators (ETag / Last-Modified) only after every item it wrote is on disk, so a
poll killed at any moment fetches the whole feed again next time; items already in the corpus (same URL, or the
same text) are not written twice, so the next poll converges. `needs_index` is set before the first article is
written and cleared only after an index run, so a killed poll's articles are indexed by the next one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from index.admission import UnreadableArticle
from index.atomic import write_atomic
from index.errors import NewsdeskError
from index.fetch import FEED_ACCEPT, FetchFailed, check_url, fetch, make_client, page_markdown

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

FEEDS_FILE = "feeds.json"
EDIT_LOCK = "feeds.lock"
POLL_LOCK = "feeds.poll.lock"
PAGE_WORKERS = 4  # pages fetched at once; extraction is CPU-bound, so more would not help on 2 cores
Progress = Callable[[str, int, int], None]


@dataclass
class Item:
    """A feed entry worth an article: its page URL and what the feed says about it."""

    url: str
    feed: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    stamp: str = ""  # the entry's updated (or published) text: a change means the page may have changed
    changed: bool = False
    reason: str = ""  # why the last attempt failed, for a pending item

    def known(self) -> dict[str, str | None]:
        """The front-matter fields the feed knows better than the page (outlet only as a fallback)."""
        return {"title": self.title, "published": self.published, "url": self.url, "outlet": self.outlet}


@dataclass
class Feed:
    """One followed feed, with the validators and entry stamps of its last full fetch."""

    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    polled_at: str | None = None
    stamps: dict[str, str] = field(default_factory=dict)  # item URL -> stamp, items in the feed's last document


@dataclass
class FeedState:
    """Everything in feeds.json: the feeds, items waiting to be retried, and whether an index run is owed."""

    feeds: list[Feed] = field(default_factory=list)
    pending: list[Item] = field(default_factory=list)
    needs_index: bool = False

    def find(self, url: str) -> Feed | None:
        """The feed with this URL, if followed."""
        return next((f for f in self.feeds if f.url == url), None)


@dataclass
class PollReport:
    """What one poll did; to_json() is the `newsdesk fetch --json` contract."""

    feeds: int = 0
    new: list[tuple[str, str]] = field(default_factory=list)  # (item URL, corpus path)
    updated: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (URL, reason)
    seconds: float = 0.0

    @property
    def written(self) -> bool:
        """True when the corpus changed, so an index run is needed."""
        return bool(self.new or self.updated)

    def to_json(self) -> dict[str, Any]:
        """The exact JSON object `newsdesk fetch --json` prints."""
        return {"feeds": self.feeds, "new": len(self.new), "updated": len(self.updated),
                "unchanged": self.unchanged, "failed": [{"url": u, "reason": r} for u, r in self.failed],
                "seconds": round(self.seconds, 3)}


def load_state(data_dir: Path) -> FeedState:
    """Read feeds.json (an absent file is an empty list; a damaged one is a clear error, never overwritten)."""
    path = data_dir / FEEDS_FILE
    if not path.exists():
        return FeedState()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return FeedState([Feed(**f) for f in raw.get("feeds", [])], [Item(**i) for i in raw.get("pending", [])],
                         bool(raw.get("needs_index", False)))
    except (ValueError, TypeError, AttributeError) as exc:
        raise NewsdeskError(f"the feed list {path} is damaged ({type(exc).__name__}); fix or delete it") from None


def save_state(data_dir: Path, state: FeedState) -> None:
    """Write feeds.json atomically: a crash leaves the old list or the new one."""
    data = {"feeds": [asdict(f) for f in state.feeds], "pending": [asdict(i) for i in state.pending],
            "needs_index": state.needs_index}
    write_atomic(data_dir / FEEDS_FILE, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


@contextmanager
def locked(data_dir: Path, name: str = EDIT_LOCK) -> Iterator[None]:
    """Serialise changes to feeds.json (EDIT_LOCK, held briefly) or whole polls (POLL_LOCK)."""
    from filelock import FileLock

    data_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(data_dir / name)):
        yield


def edit_state(data_dir: Path, change: Callable[[FeedState], Any]) -> Any:
    """Apply change to the stored state under the lock and save it; returns what change returns."""
    with locked(data_dir):
        state = load_state(data_dir)
        result = change(state)
        save_state(data_dir, state)
        return result


def add_feed(data_dir: Path, url: str) -> bool:
    """Follow a feed; False when it was already followed (nothing is fetched until `newsdesk fetch`)."""
    url = check_url(url)

    def change(state: FeedState) -> bool:
        if state.find(url):
            return False
        state.feeds.append(Feed(url))
        return True

    return bool(edit_state(data_dir, change))


def remove_feed(data_dir: Path, url: str) -> None:
    """Stop following a feed and forget its pending items; articles already written stay in the corpus."""

    def change(state: FeedState) -> None:
        if not state.find(url.strip()):
            raise NewsdeskError(f"not following {url.strip()[:120]!r}; `newsdesk feeds list` shows the feeds")
        state.feeds = [f for f in state.feeds if f.url != url.strip()]
        state.pending = [i for i in state.pending if i.feed != url.strip()]

    edit_state(data_dir, change)


def mark_indexed(data_dir: Path) -> None:
    """Clear the owed-index flag after a successful index run (no write when it was not set)."""
    with locked(data_dir):
        state = load_state(data_dir)
        if state.needs_index:
            state.needs_index = False
            save_state(data_dir, state)


def today_iso() -> str:
    """Now, in UTC, for `polled_at`."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def entry_date(entry: Any) -> str | None:
    """An entry's publication date (else its update date) as YYYY-MM-DD, from feedparser's UTC struct_time."""
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")  # no feedparser fallbacks
    if not parsed:
        return None
    try:
        return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    except ValueError:
        return None


def entry_link(entry: Any, base: str) -> str | None:
    """An entry's page URL, made absolute against the feed URL (relative links are common)."""
    link = entry.get("link") or next((li.get("href") for li in entry.get("links", []) if li.get("href")), None)
    return urljoin(base, link.strip()) if link else None


def parse_feed(body: bytes, url: str) -> Any:
    """Parse RSS or Atom with feedparser; a document with no feed in it is refused with the parser's reason."""
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        problem = parsed.get("bozo_exception")
        why = f" ({str(problem).splitlines()[0][:120]})" if problem else ""
        raise FetchFailed(f"not an RSS or Atom feed{why}")
    return parsed


def feed_items(feed: Feed, parsed: Any, base: str) -> tuple[list[Item], list[tuple[str, str]]]:
    """Items of a parsed feed (each URL once, in feed order) and entries that cannot be fetched (no link)."""
    title = " ".join(str(parsed.feed.get("title") or "").split()) or None
    items: dict[str, Item] = {}
    problems: list[tuple[str, str]] = []
    for entry in parsed.entries:
        link = entry_link(entry, base)
        if not link:
            problems.append((feed.url, f"an entry has no link: {str(entry.get('title') or '(untitled)')[:80]!r}"))
            continue
        stamp = str(dict.get(entry, "updated") or dict.get(entry, "published") or "")
        previous = feed.stamps.get(link)
        items.setdefault(link, Item(link, feed.url, entry.get("title") or None, entry_date(entry), title, stamp,
                                    changed=previous is not None and previous != stamp))
    return list(items.values()), problems


@dataclass
class Polled:
    """One feed after its request: its new validators and items, not yet saved."""

    feed: Feed
    items: list[Item] = field(default_factory=list)
    fresh: bool = False  # a full document was read (validators and stamps to be saved)


def poll_feed(client: httpx.Client, feed: Feed, report: PollReport) -> Polled:
    """Fetch one feed conditionally; a 304 means no new items, a failure is listed in the report."""
    try:
        page = fetch(client, feed.url, FEED_ACCEPT, feed.etag, feed.last_modified)
        if page.not_modified:
            return Polled(feed)
        parsed = parse_feed(page.body, page.url)
    except (FetchFailed, UnreadableArticle) as exc:
        report.failed.append((feed.url, str(exc)))
        return Polled(feed)
    items, problems = feed_items(feed, parsed, page.url)
    report.failed += problems
    title = " ".join(str(parsed.feed.get("title") or "").split()) or feed.title
    updated = Feed(feed.url, title, page.etag, page.last_modified, today_iso(), {i.url: i.stamp for i in items})
    return Polled(updated, items, fresh=True)


class CorpusView:
    """The corpus as far as duplicates go: which URLs and which texts it already holds."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self.by_url: dict[str, str] = {}
        self.by_text: dict[str, str] = {}

    @classmethod
    def scan(cls, corpus_dir: Path) -> CorpusView:
        """Read every article's URL and text fingerprint (bad files are left to the index run to report)."""
        from index.articles import scan_corpus

        view = cls(corpus_dir)
        for article in scan_corpus(corpus_dir).articles:
            view.remember(article.url, article.fingerprint(), article.path)
        return view

    def remember(self, url: str | None, fingerprint: str, path: str) -> None:
        """Record an article so later items of the same poll see it."""
        if url:
            self.by_url.setdefault(url, path)
        self.by_text.setdefault(fingerprint, path)


def fingerprint_of(markdown: str, name: str) -> str:
    """The duplicate-text fingerprint of an article about to be written (as the corpus scan computes it)."""
    from index.articles import parse_article

    return parse_article(markdown, name).fingerprint()


def free_target(corpus_dir: Path, markdown: str, url: str) -> Path:
    """<title-slug>.md, or <title-slug>-<url hash>.md when another article already has that name."""
    from index.add import slugify, target_path
    from index.articles import parse_article

    stem = slugify(parse_article(markdown, "x.md").title)[:60].strip("-") or "article"
    target = target_path(corpus_dir, f"{stem}.md")
    if target.exists() or target.with_suffix(".txt").exists():
        target = target_path(corpus_dir, f"{stem}-{hashlib.sha1(url.encode()).hexdigest()[:8]}.md")
    if target.exists():
        raise UnreadableArticle(f"{target.name} already exists and is not an article with this URL; move it away")
    return target


def convert_page(client: httpx.Client, item: Item) -> str:
    """Fetch an item's page and make its article text (run in worker threads)."""
    return page_markdown(fetch(client, item.url), item.known())


def write_item(view: CorpusView, item: Item, markdown: str, report: PollReport) -> None:
    """Write one fetched item: rewrite an updated article, skip a duplicate text, else add a new file."""
    existing = view.by_url.get(item.url)
    if existing:
        target = view.corpus_dir / existing
        if target.read_text(encoding="utf-8", errors="replace") == markdown:
            report.unchanged += 1
            return
        write_atomic(target, markdown.encode("utf-8"))
        report.updated.append((item.url, existing))
        return
    fingerprint = fingerprint_of(markdown, "x.md")
    if fingerprint in view.by_text:
        report.unchanged += 1
        return
    target = free_target(view.corpus_dir, markdown, item.url)
    write_atomic(target, markdown.encode("utf-8"))
    view.remember(item.url, fingerprint, target.name)
    report.new.append((item.url, target.name))


def failure_reason(exc: Exception) -> str:
    """The reason shown for a failed item: a user-facing message, a disk error, or a logged surprise."""
    if isinstance(exc, NewsdeskError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"cannot write the article ({exc.strerror or type(exc).__name__})"
    log.error("fetching a feed item failed unexpectedly", exc_info=exc)
    return f"unexpected error ({type(exc).__name__}); details in the log file"


def merge_items(retries: list[Item], fresh: list[Item]) -> list[Item]:
    """Each URL once: a feed's fresh entry replaces a retry of the same URL (newer metadata)."""
    merged: dict[str, Item] = {i.url: i for i in retries}
    for item in fresh:
        merged[item.url] = item
    return list(merged.values())


class Poller:
    """One poll of every feed: fetch feeds, fetch new items' pages, write articles, save the state."""

    def __init__(self, corpus_dir: Path, data_dir: Path, timeout: float, progress: Progress | None = None) -> None:
        self.corpus_dir = corpus_dir
        self.data_dir = data_dir
        self.timeout = timeout
        self.progress = progress or (lambda phase, done, total: None)
        self.report = PollReport()
        self.owed = False

    def run(self) -> PollReport:
        """The whole poll (the caller holds POLL_LOCK); returns what it did (index separately)."""
        from index.articles import check_corpus_dir

        check_corpus_dir(self.corpus_dir)
        started = time.perf_counter()
        with make_client(self.timeout) as client:
            state = load_state(self.data_dir)
            self.report.feeds = len(state.feeds)
            polled = self.poll_feeds(client, state.feeds)
            items = merge_items(state.pending, [i for p in polled for i in p.items])
            pending = self.take(client, items)
            self.save(polled, pending)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def poll_feeds(self, client: httpx.Client, feeds: list[Feed]) -> list[Polled]:
        """Fetch every feed (conditionally), with progress."""
        polled = []
        for done, feed in enumerate(feeds, 1):
            polled.append(poll_feed(client, feed, self.report))
            self.progress("feeds", done, len(feeds))
        return polled

    def take(self, client: httpx.Client, items: list[Item]) -> list[Item]:
        """Fetch and write every item not yet in the corpus (or changed); return the ones that failed."""
        if not items:
            return []
        view = CorpusView.scan(self.corpus_dir)
        todo = [i for i in items if i.changed or i.url not in view.by_url]
        self.report.unchanged += len(items) - len(todo)
        failed: list[Item] = []
        pool = ThreadPoolExecutor(PAGE_WORKERS)
        try:
            futures = [pool.submit(convert_page, client, item) for item in todo]
            for done, (item, future) in enumerate(zip(todo, futures, strict=True), 1):
                self.finish(view, item, future, failed)
                self.progress("pages", done, len(todo))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C does not wait for pages not yet asked for
        return failed

    def finish(self, view: CorpusView, item: Item, future: Any, failed: list[Item]) -> None:
        """Write one item whose page was fetched, or keep it for the next poll with the reason."""
        try:
            markdown = future.result()
            if not self.owed:
                self.owe_index()
            write_item(view, item, markdown, self.report)
        except Exception as exc:  # one bad page must not lose the others; the reason is listed and retried
            reason = failure_reason(exc)
            failed.append(replace(item, reason=reason))
            self.report.failed.append((item.url, reason))

    def owe_index(self) -> None:
        """Before the first write: record that an index run is owed, so a crash cannot leave articles unindexed."""
        edit_state(self.data_dir, lambda state: setattr(state, "needs_index", True))
        self.owed = True

    def save(self, polled: list[Polled], pending: list[Item]) -> None:
        """Store the new validators and stamps and the items to retry, keeping feeds added or removed meanwhile."""

        def change(state: FeedState) -> None:
            fresh = {p.feed.url: p.feed for p in polled if p.fresh}
            state.feeds = [fresh.get(f.url, f) for f in state.feeds]
            followed = {f.url for f in state.feeds}
            state.pending = [i for i in pending if i.feed in followed]

        edit_state(self.data_dir, change)


def poll_feeds(corpus_dir: Path, data_dir: Path, timeout: float, progress: Progress | None = None,
               after: Callable[[PollReport], None] | None = None) -> PollReport:
    """Poll every followed feed once and write the new articles; after (the index run) holds the same lock.

    One poll at a time per data dir: a second one waits, so two pollers never write the same items.
    """
    with locked(data_dir, POLL_LOCK):
        report = Poller(corpus_dir, data_dir, timeout, progress).run()
        if after is not None:
            after(report)
        return report


def index_owed(data_dir: Path) -> bool:
    """True when a poll wrote articles that no index run has taken in yet."""
    return load_state(data_dir).needs_index
