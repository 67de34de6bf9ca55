"""The `newsdesk` command: JSON contracts, clear one-line errors, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli as run


def test_index_search_status_json(corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["index", "--json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["articles"] == 5 and report["embedded_chunks"] == report["chunks"]

    code, out, _ = run(["search", "Which chip runs DeepSeek R1 inference?", "--k", "3", "--json"], capsys)
    results = json.loads(out)
    assert code == 0 and len(results) == 3
    for item in results:
        assert set(item) == {"article_id", "title", "path", "start", "end", "text", "score"}
        assert Path(corpus_dir, item["path"]).read_text(encoding="utf-8")[item["start"] : item["end"]] == item["text"]

    code, out, _ = run(["status", "--json"], capsys)
    status = json.loads(out)
    assert status["articles"] == 5 and status["chunks"] == report["chunks"] and status["indexed_at"]
    assert "local chroma" in status["store"]
    assert (status["dated"], status["newest"]) == (2, "2025-01-30")  # the seeds that give a date
    code, out, _ = run(["status"], capsys)
    assert "2 of 5 articles carry a date, the newest 2025-01-30" in " ".join(out.split())


def test_index_prints_summary_and_skip_lines(corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (corpus_dir / "blob.txt").write_bytes(b"\x00" * 64)
    code, out, err = run(["index"], capsys)
    assert code == 0
    assert "skipped blob.txt: binary file, not text" in err
    assert out.startswith("indexed 5 articles")


def test_add_then_search(corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "Moon Base.txt"
    story.write_text("Moon base opens\n\nThe first lunar data centre opened on Tuesday.\n", encoding="utf-8")
    code, out, _ = run(["add", str(story), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["files"] == [{"source": "Moon Base.txt", "path": "moon-base.md", "status": "new"}]
    assert data["articles"] == 6
    code, out, _ = run(["search", "lunar data centre", "--json", "--k", "1"], capsys)
    assert json.loads(out)[0]["article_id"] == "moon-base"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "anything"], "the index has not been built yet"),
        (["search", "   "], "the query is empty"),
    ],
)
def test_user_errors_are_one_line(
    corpus_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(args, capsys)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_corpus_dir_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["index"], capsys)
    assert code == 1 and "corpus directory" in err and "does not exist" in err


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("newsdesk")
    env = dict(os.environ, NEWSDESK_CORPUS_DIR=str(tmp_path / "nope"))
    result = subprocess.run([str(exe), "index"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    help_text = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60).stdout
    for command in ("index", "add", "search", "status"):
        assert command in help_text


@pytest.mark.parametrize("command", [["add"], ["feeds"], ["search"], ["ask"], ["repl"], ["eval"]])
def test_help_examples_keep_one_command_per_line(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*command, "--help"], capsys)
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("Examples:"))
    examples = [line.strip().removeprefix("Examples:").strip() for line in lines[start:] if line.strip()]
    examples = examples[: next((i for i, e in enumerate(examples) if e == "Options:"), len(examples))]
    assert code == 0 and "\\b" not in out and "\b" not in out
    assert len(examples) >= 2 and all(e.startswith("newsdesk ") for e in examples if e), examples
