"""Discord rendering of answers, passages and index reports: pure functions, so they are tested without Discord."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.answering.answer import Answer, Citation
from bot.answering.notes import Note
from bot.answering.sentences import one_line, split_sentences
from bot.render import (
    around_quote,
    citation_title,
    lead_runs,
    location,
    report_line,
    skip_line,
    source_byline,
    span_texts,
    split_lead,
)
from index.add import Added
from index.reindex import ReindexReport

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
MESSAGE_CHARS = 2000
DESCRIPTION_CHARS = 4096
TITLE_CHARS = 256
FOOTER_CHARS = 2048
EMBED_FIELDS = 25
FIELD_NAME_CHARS = 256
FIELD_VALUE_CHARS = 1024
EMBED_CHARS = 6000
FOOTER_ROOM = EMBED_CHARS - TITLE_CHARS - DESCRIPTION_CHARS  # so title + text + footer fit one embed

ANSWER_COLOUR = 0x2E7D32
ABSTAIN_COLOUR = 0xF9A825
PASSAGE_COLOUR = 0x1565C0
WARN = "⚠️"
APOLOGY = "Sorry, something went wrong on my side; the details are in the bot's log."
THREAD_NAME_CHARS = 100  # Discord's limit on a thread's name
UNDERSTOOD_CHARS = 600  # the "Understood as" line is one line above the answer, never the bulk of it
SOURCES_HINT = "The buttons below (or /sources n) show the full passage behind citation [n]."

# A sentence ends at . ! ? … : ; or after a closing quote, bracket or citation mark, unless a citation mark follows.
CITATION_MARKS = re.compile(r"(?:\s*\[\d+\])*")  # "[1]" belongs to the sentence before it
MARKDOWN = re.compile(r"([\\*_~`|<])")  # emphasis, code, spoilers, and <@…> <#…> <t:…> tags
LINE_START_MARKUP = re.compile(r"^(\s*)(#|>|[-+*](?=\s))", re.MULTILINE)  # headings, block quotes, lists
ORDERED_ITEM = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)
TRAILING_ESCAPES = re.compile(r"\\+$")


@dataclass(frozen=True)
class Part:
    """One Discord message: text and/or one embed in Discord's JSON shape; `reply` marks the first part."""

    content: str = ""
    embed: dict[str, Any] | None = None
    reply: bool = False


def size(text: str) -> int:
    """Length as Discord may count it (UTF-16 code units), never less than the number of characters."""
    return len(text.encode("utf-16-le")) // 2


def escape_markdown(text: str) -> str:
    """Article text shown verbatim: Discord must not read it as markup, links, mentions or headings."""
    escaped = MARKDOWN.sub(r"\\\1", text).replace("](", "]\\(")
    return ORDERED_ITEM.sub(r"\1\\.", LINE_START_MARKUP.sub(r"\1\\\2", escaped))


def prefix_length(text: str, limit: int) -> int:
    """The longest prefix within `limit` units that does not end halfway through a backslash escape."""
    cut = min(len(text), limit)
    while size(text[:cut]) > limit:
        cut -= 1
    escapes = TRAILING_ESCAPES.search(text[:cut])
    if escapes and len(escapes.group(0)) % 2 and cut < len(text):
        cut -= 1
    return cut


def clip(text: str, limit: int) -> str:
    """At most `limit` units, ending with … when cut."""
    if size(text) <= limit:
        return text
    return text[: prefix_length(text, limit - 1)] + "…"


def clip_start(text: str, limit: int) -> str:
    """At most `limit` units, keeping the end and starting with … when cut (never mid-escape)."""
    if size(text) <= limit:
        return text
    cut = max(0, len(text) - (limit - 1))
    while size(text[cut:]) > limit - 1:
        cut += 1
    escapes = TRAILING_ESCAPES.search(text[:cut])
    if escapes and len(escapes.group(0)) % 2:
        cut += 1
    return "…" + text[cut:]


def quote_spans(text: str, quotes: Sequence[str]) -> list[tuple[int, int]]:
    """Where each quote occurs in the text: no cut may fall inside these spans."""
    spans = []
    for quote in filter(None, quotes):
        start = text.find(quote)
        while start >= 0:
            spans.append((start, start + len(quote)))
            start = text.find(quote, start + 1)
    return spans


def sentences(text: str, quotes: Sequence[str] = ()) -> list[str]:
    """Text cut where the answer engine's splitter ends a sentence, never inside a quote or before a "[n]"."""
    protected = quote_spans(text, quotes)
    pieces, start = [], 0
    for _, end in split_sentences(text)[:-1]:
        cut = end + len(CITATION_MARKS.match(text, end).group(0))  # "… chips.” [1] [2]" keeps its marks
        inside = any(a < cut < b for a, b in protected) or text.count("“", start, cut) > text.count("”", start, cut)
        if not inside and cut > start:
            pieces.append(text[start:cut])
            start = cut
    pieces.append(text[start:])
    return [escape_markdown(piece.strip()) for piece in pieces if piece.strip()]


