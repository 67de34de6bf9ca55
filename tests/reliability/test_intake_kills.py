"""A `fetch` or `watch` killed mid-run loses nothing: the next run converges to the same corpus and index."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from index.feeds import load_state
from tests.conftest import make_index, run_cli
from tests.news_server import NewsServer, Route, rss, story_text
from tests.test_intake import EXE, corpus, fetch_json, indexed_articles, rss_items, server, story
from tests.test_watch import watch_process, watching

__all__ = ["corpus", "server"]  # fixtures shared with tests/test_intake.py


def test_a_killed_fetch_loses_nothing_and_the_next_run_converges(
        server: NewsServer, corpus: Path, capsys: pytest.CaptureFixture[str], figures: dict[str, Any]) -> None:
    for n in range(1, 7):
        story(server, n)
    server.max_delay = server.routes["/news/4.html"].delay = 60.0  # the fetch hangs here, after stories 1-3
    server.routes["/rss.xml"] = Route(rss("Wire", rss_items(list(range(1, 7)))), etag='"v1"')
    run_cli(["feeds", "add", server.url("/rss.xml")], capsys)
    proc = subprocess.Popen([str(EXE), "fetch"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        while len(list(corpus.glob("*.md"))) < 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert len(list(corpus.glob("*.md"))) == 3
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert load_state(corpus.parent / "data").needs_index  # the kill came before the index run: it is owed
    server.routes["/rss.xml"] = Route(rss("Wire", rss_items([1, 2, 3])), etag='"v2"')  # nothing new to write
    data = fetch_json(capsys)
    assert (data["new"], data["unchanged"]) == (0, 3)
    assert indexed_articles(capsys) == 3  # indexed although this run wrote nothing
    server.routes["/news/4.html"].delay = 0
    server.routes["/rss.xml"] = Route(rss("Wire", rss_items(list(range(1, 7)))), etag='"v3"')
    assert fetch_json(capsys)["new"] == 3
    assert sorted(p.name for p in corpus.iterdir()) == [f"feed-title-{n}.md" for n in range(1, 7)]
    assert indexed_articles(capsys) == 6 and not load_state(corpus.parent / "data").needs_index
    figures["fetch and watch kills survived"] += 1


def test_a_killed_watch_loses_nothing(tmp_path: Path, figures: dict[str, Any]) -> None:
    proc = watch_process(tmp_path)
    try:
        assert proc.stdout is not None and proc.stdout.readline().startswith("indexed 5 articles")
        for n in range(30):
            (tmp_path / "corpus" / f"story-{n}.txt").write_text(f"Story {n}\n\n{story_text(n)}\n", encoding="utf-8")
        time.sleep(1.0)  # the run for these files is under way
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    index = make_index(tmp_path / "corpus", tmp_path / "data")
    with watching(index) as events:
        assert events[0].report.articles == 35
    clean = make_index(tmp_path / "corpus", tmp_path / "clean-data")
    clean.reindex()
    assert index.store().ids() == clean.store().ids()
    figures["fetch and watch kills survived"] += 1
