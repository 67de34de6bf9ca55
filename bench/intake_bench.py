"""News intake speed (issue 14): `feeds add` + `fetch` of 100 served items against `newsdesk index` on the
same 100 files, an unchanged re-fetch, and how fast `watch` picks up a dropped file (p95 over 20 drops).

A real HTTP server on 127.0.0.1 serves the items (BBC News articles when ../shared/data is there, else
generated stories). The CLI runs in subprocesses, so both timings include start-up and the model load.
Prints the numbers and merges them into bench/results.json (unless --no-save).
Run: `.venv/bin/python -m bench.intake_bench [--items 100] [--drops 20] [--no-save]`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import BBC, bbc_rows, machine, open_index, percentiles, save, table
from tests.news_server import NewsServer, Route, article_html, rss, story_text

EXE = Path(sys.executable).with_name("newsdesk")


def stories(count: int) -> list[tuple[str, str]]:
    """(title, text) for each served item: BBC articles when available."""
    if BBC.exists():
        return [(row["title"], row["text"]) for row in bbc_rows(count)]
    return [(f"Story number {n}", story_text(n, 8)) for n in range(count)]


def serve(server: NewsServer, items: list[tuple[str, str]]) -> str:
    """Serve every item as a page and one RSS feed listing them (with an ETag); return the feed URL."""
    entries = []
    for n, (title, text) in enumerate(items):
        server.routes[f"/news/{n}.html"] = Route(article_html(title, text, site="Bench News"))
        entries.append({"title": title, "link": f"/news/{n}.html", "pubDate": "Tue, 28 Jan 2025 09:30:00 GMT"})
    server.routes["/feed.xml"] = Route(rss("Bench Wire", entries), content_type="application/rss+xml", etag='"1"')
    return server.url("/feed.xml")


def newsdesk(args: list[str], corpus: Path, data: Path) -> tuple[float, Any]:
    """Run one CLI command over corpus/data; return its wall time and its JSON output (if any)."""
    env = os.environ | {"NEWSDESK_CORPUS_DIR": str(corpus), "NEWSDESK_DATA_DIR": str(data)}
    started = time.perf_counter()
    done = subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    return seconds, json.loads(done.stdout) if done.stdout.strip().startswith(("{", "[")) else None


def fetch_vs_index(root: Path, server: NewsServer, feed: str, count: int) -> dict[str, Any]:
    """fetch_100_s, the same files through `newsdesk index`, and an unchanged re-fetch."""
    corpus, data = root / "fetched", root / "fetched-data"
    corpus.mkdir()
    newsdesk(["feeds", "add", feed], corpus, data)
    fetch_s, first = newsdesk(["fetch", "--json"], corpus, data)
    assert first["new"] == count and not first["failed"], first
    copy = root / "copied"
    shutil.copytree(corpus, copy)
    index_s, indexed = newsdesk(["index", "--json"], copy, root / "copied-data")
    assert indexed["articles"] == count, indexed
    server.requests.clear()
    refetch_s, second = newsdesk(["fetch", "--json"], corpus, data)
    assert second["new"] == 0 and all(r.conditional for r in server.requests), second
    return {"fetch_100_s": round(fetch_s, 2), "index_100_s": round(index_s, 2),
            "fetch_vs_index_ratio": round(fetch_s / index_s, 2), "refetch_unchanged_s": round(refetch_s, 2),
            "fetch_items": count}


def watch_pickup(root: Path, drops: int) -> dict[str, Any]:
    """Seconds from a file landing in the corpus to the end of the index run that took it in, over `drops`."""
    from index.watch import Watcher, WatchEvent

    index = open_index(root / "copied", root / "copied-data")
    done: list[tuple[float, WatchEvent]] = []
    stop = threading.Event()
    watcher = Watcher(index, lambda e: done.append((time.perf_counter(), e)))
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    wait(lambda: any(e.kind == "ready" for _, e in done))
    samples = []
    for n in range(drops):
        seen = len(done)
        time.sleep(0.3)
        started = time.perf_counter()
        (root / "copied" / f"dropped-{n}.txt").write_text(f"Dropped {n}\n\n{story_text(1000 + n)}\n", "utf-8")
        wait(lambda: any(e.kind == "index" and e.report.added for _, e in done[seen:]))  # noqa: B023
        samples.append(next(t for t, e in done[seen:] if e.kind == "index" and e.report.added) - started)
    stop.set()
    thread.join(60)
    print("pickup samples (s):", [round(s, 2) for s in samples], file=sys.stderr)
    ms = percentiles(samples)
    return {"watch_pickup_p50_s": round(ms["p50"] / 1000, 2), "watch_pickup_p95_s": round(ms["p95"] / 1000, 2),
            "watch_drops": drops}


def wait(condition: Any, seconds: float = 300) -> None:
    """Poll until condition() is true."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the watcher did not report in time")
        time.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--drops", type=int, default=20)
    parser.add_argument("--no-save", action="store_true", help="Print only; leave bench/results.json alone.")
    args = parser.parse_args()
    server = NewsServer().start()
    try:
        with tempfile.TemporaryDirectory(prefix="newsdesk-intake-") as tmp:
            feed = serve(server, stories(args.items))
            results = fetch_vs_index(Path(tmp), server, feed, args.items)
            results |= watch_pickup(Path(tmp), args.drops)
    finally:
        server.stop()
    table("News intake", results)
    if not args.no_save and args.items == 100:
        save(results | {"intake_machine": machine()})


if __name__ == "__main__":
    main()