def hard_split(text: str, limit: int) -> list[str]:
    """Last resort for one sentence longer than a whole message: cut at spaces, never mid-escape."""
    pieces = []
    while size(text) > limit:
        cut = prefix_length(text, limit)
        space = text.rfind(" ", 0, cut)
        cut = space if space > cut // 2 else cut
        pieces.append(text[:cut])
        text = text[cut:].lstrip(" ")
    return [*pieces, text]


def pack(paragraphs: Sequence[Sequence[str]], limit: int) -> list[str]:
    """Chunks within `limit`: whole paragraphs where they fit, else sentence by sentence; sentences stay whole."""
    chunks: list[str] = []
    current = ""
    for paragraph in paragraphs:
        whole = " ".join(paragraph)
        joined = f"{current}\n{whole}" if current else whole
        if size(joined) <= limit:
            current = joined
            continue
        if current:
            chunks.append(current)
        current = whole if size(whole) <= limit else pack_sentences(paragraph, limit, chunks)
    return [*chunks, current] if current or not chunks else chunks


def pack_sentences(pieces: Sequence[str], limit: int, chunks: list[str]) -> str:
    """Fill chunks with one over-long paragraph's sentences; returns the unfinished last chunk."""
    current = ""
    for sentence in pieces:
        glue = " " if current else ""
        if size(current + glue + sentence) <= limit:
            current += glue + sentence
            continue
        if current:
            chunks.append(current)
        *full, current = hard_split(sentence, limit)
        chunks += full
    return current


def note_label(note: Note) -> str:
    """'single_source' → 'Single source'."""
    return note.kind.replace("_", " ").capitalize()


def note_paragraph(note: Note) -> list[str]:
    """A note visibly marked: ⚠️ **Label:** text."""
    first, *rest = sentences(note.text) or [""]
    return [f"{WARN} **{note_label(note)}:** {first}", *rest]


def source_paragraph(citation: Citation, with_quote: bool) -> list[str]:
    """'[n] Title — Outlet, date', followed by its quote when the answer text does not already show it."""
    head = f"**[{citation.n}]** {escape_markdown(source_byline(citation))}"
    if not with_quote:
        return [head]
    return [head + ":", f"“{escape_markdown(one_line(citation.quote))}”"]


def bold(text: str) -> str:
    """Escaped text in bold, with its edge spaces outside the markers (Discord ignores `** x**`)."""
    core = text.strip()
    if not core:
        return text
    head, _, tail = text.partition(core)
    return f"{head}**{escape_markdown(core)}**{tail}"


def lead_markdown(lead: str, spans: Sequence[str]) -> str:
    """The lead in Discord markdown: its own bold markers kept, the article words inside them escaped."""
    return "".join(bold(run) if is_bold else escape_markdown(run) for run, is_bold in lead_runs(lead, spans))


def understood_line(result: Answer) -> str | None:
    """'*Understood as: …*' when the question was read in its conversation, so the member sees what was carried."""
    if not result.understood_as:
        return None
    return f"*Understood as: {clip(escape_markdown(one_line(result.understood_as)), UNDERSTOOD_CHARS)}*"


def answer_paragraphs(result: Answer) -> list[list[str]]:
    """The Understood-as line, the lead, the answer text, its sources and notes as paragraphs of whole sentences."""
    quotes = [one_line(c.quote) for c in result.citations]  # as the prose shows them (compose)
    lead, prose = split_lead(result)
    understood = understood_line(result)
    paragraphs = [[understood]] if understood else []
    paragraphs += [[lead_markdown(lead, span_texts(result))]] if lead else []
    paragraphs += [sentences(line, quotes) for line in prose.split("\n") if line.strip()]
    quotes_shown = all(quote in result.answer for quote in quotes)
    sources = [source_paragraph(c, not quotes_shown) for c in result.citations]
    notes = [note_paragraph(n) for n in result.notes]
    for heading, group in (("**Sources**", sources), ("**Notes**", notes)):
        if group:
            group[0] = [f"{heading}\n{group[0][0]}", *group[0][1:]]  # a heading never ends a message alone
            paragraphs += group
    return paragraphs


def answer_parts(result: Answer) -> list[Part]:
    """An answer as Discord messages of one embed each, split within the limits; the first is the reply."""
    chunks = pack(answer_paragraphs(result), DESCRIPTION_CHARS)
    colour = ABSTAIN_COLOUR if result.abstained else ANSWER_COLOUR
    embeds: list[dict[str, Any]] = [{"description": chunk, "color": colour} for chunk in chunks]
    embeds[0]["title"] = "Not in the articles" if result.abstained else f"Answer · confidence {result.confidence:.2f}"
    if len(embeds) > 1:
        for number, embed in enumerate(embeds[1:], 2):
            embed["title"] = f"Answer (continued, {number}/{len(embeds)})"
    if result.citations:
        embeds[-1]["footer"] = {"text": SOURCES_HINT}
    return [Part(embed=embed, reply=i == 0) for i, embed in enumerate(embeds)]


