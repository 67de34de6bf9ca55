"""Faults under a running process: store files deleted or truncated, damaged manifests, a full or read-only disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answering.answer import answer
from bot.evaluate import quotes_valid
from index.errors import NewsdeskError
from index.handle import NewsIndex
from tests.conftest import make_index

EXE = Path(sys.executable).with_name("newsdesk")
QUESTION = "What was the reported cost of DeepSeek's model?"


@pytest.fixture
def live(news_index: NewsIndex) -> NewsIndex:
    news_index.reindex()
    assert not answer(QUESTION, news_index).abstained
    return news_index


def quotes_verify(index: NewsIndex, question: str = QUESTION) -> bool:
    result = answer(question, index)
    return not result.abstained and quotes_valid(result, index.config.corpus_dir)


def test_store_deleted_under_a_running_process_keeps_answering_then_rebuild_recovers(live: NewsIndex) -> None:
    shutil.rmtree(live.config.data_dir / "chroma")
    assert quotes_verify(live)
    live.close()
    reopened = make_index(live.config.corpus_dir, live.config.data_dir)
    assert quotes_verify(reopened)  # from the keyword index and the article files
    assert reopened.reindex(rebuild=True).embedded_chunks > 0
    assert quotes_verify(reopened) and reopened.search(QUESTION, 3)[0].dense_rank is not None


def test_truncated_store_files_answer_from_keywords_and_rebuild_recovers(live: NewsIndex) -> None:
    live.close()
    for path in (live.config.data_dir / "chroma").rglob("*"):
        if path.is_file():
            path.write_bytes(b"")
    survivor = make_index(live.config.corpus_dir, live.config.data_dir)
    assert quotes_verify(survivor)
    env = dict(os.environ, NEWSDESK_CORPUS_DIR=str(live.config.corpus_dir), NEWSDESK_DATA_DIR=str(live.config.data_dir))
    result = subprocess.run([str(EXE), "index", "--rebuild", "--json"], env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["articles"] == 5
    survivor.close()
    assert quotes_verify(make_index(live.config.corpus_dir, live.config.data_dir))


def test_damaged_manifest_is_a_clear_message_and_rebuild_recovers(live: NewsIndex) -> None:
    (live.config.data_dir / "CURRENT").write_text("garbage", encoding="ascii")
    with pytest.raises(NewsdeskError, match=r"damaged.*--rebuild"):
        answer(QUESTION, live)
    live.reindex(rebuild=True)
    assert quotes_verify(live)


def test_missing_keyword_index_is_a_clear_message_and_index_recovers(live: NewsIndex) -> None:
    live.close()
    shutil.rmtree(live.config.data_dir / "bm25")
    fresh = make_index(live.config.corpus_dir, live.config.data_dir)
    with pytest.raises(NewsdeskError, match=r"keyword index.*newsdesk index"):
        answer(QUESTION, fresh)
    assert fresh.reindex().embedded_chunks == 0
    assert quotes_verify(fresh)


SCENARIO = r"""
set -u
export NEWSDESK_CORPUS_DIR="$1/corpus" NEWSDESK_DATA_DIR="$1/data"
mount -t tmpfs -o size=8m tmpfs "$1/data" || exit 77
"$2" index --json > "$1/first.json" 2> "$1/first.err"; echo "first=$?"
dd if=/dev/zero of="$1/data/filler" bs=64k 2>/dev/null
printf 'New story\n\nA brand new article about Ascend chips and SiliconFlow prices.\n' > "$1/corpus/new.txt"
"$2" index > "$1/full-index.out" 2>&1; echo "full_index=$?"
"$2" ask --json "$3" > "$1/full-ask.json" 2> "$1/full-ask.err"; echo "full_ask=$?"
rm "$1/data/filler"; mount -o remount,ro "$1/data"
"$2" ask --json "$3" > "$1/ro-ask.json" 2> "$1/ro-ask.err"; echo "ro_ask=$?"
"$2" index > "$1/ro-index.out" 2>&1; echo "ro_index=$?"
"""


@pytest.mark.usefixtures("corpus_dir")
def test_full_and_read_only_disk(tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    (tmp_path / "data").mkdir()
    script = tmp_path / "scenario.sh"
    script.write_text(SCENARIO, encoding="utf-8")
    result = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "bash", str(script), str(tmp_path),
                             str(EXE), QUESTION], capture_output=True, text=True, timeout=600)
    if result.returncode == 77 or "Operation not permitted" in result.stderr:
        pytest.skip("this machine does not allow private mounts")
    codes = dict(line.split("=") for line in result.stdout.split())
    assert codes["first"] == "0"
    full_index = (tmp_path / "full-index.out").read_text()
    assert codes["full_index"] == "1" and "disk full" in full_index and "Traceback" not in full_index
    assert len(full_index.strip().splitlines()) == 1
    for name in ("full-ask", "ro-ask"):
        assert codes[name.replace("-", "_")] == "0", (tmp_path / f"{name}.err").read_text()
        data = json.loads((tmp_path / f"{name}.json").read_text())
        assert not data["abstained"] and "$5 million" in json.dumps(data)
        assert "Traceback" not in (tmp_path / f"{name}.err").read_text()
    ro_index = (tmp_path / "ro-index.out").read_text()
    assert codes["ro_index"] == "1" and "Traceback" not in ro_index and "error:" in ro_index
