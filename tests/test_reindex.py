"""Incremental re-indexing with the real model and a real Chroma store in a temp dir."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from index.errors import NewsdeskError
from index.handle import NewsIndex
from index.manifest import Manifest
from index.reindex import index_lock
from tests.conftest import make_index

ARTICLE = "huawei-chips-power-deepseek-v4.md"


def stored_ids(index: NewsIndex) -> set[str]:
    return index.store().ids()


def test_incremental_reindex_embeds_only_what_changed(news_index: NewsIndex, corpus_dir: Path) -> None:
    first = news_index.reindex()
    assert (first.added, first.unchanged, first.articles) == (5, 0, 5)
    assert first.embedded_chunks == first.chunks > 0
    assert stored_ids(news_index) == news_index.manifests.load().chunk_ids()

    again = news_index.reindex()
    assert (again.unchanged, again.added, again.updated, again.removed, again.embedded_chunks) == (5, 0, 0, 0, 0)
    assert again.generation == first.generation

    path = corpus_dir / ARTICLE
    extra = "\nA new closing paragraph about Ascend chips.\n"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    edited = news_index.reindex()
    entry = news_index.manifests.load().articles["huawei-chips-power-deepseek-v4"]
    assert (edited.updated, edited.unchanged) == (1, 4)
    assert edited.embedded_chunks == len(entry.spans)
    assert stored_ids(news_index) == news_index.manifests.load().chunk_ids()

    (corpus_dir / ARTICLE).unlink()
    removed = news_index.reindex()
    assert (removed.removed, removed.articles) == (1, 4)
    assert not any(cid.startswith("huawei-chips-power-deepseek-v4::") for cid in stored_ids(news_index))
    hits = news_index.search("post-training on a cluster of 1,000 Ascend chips", k=10)
    assert all(p.article_id != "huawei-chips-power-deepseek-v4" for p in hits)

    (corpus_dir / "extra.txt").write_text("Extra story\n\nSiliconFlow lowers prices again.\n", encoding="utf-8")
    added = news_index.reindex()
    assert (added.added, added.articles, added.embedded_chunks) == (1, 5, 1)
    assert news_index.search("SiliconFlow lowers prices", k=1)[0].article_id == "extra"


def test_json_report_has_the_contract_keys(news_index: NewsIndex, corpus_dir: Path) -> None:
    (corpus_dir / "empty.txt").write_bytes(b"")
    data = news_index.reindex().to_json()
    assert list(data) == ["added", "updated", "removed", "unchanged", "skipped", "articles", "chunks",
                          "embedded_chunks", "seconds"]
    assert data["skipped"] == [{"path": "empty.txt", "reason": "empty file"}]


def test_missing_chunks_in_the_store_are_repaired(news_index: NewsIndex) -> None:
    news_index.reindex()
    victims = sorted(stored_ids(news_index))[:3]
    news_index.store().delete(victims)
    repaired = news_index.reindex()
    assert repaired.updated >= 1 and repaired.embedded_chunks >= 3
    assert stored_ids(news_index) == news_index.manifests.load().chunk_ids()


def test_orphan_chunks_from_an_interrupted_run_are_collected(news_index: NewsIndex) -> None:
    news_index.reindex()
    store = news_index.store()
    vector = news_index.embedder().embed(["orphan text"])
    store.add(["ghost::0000000000000000::0000"], ["orphan text"], vector, [{"article_id": "ghost"}])
    assert news_index.reindex().embedded_chunks == 0
    assert "ghost::0000000000000000::0000" not in stored_ids(news_index)


def test_a_second_indexer_fails_clearly_or_waits(news_index: NewsIndex, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with index_lock(data, wait=True), pytest.raises(NewsdeskError, match="another `newsdesk index` is running"):
        news_index.reindex(wait=False)

    waited = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with index_lock(data, wait=True):
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.2)
    threading.Timer(0.5, release.set).start()
    report = news_index.reindex(wait=True, on_wait=waited.set)
    holder.join()
    assert waited.is_set() and report.articles == 5


def test_rebuild_starts_from_scratch(news_index: NewsIndex) -> None:
    first = news_index.reindex()
    rebuilt = news_index.reindex(rebuild=True)
    assert rebuilt.added == 5 and rebuilt.embedded_chunks == first.chunks
    assert stored_ids(news_index) == news_index.manifests.load().chunk_ids()


def test_rebuild_recovers_a_corrupted_store(news_index: NewsIndex, corpus_dir: Path, tmp_path: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    first = news_index
    first.reindex()
    first.close()
    sqlite = data / "chroma" / "chroma.sqlite3"
    sqlite.write_bytes(b"this is not a database" * 100)
    damaged = make_index(corpus_dir, data)
    with pytest.raises(NewsdeskError, match="index --rebuild"):
        damaged.store()
    with caplog.at_level("WARNING"):
        hits = damaged.search("Ascend 910C")  # still answers, from the keyword index and the files
    assert hits and all(h.dense_rank is None for h in hits)
    assert "index --rebuild" in caplog.text
    fresh = make_index(corpus_dir, data)
    assert fresh.reindex(rebuild=True).articles == 5
    assert fresh.search("Ascend 910C", k=1)


def test_manifest_json_is_what_asdict_gives_and_reads_back(built_index: NewsIndex) -> None:
    """to_json skips asdict's deep copy but writes the same bytes, and from_json restores every entry."""
    manifest = built_index.manifests.load()
    assert manifest is not None and manifest.articles
    entry = next(iter(manifest.articles.values()))
    manifest.articles["é-extra"] = replace(entry, article_id="é-extra", title="Überblick — “quotes”", origin="x")
    expected = json.dumps(asdict(manifest), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert manifest.to_json() == expected
    assert Manifest.from_json(manifest.to_json()) == manifest
