"""The direct answer first, in bold, once: the rich rendering, `newsdesk ask` (one, batch, --json) and the REPL."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text

from bot import repl
from bot.answering.answer import Answer
from bot.render import answer_renderable, answer_text, lead_runs, split_lead
from tests.conftest import run_cli
from tests.handmade import LEAD, SPAN, abstained, conflict_answer, hosts_answer


def bold_texts(text: Text) -> list[str]:
    """The pieces of `text` styled bold."""
    return [text.plain[s.start : s.end] for s in text.spans if "bold" in str(s.style)]


def shown(renderable: Any, terminal: bool = False) -> str:
    """What a console prints: plain text, or with ANSI codes as on a terminal."""
    buffer = io.StringIO()
    colours = "standard" if terminal else None
    Console(file=buffer, width=300, force_terminal=terminal, color_system=colours, highlight=False).print(renderable)
    return buffer.getvalue()


def test_lead_runs_use_the_known_spans_when_the_words_hold_asterisks() -> None:
    assert lead_runs(LEAD, [SPAN]) == [(SPAN, True), (" [1]", False)]
    assert lead_runs(LEAD) != [(SPAN, True), (" [1]", False)]  # the generic reading would cut the span short
    assert lead_runs("**a** [1] or **b** [2]") == [("a", True), (" [1] or ", False), ("b", True), (" [2]", False)]


def test_split_lead_drops_the_lead_line_from_the_prose() -> None:
    result = hosts_answer()
    lead, rest = split_lead(result)
    assert lead == LEAD and rest == result.answer.split("\n", 1)[1]
    rewritten = replace(result, answer="An LLM's prose [1].")  # a synthesizer may drop the lead from the prose
    assert split_lead(rewritten) == (LEAD, "An LLM's prose [1].")
    assert split_lead(abstained()) == (None, abstained().answer)


def test_rich_text_opens_with_the_span_in_bold_without_asterisks() -> None:
    text = answer_text(hosts_answer())
    assert text.plain.startswith(f"{SPAN} [1]\nRadio 1 line-up (Wire, 2025-02-01): “")
    assert bold_texts(text) == [SPAN]
    assert text.plain.count("Huw Stephens") == 2  # once in the lead, once in its quote, never twice as the lead
    both = answer_text(conflict_answer())
    assert bold_texts(both) == ["$5 million", "$6 million"] and "**" not in both.plain


def test_terminal_shows_the_lead_bold_first_and_once() -> None:
    out = shown(answer_renderable(hosts_answer()), terminal=True)
    assert f"\x1b[1m{SPAN}\x1b[0m [1]" in out
    plain = shown(answer_renderable(hosts_answer()))
    assert plain.count(f"{SPAN} [1]") == 1 and "**" not in plain
    assert plain.index(f"{SPAN} [1]") < plain.index("Radio 1 line-up (Wire") < plain.index("Sources")


def test_an_abstention_renders_as_before_and_has_a_null_short_answer() -> None:
    result = abstained()
    assert answer_text(result).plain == result.answer and not answer_text(result).spans
    data = result.to_json()
    assert data["short_answer"] is None and data["short_answers"] == []
    assert hosts_answer().to_json()["short_answer"] == {"text": SPAN, "citation": 1, "start": 54, "end": 95}


def test_short_answer_lies_inside_its_citation_quote_in_the_file() -> None:
    for result in (hosts_answer(), conflict_answer()):
        for span in result.short_answers:
            cited = result.citations[span.citation - 1]
            assert cited.passage.text[span.start : span.end] == span.text and span.path == cited.path
            assert cited.start <= span.start < span.end <= cited.end


@pytest.fixture
def fake_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """`newsdesk ask` answers from the hand-built answers, so no index is read."""
    def fake(question: str, *_: Any) -> Answer:
        return abstained() if "Australia" in question else hosts_answer()

    monkeypatch.setattr("bot.answering.answer.answer", fake)
    monkeypatch.setattr("bot.cli.Context.index", None)


def test_ask_batch_shows_each_lead_first(fake_answers: None, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Who are the new hosts?\nWhat is the capital of Australia?\n"))
    code, out, _ = run_cli(["ask"], capsys)
    assert code == 0 and out.count(f"{SPAN} [1]") == 1 and "**" not in out
    assert out.index(f"{SPAN} [1]") < out.index("Radio 1 line-up (Wire") < out.index("The articles do not cover")


def test_ask_json_batch_carries_the_short_answer(fake_answers: None, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Who are the new hosts?\nWhat is the capital of Australia?\n"))
    code, out, _ = run_cli(["ask", "--json"], capsys)
    hosts, off = (json.loads(line) for line in out.splitlines())
    assert code == 0 and hosts["short_answer"]["text"] == SPAN and hosts["answer"].startswith(LEAD + "\n")
    assert off["short_answer"] is None and off["short_answers"] == []


def test_repl_shows_the_lead_first_and_once(capsys: pytest.CaptureFixture[str]) -> None:
    repl.run(lambda _: hosts_answer(), history=None, stream=io.StringIO("Who are the new hosts?\n"))
    out = capsys.readouterr().out
    assert out.count(f"{SPAN} [1]") == 1 and "**" not in out
    assert out.index(f"{SPAN} [1]") < out.index("Radio 1 line-up (Wire")
