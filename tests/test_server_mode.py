"""Chroma server mode against a real `chroma run` on a free loopback port, stopped by its process id."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.answering.answer import answer
from bot.evaluate import load_items
from index.errors import NewsdeskError
from index.handle import NewsIndex
from index.manifest import ArticleEntry, Manifest
from index.shared import SharedManifestStore
from index.store import MetaStore, Record, StoreConfig
from tests.conftest import CORPUS, SHARED, make_index, run_cli

CHROMA = Path(sys.executable).with_name("chroma")
ARTICLE = "huawei-chips-power-deepseek-v4.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ChromaServer:
    """One `chroma run` subprocess over a folder; start() waits for its heartbeat."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert CHROMA.exists(), f"{CHROMA} is missing: run `make setup`"
        log = (self.path.parent / "chroma.log").open("ab")
        args = [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                assert self.proc.poll() is None, f"chroma exited with {self.proc.returncode}"
                time.sleep(0.1)
        pytest.fail("chroma run did not answer its heartbeat within 30 s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def index(self, corpus: Path, data: Path) -> NewsIndex:
        return make_index(corpus, data, chroma_host="127.0.0.1", chroma_port=self.port)


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma") / "db")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server_index(shared_server: ChromaServer, tmp_path_factory: pytest.TempPathFactory) -> NewsIndex:
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(CORPUS, root / "corpus")
    index = shared_server.index(root / "corpus", root / "data")
    index.reindex()
    return index


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "db")
    server.start()
    yield server
    server.stop()


def dev_questions() -> list[str]:
    dev = SHARED / "eval" / "dev.jsonl"
    if not dev.exists():
        pytest.skip("dev.jsonl not found")
    return [item.question for item in load_items(dev)]


def outcome(question: str, index: NewsIndex) -> tuple[bool, list[str]]:
    result = answer(question, index)
    return result.abstained, [c.quote for c in result.citations]


def test_dev_questions_answer_as_with_the_local_store(built_index: NewsIndex, server_index: NewsIndex,
                                                       shared_server: ChromaServer, tmp_path: Path) -> None:
    questions = dev_questions()
    assert len(questions) >= 10
    local = [outcome(q, built_index) for q in questions]
    assert [outcome(q, server_index) for q in questions] == local
    # another process with its own data dir: manifest from the server, keyword index rebuilt locally
    reader = shared_server.index(server_index.config.corpus_dir, tmp_path / "reader")
    assert [outcome(q, reader) for q in questions] == local
    assert not (tmp_path / "reader" / "CURRENT").exists()
    assert (tmp_path / "reader" / "bm25" / str(server_index.manifests.current_generation())).is_dir()
    reader.close()


def test_status_names_the_server(server_index: NewsIndex, shared_server: ChromaServer,
                                 monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEWSDESK_CORPUS_DIR", str(server_index.config.corpus_dir))
    monkeypatch.setenv("NEWSDESK_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("NEWSDESK_CHROMA_PORT", str(shared_server.port))
    code, out, _ = run_cli(["status", "--json"], capsys)
    status = json.loads(out)
    assert code == 0 and status["store"] == f"chroma server http://127.0.0.1:{shared_server.port} (collection newsdesk)"
    assert (status["articles"], status["generation"]) == (5, server_index.manifests.current_generation())


def test_one_indexer_at_a_time_per_server(server_index: NewsIndex, shared_server: ChromaServer,
                                          tmp_path: Path) -> None:
    other = shared_server.index(server_index.config.corpus_dir, tmp_path / "other")
    with server_index.manifests.lease(wait=False):
        with pytest.raises(NewsdeskError, match="another `newsdesk index` is writing"):
            other.reindex(wait=False)
    assert other.reindex(wait=False).embedded_chunks == 0
    other.close()


def test_readers_follow_commits_and_gc_keeps_the_previous_generation(own_server: ChromaServer, corpus_dir: Path,
                                                                     tmp_path: Path) -> None:
    corpus = corpus_dir
    writer = own_server.index(corpus, tmp_path / "writer")
    reader = own_server.index(corpus, tmp_path / "reader")
    first = writer.reindex()
    assert reader.retriever.view().manifest.generation == first.generation
    old_ids = reader.manifests.load().chunk_ids()

    edit(corpus, "SiliconFlow announced a zebra-striped Ascend cluster.")
    second = writer.reindex()
    assert reader.retriever.view().manifest.generation == second.generation == first.generation + 1
    assert reader.search("zebra-striped Ascend cluster", k=1)[0].article_id == "huawei-chips-power-deepseek-v4"
    assert writer.store().ids() >= old_ids | writer.manifests.load().chunk_ids()  # readers of gen 1 still work

    edit(corpus, "A second note about a giraffe-sized data centre.")
    third = writer.reindex()
    current, previous = writer.manifests.load(), writer.manifests.load(second.generation)
    assert writer.store().ids() == current.chunk_ids() | previous.chunk_ids()
    assert writer.manifests.read(first.generation) is None  # pruned from the server
    assert reader.retriever.view().manifest.generation == third.generation

    rebuilt = writer.reindex(rebuild=True)
    assert rebuilt.generation == third.generation + 1  # never reuses a number a reader may have cached
    assert reader.search("giraffe-sized data centre", k=1)[0].article_id == "huawei-chips-power-deepseek-v4"
    writer.close()
    reader.close()


def edit(corpus: Path, sentence: str) -> None:
    path = corpus / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def test_server_down_gives_a_clear_error_and_answers_resume(own_server: ChromaServer, corpus_dir: Path,
                                                            tmp_path: Path) -> None:
    corpus = corpus_dir
    index = own_server.index(corpus, tmp_path / "data")
    index.reindex()
    question = "Which Nvidia chips was DeepSeek R1 trained on?"
    assert not answer(question, index).abstained

    own_server.stop()
    started = time.monotonic()
    with pytest.raises(NewsdeskError, match=f"index unavailable: cannot reach the Chroma server at "
                                            f"127.0.0.1:{own_server.port}"):
        answer(question, index)
    assert time.monotonic() - started < 10

    own_server.start()
    result = answer(question, index)
    assert not result.abstained and any("H800" in c.quote for c in result.citations)
    index.close()


def test_a_server_replaced_by_an_empty_one_is_picked_up(own_server: ChromaServer, corpus_dir: Path,
                                                        tmp_path: Path) -> None:
    corpus = corpus_dir
    writer = own_server.index(corpus, tmp_path / "writer")
    reader = own_server.index(corpus, tmp_path / "reader")
    writer.reindex()
    question = "Which Nvidia chips was DeepSeek R1 trained on?"
    assert not answer(question, reader).abstained

    own_server.stop()
    own_server.path = tmp_path / "fresh-db"  # same address, no collections: cached collection ids are stale
    own_server.start()
    with pytest.raises(NewsdeskError, match="has not been built yet"):
        answer(question, reader)
    assert writer.reindex().embedded_chunks > 0
    assert not answer(question, reader).abstained
    writer.close()
    reader.close()


def test_large_manifests_are_stored_in_parts_and_leftovers_are_ignored(shared_server: ChromaServer,
                                                                       tmp_path: Path) -> None:
    meta = MetaStore(StoreConfig(tmp_path, "127.0.0.1", shared_server.port, collection="parts_test_meta"))
    manifests = SharedManifestStore(tmp_path, lambda: meta, "test server")
    articles = {f"a{i}": ArticleEntry(f"a{i}", f"a{i}.md", f"{i:064x}", "Tïtle “quoted”", "Outlet", "2025-01-28",
                                      None, None, [(0, 10), (10, 25)]) for i in range(400)}
    big = Manifest(1, "signature", "2026-01-01T00:00:00+00:00", articles)
    leftovers = [Record(f"manifest-1-{i}", "junk", {"kind": "manifest", "generation": 1, "part": i, "parts": 99,
                                                    "commit": "crashed-run"}) for i in range(80)]
    meta.put(leftovers)  # a killed run wrote more parts of generation 1 than the commit below will
    manifests.commit(big)
    parts = meta.find({"$and": [{"kind": "manifest"}, {"commit": {"$ne": "crashed-run"}}]})
    assert 1 < len(parts) < 80 and all(len(r.document.encode()) <= 16_384 for r in parts)
    assert manifests.load() == big and manifests.current_generation() == 1

    manifests.reset()
    assert manifests.current_generation() is None and manifests.load() is None
    assert manifests.next_generation(Manifest()) == 2 and not meta.find({"kind": "manifest"})
    meta.destroy()
