"""Reading on: when no sentence read first is likely to answer, the readers read more of the better one's article."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from bot.answering import choose
from bot.answering.choose import ReadItem, read_on
from bot.answering.evidence import Candidate
from index.retrieve import Passage


def candidate(article: str, text: str) -> Candidate:
    """A shortlisted sentence of an article (only what read_on looks at is real)."""
    passage = Passage(f"{article}#0", article, article, None, None, None, f"{article}.md", 0, len(text), text,
                      0.1, 0.5, None, None, None)
    return Candidate(passage, 0, len(text), text, frozenset(), 0.5, True, 0.5, 0)


class Snapshot:
    """Just enough of a snapshot for item_of: the article texts."""

    def __init__(self, follow_up: bool = False) -> None:
        self.texts: dict[str, str] = {}
        if follow_up:
            self.conversation_articles = frozenset({"a"})


def reader_rating(sure: set[str], read: list[str]) -> Callable[[str, Sequence[ReadItem]], list[tuple[float, int, int]]]:
    """A reader that rates the sentences in `sure` 0.9 and the rest 0.1, remembering what it read."""

    def rate(question: str, items: Sequence[ReadItem]) -> list[tuple[float, int, int]]:
        read.extend(i.sentence for i in items)
        return [(0.9 if i.sentence in sure else 0.1, 0, 1) for i in items]
    return rate


QUEUE = [(0, candidate("a", "First of a.")), (1, candidate("b", "First of b.")), (2, candidate("b", "Second of b.")),
         (3, candidate("a", "Second of a.")), (4, candidate("a", "Third of a.")), (5, candidate("a", "Fourth of a."))]


@pytest.fixture
def bare_items(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each sentence read as itself, with no headline or context: read_on's choice of sentences is what is tested."""
    monkeypatch.setattr(choose, "item_of", lambda c, s, bridge=None: ReadItem("", "", c.text))


@pytest.mark.usefixtures("bare_items")
def test_unsure_readings_read_on_in_the_better_article_only() -> None:
    read: list[str] = []
    rate = reader_rating(set(), read)
    rate_a = lambda q, items: [(0.2 if i.sentence == "First of a." else v[0], 0, 1)  # noqa: E731
                               for i, v in zip(items, rate(q, items), strict=True)]
    verdicts = read_on("q", QUEUE, Snapshot(), rate_a)
    assert read == ["First of a.", "First of b.", "Second of a.", "Third of a."]
    assert set(verdicts) == {0, 1, 3, 4}


@pytest.mark.usefixtures("bare_items")
def test_a_sure_reading_reads_no_further() -> None:
    read: list[str] = []
    assert set(read_on("q", QUEUE, Snapshot(), reader_rating({"First of b."}, read))) == {0, 1}
    assert len(read) == 2


@pytest.mark.usefixtures("bare_items")
def test_a_follow_up_reads_more_of_its_cited_articles_in_one_batch(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Sure or not, READ_CITED more from the conversation's articles ("a"), none from others, in the same batch."""
    monkeypatch.setattr(choose, "READ_CITED", 2)
    batches: list[list[str]] = []

    def rate(question: str, items: Sequence[ReadItem]) -> list[tuple[float, int, int]]:
        batches.append([i.sentence for i in items])
        return [(0.9, 0, 1) for _ in items]

    assert set(read_on("q", QUEUE, Snapshot(follow_up=True), rate)) == {0, 1, 3, 4}
    assert batches == [["First of a.", "First of b.", "Second of a.", "Third of a."]]


def test_without_a_reader_nothing_is_read() -> None:
    assert read_on("q", QUEUE, Snapshot(), None) == {}


ARTICLE = ("---\ntitle: Critics name best play\n---\n\n"
           "The Critics' Circle has announced its theatre awards. "
           "The History Boys by Alan Bennett was named best new play. "
           "It is set in a grammar school in Sheffield.")


def test_a_follow_ups_lede_reader_reads_the_sentence_holding_its_carried_words() -> None:
    """The answering sentence lacks the conversation's words; the lede reader reads where the article has them.

    A question asked alone keeps the lede: nothing is carried, so nothing is bridged.
    """
    from bot.answering.choose import read_batch

    target = "It is set in a grammar school in Sheffield."
    start = ARTICLE.index(target)
    sentence = candidate("a", target)
    sentence = Candidate(sentence.passage, start, start + len(target), target, frozenset(), 0.5, True, 0.5, 0)
    snapshot = Snapshot()
    snapshot.texts["a.md"] = ARTICLE
    seen: list[ReadItem] = []

    def reader(question: str, items: Sequence[ReadItem]) -> list[tuple[float, int, int]]:
        seen.extend(items)
        return [(0.5, 0, 1) for _ in items]

    read_batch("Where is it set? [Alan Bennett; play]", [sentence], snapshot, reader)  # type: ignore[arg-type]
    read_batch("Where is the play set?", [sentence], snapshot, reader)  # type: ignore[arg-type]
    bridged, alone = seen
    assert bridged.lede.startswith("a. The History Boys by Alan Bennett")  # the headline, then the bridge
    assert alone.lede.startswith("a. The Critics' Circle")  # the headline, then the lede
    assert bridged.context == alone.context and bridged.sentence == alone.sentence == target
