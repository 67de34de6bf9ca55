"""A question no quotes could make answerable, with no "not known" sentence, is settled unread (deliberate's
settle_early): answer() abstains exactly as when the readers read, without paying for them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest

from bot.answering import abstain
from bot.answering import answer as engine
from bot.answering.abstain import THRESHOLD, assess, best_possible
from bot.answering.answer import abstention, answer, deliberate, may_say_unknown
from bot.answering.choose import ReadItem, span_reader_for
from tests.fake_snapshot import FakeSnapshot

ARTICLES = {
    "steel.md": (
        "Northgate Steel has agreed to buy the Karvel works, its largest deal so far.\n\n"
        "Northgate Steel employs 42,000 people at its plants in Poland.\n\n"
        "How much Northgate paid for the Karvel works was not revealed."
    ),
    "league.md": (
        "Harbour Town beat Mill Lane 3-1 on Saturday to go top of the league.\n\n"
        "The winning goal came from the captain, Sam Idowu, in the second half."
    ),
}
OFF_TOPIC = "What is the boiling point of liquid nitrogen in a vacuum chamber?"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> FakeSnapshot:
    """The fake index over two short articles."""
    return FakeSnapshot(tmp_path_factory.mktemp("settle") / "corpus", ARTICLES)


def refusing(question: str, items: Sequence[ReadItem]) -> list[tuple[float, int, int]]:
    """A reader that must not be asked."""
    raise AssertionError(f"read {len(items)} sentences for {question!r}")


def test_the_bound_is_never_below_the_verdict_of_any_choice_of_quotes(index: FakeSnapshot) -> None:
    asked = (OFF_TOPIC, "Who scored the winning goal for Harbour Town?", "How many people does Northgate employ?")
    for question in asked:
        thought = deliberate(question, index, reader=span_reader_for(index.model_dir))
        dense_top = max((p.dense_score for p in thought.passages), default=0.0)
        bound = best_possible(thought.question, thought.candidates, dense_top)
        pool = thought.candidates[:6]
        for size in range(len(pool) + 1):
            for chosen in itertools.combinations(pool, size):
                verdict = assess(thought.question, thought.candidates, list(chosen), dense_top)
                assert verdict.probability <= bound + 1e-12


def test_the_bound_holds_whichever_way_the_quote_features_are_weighted(index: FakeSnapshot,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A refit may give the quote features either sign; the bound must not assume today's."""
    flipped = dict(abstain.WEIGHTS, coverage_chosen=2.0, entity_coverage=1.5)
    monkeypatch.setattr(abstain, "WEIGHTS", flipped)
    test_the_bound_is_never_below_the_verdict_of_any_choice_of_quotes(index)


def test_an_off_topic_question_is_settled_unread_with_the_same_abstention(index: FakeSnapshot) -> None:
    read = deliberate(OFF_TOPIC, index, reader=span_reader_for(index.model_dir))
    dense_top = max((p.dense_score for p in read.passages), default=0.0)
    assert best_possible(read.question, read.candidates, dense_top) < THRESHOLD
    assert not read.verdict.answerable  # reading it changed nothing: it was never answerable
    settled = deliberate(OFF_TOPIC, index, reader=refusing, settle_early=True)
    assert settled.readings == [] and settled.choice is None and not settled.verdict.answerable
    assert settled.passages == read.passages
    assert answer(OFF_TOPIC, index) == abstention(OFF_TOPIC, read.passages)


def test_a_not_known_sentence_is_never_settled(index: FakeSnapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    """However weak the evidence, a sentence saying the fact is unknown may become a "not disclosed" answer."""
    question = "What price did Northgate pay for the Karvel works?"
    reader = span_reader_for(index.model_dir)
    assert may_say_unknown(deliberate(question, index, reader=reader).candidates, asked=False)
    monkeypatch.setattr(engine, "best_possible", lambda *args: 0.0)  # as if no quotes could make it answerable
    thought = deliberate(question, index, reader=reader, settle_early=True)
    assert thought.disclosure is not None and "not revealed" in thought.disclosure.candidate.text


def test_without_settle_early_the_readers_read(index: FakeSnapshot) -> None:
    with pytest.raises(AssertionError, match="read"):
        deliberate(OFF_TOPIC, index, reader=refusing)


def test_evidence_that_could_be_answerable_is_read(index: FakeSnapshot) -> None:
    question = "Who scored the winning goal for Harbour Town?"
    thought = deliberate(question, index, reader=span_reader_for(index.model_dir), settle_early=True)
    dense_top = max((p.dense_score for p in thought.passages), default=0.0)
    assert best_possible(thought.question, thought.candidates, dense_top) >= THRESHOLD
    assert thought.readings and thought.readings[0].reader is not None
