"""A quote that opens by pointing back ("This aggressive pricing strategy …", "He said …") starts at its referent.

Such a sentence is not understandable alone: what "this strategy" is, or who "he" is, was said before it, and that
is often the asked-for thing ("Which Western cloud providers are the prices compared with?" is answered by "…
compared to offerings from major players like Azure and AWS.", which "This aggressive pricing strategy challenges
the dominance of Western cloud providers" restates). The quote becomes one excerpt from the nearest full sentence
before it to its end: still one quote and one citation, so an answer keeps at most its 4 quotes. This happens after
the decision to answer; nothing it adds changes what was decided.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answering.choose import body_start
from bot.answering.evidence import Candidate
from bot.answering.selection import Choice, Span
from bot.answering.sentences import MIN_WORDS, split_sentences, terms, word_count
from index.snapshot import ArticleTexts

# Closed-class words that refer back when they open a sentence: demonstratives and third-person pronouns (a quote
# mark may come first: reported speech points back as well).
POINTS_BACK = re.compile(r"[\"“‘']?(?:This|These|That|Those|Such|It|Its|He|His|She|Her|They|Their)\b")
LOOK_BACK = 1500  # characters before the quote searched for its referent


def points_back(sentence: str) -> bool:
    """True when the sentence opens with a word whose referent is outside it."""
    return POINTS_BACK.match(sentence) is not None


def referent_start(quote: Candidate, article: str) -> int | None:
    """Where the nearest full sentence before the quote starts in its article's body; None at the body's start.

    Fragments and lead-ins ("Here's a quick comparison:", which introduces what follows it) hold no referent and
    are passed over (the excerpt then holds them too: it is the article's text from the referent on).
    """
    floor = max(body_start(article), quote.start - LOOK_BACK)
    before = article[floor : quote.start]
    for start, end in reversed(split_sentences(before)):
        if word_count(before[start:end]) >= MIN_WORDS and not before[start:end].endswith(":"):
            return floor + start
    return None


def from_referent(quote: Candidate, article: str) -> Candidate:
    """The quote extended back to start at its referent, or the quote itself when it needs none."""
    start = referent_start(quote, article) if points_back(quote.text) else None
    if start is None:
        return quote
    return replace(quote, start=start, text=article[start : quote.end],
                   terms=quote.terms | frozenset(terms(article[start : quote.start])))


def run_back(choice: Choice, texts: ArticleTexts) -> Choice:
    """Each pointing-back quote starts at its referent; a quote the excerpt now holds is dropped, spans follow."""
    quotes: list[Candidate] = []
    for quote in choice.quotes:
        excerpt = from_referent(quote, texts.get(quote.passage.path) or "")
        if any(within(excerpt, q) for q in quotes):
            continue
        held = [i for i, q in enumerate(quotes) if within(q, excerpt)]  # it takes the first one's place
        quotes = [excerpt if i == held[0] else q for i, q in enumerate(quotes) if i not in held[1:]] if held \
            else [*quotes, excerpt]
    return replace(choice, quotes=quotes, spans=[moved(s, quotes) for s in choice.spans])


def moved(span: Span, quotes: list[Candidate]) -> Span:
    """The short answer re-anchored in the excerpt that now holds its sentence (offsets relative to the excerpt)."""
    c = span.candidate
    holder = next((q for q in quotes if within(c, q)), c)
    shift = c.start - holder.start
    return Span(holder, span.start + shift, span.end + shift)


def within(quote: Candidate, excerpt: Candidate) -> bool:
    """True when a quote lies inside an excerpt of the same article."""
    return quote.article_id == excerpt.article_id and excerpt.start <= quote.start and quote.end <= excerpt.end
