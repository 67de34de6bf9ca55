"""A quote that points back ("This strategy …", "He said …") starts at the sentence it points to: one excerpt."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.answer import answer
from bot.answering.evidence import Candidate
from bot.answering.excerpt import from_referent, points_back, referent_start, run_back
from bot.answering.selection import MAX_QUOTES, Choice, Span
from index.handle import NewsIndex
from index.retrieve import Passage
from index.snapshot import ArticleTexts

ARTICLE = """---
title: Cheap chips
outlet: Test Wire
---

Rivals sell the same service for less. The firm prices its cloud below offerings from Azure and AWS.

Here's a quick comparison:

This aggressive pricing challenges Western cloud providers. Analysts expect a response.
"""
REFERENT = "The firm prices its cloud below offerings from Azure and AWS."
POINTING = "This aggressive pricing challenges Western cloud providers."


def quote(text: str) -> Candidate:
    """The sentence `text` of the article as a chosen quote."""
    start = ARTICLE.index(text)
    passage = Passage("cheap#0", "cheap", "Cheap chips", "Test Wire", None, None, "cheap.md", 0, len(ARTICLE), ARTICLE,
                      0.1, 0.5, None, None, None)
    return Candidate(passage, start, start + len(text), text, frozenset(), 0.5, True, 0.5, 0)


@pytest.fixture
def texts(tmp_path: Path) -> ArticleTexts:
    """The article as a file, read the way answer() reads it."""
    (tmp_path / "cheap.md").write_text(ARTICLE, encoding="utf-8")
    return ArticleTexts(tmp_path)


def test_pointing_back_words_are_recognised() -> None:
    """Demonstratives and pronouns opening a sentence (after a quote mark too) point back; names do not."""
    assert points_back(POINTING)
    assert points_back("“They will cut 500 jobs,” he said.")
    assert not points_back("Thistle Hotels cut 500 jobs.")
    assert not points_back(REFERENT)


def test_the_referent_is_the_nearest_full_sentence_passing_over_a_lead_in() -> None:
    """ "Here's a quick comparison:" introduces what follows it, so the sentence before it is the referent."""
    assert referent_start(quote(POINTING), ARTICLE) == ARTICLE.index(REFERENT)
    excerpt = from_referent(quote(POINTING), ARTICLE)
    assert excerpt.text == ARTICLE[ARTICLE.index(REFERENT) : ARTICLE.index(POINTING) + len(POINTING)]
    assert ARTICLE[excerpt.start : excerpt.end] == excerpt.text and "Azure and AWS" in excerpt.text


def test_a_quote_that_points_nowhere_stays_as_it_is() -> None:
    """No pointing word, or nothing before it in the body (the front matter is not the article's text)."""
    assert from_referent(quote(REFERENT), ARTICLE) == quote(REFERENT)
    first = quote("Rivals sell the same service for less.")
    assert referent_start(first, ARTICLE) is None


def test_run_back_merges_quotes_and_keeps_short_answers_in_place(texts: ArticleTexts) -> None:
    """The excerpt takes the place of the quote it swallows, the count never grows, and each span still verifies."""
    plain, pointing = quote(REFERENT), quote(POINTING)
    spans = [Span(plain, REFERENT.index("Azure"), len(REFERENT) - 1),
             Span(pointing, POINTING.index("Western"), POINTING.index(" cloud"))]
    other = quote("Analysts expect a response.")
    choice = run_back(Choice([plain, other, pointing], spans, False), texts)
    assert [q.start for q in choice.quotes] == [plain.start, other.start] and len(choice.quotes) == 2
    excerpt = choice.quotes[0]
    assert texts.holds("cheap.md", excerpt.start, excerpt.end, excerpt.text)
    assert [s.text for s in choice.spans] == ["Azure and AWS", "Western"]
    assert all(s.candidate is excerpt for s in choice.spans)
    assert all(ARTICLE[excerpt.start + s.start : excerpt.start + s.end] == s.text for s in choice.spans)


def test_a_real_answer_quotes_what_its_restating_quote_points_to(built_index: NewsIndex) -> None:
    """The seed article names the providers before it restates them as "Western cloud providers"."""
    result = answer("Which Western cloud providers does DeepSeek's pricing undercut?", built_index)
    assert not result.abstained and len(result.citations) <= MAX_QUOTES
    held = [c.quote for c in result.citations if "This aggressive pricing strategy" in c.quote]
    assert held and "Azure and AWS" in held[0]
    corpus = built_index.config.corpus_dir
    for short in result.short_answers:
        cited = result.citations[short.citation - 1]
        assert Path(corpus, short.path).read_text(encoding="utf-8")[short.start : short.end] == short.text
        assert cited.start <= short.start and short.end <= cited.end
