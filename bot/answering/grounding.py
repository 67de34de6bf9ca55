"""Checks a language model's reply against the passages it was given, before anyone sees it.

Rules: every [n] must name a given passage; every quoted string must occur in a passage its
sentence cites (whitespace, and typographic versus straight quote marks, normalised); a sentence
that cites nothing is dropped. A reply that breaks a rule fails as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.sentences import split_sentences

CITATION = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
# The punctuation after them goes too: in “… chips.” [1]. the last full stop is the citing sentence's own.
LEADING_CITATIONS = re.compile(r"(?:\[\d+(?:\s*[,;]\s*\d+)*\]\s*)+(?:[.!?;:,]+\s*)?")
QUOTED = (re.compile(r"“([^“”]*)”"), re.compile(r'"([^"]*)"'))
QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‛": "'", "′": "'"})
TRAILING_PUNCTUATION = ",.;:"  # writers put these inside closing quotation marks; the words are what count


@dataclass(frozen=True)
class Claim:
    """One sentence of the reply, with the passages it cites and the strings it quotes."""

    text: str
    start: int
    end: int
    cites: tuple[int, ...]
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class Grounding:
    """The verdict on a reply: the supported prose it keeps, or the problems that fail it."""

    text: str
    cited: frozenset[int]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the reply may be shown."""
        return not self.problems


def normalise(text: str) -> str:
    """Whitespace collapsed and typographic quote marks made straight, for verbatim comparison."""
    return " ".join(text.translate(QUOTE_MARKS).split())


def quote_spans(reply: str) -> list[tuple[int, int]]:
    """(start, end) of each quoted string's content; a quote nested in another is covered by the outer one."""
    spans = sorted({(m.start(1), m.end(1)) for pattern in QUOTED for m in pattern.finditer(reply)})
    return [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]


def masked(reply: str, spans: list[tuple[int, int]]) -> str:
    """The reply with quoted words blanked but the last, so a quote's inner full stops never split it."""
    chars = list(reply)
    for start, end in spans:
        words = list(re.finditer(r"\S+", reply[start:end]))
        stop = start + words[-1].start() if words else start
        for i in range(start, stop):
            chars[i] = " " if reply[i].isspace() else "x"
    return "".join(chars)


def claim_spans(reply: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans, with citations that open a sentence ("… fast. [2] Next …") moved to the one before."""
    text = masked(reply, spans)
    claims: list[list[int]] = []
    for start, end in split_sentences(text):
        lead = LEADING_CITATIONS.match(text, start, end)
        if lead and claims:
            claims[-1][1] = start = lead.end()
        if start < end:
            claims.append([start, end])
    return [(start, end) for start, end in claims if reply[start:end].strip()]


def claims(reply: str) -> list[Claim]:
    """The reply's sentences with their citations and quotes."""
    spans = quote_spans(reply)
    found = []
    for start, end in claim_spans(reply, spans):
        text = reply[start:end].strip()
        cites = tuple(int(n) for m in CITATION.finditer(text) for n in re.split(r"[,;]", m.group(1)))
        quotes = tuple(reply[s:e] for s, e in spans if start <= s and e <= end and reply[s:e].strip())
        found.append(Claim(text, start, end, cites, quotes))
    return found


def quote_found(quote: str, passage: str) -> bool:
    """True when the quote occurs verbatim in the passage (normalised), trailing , . ; : aside."""
    wanted, haystack = normalise(quote), normalise(passage)
    return wanted in haystack or wanted.rstrip(TRAILING_PUNCTUATION) in haystack


def claim_problems(claim: Claim, passages: Sequence[str]) -> list[str]:
    """What is wrong with one cited sentence: unknown passage numbers, quotes its passages lack."""
    count = len(passages)
    problems = [f"it cites [{n}], but only {count} passages were given" for n in claim.cites if not 1 <= n <= count]
    if problems:
        return problems
    cited = [passages[n - 1] for n in dict.fromkeys(claim.cites)]
    labels = "".join(f"[{n}]" for n in dict.fromkeys(claim.cites))
    return [f"it quotes “{short(q)}”, which is not in {labels}" for q in claim.quotes
            if not any(quote_found(q, p) for p in cited)]


def short(text: str, limit: int = 60) -> str:
    """A quote shortened for a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check(reply: str, passages: Sequence[str]) -> Grounding:
    """Verify a reply against the numbered passages (passages[0] is [1]); keep only cited sentences."""
    found = claims(reply)
    problems = [p for claim in found if claim.cites for p in claim_problems(claim, passages)]
    kept = [c for c in found if c.cites]
    if not kept and not problems:
        problems.append("no sentence of it cites a passage")
    text = join_claims(reply, kept)
    cited = frozenset(n for c in kept for n in c.cites)
    return Grounding(text, cited, tuple(dict.fromkeys(problems)))


def join_claims(reply: str, kept: list[Claim]) -> str:
    """The kept sentences, line breaks between them preserved, everything else joined by a space."""
    parts: list[str] = []
    for previous, claim in zip([None, *kept], kept, strict=False):
        if previous is not None:
            parts.append("\n" if "\n" in reply[previous.end : claim.start] else " ")
        parts.append(claim.text)
    return "".join(parts)
