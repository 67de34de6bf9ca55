"""Discord `/add url:` through the real handlers (the recorder from test_discord_bot) and a real local server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import bot.discord_bot as discord_bot
from index.handle import NewsIndex
from tests.news_server import NewsServer, Route, article_html, story_text
from tests.test_discord_bot import ALICE, BOB, EDITORS, EPHEMERAL, GUILD_ID, Harness, attachment, run


@pytest.fixture
def server() -> Iterator[NewsServer]:
    news = NewsServer().start()
    news.routes["/news/moon.html"] = Route(article_html("Lunar data centre opens", story_text(7), site="Moon Post"))
    yield news
    news.stop()


def url_option(url: str) -> list[dict[str, Any]]:
    return [{"name": "url", "type": 3, "value": url}]


def shown(h: Harness) -> list[str]:
    return [p.get("content") or p.get("data", {}).get("content", "") for p in h.http.sent()]


def test_add_url_by_an_admin_fetches_the_page_and_indexes_it(small_index: NewsIndex, server: NewsServer,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord_bot, "PUBLIC_ONLY", False)  # the test site lives on 127.0.0.1
    url = server.url("/news/moon.html")

    async def scenario() -> None:
        h = await Harness(small_index).start()
        await h.run(h.interaction("add", url_option(url), uid=BOB, roles=(EDITORS,)))
        final = h.http.find("PATCH", "/messages/@original")[-1].payload["content"]
        assert "new: " in final and "lunar-data-centre-opens.md" in final and "indexed 3 articles" in final

    run(scenario)
    text = (small_index.config.corpus_dir / "lunar-data-centre-opens.md").read_text(encoding="utf-8")
    assert f"url: {url}" in text and "outlet: Moon Post" in text


@pytest.mark.parametrize(("options", "who", "reason"), [
    ("url", {"uid": ALICE}, "Only members with the Manage Server permission or the Editors role"),
    ("ftp", {"uid": BOB, "roles": (EDITORS,)}, "only http:// and https:// URLs can be fetched"),
    ("none", {"uid": BOB, "roles": (EDITORS,)}, "attach an article file or give a url (one of the two)"),
    ("both", {"uid": BOB, "roles": (EDITORS,)}, "attach an article file or give a url (one of the two)"),
    ("url", {"uid": BOB, "roles": (EDITORS,)}, "private or local address"),  # Discord never fetches local hosts
])
def test_add_url_refusals_change_nothing(small_index: NewsIndex, server: NewsServer, options: str,
                                         who: dict[str, Any], reason: str) -> None:
    url = server.url("/news/moon.html")
    files_before, status_before = sorted(small_index.config.corpus_dir.iterdir()), small_index.status()
    file_options, resolved = attachment("moon.txt", 100, "https://cdn.example/moon.txt")
    chosen = {"url": url_option(url), "ftp": url_option("ftp://127.0.0.1/moon.html"), "none": [],
              "both": file_options + url_option(url)}[options]

    async def scenario() -> None:
        h = await Harness(small_index).start()
        await h.run(h.interaction("add", chosen, resolved=resolved if options == "both" else None, **who))
        assert any(reason in text for text in shown(h)), shown(h)
        if options != "url" or who["uid"] == ALICE:
            assert h.http.calls[0].payload["data"]["flags"] == EPHEMERAL  # a private refusal

    run(scenario)
    assert server.requests == []
    assert sorted(small_index.config.corpus_dir.iterdir()) == files_before and small_index.status() == status_before


def test_add_command_offers_a_url_option(built_index: NewsIndex) -> None:
    async def scenario() -> None:
        h = await Harness(built_index, discord_guild_id=GUILD_ID).start()
        await h.client.setup_hook()
        [call] = [c for c in h.http.calls if c.path.endswith("/commands")]
        [add] = [c for c in call.payload if c["name"] == "add"]
        assert {o["name"]: o.get("required", False) for o in add["options"]} == {
            "article": False, "url": False, "replace": False}

    run(scenario)
