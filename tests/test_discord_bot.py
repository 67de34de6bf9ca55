"""The Discord bot's real handlers driven through real discord.py objects built from raw payloads.

Only the network boundary is fake: `Recorder` stands in for discord.py's HTTP client (and the webhook adapter
that interaction responses use) and records every request the bot makes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
from discord.http import HTTPClient, Route
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

import bot.discord_bot as discord_bot
from bot.config import Settings
from bot.conversation import answer_in_context
from bot.discord_bot import NewsdeskClient, serve
from bot.discord_format import APOLOGY, escape_markdown
from index.handle import NewsIndex
from tests.conftest import MODEL_DIR
from tests.test_discord_format import long_answer

EXE = Path(sys.executable).with_name("newsdesk")
APP_ID, BOT_ID, GUILD_ID, CHANNEL_ID, DM_ID = 1000, 1001, 2000, 3000, 3001
EDITORS, BOT_ROLE = 4000, 4001
ALICE, BOB, CAROL, OTHER_BOT = 5001, 5002, 5003, 5999
MANAGE_GUILD = str(discord.Permissions(manage_guild=True).value)
NO_PINGS = {"parse": []}
EPHEMERAL = 64
FOLLOWUP = "/webhooks/{webhook_id}/{webhook_token}"
MESSAGE = "/channels/{channel_id}/messages/{message_id}"
CHANNEL_MESSAGES = "/channels/{channel_id}/messages"
START_THREAD = "/channels/{channel_id}/messages/{message_id}/threads"
THREAD_MEMBER = "/channels/{channel_id}/thread-members/{user_id}"
THREADS_ALLOWED = str(discord.Permissions(create_public_threads=True, send_messages_in_threads=True).value)
FAKE_TOKEN = "MTIzNDU2Nzg5.fake-token-value.never-shown"
MOON = ("Lunar data centre opens\n\nThe first lunar data centre opened on Tuesday near the Shackleton crater, its "
        "operator said. Its operator posted: “@everyone <@&4000> the lunar data centre opened today and is online.” "
        "The lunar data centre runs on solar power and stores scientific data.\n")


@dataclass
class Call:
    """One request the bot made."""

    method: str
    path: str
    url: str
    token: str | None
    payload: Any
    result: Any = None  # what Discord answered (a sent message's payload carries its new id)


class FakeResponse:
    """Just enough of an aiohttp response for discord.HTTPException."""

    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason


def user(uid: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {"id": str(uid), "username": name, "discriminator": "0", "global_name": name, "avatar": None, "bot": bot}


def message_payload(channel_id: Any, message_id: int, sent: dict[str, Any] | None) -> dict[str, Any]:
    sent = sent or {}
    return {
        "id": str(message_id), "channel_id": str(channel_id), "author": user(BOT_ID, "newsdesk", bot=True),
        "content": sent.get("content", ""), "embeds": sent.get("embeds", []), "attachments": [], "mentions": [],
        "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False, "type": 0, "flags": 0,
        "timestamp": "2025-02-01T12:00:00+00:00", "edited_timestamp": None, "components": [],
    }


def callback_payload(route: Route, payload: Any, message_id: int) -> dict[str, Any]:
    """Discord's answer to an interaction response: a posted message (type 4) comes back as its resource."""
    answered: dict[str, Any] = {"interaction": {"id": str(route.webhook_id), "type": 2}}
    if payload and payload.get("type") == 4:
        message = message_payload(CHANNEL_ID, message_id, payload["data"])
        answered["resource"] = {"type": 4, "message": message}
    return answered


def thread_payload(thread_id: int, name: str) -> dict[str, Any]:
    """A public thread in the news channel, as Discord describes one (a thread from a message shares its id)."""
    return {"id": str(thread_id), "type": 11, "guild_id": str(GUILD_ID), "parent_id": str(CHANNEL_ID),
            "owner_id": str(BOT_ID), "name": name, "message_count": 0, "member_count": 1,
            "thread_metadata": {"archived": False, "auto_archive_duration": 1440, "locked": False,
                                "archive_timestamp": "2025-02-01T12:00:00+00:00"}}


def sent_payload(kwargs: dict[str, Any]) -> Any:
    """The JSON body of a request, whether sent as JSON or as multipart form data."""
    if "json" in kwargs or "payload" in kwargs:
        return kwargs.get("json", kwargs.get("payload"))
    for field in kwargs.get("form") or kwargs.get("multipart") or []:
        if field["name"] == "payload_json":
            return json.loads(field["value"])
    return None


