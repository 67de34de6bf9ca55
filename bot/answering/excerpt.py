"""A quote grown into an excerpt of its article, so that it holds what it needs: one excerpt, one citation.

Two growths, both after the decision to answer (the sentences were read and decided on as they are):
- on: an open question's lead runs on into the next sentence. News states an event in one sentence and its reason or
  manner in the next ("… is to halt its flights to Jeddah" / "The airline said the decision was a commercial one due
  to reduced passenger demand"), and the sentence that repeats a why- or how-question's words is usually the first.
- back: a quote that opens by pointing back ("This aggressive pricing strategy …", "He said …") starts at its
  referent. Such a sentence is not understandable alone, and what it points to is often the asked-for thing ("Which
  Western cloud providers are the prices compared with?" is answered by "… compared to offerings from major players
  like Azure and AWS.", which "This aggressive pricing strategy challenges the dominance of Western cloud providers"
  restates). The excerpt runs from the nearest full sentence before the quote to its end.
Neither adds a quote, so an answer keeps at most its 4.
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
# An open question's lead runs on into the next sentence only when at most RUN_ON_GAP characters part them (a space,
# a paragraph break, a closing quote).
RUN_ON_GAP = 4
RUN_ON_LOOK = 2000  # characters after the lead searched for the next sentence


def run_on(choice: Choice | None, typed: bool, texts: ArticleTexts) -> Choice | None:
    """An untyped question's lead quote runs on into the next sentence (a typed one's lead holds its answer)."""
    if choice is None or typed or not choice.spans:
        return choice
    lead = choice.spans[0].candidate
    article = texts.get(lead.passage.path) or ""
    following = next_sentence(article, lead.end)
    if following is None:
        return choice
    joined = spanning(lead, article, lead.start, following[1])
    spans = [replace(choice.spans[0], candidate=joined), *choice.spans[1:]]
    quotes = [joined if q is lead else q for q in choice.quotes if q is lead or not within(q, joined)]
    return replace(choice, quotes=quotes, spans=spans)


def next_sentence(article: str, end: int) -> tuple[int, int] | None:
    """The article's sentence starting right after offset end, as file offsets (None at the end or after a gap)."""
    ahead = article[end : end + RUN_ON_LOOK]
    found = split_sentences(ahead)
    if not found or found[0][0] > RUN_ON_GAP or word_count(ahead[found[0][0] : found[0][1]]) < MIN_WORDS:
        return None
    return end + found[0][0], end + found[0][1]


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
    return spanning(quote, article, start, quote.end)


def spanning(quote: Candidate, article: str, start: int, end: int) -> Candidate:
    """The quote grown to the article's text[start:end] (which holds it), with the added text's terms."""
    added = terms(article[start : quote.start]) + terms(article[quote.end : end])
    return replace(quote, start=start, end=end, text=article[start:end], terms=quote.terms | frozenset(added))


def run_back(choice: Choice | None, texts: ArticleTexts) -> Choice | None:
    """Each pointing-back quote starts at its referent; a quote the excerpt now holds is dropped, spans follow."""
    if choice is None:
        return None
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
