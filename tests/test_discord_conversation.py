"""Discord conversations through the real handlers: threads, reply chains, DMs, /new, two members, a restart.

The bot is the real NewsdeskClient with discord.py objects built from raw payloads and the recorder from
test_discord_bot standing in for Discord's servers. The index is the small fake from tests/fake_snapshot.py over the
articles of test_conversation, where "How much is it paying for the business?" means the insurer's deal after the
insurer question, the bakery's after the bakery question, and asked alone carries nothing.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from bot.discord_bot import MAX_LINKS, ReplyChains
from tests.fake_snapshot import FakeSnapshot
from tests.test_conversation import ARTICLES, FIRST, PAYING
from tests.test_discord_bot import (
    ALICE,
    BOB,
    BOT_ID,
    CHANNEL_ID,
    CHANNEL_MESSAGES,
    DM_ID,
    EPHEMERAL,
    FOLLOWUP,
    NO_PINGS,
    START_THREAD,
    THREAD_MEMBER,
    THREADS_ALLOWED,
    Harness,
    description,
    question,
    run,
)

BAKERY = "Which bakery chain has Hollis Bread bought?"
UNDERSTOOD = "*Understood as: "


class TalkIndex(FakeSnapshot):
    """The fake index, with the folders the bot's settings are read from."""

    @property
    def config(self) -> SimpleNamespace:
        return SimpleNamespace(corpus_dir=self.corpus_dir, data_dir=self.corpus_dir.parent / "data")


@pytest.fixture(scope="module")
def talk(tmp_path_factory: pytest.TempPathFactory) -> TalkIndex:
    return TalkIndex(tmp_path_factory.mktemp("talk") / "corpus", ARTICLES)


def understood(body: dict[str, Any]) -> str | None:
    """The Understood-as line an answer opens with, or None when it was read on its own."""
    first = body["embeds"][0]["description"]
    return first.split("\n", 1)[0] if first.startswith(UNDERSTOOD) else None


def reply_to(h: Harness, asked: Any) -> dict[str, Any]:
    """The bot's (first) reply to one question message."""
    [body] = [c.payload for c in h.http.find("POST", CHANNEL_MESSAGES)
              if (c.payload.get("message_reference") or {}).get("message_id") == asked.id]
    return body


async def mention(h: Harness, text: str, uid: int = ALICE, **where: Any) -> dict[str, Any]:
    """Ask the bot by mention (in the channel, a thread, as a reply) or in a DM, and return its reply."""
    asked = h.message(text if where.get("dm") else f"<@{BOT_ID}> {text}", uid, **where)
    await h.client.on_message(asked)
    return reply_to(h, asked)


def sent_id(h: Harness, body: dict[str, Any]) -> int:
    """The id Discord gave a message the bot sent."""
    [call] = [c for c in h.http.calls if c.payload is body]
    return int(call.result["id"])


def test_ask_opens_a_thread_and_the_thread_is_the_conversation(talk: TalkIndex) -> None:
    async def scenario() -> None:
        h = await Harness(talk).start()
        await h.run(h.interaction("ask", question(FIRST), app_permissions=THREADS_ALLOWED))
        posted, opened, added = h.http.calls[:3]
        assert posted.payload["type"] == 4 and "flags" not in posted.payload["data"]  # the question, in public
        assert "asked: Which insurer" in posted.payload["data"]["content"]
        assert posted.payload["data"]["allowed_mentions"] == NO_PINGS
        assert opened.path == START_THREAD and opened.payload["name"] == FIRST
        thread_id = int(opened.url.split("/")[-2])
        assert added.path == THREAD_MEMBER and added.url.endswith(f"/channels/{thread_id}/thread-members/{ALICE}")
        [answer] = [c for c in h.http.find("POST", CHANNEL_MESSAGES) if c.url.endswith(f"/{thread_id}/messages")]
        assert understood(answer.payload) is None and "Metlife" in description(answer.payload)
        assert not h.http.find("POST", FOLLOWUP)  # the whole answer is in the thread

        thread = h.thread(thread_id, FIRST)
        follow = await mention(h, PAYING, thread=thread)
        line = understood(follow)
        assert line is not None and line.startswith(f"{UNDERSTOOD}{PAYING} [") and "Citigroup" in line
        await h.run(h.interaction("ask", question("And what profit did the unit make?"), thread=thread,
                                  app_permissions=THREADS_ALLOWED))
        [third] = h.http.find("POST", FOLLOWUP)  # /ask inside the thread answers there, in the same conversation
        assert "Citigroup" in (understood(third.payload) or "") and "$901m" in description(third.payload)

    run(scenario)


def test_a_reply_to_an_answer_continues_its_conversation_and_a_plain_mention_starts_fresh(talk: TalkIndex) -> None:
    async def scenario() -> None:
        h = await Harness(talk).start()
        first = await mention(h, FIRST)
        assert understood(first) is None
        follow = await mention(h, PAYING, reply_to=sent_id(h, first))
        assert "Citigroup" in (understood(follow) or "")
        again = await mention(h, "And what profit did the unit make?", uid=BOB, reply_to=sent_id(h, follow))
        assert "Citigroup" in (understood(again) or "")  # a reply continues the answer's conversation, whoever asks
        assert understood(await mention(h, PAYING)) is None  # no reply: read on its own

        await h.run(h.interaction("ask", question(FIRST)))  # no thread permission: answered in the channel
        [answered] = h.http.find("POST", FOLLOWUP)
        chained = await mention(h, PAYING, reply_to=sent_id(h, answered.payload))
        assert "Citigroup" in (understood(chained) or "")

    run(scenario)