class Recorder(HTTPClient):
    """Stands in for discord.py's HTTP client: records every request and answers as Discord would."""

    def __init__(self) -> None:
        super().__init__(loop=None)  # type: ignore[arg-type]  # the client sets the loop when it starts
        self.calls: list[Call] = []
        self.cdn: dict[str, bytes] = {}
        self.ids = itertools.count(9000)
        self.response_ids = itertools.count(8000)  # messages posted as interaction responses
        self.reject_login = False
        self.refuse_threads = False

    async def request(self, route: Route, **kwargs: Any) -> Any:
        call = Call(route.method, route.path, route.url, route.webhook_token, sent_payload(kwargs))
        self.calls.append(call)
        await asyncio.sleep(0)
        call.result = self.respond(route, call.payload)
        return call.result

    def respond(self, route: Route, payload: Any) -> Any:
        key = (route.method, route.path)
        if key == ("GET", "/users/@me"):
            if self.reject_login:
                raise discord.HTTPException(FakeResponse(401, "Unauthorized"), {"message": "401: Unauthorized"})
            return user(BOT_ID, "newsdesk", bot=True)
        if key[1].endswith("/callback"):
            return callback_payload(route, payload, next(self.response_ids))
        if key[1].endswith("/commands"):
            return [dict(c, id=str(next(self.ids)), application_id=str(APP_ID), version="1") for c in payload]
        if key == ("POST", START_THREAD):
            if self.refuse_threads:
                raise discord.Forbidden(FakeResponse(403, "Forbidden"), {"message": "Missing Permissions"})
            return thread_payload(int(route.url.split("/")[-2]), payload["name"])
        if key[0] in ("POST", "PATCH") and ("/messages" in key[1] or key[1].startswith("/webhooks/")):
            return message_payload(route.channel_id or CHANNEL_ID, next(self.ids), payload)
        if key in (("POST", "/channels/{channel_id}/typing"), ("DELETE", MESSAGE), ("PUT", THREAD_MEMBER)):
            return None
        raise AssertionError(f"unexpected request {route.method} {route.path}")

    async def get_from_cdn(self, url: str) -> bytes:
        self.calls.append(Call("GET", "cdn", url, None, None))
        return self.cdn[url]

    def find(self, method: str, ending: str, token: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.path.endswith(ending)
                and (token is None or c.token == token)]

    def sent(self, token: str | None = None) -> list[Any]:
        """Every message body the bot sent: channel messages, interaction responses, follow-ups and edits."""
        return [c.payload for c in self.calls if c.payload and c.method in ("POST", "PATCH")
                and (token is None or c.token == token) and not c.path.endswith("/commands")]


