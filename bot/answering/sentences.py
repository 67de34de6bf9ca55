"""Sentences with character offsets, and the stemmed terms used to compare them with a question."""

from __future__ import annotations

import re

from index.bm25 import TOKEN, terms  # noqa: F401  (re-exported: the bot imports them from here)

# A boundary is end punctuation (plus closing quotes/brackets) then whitespace before a likely sentence
# start, or a line break.
BOUNDARY = re.compile(r"(?P<end>[.!?…]+[\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9@#$£€])|\n+")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr inc ltd co corp vs etc e.g i.e u.s u.k u.n rs no fig jan feb mar apr jun "
    "jul aug sep sept oct nov dec approx est gen gov sen rep lt col sgt capt".split()
)
MIN_WORDS = 4


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in text, whitespace trimmed, abbreviations respected."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in BOUNDARY.finditer(text):
        if match.group("end"):
            if is_abbreviation(text, match.start()):
                continue
            end = match.end("end")
        else:
            end = match.start()
        add_span(text, start, end, spans)
        start = match.end()
    add_span(text, start, len(text), spans)
    return spans


def is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at `dot` ends a known abbreviation or a single initial ("J.")."""
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12) : dot])
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append text[start:end] with surrounding whitespace trimmed, if it holds anything."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed: a quote running over a paragraph break, a question in a title."""
    return " ".join(text.split())


def word_count(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


def headline(title: str | None, limit: int | None = None) -> str:
    """A headline as a sentence the readers can read before the text: one line, cut to `limit`, closed by a stop."""
    head = " ".join((title or "").split())[:limit].strip()
    return head if not head or head[-1] in ".!?" else head + "."
