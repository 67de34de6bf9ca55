"""A quote that points back ("This strategy …", "He said …") is quoted with the sentence it points to."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.answer import answer
from bot.answering.antecedent import WITH_REFERENT, antecedent, points_back, with_antecedents
from bot.answering.evidence import Candidate
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


def quote(text: str, article: str = ARTICLE, path: str = "cheap.md") -> Candidate:
    """The sentence `text` of the article as a chosen quote."""
    start = article.index(text)
    passage = Passage("cheap#0", "cheap", "Cheap chips", "Test Wire", None, None, path, 0, len(article), article,
                      0.1, 0.5, None, None, None)
    return Candidate(passage, start, start + len(text), text, frozenset(), 0.5, True, 0.5, 0)


@pytest.fixture
def texts(tmp_path: Path) -> ArticleTexts:
    """The article as a file, read the way answer() reads it."""
    (tmp_path / "cheap.md").write_text(ARTICLE, encoding="utf-8")
    return ArticleTexts(tmp_path)


def test_pointing_back_words_are_recognised() -> None:
    """Demonstratives and pronouns opening a sentence (after a quote mark too) point back; names do not."""
    assert points_back("This aggressive pricing challenges Western cloud providers.")
    assert points_back("“They will cut 500 jobs,” he said.")
    assert not points_back("Thistle Hotels cut 500 jobs.")
    assert not points_back("The firm prices its cloud below offerings from Azure and AWS.")


def test_the_antecedent_is_the_nearest_full_sentence_passing_over_a_lead_in() -> None:
    """ "Here's a quick comparison:" introduces what follows it, so the sentence before it is the referent."""
    found = antecedent(quote("This aggressive pricing challenges Western cloud providers."), ARTICLE)
    assert found is not None
    assert found.text == "The firm prices its cloud below offerings from Azure and AWS."
    assert ARTICLE[found.start : found.end] == found.text
    assert found.paragraph == ARTICLE.count("\n", 0, found.start)


def test_the_first_sentence_of_the_body_has_no_antecedent() -> None:
    """The front matter is not an article's text: nothing before the body's first sentence is quoted."""
    assert antecedent(quote("Rivals sell the same service for less."), ARTICLE) is None


def test_with_antecedents_adds_each_referent_once(texts: ArticleTexts) -> None:
    """Only pointing-back quotes gain one, a referent already quoted is not repeated, every added one verifies."""
    pointing = quote("This aggressive pricing challenges Western cloud providers.")
    plain = quote("Analysts expect a response.")
    added = with_antecedents([pointing, plain], texts, [pointing])
    assert [q.text for q in added] == [pointing.text, plain.text,
                                       "The firm prices its cloud below offerings from Azure and AWS."]
    assert all(texts.holds(q.passage.path, q.start, q.end, q.text) for q in added)
    already = quote("The firm prices its cloud below offerings from Azure and AWS.")
    assert with_antecedents([already, pointing], texts, [already]) == [already, pointing]
    assert with_antecedents([plain], texts, [plain]) == [plain]


def test_an_antecedent_takes_the_place_of_the_last_quote_nothing_needs(texts: ArticleTexts) -> None:
    """At the quote limit the antecedent replaces the weakest unneeded quote; when all are needed it is left out."""
    pointing = quote("This aggressive pricing challenges Western cloud providers.")
    plain = quote("Analysts expect a response.")
    first = quote("Rivals sell the same service for less.")
    referent = "The firm prices its cloud below offerings from Azure and AWS."
    kept = with_antecedents([pointing, first, plain], texts, [pointing], limit=3)
    assert [q.text for q in kept] == [pointing.text, first.text, referent]
    assert with_antecedents([pointing, first, plain], texts, [pointing, first, plain], limit=3) == [
        pointing, first, plain]


def test_a_real_answer_quotes_what_its_restating_quote_points_to(built_index: NewsIndex) -> None:
    """The seed article names the providers one sentence before it restates them as "Western cloud providers"."""
    result = answer("Which Western cloud providers does DeepSeek's pricing undercut?", built_index)
    assert not result.abstained
    quotes = [c.quote for c in result.citations]
    assert any(q.startswith("This aggressive pricing strategy") for q in quotes)
    assert any("Azure and AWS" in q for q in quotes) and len(quotes) <= WITH_REFERENT
