"""Load through the real Discord handlers (recorded HTTP): concurrency, loop lag, memory, cooldown, admin routes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from bot.answering.answer import answer
from bot.discord_format import APOLOGY
from bot.evaluate import load_items, quotes_valid
from index.handle import NewsIndex
from tests.conftest import SHARED, write_bbc_corpus
from tests.test_discord_bot import BOT_ID, EDITORS, FOLLOWUP, Harness, description, question, run


def dev_questions() -> list[str]:
    path = SHARED / "eval" / "dev.jsonl"
    if not path.exists():
        pytest.skip("dev.jsonl not found")
    return [item.question for item in load_items(path)]


def fingerprint(index: NewsIndex, text: str) -> str:
    """A phrase that identifies this question's answer: its first quote's opening words, or the abstention."""
    result = answer(text, index)
    return "do not cover" if result.abstained else " ".join(result.citations[0].quote.split()[:6])


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def lag_monitor(stop: asyncio.Event, lags: list[float]) -> None:
    """How late the loop wakes a 20 ms sleeper: a blocked loop would stall Discord's heartbeat the same way."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        start = loop.time()
        await asyncio.sleep(0.02)
        lags.append(loop.time() - start - 0.02)


async def burst(h: Harness, questions: list[str], first_uid: int, count: int) -> list[tuple[int, str]]:
    """`count` /ask calls at once, each from its own member; returns (uid, question) pairs."""
    asked = [(first_uid + i, questions[i % len(questions)]) for i in range(count)]
    await asyncio.gather(*(h.run(h.interaction("ask", question(q), uid=uid)) for uid, q in asked))
    return asked


def check_answers(h: Harness, asked: list[tuple[int, str]], expected: dict[str, str]) -> int:
    """Every member got exactly one answer, and it is the answer to their own question."""
    for uid, q in asked:
        followups = h.http.find("POST", FOLLOWUP, f"tok-ask-{uid}")
        assert len(followups) == 1, f"member {uid} got {len(followups)} answers"
        assert expected[q] in description(followups[0].payload).replace("\\", "")
    return len(asked)


def load_run(index: NewsIndex, figures: dict[str, Any], rounds: int) -> None:
    questions = dev_questions()
    expected = {q: fingerprint(index, q) for q in questions}

    async def scenario() -> None:
        h = await Harness(index).start()
        stop, lags = asyncio.Event(), []
        monitor = asyncio.create_task(lag_monitor(stop, lags))
        asked = await burst(h, questions, 10_000, 200)
        figures["questions sent under load"] += len(asked)
        figures["questions answered under load"] += check_answers(h, asked, expected)
        before = rss_mb()
        for r in range(rounds):
            h.http.calls.clear()
            more = await burst(h, questions, 20_000 + r * 200, 200)
            figures["questions sent under load"] += len(more)
            figures["questions answered under load"] += check_answers(h, more, expected)
        drift = rss_mb() - before
        stop.set()
        await monitor
        p99 = sorted(lags)[int(0.99 * (len(lags) - 1))]
        figures["event-loop lag p99 ms"] = round(max(p99 * 1000, figures.get("event-loop lag p99 ms", 0)), 1)
        figures["RSS drift MB"] = round(drift, 1)
        assert max(lags) < 1.0, f"the event loop was blocked for {max(lags):.2f} s"
        assert drift < 50, f"memory grew by {drift:.0f} MB over {rounds * 200} questions"

    asyncio.run(asyncio.wait_for(scenario(), timeout=1800))


def test_200_concurrent_questions(built_index: NewsIndex, figures: dict[str, Any]) -> None:
    load_run(built_index, figures, rounds=1)


@pytest.mark.soak
def test_2000_questions_memory_stays_flat(built_index: NewsIndex, figures: dict[str, Any]) -> None:
    load_run(built_index, figures, rounds=10)


def test_cooldown_holds_under_a_burst(built_index: NewsIndex) -> None:
    async def scenario() -> None:
        h = await Harness(built_index, cooldown_seconds=30.0).start()
        await asyncio.gather(*(h.run(h.interaction("ask", question("What chips?"), uid=7777)) for _ in range(20)))
        answers = h.http.find("POST", FOLLOWUP, "tok-ask-7777")
        notes = [c for c in h.http.calls if c.path.endswith("/callback") and c.payload["type"] == 4]
        assert len(answers) == 1 and len(notes) == 19
        assert all(c.payload["data"]["flags"] & 64 for c in notes)  # private

    run(scenario)


@pytest.fixture
def growing_index(news_index: NewsIndex, corpus_dir: Path) -> NewsIndex:
    news_index.reindex()
    write_bbc_corpus(corpus_dir, 40)  # work for the next re-index
    return news_index


def test_non_admins_cannot_reindex_by_any_route(growing_index: NewsIndex) -> None:
    generation = growing_index.manifests.current_generation()

    async def scenario() -> None:
        h = await Harness(growing_index).start()
        await h.run(h.interaction("reindex", [], uid=5050))
        await h.client.on_message(h.message(f"<@{BOT_ID}> /reindex", uid=5050))
        await h.client.on_message(h.message("/reindex", uid=5050, mention=False, dm=True))
        await h.client.on_message(h.message(f"<@{BOT_ID}> /add", uid=5050))
        await h.run(h.interaction("reindex", [], uid=5051, dm=True))

    run(scenario)
    assert growing_index.manifests.current_generation() == generation


def test_questions_during_reindex_see_a_consistent_index(growing_index: NewsIndex) -> None:
    old = growing_index.manifests.load()
    questions = dev_questions()

    async def scenario() -> None:
        h = await Harness(growing_index).start()
        job = asyncio.create_task(h.run(h.interaction("reindex", [], uid=6000, roles=(EDITORS,))))
        asked: list[tuple[int, str]] = []
        while not job.done():
            asked += await burst(h, questions, 30_000 + len(asked), 4)
            await asyncio.sleep(0.05)
        await job
        new = growing_index.manifests.load()
        assert new.generation > old.generation and len(asked) >= 8
        corpus = growing_index.config.corpus_dir
        for uid, _ in asked:
            body = h.http.find("POST", FOLLOWUP, f"tok-ask-{uid}")
            assert len(body) == 1 and APOLOGY not in json.dumps(body[0].payload)
        for q in questions[:3]:
            assert quotes_valid(answer(q, growing_index), corpus)

    asyncio.run(asyncio.wait_for(scenario(), timeout=600))