def passage_part(citation: Citation) -> Part:
    """The full passage behind a citation, its quote in bold, with the article's byline and location."""
    passage = citation.passage
    head, tail = around_quote(citation)
    quote = f"**{clip(escape_markdown(citation.quote), DESCRIPTION_CHARS - 8)}**"
    room = DESCRIPTION_CHARS - size(quote)
    before = clip_start(escape_markdown(head), room // 2)
    after = clip(escape_markdown(tail), room - size(before))
    embed: dict[str, Any] = {
        "title": clip(citation_title(citation), TITLE_CHARS),
        "description": before + quote + after,
        "color": PASSAGE_COLOUR,
        "footer": {"text": clip(location(passage), FOOTER_ROOM)},
    }
    if passage.url and passage.url.startswith(("https://", "http://")):
        embed["url"] = passage.url
    return Part(embed=embed)


def sources_part(result: Answer | None, n: int) -> Part:
    """/sources n: the passage behind citation n of the user's last answer, or why it cannot be shown."""
    if result is None or not result.citations:
        return Part(content="No citations to show yet: ask a question first with /ask.")
    if not 1 <= n <= len(result.citations):
        return Part(content=f"Your last answer has citations [1] to [{len(result.citations)}]; pick one of those.")
    return passage_part(result.citations[n - 1])


def fit_lines(lines: Sequence[str], last: str, limit: int = MESSAGE_CHARS) -> str:
    """All lines and the final one if they fit, else as many as fit and '… and N more'."""
    text = "\n".join([*lines, last])
    if size(text) <= limit:
        return text
    kept: list[str] = []
    for line in lines:
        rest = len(lines) - len(kept) - 1
        if size("\n".join([*kept, line, f"… and {rest} more", last])) > limit:
            break
        kept.append(line)
    return clip("\n".join([*kept, f"… and {len(lines) - len(kept)} more", last]), limit)


def report_text(report: ReindexReport, added: Sequence[Added] = ()) -> str:
    """An index run as the CLI reports it: added and converted files, skipped files with reasons, the counts."""
    lines = [f"{a.status}: {a.source} → {a.path}" for a in added]
    lines += [f"converted {c.source} → {c.path}" for c in report.converted]
    lines += [skip_line(s) for s in report.skipped]
    return fit_lines([escape_markdown(line) for line in lines], "✅ " + report_line(report))


def progress_text(label: str, phase: str, done: int, total: int) -> str:
    """'⏳ Re-indexing… embedding 120/512 (23%)'."""
    count = f" {done}/{total} ({done / total:.0%})" if total else ""
    return f"⏳ {label}… {phase}{count}"


def refusal_text(reason: str) -> str:
    """A refusal with its reason, on one line."""
    return clip(f"✗ {' '.join(reason.split())}", MESSAGE_CHARS)


def error_text(message: str) -> str:
    """A user-fixable problem (a NewsdeskError message), visibly marked."""
    return clip(f"{WARN} {message}", MESSAGE_CHARS)


def cooldown_text(seconds: float) -> str:
    """A friendly note that the user asks faster than the cooldown allows."""
    wait = max(1, math.ceil(seconds))
    return f"⏳ One question at a time, please — you can ask again in {wait} s."


def permission_text(role: str | None) -> str:
    """Why a member may not re-index or add articles, and who may."""
    who = "members with the Manage Server permission"
    if role:
        who += f" or the {escape_markdown(role)} role"
    return f"✗ Only {who} can change the index."


def thread_name(question: str) -> str:
    """The thread /ask opens for a question: the question itself, within Discord's 100-character limit."""
    return clip(one_line(question), THREAD_NAME_CHARS) or "newsdesk question"


def asked_text(question: str, who: str) -> str:
    """'❓ Alice asked: …', the question posted in the channel for everyone to see, within one message."""
    asked = clip(escape_markdown(one_line(question)), MESSAGE_CHARS - 200)
    return f"❓ {clip(escape_markdown(one_line(who)), 80)} asked: {asked}"


def thread_starter_text(question: str, who: str) -> str:
    """The channel message a thread hangs from: who asked what, and where the answer and follow-ups go."""
    return asked_text(question, who) + "\n🧵 The answer is in the thread: mention me there or use /ask for follow-ups."


def new_conversation_text(in_channel: bool) -> str:
    """/new's private confirmation, saying what was forgotten."""
    if in_channel:
        return "🆕 New conversation: replies to your earlier answers here start over; your next question stands alone."
    return "🆕 New conversation: your next question here is read on its own."
