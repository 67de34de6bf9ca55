"""Asking about a period: retrieval keeps to articles published in the window, and the answer says which window.

The engine cases use the fake snapshot; the retrieval filter, the seed-corpus question and the front ends use the
real index of the five articles (two are dated, 2025-01-28 and 2025-01-30; three carry no date).
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from bot.answering.answer import answer
from index.handle import NewsIndex
from index.window import Window
from tests.conftest import run_cli
from tests.fake_snapshot import FakeSnapshot

ARTICLES = {
    "old.md": "Harbour Rail said fares will rise by 4 percent, the operator announced on Monday.",
    "new.md": "Harbour Rail said fares will rise by 7 percent after a review, the operator announced.",
    "undated.md": "Harbour Rail said fares will rise by 9 percent, a union leaflet claimed.",
}
DATES = {"old.md": "2024-11-04", "new.md": "2025-01-29"}
NOW = date(2025, 2, 5)
SEED_QUESTION = "What was reported about DeepSeek and Huawei in the last week of January 2025?"
SEED_DATES = {"2025-01-28", "2025-01-30"}


@pytest.fixture(scope="module")
def fares(tmp_path_factory: pytest.TempPathFactory) -> FakeSnapshot:
    """Three articles on one story: one old, one recent, one with no date."""
    return FakeSnapshot(tmp_path_factory.mktemp("window") / "corpus", ARTICLES, published=DATES)


def test_a_period_in_the_question_keeps_to_its_articles(fares: FakeSnapshot) -> None:
    result = answer("By how much will Harbour Rail fares rise, as reported last month?", fares, today=NOW)
    assert not result.abstained
    assert {c.path for c in result.citations} == {"new.md"}
    assert result.window is not None and result.window.since == date(2025, 1, 1)
    [note] = [n for n in result.notes if n.kind == "window"]
    assert note.text == ("Searched only articles published from 2025-01-01 to 2025-01-31 (last month): 1 of 3; "
                         "1 article with no date was left out.")
    assert result.to_json()["window"] == {"since": "2025-01-01", "until": "2025-01-31", "label": "last month",
                                          "latest": False, "articles": 1, "undated_left_out": 1}


def test_flags_win_over_the_question_and_an_empty_window_abstains(fares: FakeSnapshot) -> None:
    flagged = answer("By how much will Harbour Rail fares rise?", fares,
                     window=Window(date(2024, 11, 1), date(2024, 11, 30), "--since 2024-11"), today=NOW)
    assert {c.path for c in flagged.citations} == {"old.md"}
    empty = answer("By how much will Harbour Rail fares rise this week?", fares, today=NOW)
    assert empty.abstained and not empty.citations
    assert empty.answer.startswith("There are no articles from this week (2025-02-03 to 2025-02-05)")
    assert "1 article with no date" in empty.answer
    assert empty.to_json()["window"]["articles"] == 0


def test_an_index_with_no_dates_answers_a_period_question_from_every_article(tmp_path: Path) -> None:
    undated = FakeSnapshot(tmp_path / "corpus", ARTICLES)
    result = answer("By how much will Harbour Rail fares rise this week?", undated, today=NOW)
    assert not result.abstained and result.citations
    assert result.window is None and result.to_json()["window"] is None
    [note] = [n for n in result.notes if n.kind == "window"]
    assert note.text == ("No indexed article carries a publication date, so newsdesk could not keep to this week "
                         "(2025-02-03 to 2025-02-05): it searched all 3 articles, and the quotes may be from any time.")
    flagged = answer("By how much will Harbour Rail fares rise?", undated,
                     window=Window(date(2024, 11, 1), date(2024, 11, 30), "--since 2024-11"), today=NOW)
    assert flagged.abstained and flagged.answer.startswith("There are no articles from --since 2024-11")


def test_no_period_searches_everything(fares: FakeSnapshot) -> None:
    result = answer("By how much will Harbour Rail fares rise?", fares, today=NOW)
    assert result.window is None and result.to_json()["window"] is None
    assert not any(n.kind == "window" for n in result.notes)


def test_retrieval_filters_chroma_and_bm25_alike(built_index: NewsIndex) -> None:
    window = Window(date(2025, 1, 25), date(2025, 1, 31))
    view = built_index.retriever.view()
    dense = built_index.store().query(built_index.embedder().embed_query("Huawei Ascend chips"), 50,
                                    view.inside(window))
    assert dense and {view.chunks[h.chunk_id][0].published for h in dense} <= SEED_DATES
    keyword = view.bm25.search("Huawei Ascend chips", 50, window.mask(view.days))
    assert keyword and {view.chunks[cid][0].published for cid, _ in keyword} <= SEED_DATES
    everything = built_index.search("Huawei Ascend chips", 20)
    assert any(p.published is None for p in everything)
    assert built_index.search("Huawei Ascend chips", 5, window=Window(date(2026, 1, 1), None)) == []


def test_latest_orders_the_newest_articles_first(built_index: NewsIndex) -> None:
    passages = built_index.search("DeepSeek Huawei chips", 4, window=Window(latest=True))
    dates = [p.published or "" for p in passages]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2025-01-30"


def test_seed_corpus_answers_for_the_last_week_of_january_2025(indexed_env: NewsIndex,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEWSDESK_NOW", "2025-02-05")
    code, out, _ = run_cli(["ask", SEED_QUESTION, "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and not data["abstained"] and data["citations"]
    assert {c["published"] for c in data["citations"]} <= SEED_DATES
    assert data["window"]["since"] == "2025-01-25" and data["window"]["until"] == "2025-01-31"
    assert data["window"]["undated_left_out"] == 3
    [note] = [n for n in data["notes"] if n["kind"] == "window"]
    assert note["text"].startswith("Searched only articles published from 2025-01-25 to 2025-01-31 (the last week")
    code, out, _ = run_cli(["ask", SEED_QUESTION], capsys)
    shown = " ".join(out.split())
    assert code == 0 and "window: Searched only articles published from 2025-01-25" in shown
    assert "3 articles with no date were left out" in shown


def test_cli_flags_and_their_errors(indexed_env: NewsIndex, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["search", "Huawei chips", "--since", "2025-01-29", "--json"], capsys)
    assert code == 0 and {p["path"] for p in json.loads(out)} == {"huawei-chipsets-powering-deepseek-r1.md"}
    code, out, _ = run_cli(["ask", "Which chip runs DeepSeek R1 inference?", "--until", "2025-01-28", "--json"],
                           capsys)
    data = json.loads(out)
    assert code == 0 and {c["published"] for c in data["citations"]} == {"2025-01-28"}
    assert data["window"]["label"] == "--until 2025-01-28"
    code, out, err = run_cli(["ask", "Which chip?", "--since", "the other day"], capsys)
    assert code != 0 and "cannot read 'the other day' as a date" in err and "Traceback" not in err


def test_repl_keeps_every_question_to_the_flags_window(indexed_env: NewsIndex, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Which chip runs DeepSeek R1 inference?\nWho made the chip?\n"))
    code, out, err = run_cli(["repl", "--json", "--since", "2025-01-30"], capsys)
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(answers) == 2, err
    assert all(a["window"]["since"] == "2025-01-30" for a in answers)
    assert {c["published"] for a in answers for c in a["citations"]} <= {"2025-01-30"}


def test_discord_ask_takes_since_and_until_and_refuses_an_unreadable_date(built_index: NewsIndex) -> None:
    from tests.test_discord_bot import EPHEMERAL, FOLLOWUP, Harness, description, question, run

    dated = [{"name": "since", "type": 3, "value": "2025-01-29"}, {"name": "until", "type": 3, "value": "2025-01-31"}]

    async def scenario() -> None:
        h = await Harness(built_index).start()
        await h.run(h.interaction("ask", question("Which chip runs DeepSeek R1 inference?") + dated))
        text = description(h.http.find("POST", FOLLOWUP)[0].payload)
        assert "Huawei Chipsets Powering DeepSeek-R1" in text and "TweakTown" not in text
        assert "Searched only articles published from 2025-01-29 to 2025-01-31" in text
        bad = [{"name": "since", "type": 3, "value": "whenever"}]
        await h.run(h.interaction("ask", question("Which chip runs DeepSeek R1 inference?") + bad, uid=2002))
        refused = h.http.calls[-1].payload["data"]
        assert refused["flags"] == EPHEMERAL and "cannot read 'whenever' as a date" in refused["content"]

    run(scenario)
