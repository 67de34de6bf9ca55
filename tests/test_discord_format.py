"""Discord formatting without Discord: answers, splitting within the limits, passages, reports, refusals."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot import discord_format as fmt
from bot.answering.answer import Answer, Citation, answer, compose
from bot.answering.notes import Note
from index.add import Added
from index.articles import Skipped
from index.handle import NewsIndex
from index.reindex import ReindexReport
from index.retrieve import Passage
from tests.handmade import LEAD, abstained, conflict_answer, hosts_answer


def check_part(part: fmt.Part) -> None:
    """Every Discord limit one message can break."""
    assert fmt.size(part.content) <= fmt.MESSAGE_CHARS
    embed: dict[str, Any] = part.embed or {}
    fields = embed.get("fields", [])
    assert len(fields) <= fmt.EMBED_FIELDS
    assert all(fmt.size(f["name"]) <= fmt.FIELD_NAME_CHARS and fmt.size(f["value"]) <= fmt.FIELD_VALUE_CHARS
               for f in fields)
    assert fmt.size(embed.get("title", "")) <= fmt.TITLE_CHARS
    assert fmt.size(embed.get("description", "")) <= fmt.DESCRIPTION_CHARS
    footer = embed.get("footer", {}).get("text", "")
    assert fmt.size(footer) <= fmt.FOOTER_CHARS
    texts = [embed.get("title", ""), embed.get("description", ""), footer]
    texts += [f["name"] + f["value"] for f in fields]
    assert sum(fmt.size(t) for t in texts) <= fmt.EMBED_CHARS
    assert part.content or embed.get("description")


def long_answer() -> Answer:
    """A 9,000+ character answer in one paragraph, of quotes many sentences long (a naive splitter cuts them)."""
    quotes = [" ".join(f"Sentence {j} of report {i} says the *chip* count rose to {i * 100 + j} units."
                       for j in range(20)) for i in range(1, 8)]
    quotes[2] += " A note to staff read: @everyone <@&4000> please check the numbers."
    text = "Chip Report\n\n" + "\n\n".join(quotes) + "\n"
    citations = []
    for n, quote in enumerate(quotes, 1):
        start = text.index(quote)
        passage = Passage(f"c{n}", "report", "Chip report", "Wire", "2025-02-01", "https://example.com/r",
                          "report.md", max(0, start - 20),
                          start + len(quote), text[max(0, start - 20) : start + len(quote)], 1.0, 1.0,
                          None, None, None)
        citations.append(Citation(n, passage.article_id, passage.title, "Wire", "2025-02-01", passage.path,
                                  start, start + len(quote), quote, 1.0, passage))
    notes = [Note("unverified", "[3] is hedged or attributed rather than confirmed (“reportedly”).", (3,)),
             Note("dated", "As of 2025-02-01, the newest dated article cited; the articles may be outdated.", (1,))]
    return Answer("How many chips?", compose(citations), False, 0.5, citations, notes)


@pytest.fixture(scope="module")
def real_answers(built_index: NewsIndex) -> dict[str, Answer]:
    questions = {"cost": "What was the reported cost of DeepSeek's model?", "off": "What is the capital of Australia?"}
    return {key: answer(q, built_index) for key, q in questions.items()}


def test_answer_shows_quotes_sources_and_marked_notes(real_answers: dict[str, Answer]) -> None:
    result = real_answers["cost"]
    [part] = fmt.answer_parts(result)
    check_part(part)
    text = part.embed["description"]
    assert part.reply and part.embed["title"] == f"Answer · confidence {result.confidence:.2f}"
    for c in result.citations:
        assert fmt.escape_markdown(c.quote) in text and f"**[{c.n}]** {c.title}" in text
    assert text.count("⚠️ **") == len(result.notes) and "⚠️ **Conflict:** The sources disagree" in text
    dated = [c for c in result.citations if c.outlet and c.published]
    assert all(f"{c.outlet}, {c.published}" in text for c in dated)  # outlet and date beside the quotes
    assert part.embed["footer"]["text"] == fmt.SOURCES_HINT


def test_abstention_says_so_plainly(real_answers: dict[str, Answer]) -> None:
    [part] = fmt.answer_parts(real_answers["off"])
    assert part.embed["title"] == "Not in the articles" and "footer" not in part.embed
    assert part.embed["description"].startswith("The articles do not cover this question")
    assert "⚠️ **Not in corpus:**" in part.embed["description"]


def test_a_9000_character_answer_splits_within_limits_and_never_inside_a_quote() -> None:
    result = long_answer()
    assert len(result.answer) >= 9000
    parts = fmt.answer_parts(result)
    assert len(parts) >= 3
    assert [p.reply for p in parts] == [True] + [False] * (len(parts) - 1)
    for part in parts:
        check_part(part)
    descriptions = [p.embed["description"] for p in parts]
    for c in result.citations:
        assert sum(fmt.escape_markdown(c.quote) in d for d in descriptions) == 1, f"quote [{c.n}] was cut"
    assert "Continued" not in descriptions[0] and parts[1].embed["title"].startswith("Answer (continued, 2/")
    assert "footer" in parts[-1].embed and all("footer" not in p.embed for p in parts[:-1])


def test_sources_carry_their_quote_when_the_answer_text_does_not() -> None:
    result = long_answer()
    prose = Answer(result.question, "Chip counts rose in every report [1] [2].", False, 0.5, result.citations[:2])
    [part] = fmt.answer_parts(prose)
    assert "**[1]** Chip report — Wire, 2025-02-01: “Sentence 0 of report 1" in part.embed["description"]


BOLD_SPAN = "**Huw Stephens, Ras Kwame and \\*Rob Da Bank\\***"  # the span's own asterisks escaped, the lead's kept


def test_the_lead_opens_the_answer_in_bold_once() -> None:
    [part] = fmt.answer_parts(hosts_answer())
    check_part(part)
    text = part.embed["description"]
    assert text.startswith(BOLD_SPAN + " [1]\nRadio 1 line-up (Wire, 2025-02-01): “")
    assert text.count(BOLD_SPAN) == 1 and LEAD not in text  # the raw lead line is not shown again below
    assert text.count("Huw Stephens") == 2  # the lead, then the quote it was lifted from


def test_a_disagreement_lead_keeps_both_spans_bold() -> None:
    [part] = fmt.answer_parts(conflict_answer())
    assert part.embed["description"].startswith("**$5 million** [1] or **$6 million** [2] (the articles disagree)\n")


def test_the_lead_escapes_markup_outside_and_inside_its_bold_spans() -> None:
    lead = "The articles say: **<@&4000> _was_ not revealed** [1] `x`"
    assert fmt.lead_markdown(lead, ["<@&4000> _was_ not revealed"]) == (
        "The articles say: **\\<@&4000> \\_was\\_ not revealed** [1] \\`x\\`")
    assert fmt.lead_markdown("** spaced ** [1]", []) == " **spaced**  [1]"


def test_a_split_answer_has_its_lead_in_the_first_message() -> None:
    result = hosts_answer(repeat=60)
    parts = fmt.answer_parts(result)
    assert len(parts) >= 2
    for part in parts:
        check_part(part)
    descriptions = [p.embed["description"] for p in parts]
    assert descriptions[0].startswith(BOLD_SPAN + " [1]") and parts[0].reply
    assert sum(d.count(BOLD_SPAN) for d in descriptions) == 1


def test_an_abstention_has_no_lead_and_a_null_short_answer() -> None:
    result = abstained()
    [part] = fmt.answer_parts(result)
    assert part.embed["description"].startswith("The articles do not cover this question")
    assert "**" not in part.embed["description"].split("\n")[0]
    assert result.to_json()["short_answer"] is None


def test_the_understood_as_line_comes_first_only_when_context_was_used() -> None:
    plain = hosts_answer()
    [alone] = fmt.answer_parts(plain)
    assert "Understood as" not in alone.embed["description"]
    followed = replace(plain, understood_as="Who are the *new* hosts? [Radio 1, <@&4000>]")
    [part] = fmt.answer_parts(followed)
    check_part(part)
    first, second = part.embed["description"].split("\n")[:2]
    assert first == "*Understood as: Who are the \\*new\\* hosts? [Radio 1, \\<@&4000>]*"
    assert second.startswith(BOLD_SPAN)  # then the lead, as without context
    long = fmt.answer_parts(replace(long_answer(), understood_as="How many? [" + "chips, " * 400 + "]"))
    assert long[0].embed["description"].startswith("*Understood as: How many? [chips")
    assert fmt.size(long[0].embed["description"].split("\n")[0]) <= fmt.UNDERSTOOD_CHARS + 20
    for part in long:
        check_part(part)


def test_thread_texts_fit_discord_and_ping_nobody() -> None:
    question = "What did @everyone say about <@&4000>?\n" + "why " * 100
    name = fmt.thread_name(question)
    assert fmt.size(name) <= fmt.THREAD_NAME_CHARS and "\n" not in name and name.endswith("…")
    assert fmt.thread_name("   ") == "newsdesk question"
    starter = fmt.thread_starter_text(question, "Alice *the* editor")
    assert starter.startswith("❓ Alice \\*the\\* editor asked: What did @everyone say about \\<@&4000>? why")
    assert fmt.size(starter) <= fmt.MESSAGE_CHARS and "thread" in starter.splitlines()[-1]
    assert "replies to your earlier answers" in fmt.new_conversation_text(in_channel=True)
    assert "read on its own" in fmt.new_conversation_text(in_channel=False)


def test_pack_prefers_paragraph_then_sentence_boundaries() -> None:
    paragraphs = [["a" * 30 + "."], ["b" * 30 + ".", "c" * 30 + "."], ["d" * 50 + "."]]
    assert fmt.pack(paragraphs, 70) == ["a" * 30 + ".", "b" * 30 + ". " + "c" * 30 + ".", "d" * 50 + "."]
    assert fmt.pack([["x" * 40 + ".", "y" * 40 + "."]], 50) == ["x" * 40 + ".", "y" * 40 + "."]


def test_a_sentence_longer_than_a_message_is_cut_at_spaces_never_mid_escape() -> None:
    sentence = fmt.escape_markdown(" ".join(["*bold*"] * 400))
    pieces = fmt.hard_split(sentence, 100)
    assert all(fmt.size(p) <= 100 for p in pieces) and len(pieces) > 10
    assert all(not p.endswith("\\") for p in pieces)
    assert " ".join(pieces) == sentence


def test_sentences_never_split_inside_curly_quotes_or_before_a_citation_mark() -> None:
    text = "He said: “One. Two. Three.” [1] Then it rained. It stopped at 5 p.m. on Friday."
    assert fmt.sentences(text) == ["He said: “One. Two. Three.” [1]", "Then it rained.",
                                   "It stopped at 5 p.m. on Friday."]


def test_escape_markdown_neutralises_markup_links_and_mention_tags() -> None:
    escaped = fmt.escape_markdown("# Big *news* _now_ [x](https://e.com) <@&4000> `code` @everyone")
    assert escaped == "\\# Big \\*news\\* \\_now\\_ [x]\\(https://e.com) \\<@&4000> \\`code\\` @everyone"
    assert fmt.escape_markdown("1. first\n- second\n> third") == "1\\. first\n\\- second\n\\> third"


def test_size_counts_like_discord_and_clip_respects_it() -> None:
    assert fmt.size("a😀") == 3
    clipped = fmt.clip("😀" * 100, 51)
    assert fmt.size(clipped) <= 51 and clipped.endswith("…")
    kept = fmt.clip_start("x" * 50 + " end", 10)
    assert kept.startswith("…") and kept.endswith(" end") and fmt.size(kept) <= 10


def test_passage_shows_the_quote_in_bold_inside_its_passage(real_answers: dict[str, Answer]) -> None:
    citation = real_answers["cost"].citations[0]
    part = fmt.passage_part(citation)
    check_part(part)
    p = citation.passage
    assert f"**{fmt.escape_markdown(citation.quote)}**" in part.embed["description"]
    assert part.embed["title"].startswith(f"[{citation.n}] {citation.title}")
    assert part.embed["footer"]["text"] == f"{p.path} [{p.start}:{p.end}]"


def test_an_oversized_passage_is_trimmed_around_its_whole_quote() -> None:
    base = long_answer().citations[0]
    before, after = "Lead-in words. " * 400, " Trailing words." * 400
    text = before + base.quote + after
    passage = Passage("c", "a", "T", None, None, None, "a.md", 0, len(text), text, 1.0, 1.0, None, None, None)
    citation = Citation(1, "a", "T", None, None, "a.md", len(before), len(before) + len(base.quote), base.quote,
                        1.0, passage)
    part = fmt.passage_part(citation)
    check_part(part)
    description = part.embed["description"]
    assert description.startswith("…") and description.endswith("…")
    assert f"**{fmt.escape_markdown(base.quote)}**" in description and "url" not in part.embed


def test_sources_part_explains_what_it_cannot_show() -> None:
    result = long_answer()
    assert "ask a question first" in fmt.sources_part(None, 1).content
    assert "[1] to [7]" in fmt.sources_part(result, 8).content
    assert fmt.sources_part(result, 2).embed["title"] == "[2] Chip report — Wire, 2025-02-01"


def test_report_lists_added_and_skipped_files_like_the_cli_within_one_message() -> None:
    skipped = [Skipped(f"bad_{i}.txt", "binary file, not text") for i in range(300)]
    report = ReindexReport(added=1, unchanged=5, skipped=skipped, articles=6, chunks=20, embedded_chunks=3,
                           seconds=1.25)
    text = fmt.report_text(report, [Added("Moon Base.txt", "moon-base.md", "new")])
    assert fmt.size(text) <= fmt.MESSAGE_CHARS
    lines = text.splitlines()
    assert lines[0] == "new: Moon Base.txt → moon-base.md"
    assert lines[1] == "skipped bad\\_0.txt: binary file, not text"
    assert lines[-2].startswith("… and ") and lines[-2].endswith(" more")
    kept = sum(line.startswith("skipped") for line in lines)
    assert lines[-2] == f"… and {300 - kept} more"
    assert lines[-1] == ("✅ indexed 6 articles, 20 chunks (1 added, 0 updated, 0 removed, 5 unchanged, "
                         "300 skipped; 3 chunks embedded) in 1.2 s")


def test_short_messages() -> None:
    assert fmt.progress_text("Re-indexing", "embedding", 120, 480) == "⏳ Re-indexing… embedding 120/480 (25%)"
    assert fmt.progress_text("Re-indexing", "starting", 0, 0) == "⏳ Re-indexing… starting"
    assert fmt.cooldown_text(2.2) == "⏳ One question at a time, please — you can ask again in 3 s."
    assert fmt.permission_text(None) == "✗ Only members with the Manage Server permission can change the index."
    assert "or the News\\_Admins role" in fmt.permission_text("News_Admins")
    assert fmt.refusal_text("bad\nthing") == "✗ bad thing"
    assert fmt.size(fmt.error_text("x" * 5000)) <= fmt.MESSAGE_CHARS
