"""A why-question's readers also read the sentences that state a cause, which need not repeat the question's words."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.answering import choose
from bot.answering.answer import answer
from bot.answering.choose import ReadItem, rank, with_causes
from bot.answering.evidence import Candidate
from index.handle import NewsIndex
from index.retrieve import Passage


def candidate(text: str) -> Candidate:
    """A sentence of one article (only what the shortlist and the reading order look at is real)."""
    passage = Passage("a#0", "a", "a", None, None, None, "a.md", 0, len(text), text, 0.1, 0.5, None, None, None)
    return Candidate(passage, 0, len(text), text, frozenset(), 0.5, True, 0.5, 0)


REPEATS = [candidate(f"DeepSeek runs inference on Huawei chips, report {n} says.") for n in range(3)]
CAUSES = [candidate("The firm chose them because they are readily available."),
          candidate("Prices fell due to a glut."),
          candidate("Sales rose for a third reason.")]


class Snapshot:
    """Just enough of a snapshot for rank(): the article texts (item_of is replaced below)."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}


def test_the_shortlist_gains_the_best_sentences_stating_a_cause_and_no_more() -> None:
    listed = [(c, ()) for c in REPEATS]
    extended, added = with_causes(listed, [*REPEATS, *CAUSES])
    assert [c.text for c, _ in extended[3:]] == [CAUSES[0].text, CAUSES[1].text]  # CAUSES of them, best first
    assert added == [3, 4]
    assert with_causes(extended, [*REPEATS, *CAUSES]) == ([*extended, (CAUSES[2], ())], [5])  # none twice


def test_the_causes_are_read_in_a_batch_of_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """The others are read exactly as without them (the int8 readers rate a batch together), then the causes."""
    monkeypatch.setattr(choose, "item_of", lambda c, s, bridge=None: ReadItem("", "", c.text))
    batches: list[list[str]] = []

    def reader(question: str, items: Sequence[ReadItem]) -> list[tuple[float, int, int]]:
        batches.append([i.sentence for i in items])
        return [(0.9 if "because" in i.sentence else 0.1, 0, 3) for i in items]

    listed, added = with_causes([(c, ()) for c in REPEATS], [*REPEATS, *CAUSES])
    readings = rank("Why does DeepSeek use Huawei chips?", listed, Snapshot(), reader, also=added)
    assert batches[0] == [REPEATS[0].text, REPEATS[1].text]  # unsure: the reading on is as it was
    assert batches[-1] == [CAUSES[0].text, CAUSES[1].text]
    assert readings[0].text == CAUSES[0].text


def test_why_deepseek_chose_huawei_is_answered_by_its_reason(built_index: NewsIndex) -> None:
    """The reason shares almost no word with the question: "because they are readily available … pricing"."""
    result = answer("Why would DeepSeek choose Huawei's chips over Nvidia's for running inference?", built_index)
    assert not result.abstained
    assert any("readily available" in c.quote for c in result.citations)
