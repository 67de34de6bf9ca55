"""`newsdesk eval` scoring on hand-built answers: evidence, unanswerables, citations, short answers, split."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from bot.answering.answer import Answer, Citation, ShortAnswer
from bot.answering.notes import Note
from bot.evaluate import (
    EvalItem,
    Outcome,
    judge,
    load_items,
    part_of,
    select_part,
    standard_error,
    standard_error_of,
    summarise,
)
from index.errors import NewsdeskError
from index.retrieve import Passage

TEXT = "---\ntitle: Bank\n---\n\nIsrael named Stanley Fischer to run the central bank. He starts in May.\n"


def passage(article_id: str, path: str) -> Passage:
    """A minimal retrieved passage for a citation to point back to."""
    return Passage(f"{article_id}-0", article_id, "Title", "BBC News", None, None, path, 0, 0, "", 1.0, 1.0,
                   None, None, None)


def cite(n: int, quote: str, article_id: str = "business-423", start: int = 0, path: str | None = None) -> Citation:
    """A citation of `quote` at `start` in the article's file."""
    path = path or f"{article_id}.md"
    return Citation(n, article_id, "Title", "BBC News", None, path, start, start + len(quote), quote, 1.0,
                    passage(article_id, path))


def reply(*citations: Citation, notes: tuple[str, ...] = (), shorts: tuple[ShortAnswer, ...] = (),
          abstained: bool = False) -> Answer:
    """An Answer with the given citations, note kinds and short answers."""
    return Answer("q?", "text", abstained, 0.0 if abstained else 0.8, list(citations),
                  [Note(kind, kind, ()) for kind in notes], short_answers=list(shorts))


def item(evidence: tuple[str, ...] = ("Stanley Fischer",), sources: tuple[str, ...] = (),
         unanswerable: bool = False, id: str = "q1") -> EvalItem:
    """An eval item; unanswerable items carry no evidence."""
    return EvalItem(id, "unanswerable" if unanswerable else "factual", "q?", () if unanswerable else evidence,
                    expect_abstain=unanswerable, source_ids=sources)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus folder with one real article file."""
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    (folder / "business-423.md").write_text(TEXT, encoding="utf-8")
    return folder


def sentence_citation() -> Citation:
    """The citation of the article's first sentence, at its true offsets."""
    quote = "Israel named Stanley Fischer to run the central bank."
    return cite(1, quote, start=TEXT.index(quote))


def short(text: str, start: int | None = None, citation: int = 1) -> ShortAnswer:
    """A short answer span; by default at the text's true offset in the article."""
    start = TEXT.index(text) if start is None else start
    return ShortAnswer(text, citation, "business-423.md", start, start + len(text))


def test_evidence_matches_case_insensitively(corpus: Path) -> None:
    right = judge(item(("STANLEY fischer",)), reply(sentence_citation()), corpus)
    wrong = judge(item(("Mervyn King",)), reply(sentence_citation()), corpus)
    assert right.has_evidence and right.crag == 1
    assert not wrong.has_evidence and wrong.crag == -1


def test_evidence_must_be_in_the_quotes_not_only_the_short_answer(corpus: Path) -> None:
    outcome = judge(item(("May",)), reply(sentence_citation(), shorts=(short("Stanley Fischer"),)), corpus)
    assert not outcome.has_evidence and outcome.crag == -1


def test_not_disclosed_note_counts_as_handling_an_unanswerable(corpus: Path) -> None:
    disclosed = judge(item(unanswerable=True), reply(sentence_citation(), notes=("not_disclosed",)), corpus)
    answered = judge(item(unanswerable=True), reply(sentence_citation(), notes=("single_source",)), corpus)
    abstained = judge(item(unanswerable=True), reply(abstained=True, notes=("not_in_corpus",)), corpus)
    assert (disclosed.handled, disclosed.crag) == (True, 0)
    assert (answered.handled, answered.crag) == (False, -1)
    assert (abstained.handled, abstained.crag) == (True, 0)
    figures = summarise([disclosed, answered, abstained])
    assert figures["unanswerable_handled"] == pytest.approx(2 / 3, abs=1e-3)
    assert figures["abstention_rate"] == pytest.approx(1 / 3, abs=1e-3)
    assert figures["crag_score"] == pytest.approx(-1 / 3, abs=1e-3)


