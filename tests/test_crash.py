"""SIGKILL in the middle of `newsdesk index`: the old index keeps answering, the next run converges."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.handle import NewsIndex
from tests.conftest import make_index, write_bbc_corpus


def wait_for_line(path: Path, needle: str, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and needle in path.read_text(encoding="utf-8", errors="replace"):
            return
        if proc.poll() is not None:
            pytest.fail(f"indexer exited early with {proc.returncode}")
        time.sleep(0.05)
    pytest.fail(f"{needle!r} never appeared in {path}")


@pytest.mark.slow
def test_sigkill_mid_run_keeps_old_index_and_next_run_matches_clean_build(news_index: NewsIndex, corpus_dir: Path,
                                                                          tmp_path: Path) -> None:
    corpus, data = corpus_dir, tmp_path / "data"
    first = news_index
    first.reindex()
    old = first.manifests.load()
    first.close()

    write_bbc_corpus(corpus, 60)
    env = dict(os.environ, NEWSDESK_CORPUS_DIR=str(corpus), NEWSDESK_DATA_DIR=str(data), NEWSDESK_INDEX_GROUP="32")
    exe = Path(sys.executable).with_name("newsdesk")
    proc = subprocess.Popen([str(exe), "index", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_line(data / "newsdesk.log", "stored 64 of", proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    survivor = make_index(corpus, data)
    assert survivor.manifests.current_generation() == old.generation
    hits = survivor.search("Which chip runs DeepSeek R1 inference?", k=5)
    assert "910C" in hits[0].text
    assert {h.article_id for h in survivor.search("Time Warner profits advert sales", k=10)} <= set(old.articles)

    report = survivor.reindex()
    assert report.added == 60 and report.articles == 65
    assert 0 < report.embedded_chunks <= report.chunks - old.chunk_count - 64  # the stored groups were reused
    manifest = survivor.manifests.load()
    assert survivor.store().ids() == manifest.chunk_ids()

    clean = make_index(corpus, tmp_path / "clean")
    clean.reindex()
    assert clean.manifests.load().chunk_ids() == manifest.chunk_ids()
    assert clean.store().count() == survivor.store().count()
