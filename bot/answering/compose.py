"""The extractive prose of an answer: its quotes, one line per article, each with its citation number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.sentences import one_line

if TYPE_CHECKING:
    from bot.answering.answer import Citation


def compose(citations: list[Citation]) -> str:
    """A short answer of verbatim quotes, one line per article: 'Title (Outlet, date): “quote” [1] …'."""
    lines = []
    for article_id in dict.fromkeys(c.article_id for c in citations):
        group = [c for c in citations if c.article_id == article_id]
        first = group[0]
        source = ", ".join(x for x in (first.outlet, first.published) if x)
        head = f"{first.title} ({source})" if source else first.title
        lines.append(head + ": " + " ".join(f"“{one_line(c.quote)}” [{c.n}]" for c in group))
    return "\n".join(lines)