class RecordingAdapter(AsyncWebhookAdapter):
    """Interaction responses and follow-ups go through discord.py's webhook adapter: route them to the recorder."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    async def request(self, route: Route, session: Any, **kwargs: Any) -> Any:
        return await self.recorder.request(route, **kwargs)


def role(rid: int, name: str, **extra: Any) -> dict[str, Any]:
    return {"id": str(rid), "name": name, "permissions": "0", "position": 0, "color": 0, "hoist": False,
            "managed": False, "mentionable": False, "flags": 0, **extra}


CHANNEL = {"id": str(CHANNEL_ID), "type": 0, "name": "news", "position": 0, "permission_overwrites": [],
           "guild_id": str(GUILD_ID)}
GUILD = {
    "id": str(GUILD_ID), "name": "Newsroom", "owner_id": "1", "features": [], "emojis": [], "stickers": [],
    "members": [], "member_count": 4, "channels": [CHANNEL],
    "roles": [role(GUILD_ID, "@everyone"), role(EDITORS, "Editors"),
              role(BOT_ROLE, "newsdesk", managed=True, tags={"bot_id": str(BOT_ID)})],
}


class Harness:
    """One bot wired to a recorder, plus builders for the payloads Discord would send it."""

    def __init__(self, index: NewsIndex, **settings: Any) -> None:
        values = {"corpus_dir": index.config.corpus_dir, "data_dir": index.config.data_dir, "model_dir": MODEL_DIR,
                  "cooldown_seconds": 0.0, "admin_role": "Editors"} | settings
        self.client = NewsdeskClient(Settings(**values), index)
        self.http = Recorder()
        self.client.http = self.client._connection.http = self.client.tree._http = self.http  # every holder of it
        self.state = self.client._connection
        self.state.application_id = APP_ID
        self.state.user = discord.ClientUser(state=self.state, data=user(BOT_ID, "newsdesk", bot=True))
        self.guild = discord.Guild(data=GUILD, state=self.state)
        self.state._add_guild(self.guild)
        self.ids = itertools.count(100)

    async def start(self) -> Harness:
        await self.client._async_setup_hook()
        async_context.set(RecordingAdapter(self.http))
        return self

    def interaction(self, name: str, options: list[dict[str, Any]], uid: int = ALICE, *, roles: tuple[int, ...] = (),
                    permissions: str = "0", resolved: dict[str, Any] | None = None, dm: bool = False,
                    thread: discord.Thread | None = None, app_permissions: str = "0") -> Any:
        data: dict[str, Any] = {
            "id": str(next(self.ids)), "application_id": str(APP_ID), "type": 2, "token": f"tok-{name}-{uid}",
            "version": 1, "locale": "en-US", "app_permissions": app_permissions, "entitlements": [],
            "attachment_size_limit": 26214400,
            "data": {"id": "77", "name": name, "type": 1, "options": options, "resolved": resolved or {}},
        }
        if dm:
            data |= {"channel": {"id": str(DM_ID), "type": 1, "recipients": [user(uid, "alice")]}, "context": 1,
                     "user": user(uid, f"user{uid}")}
        else:
            where = thread_payload(thread.id, thread.name) if thread else CHANNEL
            data |= {"guild_id": str(GUILD_ID), "channel_id": where["id"], "channel": where, "context": 0,
                     "guild_locale": "en-US",
                     "member": {"user": user(uid, f"user{uid}"), "roles": [str(r) for r in roles],
                                "permissions": permissions, "joined_at": "2024-01-01T00:00:00+00:00",
                                "deaf": False, "mute": False, "flags": 0}}
        return discord.Interaction(data=data, state=self.state)

    def message(self, content: str, uid: int = ALICE, *, mention: bool = True, dm: bool = False,
                bot: bool = False, everyone: bool = False, roles: tuple[int, ...] = (),
                thread: discord.Thread | None = None, reply_to: int | None = None) -> discord.Message:
        author = user(uid, f"user{uid}", bot=bot)
        where = DM_ID if dm else thread.id if thread else CHANNEL_ID
        data: dict[str, Any] = {
            "id": str(next(self.ids)), "channel_id": str(where), "author": author,
            "content": content, "timestamp": "2025-02-01T12:00:00+00:00", "edited_timestamp": None, "tts": False,
            "mention_everyone": everyone, "mentions": [user(BOT_ID, "newsdesk", bot=True)] if mention else [],
            "mention_roles": [str(r) for r in roles], "attachments": [], "embeds": [], "pinned": False, "type": 0,
            "flags": 0, "components": [],
        }
        if dm:
            channel: Any = discord.DMChannel(me=self.client.user, state=self.state,  # type: ignore[arg-type]
                                             data={"id": str(DM_ID), "type": 1, "recipients": [author]})
        else:
            data |= {"guild_id": str(GUILD_ID), "member": {"roles": [], "joined_at": "2024-01-01T00:00:00+00:00",
                                                           "deaf": False, "mute": False, "flags": 0}}
            channel = thread or self.guild.get_channel(CHANNEL_ID)
        if reply_to is not None:  # a reply, as Discord sends it (the replied-to author is pinged, so mentioned)
            reference = {"message_id": str(reply_to), "channel_id": str(where)}
            data |= {"type": 19, "message_reference": reference | ({} if dm else {"guild_id": str(GUILD_ID)})}
        return discord.Message(state=self.state, channel=channel, data=data)

    def thread(self, thread_id: int, name: str = "a question") -> discord.Thread:
        """A public thread of the news channel, known to the bot as the gateway would have announced it."""
        thread = discord.Thread(guild=self.guild, state=self.state, data=thread_payload(thread_id, name))
        self.guild._add_thread(thread)
        return thread

    async def run(self, interaction: Any) -> None:
        await self.client.tree._call(interaction)


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run one async scenario in a fresh event loop (pytest-asyncio is not needed)."""
    asyncio.run(asyncio.wait_for(scenario(), timeout=60))


