"""Model-number disagreements: another article's sibling model counts only when the reader reads it as the answer."""

from __future__ import annotations

import re

import pytest

from bot.answering.answer import answer
from bot.answering.rival import MODEL_CODE, siblings
from tests.fake_snapshot import FakeSnapshot

ARTICLES = {
    "orca-launch.md": (
        "Orca Labs has shown its new Orca 5 chip to investors in Shenzhen.\n\n"
        "The Orca 5 is poised as a competitor to Zen's H100 accelerators, the firm said.\n\n"
        "It will ship to customers next year."
    ),
    "orca-analysis.md": (
        "Analysts have looked closely at the Orca 5 chip from Orca Labs.\n\n"
        "Analysts said the Orca 5 is built to compete with the Zen H800 instead.\n\n"
        "The chip is expected to cost less than its rivals."
    ),
    "kite.md": (
        "The Kite language model was trained on Zen H800 accelerators, its makers said.\n\n"
        "Kite now runs on Orca 5 chips when it answers questions."
    ),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> FakeSnapshot:
    """The fake index over the three test articles."""
    return FakeSnapshot(tmp_path_factory.mktemp("rival") / "corpus", ARTICLES)


def test_siblings_share_letters_and_digit_count_but_not_the_code() -> None:
    codes = list(MODEL_CODE.finditer("the Zen H100"))
    text = "an H800, an H100, an H20, an A800 and a G7 summit"
    assert [text[a:b] for a, b in siblings(text, codes)] == ["H800"]


def test_two_articles_naming_sibling_rivals_are_both_quoted_and_noted(index: FakeSnapshot) -> None:
    result = answer("Which Zen accelerator is the Orca 5 chip meant to compete with?", index)
    assert not result.abstained
    said = " ".join(s.text for s in result.short_answers)
    assert re.search(r"H100", said) and re.search(r"H800", said)
    assert any(n.kind == "conflict" for n in result.notes)
    assert "(the articles disagree)" in (result.lead or "")


def test_a_sibling_mentioned_in_another_relation_is_no_conflict(index: FakeSnapshot) -> None:
    """"Poised as a competitor to Zen's H100" does not answer what Kite was trained on: no disagreement."""
    result = answer("Which Zen accelerators was the Kite language model trained on?", index)
    assert not any(n.kind == "conflict" for n in result.notes)
    assert all("H100" not in s.text for s in result.short_answers)