def test_crag_is_right_minus_wrong_minus_answered_unanswerables(corpus: Path) -> None:
    outcomes = [
        judge(item(("fischer",)), reply(sentence_citation()), corpus),  # right
        judge(item(("King",)), reply(sentence_citation()), corpus),  # wrong
        judge(item(("King",)), reply(abstained=True), corpus),  # abstained: 0
        judge(item(unanswerable=True), reply(sentence_citation()), corpus),  # answered unanswerable
        judge(item(unanswerable=True), reply(sentence_citation(), notes=("not_disclosed",)), corpus),  # handled
    ]
    figures = summarise(outcomes)
    assert figures["crag_score"] == pytest.approx((1 - 1 - 1) / 5)
    assert figures["evidence_recall"] == pytest.approx(1 / 3, abs=1e-3)
    assert figures["false_abstention_rate"] == pytest.approx(1 / 3, abs=1e-3)


def test_citation_precision_pools_citations_of_answers_with_source_ids(corpus: Path) -> None:
    sources = ("business-423", "business-424")
    mixed = reply(cite(1, "a"), cite(2, "b", "tech-001"), cite(3, "c", "bbc/business-424"))
    outcomes = [
        judge(item(sources=sources), mixed, corpus),  # 2 of 3 from the sources (a subfolder still matches)
        judge(item(sources=sources), reply(cite(1, "d", "tech-002")), corpus),  # 0 of 1
        judge(item(sources=sources), reply(abstained=True), corpus),  # not answered: not counted
        judge(item(), reply(cite(1, "e", "tech-003")), corpus),  # no source ids: not counted
    ]
    assert outcomes[0].citation_precision == pytest.approx(2 / 3, abs=1e-3)
    assert outcomes[3].citation_precision is None
    assert summarise(outcomes)["citation_precision"] == pytest.approx(2 / 4)


def test_quotes_per_answer_and_max_count_answered_questions_only(corpus: Path) -> None:
    outcomes = [
        judge(item(), reply(cite(1, "a"), cite(2, "b"), cite(3, "c")), corpus),
        judge(item(), reply(cite(1, "a")), corpus),
        judge(item(), reply(abstained=True), corpus),
    ]
    figures = summarise(outcomes)
    assert (figures["quotes_per_answer"], figures["max_quotes"]) == (2.0, 3)
    assert summarise(outcomes[2:])["quotes_per_answer"] is None


def test_short_answer_valid_when_it_verifies_inside_its_citation(corpus: Path) -> None:
    outcome = judge(item(), reply(sentence_citation(), shorts=(short("Stanley Fischer"),)), corpus)
    assert outcome.quotes_valid and outcome.short_valid is True
    assert summarise([outcome])["short_answer_valid"] == 1.0


@pytest.mark.parametrize("bad", [
    short("Stanley Fischer", start=TEXT.index("Stanley Fischer") + 1),  # offsets do not hold the text
    short("He starts"),  # verbatim in the file but outside citation 1's quote
    short("Stanley Fischer", citation=2),  # names a citation the answer does not have
    ShortAnswer("", 1, "business-423.md", 30, 30),  # empty span
])
def test_short_answer_invalid_cases(corpus: Path, bad: ShortAnswer) -> None:
    good = short("Stanley Fischer")
    outcome = judge(item(), reply(sentence_citation(), shorts=(good, bad)), corpus)
    assert outcome.short_valid is False
    assert summarise([outcome])["short_answer_valid"] == 0.0


def test_short_answer_holds_evidence_case_insensitively(corpus: Path) -> None:
    holds = judge(item(("stanley FISCHER",)), reply(sentence_citation(), shorts=(short("Stanley Fischer"),)),
                  corpus)
    misses = judge(item(("central bank",)), reply(sentence_citation(), shorts=(short("Stanley Fischer"),)),
                   corpus)
    no_short = judge(item(), reply(sentence_citation()), corpus)
    assert holds.short_holds_evidence is True and misses.short_holds_evidence is False
    assert no_short.short_holds_evidence is None and no_short.short_valid is None
    assert summarise([holds, misses, no_short])["short_answer_holds_evidence"] == 0.5


