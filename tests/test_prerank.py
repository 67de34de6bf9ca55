"""Which shortlisted sentences the span reader reads (bot.answering.prerank), with hand-made candidates."""

from __future__ import annotations

from pathlib import Path

from bot.answering import prerank
from bot.answering.choose import READ, rank
from bot.answering.evidence import Candidate, Question
from index.retrieve import Passage
from tests.fake_snapshot import FakeSnapshot

QUESTION = Question({"valencia": 2.0, "coach": 1.0, "ranieri": 2.0, "sack": 1.0}, (), None)


def candidate(article: str, title: str, text: str, coverage: float, paragraph: int, bm25_rank: int) -> Candidate:
    """A sentence of an article with the given headline, share of the question's words and retrieval rank."""
    passage = Passage(f"{article}-0", article, title, "BBC News", None, None, f"{article}.md", 0, len(text), text,
                      0.03, 0.5, 1.0, bm25_rank, bm25_rank)
    words = frozenset(text.lower().replace(".", "").split())
    return Candidate(passage, 0, len(text), text, words, coverage, True, coverage, paragraph)


def listed() -> list[tuple[Candidate, tuple]]:
    """A sentence repeating the question's words and, lower by overlap, one naming the new coach under its headline."""
    repeat = candidate("a", "Ranieri's Chelsea years", "Ranieri took over the Valencia job in June 2004.", 0.6, 0, 1)
    elsewhere = candidate("b", "La Liga round-up", "Valencia lost again at home.", 0.3, 0, 2)
    answer = candidate("c", "Valencia sack Ranieri as coach", "Former assistant Antonio Lopez will take over.",
                       0.0, 3, 3)
    return [(repeat, ()), (elsewhere, ()), (answer, ((17, 30),))]


def test_the_headline_and_the_asked_for_kind_bring_a_later_sentence_forward() -> None:
    """The sentence under "Valencia sack Ranieri as coach" holding a name outranks one from another story that
    shares more of the question's words itself."""
    scores = prerank.scores(QUESTION, listed())
    assert scores[2] > scores[1]


def test_features_are_relative_to_the_shortlists_best() -> None:
    """The "lag" features are zero for the best sentence of each measure and negative for the rest."""
    rows = prerank.features(QUESTION, listed())
    assert rows[0]["coverage_lag"] == 0.0 and rows[1]["coverage_lag"] < 0
    assert rows[2]["headed"] > rows[2]["coverage"]  # its headline holds the question's words
    assert prerank.features(QUESTION, []) == []


def test_the_reader_reads_the_prior_s_best_sentences(tmp_path: Path) -> None:
    """With a prior, the reader reads its first READ sentences, not the blend's; the unread come after them."""
    snapshot = FakeSnapshot(tmp_path / "corpus", {"a.md": "One."})
    read: list[str] = []

    def reader(question: str, items):  # type: ignore[no-untyped-def]
        read.extend(item.sentence for item in items)
        return [(0.5, 0, 4) for _ in items]

    extra = [(candidate(f"x{i}", "Valencia news", f"Valencia drew {i}-{i}.", 0.1, 1, 4 + i), ()) for i in range(READ)]
    shortlist = listed() + extra[: READ - 2]  # one sentence more than is read
    prior = [0.0, *range(1, len(shortlist))]
    readings = rank("Who replaced Ranieri as Valencia coach?", shortlist, snapshot, reader, prior=prior)
    assert sorted(read) == sorted(c.text for c, _ in shortlist[1:])
    assert readings[-1].candidate == shortlist[0][0] and readings[-1].reader is None
    read.clear()
    rank("Who replaced Ranieri as Valencia coach?", shortlist, snapshot, reader)
    assert shortlist[0][0].text in read  # without the prior, the blend's best is read
