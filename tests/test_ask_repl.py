"""`newsdesk ask` (one question and a stdin batch), the REPL transcript, and `newsdesk eval`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import repl
from bot.answering.answer import answer
from bot.evaluate import evaluate_squad, write_squad_corpus
from index.handle import NewsIndex
from tests.conftest import SHARED, make_index, run_cli

EXE = Path(sys.executable).with_name("newsdesk")


def test_ask_json(indexed_env: NewsIndex, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["ask", "Which Nvidia chips was DeepSeek R1 trained on?", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and not data["abstained"] and "H800" in " ".join(c["quote"] for c in data["citations"])


def test_ask_renders_quotes_sources_and_notes(indexed_env: NewsIndex, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["ask", "What was the reported cost of DeepSeek's model?"], capsys)
    assert code == 0
    assert "$5 million" in out and "Sources" in out and "conflict" in out and "[1]" in out


def test_ask_reads_several_questions_from_stdin(indexed_env: NewsIndex) -> None:
    questions = "What chips does DeepSeek use for inference?\n\nWhat is the capital of Australia?\n" + "y" * 10_000
    result = subprocess.run([str(EXE), "ask", "--json"], input=questions, capture_output=True, text=True,
                            timeout=120, env=dict(os.environ))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("abstained") for line in lines] == [False, True, None]
    assert "characters long" in lines[2]["error"]
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_repl_transcript(indexed_env: NewsIndex, capsys: pytest.CaptureFixture[str]) -> None:
    transcript = io.StringIO("/help\nWhat chips does DeepSeek use for inference?\n/sources 1\n/sources 99\n"
                             "/bogus\n\n/quit\nWhat is never asked?\n")
    repl.run(lambda q: answer(q, indexed_env), history=None, stream=transcript)
    out = capsys.readouterr().out
    assert "/sources N" in out  # help
    assert "910C" in out and "Sources" in out
    assert "«" in out and "»" in out  # the quote is marked inside its passage
    assert "usage: /sources N with N from 1 to" in out
    assert "unknown command /bogus" in out
    assert "never asked" not in out


def test_repl_command_piped(indexed_env: NewsIndex) -> None:
    result = subprocess.run([str(EXE), "repl"], input="What was the reported cost of DeepSeek's model?\n/sources 1\n",
                            capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert "$5 million" in result.stdout and "«" in result.stdout


def test_eval_on_dev_file(indexed_env: NewsIndex, capsys: pytest.CaptureFixture[str]) -> None:
    dev = SHARED / "eval" / "dev.jsonl"
    if not dev.exists():
        pytest.skip("dev.jsonl not found")
    code, out, _ = run_cli(["eval", str(dev), "--json"], capsys)
    report = json.loads(out)
    overall = report["overall"]
    assert code == 0 and overall["quote_validity"] == 1.0
    # floors at issue 12's measured figures (README): recall 60 %, every unanswerable abstained or "not disclosed"
    assert overall["evidence_recall"] >= 0.6 and overall["unanswerable_handled"] == 1.0
    assert overall["short_answer_valid"] == 1.0 and overall["max_quotes"] <= 4
    assert set(report["by_kind"]) >= {"factual", "unanswerable", "conflict"}


def test_squad_eval_on_a_small_file(tmp_path: Path) -> None:
    squad = {"version": "v2.0", "data": [{"title": "Chips", "paragraphs": [
        {"context": "The Ascend 910C is made by Huawei. It competes with the Nvidia H100.",
         "qas": [{"question": "Who makes the Ascend 910C?", "id": "1", "is_impossible": False,
                  "answers": [{"text": "Huawei", "answer_start": 28}]},
                 {"question": "Who designed the H100's cooling?", "id": "2", "is_impossible": True, "answers": []}]},
        {"context": "Normandy is a region in France. The Normans settled there in the 10th century.",
         "qas": [{"question": "In what country is Normandy?", "id": "3", "is_impossible": False,
                  "answers": [{"text": "France", "answer_start": 25}]}]},
    ]}]}
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(squad), encoding="utf-8")
    data = write_squad_corpus(path, tmp_path / "sq", None)
    index = make_index(tmp_path / "sq", tmp_path / "sqdata")
    index.reindex()
    report = evaluate_squad(data, index, 6)
    assert report["paragraphs"] == 2 and report["questions"] == 3 and report["answerable"] == 2
    assert report["hit_at_1"] == 1.0 and report["hit_at_5"] == 1.0
    assert -1.0 <= report["crag_score"] <= 1.0
