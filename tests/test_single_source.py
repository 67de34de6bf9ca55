"""Which quotes back an answer with no short answer: the ones the readers read as answering, not every quote."""

from __future__ import annotations

from pathlib import Path

from bot.answering.answer import answer
from tests.fake_snapshot import FakeSnapshot


def test_a_yes_no_answer_rests_on_the_article_the_readers_read_as_answering(tmp_path: Path) -> None:
    """Quoting another article's sentence that merely shares the words is not a second source for the answer."""
    articles = {
        "kite-release.md": "Kite Labs released only the weights of its Kite model, not disclosing the training data.",
        "kite-chips.md": "Kite Labs is reportedly running the Kite model on Orca chips, the firm's partner said.",
    }
    result = answer("Did Kite Labs publish the training data behind its Kite model?", FakeSnapshot(tmp_path, articles))
    assert not result.abstained
    single = [n for n in result.notes if n.kind == "single_source"]
    assert single and {result.citations[n - 1].article_id for n in single[0].citations} == {"kite-release"}
