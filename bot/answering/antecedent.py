"""A quote that opens by pointing back ("This aggressive pricing strategy …", "He said …") comes with its referent.

Such a sentence is not understandable alone: what "this strategy" is, or who "he" is, was said in the sentence
before, and that is often the asked-for thing ("Which Western cloud providers are the prices compared with?" is
answered by "… compared to offerings from major players like Azure and AWS." and then restated as "This aggressive
pricing strategy challenges the dominance of Western cloud providers"). The antecedent is added after the decision
to answer, as a quote of its own beside the one that needs it; nothing it says changes what was decided.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answering.choose import body_start
from bot.answering.evidence import Candidate
from bot.answering.selection import MAX_QUOTES
from bot.answering.sentences import MIN_WORDS, split_sentences, terms, word_count
from index.snapshot import ArticleTexts

# Closed-class words that refer back when they open a sentence: demonstratives and third-person pronouns (a quote
# mark may come first: reported speech points back as well).
POINTS_BACK = re.compile(r"[\"“‘']?(?:This|These|That|Those|Such|It|Its|He|His|She|Her|They|Their)\b")
# An answer's chosen quotes (at most MAX_QUOTES) and room for one referent. Unbounded, every set's answers were the
# same but one (a fourth chosen quote gave way to a second referent); bounded at MAX_QUOTES, a referent pushed out
# a fourth quote holding the answer four times in 1,700 questions (docs/measurements.md).
WITH_REFERENT = MAX_QUOTES + 1
LOOK_BACK = 1500  # characters before the quote searched for its antecedent


def points_back(sentence: str) -> bool:
    """True when the sentence opens with a word whose referent is outside it."""
    return POINTS_BACK.match(sentence) is not None


def antecedent(quote: Candidate, article: str) -> Candidate | None:
    """The nearest full sentence before the quote in its article's body; None at the start of the body.

    Fragments and lead-ins ("Here's a quick comparison:", which introduces what follows it) hold no referent and
    are passed over.
    """
    floor = max(body_start(article), quote.start - LOOK_BACK)
    before = article[floor : quote.start]
    for start, end in reversed(split_sentences(before)):
        if word_count(before[start:end]) >= MIN_WORDS and not before[start:end].endswith(":"):
            at, to = floor + start, floor + end
            return replace(quote, start=at, end=to, text=article[at:to], terms=frozenset(terms(article[at:to])),
                           coverage=0.0, typed=False, paragraph=article.count("\n", 0, at))
    return None


def with_antecedents(quotes: list[Candidate], texts: ArticleTexts, needed: list[Candidate],
                     limit: int = WITH_REFERENT) -> list[Candidate]:
    """The quotes plus each pointing-back quote's antecedent, not already quoted (numbering puts it first).

    The answer keeps at most `limit` quotes: an antecedent takes the place of the last quote that nothing needs
    (needed: the short answers' sentences, a disagreement's sides, a "not known" sentence a note rests on), and
    is left out when every quote is needed.
    """
    kept = list(quotes)
    held = {key(q) for q in needed}
    for quote in quotes:
        found = antecedent(quote, texts.get(quote.passage.path) or "") if points_back(quote.text) else None
        if quote not in kept or found is None or key(found) in set(map(key, kept)) or inside(found, kept):
            continue
        spare = [q for q in kept if key(q) not in held | {key(quote)}]
        if len(kept) >= limit and not spare:
            continue
        if len(kept) >= limit:
            kept.remove(spare[-1])
        held |= {key(quote), key(found)}
        kept.append(found)
    return kept


def key(quote: Candidate) -> tuple[str, int]:
    """A quote's place: its article and where it starts."""
    return quote.article_id, quote.start


def inside(sentence: Candidate, quotes: list[Candidate]) -> bool:
    """True when a quote of the same article already holds the sentence (a lead that ran on into the next one)."""
    return any(q.article_id == sentence.article_id and q.start <= sentence.start and sentence.end <= q.end
               for q in quotes)
