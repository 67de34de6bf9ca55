"""SIGKILL `newsdesk index` at random points of a re-index: the index stays consistent and converges."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from index.bm25 import Bm25Index
from index.handle import NewsIndex
from tests.conftest import CORPUS, make_index, write_bbc_corpus

EXE = Path(sys.executable).with_name("newsdesk")


def check_consistent(index: NewsIndex) -> int:
    """One committed generation, every chunk of every article present, BM25 matching; returns generation."""
    manifest = index.manifests.load()
    assert manifest is not None
    owned = manifest.chunk_ids()
    assert owned <= index.store().ids(), "a committed article is missing chunks"
    bm25 = Bm25Index.load(index.config.data_dir / "bm25" / str(manifest.generation))
    assert set(bm25.ids) == owned
    for passage in index.search("What did the company report about profits?", k=8):
        assert passage.chunk_id in owned
    return manifest.generation


def mutate(corpus: Path, added: list[Path], rng: random.Random) -> None:
    """Edit some articles and delete a few, so the re-index updates, adds and removes."""
    existing = sorted(p for p in corpus.glob("bbc-*.txt") if p not in added)
    for path in rng.sample(existing, min(8, len(existing))):
        path.write_text(path.read_text(encoding="utf-8") + "\nAn update added later.\n", encoding="utf-8")
    for path in rng.sample(existing, min(4, len(existing))):
        path.unlink(missing_ok=True)


def campaign(tmp: Path, articles: int, kills: int, seed: int, figures: dict[str, Any]) -> None:
    """Index half, change the corpus, then kill repeated re-index runs; finally compare with a clean build."""
    rng = random.Random(seed)
    corpus, data = tmp / "corpus", tmp / "data"
    shutil.copytree(CORPUS, corpus)
    first_half = write_bbc_corpus(corpus, articles // 2)
    index = make_index(corpus, data)
    index.reindex()
    index.close()
    all_paths = write_bbc_corpus(corpus, articles)
    mutate(corpus, [p for p in all_paths if p not in first_half], rng)
    env = dict(os.environ, NEWSDESK_CORPUS_DIR=str(corpus), NEWSDESK_DATA_DIR=str(data), NEWSDESK_INDEX_GROUP="16")
    figures["kill points tried"] += kills
    for _ in range(kills):
        proc = subprocess.Popen([str(EXE), "index", "--json"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 5.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        survivor = make_index(corpus, data)
        check_consistent(survivor)
        survivor.close()
        figures["kill points survived"] += 1
    final = make_index(corpus, data)
    final.reindex()
    clean = make_index(corpus, tmp / "clean")
    clean.reindex()
    assert final.store().ids() == final.manifests.load().chunk_ids() == clean.manifests.load().chunk_ids()
    final.close()
    clean.close()


@pytest.mark.slow
def test_kill_points_small(tmp_path: Path, figures: dict[str, Any]) -> None:
    campaign(tmp_path, articles=60, kills=4, seed=7, figures=figures)


@pytest.mark.soak
def test_kill_points_twenty(tmp_path: Path, figures: dict[str, Any]) -> None:
    campaign(tmp_path, articles=300, kills=20, seed=2026, figures=figures)
