"""The answerability reader: the shipped graph computes what was trained, and its veto reaches answer()."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.answering.answer import answer, deliberate
from bot.answering.reader import MAX_TOKENS, READER_WEIGHTS, THRESHOLD, Reader, get_reader, in_scope, reader_files
from index.handle import NewsIndex
from index.model_files import is_ready, read_record
from tests.conftest import MODEL_DIR

PAIRS = [
    ("Which Nvidia chips was DeepSeek R1 trained on?",
     ["DeepSeek R1 was trained on NVIDIA H800 AI GPUs, inferencing is done on Huawei 910C AI chips."]),
    ("What chips does DeepSeek not use for inference?",
     ["DeepSeek’s AI model is making waves as it uses Huawei’s cutting-edge Ascend 910C chips."]),
    ("In what country is Normandy located?",
     ["The Normans were the people who in the 10th and 11th centuries gave their name to Normandy, a region in "
      "France.", "They were descended from Norse raiders and pirates from Denmark, Iceland and Norway."]),
]


def test_the_onnx_graph_computes_what_the_trained_lora_model_computes() -> None:
    """The export folds LoRA into the weights; the unmerged torch model must give the same probabilities."""
    from bench.reader_experiment import Reader as Trained
    from bench.reader_experiment import load

    trained = load(Trained(rank=16, max_tokens=MAX_TOKENS), READER_WEIGHTS)
    rows = [{"question": q, "quotes": " ".join(quotes)} for q, quotes in PAIRS]
    expected = trained.scores(rows)["head"]
    shipped = get_reader(MODEL_DIR, "fp32")
    got = np.array([shipped.probability(q, quotes) for q, quotes in PAIRS])
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_int8_reader_stays_near_fp32_and_keeps_the_order() -> None:
    fp32 = [get_reader(MODEL_DIR, "fp32").probability(q, quotes) for q, quotes in PAIRS]
    int8 = [get_reader(MODEL_DIR, "int8").probability(q, quotes) for q, quotes in PAIRS]
    assert np.max(np.abs(np.array(fp32) - np.array(int8))) < 0.15
    assert np.argsort(fp32).tolist() == np.argsort(int8).tolist()


def test_reader_tells_an_answering_quote_from_a_negated_question() -> None:
    reader = get_reader(MODEL_DIR)
    answered, negated, _ = (reader.probability(q, quotes) for q, quotes in PAIRS)
    assert answered > 0.5 > THRESHOLD > negated


def test_a_very_long_question_is_cut_so_the_quotes_keep_room() -> None:
    reader = get_reader(MODEL_DIR)
    question = "Which Nvidia chips was DeepSeek R1 trained on? " * 40  # ~400 word pieces, answer() allows 2,000 chars
    assert 0.0 <= reader.probability(question, PAIRS[0][1]) <= 1.0
    assert len(reader.counter.encode(reader._short(question), add_special_tokens=False).ids) <= 48


@pytest.mark.parametrize(("question", "scoped"), [
    ("Which Nvidia chips was DeepSeek R1 trained on?", True),
    ("Did Huawei say which Ascend chips run DeepSeek-R1?", False),
    ("is the chip made by TSMC?", False),
    ("Is a problem instance abstract or concrete?", True),
    ("Island nations: which ones buy Ascend chips?", True),
])
def test_yes_no_questions_are_outside_the_readers_scope(question: str, scoped: bool) -> None:
    assert in_scope(question) is scoped


def test_answer_abstains_when_the_reader_vetoes_a_lexically_strong_question(built_index: NewsIndex) -> None:
    """The negated question shares every word with the evidence: only the reader can tell it is not answered."""
    negated = "What chips does DeepSeek not use for inference?"
    assert deliberate(negated, built_index.snapshot()).verdict.answerable  # the lexical model alone would answer
    assert answer(negated, built_index).abstained
    assert not answer("What chips does DeepSeek use for inference?", built_index).abstained


def test_a_missing_reader_is_exported_on_first_use(tmp_path: Path) -> None:
    files = reader_files(tmp_path, "fp32")
    assert not is_ready(files)
    reader = get_reader(tmp_path, "fp32")
    assert isinstance(reader, Reader) and is_ready(files, full_check=True)
    record = read_record(files)
    assert record is not None and record["model"] == "newsdesk-reader"
    assert reader.probability(*PAIRS[0]) == pytest.approx(get_reader(MODEL_DIR, "fp32").probability(*PAIRS[0]))


def test_the_veto_reads_the_headline_before_the_quotes() -> None:
    """A question's details often come from the headline; the quotes themselves are passed on unchanged."""
    from bot.answering.reader import headed

    assert headed("Slovakia seal Hopman Cup success", ["Slovakia clinched it."]) == [
        "Slovakia seal Hopman Cup success.", "Slovakia clinched it."]
    assert headed("Is it over?", ["q"]) == ["Is it over?", "q"]
    assert headed(None, ["q"]) == headed("  ", ["q"]) == ["q"]
