"""Fewer, better quotes: the answering sentence, what supports its short answer, the other side of a conflict.

Nothing that merely shares the question's words is quoted: a further quote must repeat the short answer (another
article confirming it) or give a different value of the same kind that the reader also accepts (a conflict).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering.answer_types import quoted_phrases
from bot.answering.asked import Expected, asks_for_product
from bot.answering.choose import Reading
from bot.answering.evidence import Candidate
from bot.answering.lexicon import NAME, NUMERIC, PERSON, PLACE
from bot.answering.notes import MODEL_NAME, MONEY, Evidence, amount_conflicts, name_variants
from bot.answering.sentences import terms
from bot.answering.zipf import zipf

MAX_QUOTES = 4
MAX_SUPPORT = 2  # quotes confirming the short answer, beyond the answering sentence
MAX_RUNNERS_UP = 2  # the next-best sentences holding the asked-for kind
CONFLICT_FLOOR = 0.35  # a conflicting sentence scores at least this share of the best one (as before issue 12)
SUPPORT_SHARE = 0.5  # another article's sentence repeating the short answer must be half as much on topic
RIVAL_SHARE = 0.5  # a counterpart is at least half as likely to answer as the lead and half as much on topic


@dataclass(frozen=True)
class Span:
    """A short answer located in a candidate sentence (sentence-relative offsets)."""

    candidate: Candidate
    start: int
    end: int

    @property
    def text(self) -> str:
        """The words of the short answer."""
        return self.candidate.text[self.start : self.end]


@dataclass(frozen=True)
class Choice:
    """What the answer quotes and leads with."""

    quotes: list[Candidate]
    spans: list[Span]  # the short answer; two when a counterpart disagrees
    disagree: bool


def best_span(reading: Reading, question_terms: frozenset[str]) -> Span | None:
    """The short answer in a reading: the typed instance the reader points at, or nearest the question's words."""
    c = reading.candidate
    if not reading.spans:
        return Span(c, *quoted_phrase(c.text, *reading.reader_span)) if reading.reader_span else None
    if reading.reader_span:
        lo, hi = reading.reader_span
        overlap = {s: min(hi, s[1]) - max(lo, s[0]) for s in reading.spans}
        pointed = max(overlap, key=lambda s: overlap[s])
        if overlap[pointed] > 0:
            return Span(c, *pointed)
    anchors = [m.start() for m in re.finditer(r"\w+", c.text) if m.group(0).lower() in question_terms]
    if not anchors:
        return Span(c, *reading.spans[0])
    return Span(c, *min(reading.spans, key=lambda s: distance(s, anchors)))


