"""What keeps a fresh `newsdesk ask` quick, checked for its results, not timed (bench/cold_start.py times it).

The keyword scores are read without bm25s, word frequencies without wordfreq, and the models load in a thread.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.answering.span_reader import get_span_reader
from bot.answering.warm import ModelLoading
from bot.answering.zipf import zipf
from index.bm25 import Bm25Index, TermScores, terms
from index.errors import NewsdeskError
from index.handle import NewsIndex
from tests.conftest import MODEL_DIR, run_cli

REPO = Path(__file__).resolve().parents[1]
TEXTS = [
    "Huawei's Ascend 910C chips run DeepSeek's inference, a tweet claimed.",
    "DeepSeek trained its model on Nvidia H800 GPUs for about $6 million.",
    "The training run cost $5 million, the company said; the chips were Nvidia's.",
    "Chelsea beat Liverpool 3-2 in the Carling Cup final after extra time.",
]
QUERIES = ["Which chips run DeepSeek inference?", "How much did training cost?", "Chelsea Liverpool final score",
           "Nvidia Nvidia chips chips", "a word nobody wrote"]


def test_saved_keyword_scores_equal_bm25s_own(tmp_path: Path) -> None:
    """Scores read from the saved arrays match bm25s's get_scores on the same saved index, term by term."""
    import bm25s

    Bm25Index.build([f"c{i}" for i in range(len(TEXTS))], TEXTS).save(tmp_path / "bm25")
    ours = Bm25Index.load(tmp_path / "bm25")
    theirs = bm25s.BM25.load(str(tmp_path / "bm25"), mmap=True, show_progress=False)
    for query in QUERIES:
        tokens = Bm25Index.telling(terms(query))
        known = [t for t in tokens if t in theirs.vocab_dict]
        expected = theirs.get_scores(known) if known else np.zeros(len(TEXTS), dtype=np.float32)
        assert ours.term_scores is not None
        np.testing.assert_array_equal(ours.term_scores.scores(tokens), expected)
    assert ours.search("Which chips run DeepSeek inference?", 2)[0][0] == "c0"
    assert ours.document_frequencies({"nvidia", "unseen"}) == {"nvidia": 2, "unseen": 0}


def test_a_method_with_a_nonoccurrence_array_is_refused(tmp_path: Path) -> None:
    """BM25L/BM25+ add a per-term constant these arrays do not hold; reading them would score wrongly."""
    Bm25Index.build(["a"], ["one text about chips"]).save(tmp_path)
    params = json.loads((tmp_path / "params.index.json").read_text())
    (tmp_path / "params.index.json").write_text(json.dumps({**params, "method": "bm25+"}))
    with pytest.raises(ValueError, match="bm25\\+"):
        TermScores.read(tmp_path)


def test_an_empty_index_searches_to_nothing(tmp_path: Path) -> None:
    """No chunks: no arrays are written, and a search finds nothing instead of failing."""
    Bm25Index.build([], []).save(tmp_path / "empty")
    empty = Bm25Index.load(tmp_path / "empty")
    assert empty.search("anything at all", 5) == []
    assert empty.document_frequencies({"anyth"}) == {"anyth": 0}


@pytest.mark.parametrize("word", ["the", "The", "work", "TSMC", "inference", "qwertyuiopzx", "910C", "café",
                                  "don't", "Huawei's", "well-known", "2004"])
def test_zipf_is_wordfreqs_own(word: str) -> None:
    """Plain words come from wordfreq's data file, the rest from wordfreq itself: the same value either way."""
    from wordfreq import zipf_frequency

    assert zipf(word) == zipf_frequency(word, "en")


def test_models_load_in_the_background(built_index: NewsIndex) -> None:
    """After wait(), the embedder and the span reader are in their process-wide caches, so no answer loads them."""
    ModelLoading(built_index, MODEL_DIR).wait()
    assert get_span_reader.cache_info().currsize >= 1
    assert built_index.embedder() is built_index.embedder()


def test_a_failed_background_load_is_left_to_the_answer(tmp_path: Path) -> None:
    """A model that cannot load does not kill the thread's caller; the answer path reports it."""
    from index.handle import IndexConfig

    missing = tmp_path / "no-models"
    missing.write_text("a file where the model folder should be")
    index = NewsIndex(IndexConfig(corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "data", model_dir=missing))
    ModelLoading(index, missing).wait()
    with pytest.raises(NewsdeskError, match="is a file"):
        index.embedder()


def test_ask_with_a_file_for_a_model_folder_says_so(indexed_env: NewsIndex, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The background load's failure reaches the user as one clear line, not an apology and a log file."""
    missing = tmp_path / "models.txt"
    missing.write_text("not a folder")
    monkeypatch.setenv("NEWSDESK_MODEL_DIR", str(missing))
    code, _, err = run_cli(["ask", "Which chip does DeepSeek use for inference?"], capsys)
    assert code == 1
    assert f"the model folder {missing} is a file" in err
    assert "unexpected" not in err


def test_ask_imports_neither_bm25s_nor_scipy_nor_wordfreq(indexed_env: NewsIndex) -> None:
    """The answer path runs on numpy and the saved arrays; bm25s (with scipy) is for building an index only."""
    script = ("import sys\nfrom bot.cli import main\ntry:\n    main(['ask', 'Which chip does DeepSeek use for "
              "inference?'])\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
              "print('LOADED', sorted(m for m in ('bm25s', 'scipy', 'wordfreq') if m in sys.modules))\n")
    run = subprocess.run([sys.executable, "-c", script], env=dict(os.environ), cwd=REPO, capture_output=True,
                         text=True, timeout=300, check=True)
    assert "910C" in run.stdout
    assert run.stdout.strip().splitlines()[-1] == "LOADED []"


def program(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run main() as the `newsdesk` program does (argv from sys.argv), with an exit handler that reports teardown."""
    script = ("import atexit, sys\natexit.register(lambda: print('TEARDOWN', file=sys.stderr))\n"
              f"sys.argv = ['newsdesk', *{args!r}]\nfrom bot.cli import main\nmain()\n")
    return subprocess.run([sys.executable, "-c", script], input=stdin, env=dict(os.environ), cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_the_program_leaves_at_once_after_ask_with_all_its_output(indexed_env: NewsIndex) -> None:
    """`newsdesk ask` skips the interpreter's teardown, and its piped (block-buffered) output is all there."""
    questions = "Which chip does DeepSeek use for inference?\nHow much did DeepSeek spend to train its model?\n"
    run = program(["ask", "--json"], questions)
    assert run.returncode == 0 and "TEARDOWN" not in run.stderr, run.stderr
    answers = [json.loads(line) for line in run.stdout.splitlines()]
    assert [a["question"] for a in answers] == questions.splitlines()
    single = program(["ask", "Which chip does DeepSeek use for inference?"])
    assert single.returncode == 0 and "910C" in single.stdout and "TEARDOWN" not in single.stderr


def test_commands_that_write_the_index_exit_normally(indexed_env: NewsIndex) -> None:
    """Only a command that saved nothing leaves early; `index` and a failing ask tear down as usual."""
    assert "TEARDOWN" in program(["index"]).stderr
    failing = program(["ask", "--json"], "\n" * 2 + "x" * 5000 + "\n")
    assert failing.returncode == 1 and "TEARDOWN" in failing.stderr