def question(text: str) -> list[dict[str, Any]]:
    return [{"name": "question", "type": 3, "value": text}]


def description(body: dict[str, Any]) -> str:
    return " ".join(e.get("description", "") for e in body.get("embeds", []))


def attachment(name: str, size: int, url: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    options = [{"name": "article", "type": 11, "value": "55"}]
    resolved = {"attachments": {"55": {"id": "55", "filename": name, "size": size, "url": url, "proxy_url": url}}}
    return options, resolved


def test_ask_is_deferred_then_answered_with_quotes_sources_and_notes(built_index: NewsIndex) -> None:
    async def scenario() -> None:
        h = await Harness(built_index).start()
        await h.run(h.interaction("ask", question("What was the reported cost of DeepSeek's model?")))
        first, *rest = h.http.calls
        assert first.path.endswith("/callback") and first.payload["type"] == 5  # deferred before any work
        followups = h.http.find("POST", FOLLOWUP)
        assert len(followups) == 1 and rest == followups
        body = followups[0].payload
        text = description(body)
        assert body["embeds"][0]["title"].startswith("Answer · confidence")
        assert "$5 million" in text and "$6 million" in text and "**Sources**" in text
        assert "⚠️ **Conflict:**" in text
        assert body["allowed_mentions"] == NO_PINGS
        assert [b["label"] for row in body["components"] for b in row["components"]][:2] == ["[1]", "[2]"]

    run(scenario)


def test_ask_abstains_plainly(built_index: NewsIndex) -> None:
    async def scenario() -> None:
        h = await Harness(built_index).start()
        await h.run(h.interaction("ask", question("Who won the 1998 football World Cup final?")))
        body = h.http.find("POST", FOLLOWUP)[0].payload
        assert body["embeds"][0]["title"] == "Not in the articles"
        assert "do not cover this question" in description(body) and not body.get("components")

    run(scenario)


def test_ask_user_error_is_shown_and_a_bug_is_only_apologised_for(built_index: NewsIndex,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_: Any) -> None:
        raise RuntimeError("secret internals")

    async def scenario() -> None:
        h = await Harness(built_index).start()
        await h.run(h.interaction("ask", question("x" * 3000)))
        [refused] = h.http.calls  # refused privately at once: nothing posted, no thread opened
        assert refused.payload["data"]["flags"] == EPHEMERAL and "characters long" in refused.payload["data"]["content"]
        monkeypatch.setattr(discord_bot, "answer_in_context", broken)
        await h.run(h.interaction("ask", question("What chips does DeepSeek use?"), uid=BOB))
        reply = h.http.sent("tok-ask-5002")[-1]["content"]
        assert reply == APOLOGY and "secret" not in reply
        await h.client.on_message(h.message(f"<@{BOT_ID}> What chips does DeepSeek use?", uid=CAROL))
        mention_reply = h.http.find("POST", CHANNEL_MESSAGES)[-1].payload
        assert mention_reply["content"] == APOLOGY and "message_reference" in mention_reply

    with caplog.at_level(logging.ERROR, logger="bot.discord_bot"):
        run(scenario)
    assert caplog.text.count("secret internals") >= 2  # both tracebacks go to the log, not to the user


def test_mention_and_dm_get_the_same_answer_as_a_reply(built_index: NewsIndex) -> None:
    async def scenario() -> None:
        h = await Harness(built_index).start()
        asked = h.message(f"<@{BOT_ID}> Which Nvidia chips was DeepSeek R1 trained on?")
        await h.client.on_message(asked)
        reply = h.http.find("POST", "/channels/{channel_id}/messages")[-1].payload
        assert reply["message_reference"]["message_id"] == asked.id
        assert "H800" in description(reply) and reply["allowed_mentions"] == NO_PINGS

        h.http.calls.clear()
        await h.client.on_message(h.message("Which Nvidia chips was DeepSeek R1 trained on?", mention=False, dm=True))
        dm_reply = h.http.find("POST", "/channels/{channel_id}/messages")[-1]
        assert dm_reply.url.endswith(f"/channels/{DM_ID}/messages") and "H800" in description(dm_reply.payload)

        await h.client.on_message(h.message(f"<@{BOT_ID}>   "))
        assert "mention me with a question" in h.http.sent()[-1]["content"]

    run(scenario)


def test_bots_itself_and_unaddressed_messages_are_ignored(built_index: NewsIndex) -> None:
    async def scenario() -> None:
        h = await Harness(built_index).start()
        await h.client.on_message(h.message(f"<@{BOT_ID}> What chips?", uid=OTHER_BOT, bot=True))
        await h.client.on_message(h.message(f"<@{BOT_ID}> What chips?", uid=BOT_ID, bot=True))
        await h.client.on_message(h.message("What chips does DeepSeek use?", mention=False))
        await h.client.on_message(h.message("@everyone what chips?", mention=False, everyone=True))
        assert h.http.calls == []
        await h.client.on_message(h.message(f"<@&{EDITORS}> What chips?", mention=False, roles=(EDITORS,)))
        assert h.http.calls == []
        await h.client.on_message(h.message(f"<@&{BOT_ROLE}> What chips does DeepSeek use for inference?",
                                            mention=False, roles=(BOT_ROLE,)))
        assert "910C" in description(h.http.sent()[-1])  # the bot's own role addresses the bot too

    run(scenario)


def test_long_answer_is_split_with_the_reply_reference_on_the_first_part_only(
        built_index: NewsIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    long = long_answer()
    monkeypatch.setattr(discord_bot, "answer_in_context", lambda *_: long)

    async def scenario() -> None:
        h = await Harness(built_index).start()
        await h.client.on_message(h.message(f"<@{BOT_ID}> Tell me everything"))
        parts = [c.payload for c in h.http.find("POST", "/channels/{channel_id}/messages")]
        assert len(parts) >= 3
        assert "message_reference" in parts[0] and all("message_reference" not in p for p in parts[1:])
        assert all(len(description(p)) <= 4096 and p["allowed_mentions"] == NO_PINGS for p in parts)
        assert parts[-1]["components"] and all(not p.get("components") for p in parts[:-1])
        text = "\n".join(description(p) for p in parts)
        assert all(escape_markdown(c.quote) in text for c in long.citations)

    run(scenario)


def test_cooldown_gives_a_friendly_private_note(built_index: NewsIndex) -> None:
    async def scenario() -> None:
        h = await Harness(built_index, cooldown_seconds=60.0).start()
        await h.run(h.interaction("ask", question("What chips does DeepSeek use for inference?")))
        h.http.calls.clear()
        await h.run(h.interaction("ask", question("And for training?")))
        [call] = h.http.calls
        assert call.payload["type"] == 4 and call.payload["data"]["flags"] == EPHEMERAL
        assert "ask again in 60 s" in call.payload["data"]["content"]

        await h.client.on_message(h.message(f"<@{BOT_ID}> And for training?"))
        assert "you can ask again in" in h.http.calls[-1].payload["content"]
        await h.run(h.interaction("ask", question("Which Nvidia chips was DeepSeek R1 trained on?"), uid=BOB))
        assert "H800" in description(h.http.find("POST", FOLLOWUP, f"tok-ask-{BOB}")[0].payload)  # per user

    run(scenario)


def test_cooldown_is_per_member_and_ends() -> None:
    now = [100.0]
    cooldown = discord_bot.Cooldown(5.0, clock=lambda: now[0])
    assert cooldown.wait(ALICE) == 0.0 and cooldown.wait(BOB) == 0.0
    now[0] = 103.0
    assert cooldown.wait(ALICE) == pytest.approx(2.0)
    now[0] = 105.0
    assert cooldown.wait(ALICE) == 0.0 and cooldown.wait(ALICE) == pytest.approx(5.0)


def test_two_concurrent_asks_are_answered_concurrently_and_correctly(built_index: NewsIndex,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    barrier = threading.Barrier(2, timeout=10)

    def both_at_once(text: str, index: NewsIndex, conversation: Any, *rest: Any) -> Any:
        barrier.wait()  # only passes when both questions are being answered at the same time, off the loop
        return answer_in_context(text, index, conversation, *rest)

    monkeypatch.setattr(discord_bot, "answer_in_context", both_at_once)

    async def scenario() -> None:
        h = await Harness(built_index).start()
        await asyncio.gather(
            h.run(h.interaction("ask", question("Which Nvidia chips was DeepSeek R1 trained on?"), uid=ALICE)),
            h.run(h.interaction("ask", question("What was the reported cost of DeepSeek's model?"), uid=BOB)),
        )
        alice = description(h.http.find("POST", FOLLOWUP, f"tok-ask-{ALICE}")[0].payload)
        bob = description(h.http.find("POST", FOLLOWUP, f"tok-ask-{BOB}")[0].payload)
        assert "H800" in alice and "$5 million" not in alice
        assert "$5 million" in bob

    run(scenario)


def test_sources_command_and_button_show_the_full_passage(built_index: NewsIndex) -> None:
    async def scenario() -> None:
        h = await Harness(built_index).start()
        await h.run(h.interaction("sources", [{"name": "n", "type": 4, "value": 1}]))
        assert "ask a question first" in h.http.calls[-1].payload["data"]["content"]

        await h.run(h.interaction("ask", question("Which Nvidia chips was DeepSeek R1 trained on?")))
        result = h.client.answers[ALICE]
        await h.run(h.interaction("sources", [{"name": "n", "type": 4, "value": 1}]))
        data = h.http.calls[-1].payload["data"]
        assert data["flags"] == EPHEMERAL and data["allowed_mentions"] == NO_PINGS
        assert f"**{result.citations[0].quote}**" in data["embeds"][0]["description"]

        followup = h.http.find("POST", FOLLOWUP)[0].payload
        button = followup["components"][0]["components"][-1]
        click = {"id": "501", "application_id": str(APP_ID), "type": 3, "token": "tok-click", "version": 1,
                 "guild_id": str(GUILD_ID), "channel_id": str(CHANNEL_ID), "channel": CHANNEL, "context": 0,
                 "member": {"user": user(BOB, "bob"), "roles": [], "permissions": "0", "deaf": False, "mute": False,
                            "joined_at": "2024-01-01T00:00:00+00:00", "flags": 0},
                 "message": message_payload(CHANNEL_ID, 9000, followup), "attachment_size_limit": 26214400,
                 "data": {"custom_id": button["custom_id"], "component_type": 2}}
        h.state.parse_interaction_create(click)  # the gateway event, dispatched to the view as in production
        for _ in range(200):
            if h.http.find("POST", "/callback", "tok-click"):
                break
            await asyncio.sleep(0.01)
        [shown] = h.http.find("POST", "/callback", "tok-click")
        cited = result.citations[len(followup["components"][0]["components"]) - 1]
        assert shown.payload["data"]["flags"] == EPHEMERAL
        assert f"**{cited.quote}**" in shown.payload["data"]["embeds"][0]["description"]

    run(scenario)


@pytest.mark.parametrize("command", ["reindex", "add"])
def test_index_commands_refuse_members_without_permission(built_index: NewsIndex, command: str) -> None:
    before = built_index.status()

    async def scenario() -> None:
        h = await Harness(built_index).start()
        options, resolved = ([], {}) if command == "reindex" else attachment("a.txt", 100, "https://cdn.example/a.txt")
        await h.run(h.interaction(command, options, uid=ALICE, resolved=resolved))
        [call] = h.http.calls
        assert call.payload["data"]["flags"] == EPHEMERAL
        assert "Only members with the Manage Server permission or the Editors role" in call.payload["data"]["content"]

    run(scenario)
    assert built_index.status() == before


def test_reindex_by_the_admin_role_shows_progress_in_one_message_and_reports_like_the_cli(
        small_index: NewsIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    (small_index.config.corpus_dir / "moon.txt").write_text(MOON, encoding="utf-8")
    monkeypatch.setattr(discord_bot, "PROGRESS_SECONDS", 0.001)

    async def scenario() -> None:
        h = await Harness(small_index).start()
        await h.run(h.interaction("reindex", [], uid=BOB, roles=(EDITORS,)))
        first, *edits = h.http.calls
        assert first.path.endswith("/callback") and first.payload["type"] == 4
        assert "flags" not in first.payload["data"] and first.payload["data"]["content"].startswith("⏳ Re-indexing")
        assert len(edits) >= 2 and all(c.method == "PATCH" and c.path.endswith("/@original") for c in edits)
        assert all(c.payload["content"].startswith("⏳ Re-indexing… ") for c in edits[:-1])
        final = edits[-1].payload["content"]
        assert final.startswith("✅ indexed 3 articles") and "1 added" in final

    run(scenario)


def test_add_by_a_manager_then_everyone_in_a_quote_pings_nobody(small_index: NewsIndex) -> None:
    url = "https://cdn.example/moon.txt"

    async def scenario() -> None:
        h = await Harness(small_index).start()
        h.http.cdn[url] = MOON.encode()
        options, resolved = attachment("Moon Base.txt", len(MOON.encode()), url)
        add = h.interaction("add", options, uid=CAROL, permissions=MANAGE_GUILD, resolved=resolved)
        ask = h.interaction("ask", question("Which Nvidia chips was DeepSeek R1 trained on?"), uid=ALICE)
        await asyncio.gather(h.run(add), h.run(ask))  # a question during the re-index sees the old or new index
        assert "H800" in description(h.http.find("POST", FOLLOWUP)[0].payload)
        final = h.http.find("PATCH", "/messages/@original")[-1].payload["content"]
        assert "new: Moon Base.txt → moon-base.md" in final and "indexed 3 articles" in final

        await h.run(h.interaction("ask", question("When did the lunar data centre open?"), uid=BOB))
        body = h.http.find("POST", FOLLOWUP, f"tok-ask-{BOB}")[0].payload
        assert "@everyone \\<@&4000>" in description(body)
        assert body["allowed_mentions"] == NO_PINGS

    run(scenario)
    assert (small_index.config.corpus_dir / "moon-base.md").exists()


@pytest.mark.parametrize(("name", "size", "raw", "reason"), [
    ("photo.txt", 300, b"\x00\x01\x02" * 100, "photo.txt was not added: binary file, not text"),
    ("huge.txt", 6 * 1024 * 1024, None, "huge.txt: file is 6.3 MB, over the 5 MB limit"),
    ("scan.pdf", 300, None, "unsupported file type '.pdf'"),
])
def test_add_refuses_an_unreadable_attachment_and_loses_nothing(small_index: NewsIndex, name: str, size: int,
                                                                raw: bytes | None, reason: str) -> None:
    url = f"https://cdn.example/{name}"
    corpus = small_index.config.corpus_dir
    files_before, status_before = sorted(p.name for p in corpus.iterdir()), small_index.status()

    async def scenario() -> None:
        h = await Harness(small_index).start()
        if raw is not None:
            h.http.cdn[url] = raw
        options, resolved = attachment(name, size, url)
        await h.run(h.interaction("add", options, uid=BOB, roles=(EDITORS,), resolved=resolved))
        shown = [p.get("content") or p.get("data", {}).get("content", "") for p in h.http.sent()]
        assert any(reason in text for text in shown), shown
        if raw is None:
            assert not h.http.find("GET", "cdn")  # refused before downloading anything

    run(scenario)
    assert sorted(p.name for p in corpus.iterdir()) == files_before and small_index.status() == status_before


@pytest.mark.parametrize(("guild_id", "route"), [
    (GUILD_ID, "/applications/{application_id}/guilds/{guild_id}/commands"),
    (None, "/applications/{application_id}/commands"),
])
def test_commands_sync_to_the_guild_when_set_else_globally(built_index: NewsIndex, guild_id: int | None,
                                                            route: str) -> None:
    async def scenario() -> None:
        h = await Harness(built_index, discord_guild_id=guild_id).start()
        await h.client.setup_hook()
        [call] = [c for c in h.http.calls if c.path.endswith("/commands")]
        assert call.method == "PUT" and call.path == route
        assert sorted(c["name"] for c in call.payload) == ["add", "ask", "new", "reindex", "sources"]

    run(scenario)


def test_missing_token_is_one_clear_line() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    result = subprocess.run([str(EXE), "discord"], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: DISCORD_TOKEN is not set")
    assert "discord.com/developers/applications" in line and ".env" in line


def test_rejected_token_is_one_clear_line_and_never_shown(built_index: NewsIndex, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          caplog: pytest.LogCaptureFixture) -> None:
    h = Harness(built_index)
    h.http.reject_login = True
    with caplog.at_level(logging.DEBUG), pytest.raises(discord_bot.NewsdeskError) as raised:
        serve(h.client, FAKE_TOKEN)
    assert str(raised.value).startswith("Discord rejected DISCORD_TOKEN")
    assert [c.path for c in h.http.calls] == ["/users/@me"]  # the real login path asked Discord, and stopped
    captured = capsys.readouterr()
    for text in (str(raised.value), captured.out, captured.err, caplog.text):
        assert FAKE_TOKEN not in text and "fake-token-value" not in text
