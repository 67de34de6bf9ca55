"""Shared fixtures: a clean environment per test, a real index built once per session."""

from __future__ import annotations

import csv
import itertools
import os
import shutil
from pathlib import Path

import pytest

from index.handle import IndexConfig, NewsIndex
from index.model_files import default_cache_dir

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SHARED = Path(os.environ.get("NEWSDESK_SHARED_DIR") or REPO.parent / "shared")
MODEL_DIR = Path(os.environ.get("NEWSDESK_MODEL_DIR") or default_cache_dir())

SCRUBBED = (
    "DISCORD_TOKEN", "DISCORD_GUILD_ID", "NEWSDESK_ADMIN_ROLE", "NEWSDESK_CHROMA_HOST", "NEWSDESK_CHROMA_PORT",
    "NEWSDESK_CHROMA_TOKEN", "NEWSDESK_LLM", "NEWSDESK_LLM_MODEL", "NEWSDESK_LLM_BASE_URL", "OPENAI_API_KEY",
    "NEWSDESK_EMBED_PRECISION", "NEWSDESK_INDEX_GROUP", "NEWSDESK_LOG_LEVEL",
)


@pytest.fixture(autouse=True)
def newsdesk_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every test runs in its own folder with its own corpus/data settings and no stray .env."""
    monkeypatch.chdir(tmp_path)
    for key in SCRUBBED:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("NEWSDESK_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_MODEL_DIR", str(MODEL_DIR))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    return tmp_path


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private copy of the project corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def make_index(corpus: Path, data: Path, **overrides: object) -> NewsIndex:
    """A NewsIndex over the given folders with the real model."""
    config = IndexConfig(corpus_dir=corpus, data_dir=data, model_dir=MODEL_DIR, **overrides)  # type: ignore[arg-type]
    return NewsIndex(config)


@pytest.fixture
def news_index(corpus_dir: Path, tmp_path: Path) -> NewsIndex:
    """An index over the private corpus copy (not yet built)."""
    return make_index(corpus_dir, tmp_path / "data")


@pytest.fixture
def small_index(tmp_path: Path) -> NewsIndex:
    """A private, writable index of two seed articles (for the commands that change the index)."""
    corpus = tmp_path / "small-corpus"
    corpus.mkdir()
    for name in ("huawei-chipsets-powering-deepseek-r1.md", "tweaktown-r1-trained-h800-inference-910c.md"):
        shutil.copy(CORPUS / name, corpus / name)
    index = make_index(corpus, tmp_path / "small-data")
    index.reindex()
    return index


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> NewsIndex:
    """The five articles indexed once per session; tests must not modify it."""
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(CORPUS, root / "corpus")
    index = make_index(root / "corpus", root / "data")
    index.reindex()
    return index


@pytest.fixture
def indexed_env(built_index: NewsIndex, monkeypatch: pytest.MonkeyPatch) -> NewsIndex:
    """The session index, with NEWSDESK_CORPUS_DIR and NEWSDESK_DATA_DIR pointing at it (for the CLI)."""
    monkeypatch.setenv("NEWSDESK_CORPUS_DIR", str(built_index.config.corpus_dir))
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(built_index.config.data_dir))
    return built_index


def bbc_rows(limit: int) -> list[dict[str, str]]:
    """The first BBC News articles from ../shared/data (skips the test when the data is absent)."""
    path = SHARED / "data" / "bbc-news.csv"
    if not path.exists():
        pytest.skip(f"benchmark data not found at {path}")
    with path.open(encoding="utf-8") as handle:
        return list(itertools.islice(csv.DictReader(handle), limit))


def write_bbc_corpus(target: Path, limit: int) -> list[Path]:
    """Write BBC articles as .txt files (title on the first line)."""
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for row in bbc_rows(limit):
        path = target / f"bbc-{row['id']}.txt"
        path.write_text(f"{row['title']}\n\n{row['text']}\n", encoding="utf-8")
        paths.append(path)
    return paths


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the `newsdesk` entry point in-process; returns (exit code, stdout, stderr)."""
    from bot.cli import main

    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