def test_a_dm_is_one_conversation_for_mentions_and_ask(talk: TalkIndex) -> None:
    async def scenario() -> None:
        h = await Harness(talk).start()
        await h.client.on_message(h.message(FIRST, mention=False, dm=True))
        await h.client.on_message(h.message(PAYING, mention=False, dm=True))
        first, follow = [c.payload for c in h.http.find("POST", CHANNEL_MESSAGES)]
        assert h.http.find("POST", CHANNEL_MESSAGES)[-1].url.endswith(f"/channels/{DM_ID}/messages")
        assert understood(first) is None and "Citigroup" in (understood(follow) or "")
        await h.run(h.interaction("ask", question("And what profit did the unit make?"), dm=True))
        [third] = h.http.find("POST", FOLLOWUP)
        assert "Citigroup" in (understood(third.payload) or "")

    run(scenario)


def test_two_members_talk_in_one_thread_at_once_without_crossing(talk: TalkIndex) -> None:
    async def scenario() -> None:
        h = await Harness(talk).start()
        thread = h.thread(7000)
        await asyncio.gather(mention(h, FIRST, ALICE, thread=thread), mention(h, BAKERY, BOB, thread=thread))
        alice, bob = await asyncio.gather(mention(h, PAYING, ALICE, thread=thread),
                                          mention(h, PAYING, BOB, thread=thread))
        alice_line, bob_line = understood(alice) or "", understood(bob) or ""
        assert "Citigroup" in alice_line and "Hollis" not in alice_line and "Crumb" not in alice_line
        assert ("Hollis" in bob_line or "Crumb" in bob_line) and "Citigroup" not in bob_line

    run(scenario)


def test_new_clears_the_members_conversation_in_that_place_only(talk: TalkIndex) -> None:
    async def scenario() -> None:
        h = await Harness(talk).start()
        thread = h.thread(7001)
        await mention(h, FIRST, ALICE, thread=thread)
        await mention(h, BAKERY, BOB, thread=thread)
        await mention(h, FIRST, ALICE, dm=True, mention=False)
        await h.run(h.interaction("new", [], uid=ALICE, thread=thread))
        [done] = h.http.find("POST", "/callback")
        assert done.payload["data"]["flags"] == EPHEMERAL and "New conversation" in done.payload["data"]["content"]
        assert understood(await mention(h, PAYING, ALICE, thread=thread)) is None
        assert "Hollis" in (understood(await mention(h, PAYING, BOB, thread=thread)) or "")  # Bob's is kept
        assert "Citigroup" in (understood(await mention(h, PAYING, ALICE, dm=True, mention=False)) or "")

        answer = await mention(h, FIRST)  # a reply chain in the channel, then /new in the channel
        await h.run(h.interaction("new", [], uid=ALICE))
        assert understood(await mention(h, PAYING, reply_to=sent_id(h, answer))) is None

    run(scenario)


def test_a_restart_loses_every_context_cleanly(talk: TalkIndex) -> None:
    async def scenario() -> None:
        before = await Harness(talk).start()
        thread = before.thread(7002)
        await mention(before, FIRST, thread=thread)
        await before.run(before.interaction("ask", question(FIRST), uid=BOB, thread=thread))
        chain = await mention(before, FIRST)
        assert "Citigroup" in (understood(await mention(before, PAYING, thread=thread)) or "")

        after = await Harness(talk).start()  # a new process: a new client and a new, empty store
        assert len(after.client.places.store) == 0 and len(after.client.places.chains) == 0
        thread = after.thread(7002)
        assert understood(await mention(after, PAYING, thread=thread)) is None
        assert understood(await mention(after, PAYING, reply_to=sent_id(before, chain))) is None
        await after.run(after.interaction("ask", question(PAYING), uid=BOB, thread=thread))
        assert understood(after.http.find("POST", FOLLOWUP)[0].payload) is None

    run(scenario)


def test_a_channel_that_refuses_threads_gets_its_answer_in_the_channel(talk: TalkIndex) -> None:
    async def scenario() -> None:
        h = await Harness(talk).start()
        h.http.refuse_threads = True
        await h.run(h.interaction("ask", question(FIRST), app_permissions=THREADS_ALLOWED))
        [answered] = h.http.find("POST", FOLLOWUP)
        assert "Metlife" in description(answered.payload)
        [edited] = h.http.find("PATCH", "/messages/@original")  # the posted question no longer points to a thread
        assert "asked: Which insurer" in edited.payload["content"] and "thread" not in edited.payload["content"]
        follow = await mention(h, PAYING, reply_to=sent_id(h, answered.payload))
        assert "Citigroup" in (understood(follow) or "")

    run(scenario)


def test_reply_chains_are_bounded_and_forgotten_with_the_time_out() -> None:
    now = [0.0]
    chains = ReplyChains(timeout=900.0, clock=lambda: now[0])
    place = ("discord", 1, CHANNEL_ID, ALICE, "reply", 10)
    chains.link([11, 12], place)
    now[0] = 899.0
    assert chains.find(11) == place and chains.find(99) is None
    chains.link([13], place)  # the chain answered again: every message of it stays live
    now[0] = 1700.0
    assert chains.find(11) == place
    now[0] = 1800.0
    assert chains.find(13) is None  # idle past the time-out: a reply starts fresh
    chains.link([20], ("discord", 1, CHANNEL_ID, BOB, "reply", 19))
    assert len(chains) == 1  # the stale chain's links were swept from memory
    for i in range(MAX_LINKS + 5):
        chains.link([100 + i], place)
    assert len(chains) == MAX_LINKS and chains.find(100) is None and chains.find(100 + MAX_LINKS + 4) == place
    assert chains.forget(("discord", 1, CHANNEL_ID, ALICE)) == [place] and chains.find(100 + MAX_LINKS) is None
