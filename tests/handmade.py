"""Answers built by hand, with a lead and short answers, for the front-end tests (no index, no model)."""

from __future__ import annotations

from bot.answering.answer import Answer, Citation, ShortAnswer, compose
from bot.answering.notes import Note
from index.retrieve import Passage

ARTICLE = (
    "# Radio 1 line-up\n\n"
    "The station said the new hosts are Huw Stephens, Ras Kwame and *Rob Da Bank*, starting in May.\n\n"
    "The budget was $5 million, a spokesperson said.\n"
)
OTHER = "# Budget row\n\nA leaked memo put the budget at $6 million instead.\n"
SPAN = "Huw Stephens, Ras Kwame and *Rob Da Bank*"  # ends in an asterisk: a naive `**(.+?)**` misreads the lead
LEAD = f"**{SPAN}** [1]"


def citation(n: int, path: str, text: str, quote: str, title: str) -> Citation:
    """A citation whose quote sits at its true offsets in `text`, inside a passage of the whole text."""
    start = text.index(quote)
    passage = Passage(f"c{n}", path, title, "Wire", "2025-02-01", None, path, 0, len(text), text, 1.0, 1.0,
                      None, None, None)
    return Citation(n, path, title, "Wire", "2025-02-01", path, start, start + len(quote), quote, 1.0, passage)


def short(cited: Citation, span: str) -> ShortAnswer:
    """The span's verbatim place inside the cited quote."""
    start = cited.start + cited.quote.index(span)
    return ShortAnswer(span, cited.n, cited.path, start, start + len(span))


def hosts_answer(repeat: int = 1) -> Answer:
    """One short answer whose words hold markdown; `repeat` lengthens the quote to force several messages."""
    quote = "The station said the new hosts are Huw Stephens, Ras Kwame and *Rob Da Bank*, starting in May."
    text = ARTICLE.replace(quote, " ".join([quote] * repeat))
    cited = citation(1, "radio.md", text, " ".join([quote] * repeat), "Radio 1 line-up")
    body = compose([cited])
    return Answer("Who are the new hosts?", f"{LEAD}\n{body}", False, 0.6, [cited],
                  [Note("single_source", "Every quote comes from one article.", (1,))],
                  short_answers=[short(cited, SPAN)], lead=LEAD)


def conflict_answer() -> Answer:
    """Two short answers from articles that disagree, the lead naming both."""
    first = citation(1, "radio.md", ARTICLE, "The budget was $5 million, a spokesperson said.", "Radio 1 line-up")
    second = citation(2, "memo.md", OTHER, "A leaked memo put the budget at $6 million instead.", "Budget row")
    lead = "**$5 million** [1] or **$6 million** [2] (the articles disagree)"
    spans = [short(first, "$5 million"), short(second, "$6 million")]
    return Answer("What was the budget?", f"{lead}\n{compose([first, second])}", False, 0.4, [first, second],
                  short_answers=spans, lead=lead)


def abstained() -> Answer:
    """What the engine returns when the articles do not cover the question: no lead, no short answer."""
    note = Note("not_in_corpus", "No indexed article supports an answer to this question.", ())
    return Answer("What is the capital of Australia?",
                  "The articles do not cover this question, so newsdesk will not guess.", True, 0.0, [], [note])