def test_split_keeps_an_articles_questions_together_and_is_stable() -> None:
    items = [item(sources=(f"tech-{n:03d}", f"business-{n % 7:03d}"), id=f"q{n}") for n in range(40)]
    items += [item(unanswerable=True, id=f"u{n}") for n in range(10)]
    a, b = select_part(items, "A"), select_part(items, "B")
    assert a and b and len(a) + len(b) == len(items) and not {i.id for i in a} & {i.id for i in b}
    for key in {sorted(i.source_ids)[0] for i in items if i.source_ids}:
        assert len({part_of(i) for i in items if i.source_ids and sorted(i.source_ids)[0] == key}) == 1
    shuffled = random.Random(7).sample(items, len(items))
    assert {i.id for i in select_part(shuffled, "A")} == {i.id for i in a}
    assert select_part(items, None) == items


def test_split_parts_are_fixed_by_sha1_parity() -> None:
    """Known parts, so a change of hash or key breaks this test rather than silently reshuffling the parts."""
    assert part_of(item(sources=("tech-009", "tech-379"))) == "A"
    assert part_of(item(sources=("tech-379", "tech-009"))) == "A"
    assert part_of(item(sources=("politics-074",))) == "B"
    assert part_of(item(sources=("sport-470", "sport-466", "sport-469"))) == "A"  # keyed by the smallest id
    assert part_of(item(unanswerable=True, id="v10")) == "A"
    with pytest.raises(NewsdeskError):
        select_part([], "C")


def test_load_items_reads_source_ids_and_rejects_a_bare_string(tmp_path: Path) -> None:
    good = {"id": "v1", "kind": "factual", "question": "Who?", "evidence_any": ["X"], "source_ids": ["tech-009"]}
    bad = {**good, "evidence_any": "X"}
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(good) + "\n\n", encoding="utf-8")
    assert load_items(path)[0].source_ids == ("tech-009",)
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(NewsdeskError, match=r":2: .*evidence_any must be a list of strings"):
        load_items(path)


@pytest.mark.parametrize(("line", "why"), [
    ({"id": "v2", "question": "Who?"}, "needs evidence_any"),
    ({"id": "v3", "question": "Who?", "evidence_any": []}, "needs evidence_any"),
    ({"id": "v4", "evidence_any": ["X"]}, "no 'question' field"),
])
def test_load_items_refuses_a_line_it_could_not_score_and_says_why(tmp_path: Path, line: dict, why: str) -> None:
    """An answerable question with no evidence strings could only score as wrong; a missing field is named."""
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "v1", "question": "Who?", "expect_abstain": True}) + "\n" + json.dumps(line),
                    encoding="utf-8")
    with pytest.raises(NewsdeskError, match=f":2: not a question line .*{why}"):
        load_items(path)


def test_outcome_without_citations_has_no_precision() -> None:
    outcome = Outcome(item(sources=("a",)), abstained=True, has_evidence=False, notes=frozenset(),
                      quotes_valid=True, quotes=0, sourced_quotes=0)
    assert outcome.citation_precision is None


def test_crag_comes_with_its_standard_error(corpus: Path) -> None:
    outcomes = [
        judge(item(("fischer",)), reply(sentence_citation()), corpus),  # +1
        judge(item(("King",)), reply(sentence_citation()), corpus),  # -1
        judge(item(("King",)), reply(abstained=True), corpus),  # 0
    ]
    # mean 0, sample variance (1 + 1 + 0) / 2 = 1, so the standard error is sqrt(1 / 3)
    assert summarise(outcomes)["crag_stderr"] == pytest.approx(0.577, abs=1e-3)
    assert summarise(outcomes[:1])["crag_stderr"] is None  # one question has no spread to measure


def test_standard_error_from_counts_equals_that_of_the_scores() -> None:
    scores = [1.0, 1.0, -1.0, 0.0, 0.0, 1.0]
    assert standard_error_of(len(scores), sum(scores), sum(s * s for s in scores)) == standard_error(scores)
    assert standard_error([1.0, 1.0, 1.0]) == 0.0