def quoted_phrase(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The reader's span, widened to the short quoted phrase it lies inside: "Nvidia" is the "Chinese Nvidia"."""
    return next(((lo, hi) for lo, hi in quoted_phrases(sentence) if lo <= start and end <= hi), (start, end))


FAR = 10**6  # a span with no question word outside it is as far as can be


def distance(span: tuple[int, int], anchors: list[int]) -> int:
    """How far a span lies from the question's words outside it: holding one, it repeats the question."""
    outside = [a for a in anchors if not span[0] <= a < span[1]]
    return min((abs(span[0] - a) for a in outside), default=FAR)


def normal(text: str) -> str:
    """Case- and space-folded text, to compare short answers and sentences."""
    return " ".join(re.findall(r"[\w.%£$€]+", text.lower()))


NAMES = frozenset({PERSON, PLACE, NAME})


def answer_pattern(answer: str, kind: str) -> re.Pattern[str] | None:
    """What a sentence must say (in normal() form) to repeat a short answer: a figure whole, a name by its rarest word.

    Articles name one thing in different words ("Huawei's Ascend 910C AI" chips, "the Huawei Ascend 910C
    chipsets"); the rarest word ("910C"), not the whole span, is what they share.
    """
    words = normal(answer).split()
    if not words:
        return None
    if kind not in NAMES:
        return re.compile(re.escape(" ".join(words)))
    rarest = min(words, key=rarity)
    return re.compile(rf"(?<!\w){re.escape(rarest)}(?!\w)")


def rarity(word: str) -> float:
    """How common a word of a name is, on wordfreq's Zipf scale, without loading wordfreq's own tokenizer.

    A model number ("910c", "h800") or a number of three or more digits ("Athlon 3500", "747") is rarer than any
    word; a shorter number ("2" of "PlayStation 2") is as common as the commonest.
    """
    if word.isalpha():
        return zipf(word)
    if any(ch.isalpha() for ch in word) or sum(ch.isdigit() for ch in word) >= 3:
        return 0.0
    return 8.0


def repeats(pattern: re.Pattern[str] | None, text: str) -> bool:
    """True when the text says what answer_pattern() asks for."""
    return pattern is not None and pattern.search(normal(text)) is not None


def supporting(span: Span, candidates: list[Candidate], taken: list[Candidate], kind: str) -> list[Candidate]:
    """Other sentences that repeat the short answer, other articles first."""
    pattern = answer_pattern(span.text, kind)
    if pattern is None:
        return []
    seen = {normal(c.text) for c in taken}
    floor = SUPPORT_SHARE * span.candidate.coverage
    said: dict[str, Candidate] = {}  # by normal() text, computed once per candidate; a repeat keeps the last
    for c in candidates:
        text = normal(c.text)
        if pattern.search(text) and text not in seen \
                and (c.article_id == span.candidate.article_id or c.coverage >= floor):
            said[text] = c
    unique = list(said.values())
    others = [c for c in unique if c.article_id != span.candidate.article_id]
    same = [c for c in unique if c.article_id == span.candidate.article_id]
    return (others + same)[:MAX_SUPPORT]


def counterpart(best: Span, readings: list[Reading], candidates: list[Candidate], expected: Expected,
                question_terms: frozenset[str]) -> Span | None:
    """The other side: another article's value the reader also rates, or a sentence the conflict tests flag."""
    if expected.kind in NUMERIC:
        rival = rival_value(best, readings, question_terms)
        if rival is not None:
            return rival
    about = frozenset(terms(" ".join(question_terms)))  # stemmed once, as the conflict note's tests want them
    floor = CONFLICT_FLOOR * candidates[0].score if candidates else 0.0
    for candidate in candidates:
        if candidate.score < floor or not could_conflict(candidate.text):
            continue
        said = disagreement_in(best, candidate, about, asks_for_product(expected))
        if said and said in candidate.text:
            start = candidate.text.index(said)
            return Span(candidate, start, start + len(said))
    return None


def rival_value(best: Span, readings: list[Reading], question_terms: frozenset[str]) -> Span | None:
    """Another article's different value of the same kind, counting the same thing, that the reader rivals."""
    mine, lead = normal(best.text), readings[0]
    for reading in readings[1:]:
        if reading.candidate.article_id == best.candidate.article_id or not rivals(reading, lead):
            continue
        other = best_span(reading, question_terms)
        theirs = normal(other.text) if other else ""
        if other and theirs and theirs not in mine and mine not in theirs and unit(other) == unit(best):
            return other
    return None


def could_conflict(text: str) -> bool:
    """A sentence without a money amount or a model name can be on neither side of a conflict: skip probing it."""
    return bool(MONEY.search(text) or MODEL_NAME.search(text))


def unit(span: Span) -> str:
    """What a number counts: the span's own last word ("19 years") or the word after it ("2,500 jobs")."""
    words = re.findall(r"[A-Za-z]+", span.text)
    if not words:
        words = re.findall(r"[A-Za-z]+", span.candidate.text[span.end :])[:1]
    found = terms(words[-1]) if words else []
    return found[0] if found else ""


def disagreement_in(best: Span, candidate: Candidate, about: frozenset[str], names: bool = True) -> str | None:
    """The candidate's side of a conflict with the short answer, by the conflict note's tests (names: model too)."""
    quote = best.candidate
    if quote.article_id == candidate.article_id:
        return None
    probe = [Evidence(1, quote.article_id, "", None, quote.text, ""),
             Evidence(2, candidate.article_id, "", None, candidate.text, "")]
    amounts = [a2.label for _, a1, _, a2 in amount_conflicts(probe, about) if a1.label in best.text]
    variants = [n2 for _, n1, _, n2 in name_variants(probe, about) if n1 in best.text] if names else []
    return next(iter(amounts + variants), None)


def rivals(reading: Reading, lead: Reading) -> bool:
    """Nearly as good an answer as the lead, by the reader and by coverage: not a sentence about another measure."""
    if reading.reader is None or lead.reader is None or reading.reader < RIVAL_SHARE * lead.reader:
        return False
    return reading.candidate.coverage >= RIVAL_SHARE * lead.candidate.coverage


def choose(readings: list[Reading], candidates: list[Candidate], expected: Expected,
           question_terms: frozenset[str]) -> Choice:
    """The answering sentence, a disagreeing counterpart if any, then sentences repeating the short answer."""
    best = readings[0]
    span = best_span(best, question_terms)
    if span is None:
        return Choice([best.candidate], [], False)
    ups = runners_up(readings, [best.candidate], expected.typed)
    support = supporting(span, candidates, [best.candidate, *ups], expected.kind)
    confirming = [c for c in support if c.article_id != best.candidate.article_id][:1]  # another article says it
    quotes = list(dict.fromkeys([best.candidate, *confirming, *ups, *support]))[:MAX_QUOTES]
    return led_by(span, quotes, readings, candidates, expected, question_terms)


def led_by(span: Span, quotes: list[Candidate], readings: list[Reading], candidates: list[Candidate],
           expected: Expected, question_terms: frozenset[str]) -> Choice:
    """The quotes led by the short answer's sentence, with the other side of a conflict with that short answer.

    Whatever chooses the lead (the reader, the headline's ranking) seeks its counterpart here, so a conflict is
    always about the short answer shown. Only a typed question's answer is a value two articles can give
    differently: "Why would DeepSeek choose Huawei's chips?" is not answered "910C or 910x" (a chip-name conflict
    among its quotes is still noted). The lead's reading must come first in readings.
    """
    other = counterpart(span, readings, candidates, expected, question_terms) if expected.typed else None
    if other is None:
        return Choice(quotes[:MAX_QUOTES], [span], False)
    return disagreeing(span, other, quotes)


def disagreeing(span: Span, other: Span, quotes: list[Candidate]) -> Choice:
    """Both sides of a disagreement lead, each with its short answer; the other quotes follow (at most MAX_QUOTES)."""
    rest = [q for q in quotes if q is not span.candidate and q is not other.candidate]
    return Choice([span.candidate, other.candidate, *rest][:MAX_QUOTES], [span, other], True)


def runners_up(readings: list[Reading], taken: list[Candidate], typed: bool) -> list[Candidate]:
    """The next readings: the answering article's for a typed question (no unrelated source), any for an open one."""
    article = readings[0].candidate.article_id
    seen = {normal(c.text) for c in taken}
    found = [r.candidate for r in readings[1:]
             if (not typed or r.candidate.article_id == article) and normal(r.text) not in seen]
    return found[:MAX_RUNNERS_UP]
