"""News intake against a real HTTP server on 127.0.0.1: `add URL`, feeds, `fetch`, and the one admission rule."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.discord_bot import attachment_problem
from index.admission import UnreadableArticle, admit, suffix_for_content_type
from index.articles import scan_corpus
from index.feeds import load_state
from index.fetch import FetchFailed, add_urls, fetch, make_client, user_agent
from tests.conftest import run_cli
from tests.news_server import NewsServer, Route, article_html, atom, http_date, rss, story_text

EXE = Path(sys.executable).with_name("newsdesk")
FETCH_KEYS = ["feeds", "new", "updated", "unchanged", "failed", "seconds"]


@pytest.fixture
def server() -> Iterator[NewsServer]:
    """A news site on 127.0.0.1, stopped after the test."""
    news = NewsServer().start()
    yield news
    news.stop()


@pytest.fixture
def corpus(newsdesk_env: Path) -> Path:
    """The (empty) corpus folder the CLI is configured with."""
    path = newsdesk_env / "corpus"
    path.mkdir()
    return path


def story(server: NewsServer, n: int, site: str | None = None, published: str | None = None) -> str:
    """Serve story n at /news/<n>.html and return its URL."""
    server.routes[f"/news/{n}.html"] = Route(article_html(f"Story number {n}", story_text(n), site, published))
    return server.url(f"/news/{n}.html")


def rss_items(numbers: list[int], day: int = 28) -> list[dict[str, str]]:
    """RSS items with relative links to the story pages."""
    return [{"title": f"Feed title {n}", "link": f"/news/{n}.html", "pubDate": http_date(2025, 1, day)}
            for n in numbers]


def front(path: Path) -> dict[str, str]:
    """An article's metadata as the index reads it."""
    found = next(a for a in scan_corpus(path.parent).articles if a.path == path.name)
    return {"title": found.title, "outlet": found.outlet or "", "published": found.published or "",
            "url": found.url or ""}


def fetch_json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """`newsdesk fetch --json`, checked to be exactly the documented object."""
    code, out, err = run_cli(["fetch", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == FETCH_KEYS
    return data


def indexed_articles(capsys: pytest.CaptureFixture[str]) -> int:
    """How many articles the committed index holds."""
    code, out, _ = run_cli(["status", "--json"], capsys)
    assert code == 0
    return int(json.loads(out)["articles"])


# --- the one admission rule -------------------------------------------------------------------------------------

def test_one_admission_rule_for_files_attachments_and_pages() -> None:
    latin = "Café prices\n\nThe café charged £5 for a coffee in Zürich, according to the menu.\n"
    assert admit("a.txt", latin.encode("cp1252")) == latin
    with pytest.raises(UnreadableArticle, match="not UTF-8"):
        admit("a.txt", "Café".encode("cp1252"), convert=False)
    with pytest.raises(UnreadableArticle, match="binary"):
        admit("a.md", b"\x00\x01" * 50)
    with pytest.raises(UnreadableArticle, match=r"unsupported file type '\.pdf'"):
        admit("scan.pdf", size=10)
    with pytest.raises(UnreadableArticle, match=r"6\.3 MB, over the 5 MB limit"):
        admit("a.html", size=6 * 1024 * 1024)
    assert admit("a.html", size=100) == ""  # name and size alone: judged before any download
    assert (attachment_problem("scan.pdf", 10) or "").startswith("scan.pdf: unsupported file type '.pdf'")
    assert attachment_problem("story.html", 10) is None
    assert suffix_for_content_type("text/html; charset=iso-8859-1") == ".html"
    assert suffix_for_content_type("application/xhtml+xml") == ".html"
    assert suffix_for_content_type("text/plain") == ".txt"
    assert suffix_for_content_type(None, "/story.md") == ".md"
    with pytest.raises(UnreadableArticle, match="the server sent application/pdf"):
        suffix_for_content_type("application/pdf", "/story.html")


# --- newsdesk add URL -------------------------------------------------------------------------------------------

def test_add_url_writes_the_page_with_its_url_and_indexes_it(server: NewsServer, corpus: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    url = story(server, 1, site="Harbour Times", published="2025-01-27")
    code, out, err = run_cli(["add", url, "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    [added] = data["files"]
    assert added == {"source": url, "path": "story-number-1.md", "status": "new"} and data["added"] == 1
    assert front(corpus / "story-number-1.md") == {"title": "Story number 1", "outlet": "Harbour Times",
                                                   "published": "2025-01-27", "url": url}
    [request] = server.requests
    assert request.headers["user-agent"] == user_agent() and user_agent().startswith("newsdesk/")
    assert indexed_articles(capsys) == 1
    assert run_cli(["add", url], capsys)[0] == 0  # the same page again changes nothing
    assert sorted(p.name for p in corpus.iterdir()) == ["story-number-1.md"]


def test_add_url_follows_a_redirect_and_keeps_the_url_it_was_given(server: NewsServer, corpus: Path) -> None:
    story(server, 2)
    server.routes["/short/2"] = Route(status=301, headers={"Location": "/news/2.html"})
    added, failed = add_urls(corpus, [server.url("/short/2")])
    assert failed == [] and added[0].path == "story-number-2.md"
    assert front(corpus / "story-number-2.md")["url"] == server.url("/short/2")
    assert [r.path for r in server.requests] == ["/short/2", "/news/2.html"]


BAD_PAGES = {
    "/missing": (Route(b"gone", 404, "text/plain"), "HTTP 404 Not Found"),
    "/photo": (Route(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, content_type="image/png"),
               "not an article page: the server sent image/png"),
    "/to-ftp": (Route(status=302, headers={"Location": "ftp://127.0.0.1/story.html"}),
                "refused to follow a redirect to a ftp: URL"),
    "/to-file": (Route(status=307, headers={"Location": "file:///etc/passwd"}),
                 "refused to follow a redirect to a file: URL"),
    "/huge": (Route(size=50 * 2**20), "52.4 MB, over the 5 MB limit"),
    "/huge-undeclared": (Route(size=50 * 2**20, declare_size=False), "over the 5 MB limit; stopped reading"),
    "/slow": (Route(article_html("Slow", story_text(3)), delay=3.0), "timed out after 0.5 s"),
    "/dripping": (Route(article_html("Drip", story_text(4)), drip=0.05), "timed out while reading the page"),
    "/empty": (Route(b"<html><body></body></html>"), "no article text found"),
}


def test_add_url_refuses_bad_pages_with_a_clear_reason_and_writes_nothing(server: NewsServer, corpus: Path) -> None:
    for path, (route, _) in BAD_PAGES.items():
        server.routes[path] = route
    started = time.perf_counter()
    added, failed = add_urls(corpus, [server.url(p) for p in BAD_PAGES] + ["ftp://127.0.0.1/x"], timeout=0.5)
    assert time.perf_counter() - started < 8  # the slow pages were cut off, not waited for
    reasons = dict(failed)
    for path, (_, reason) in BAD_PAGES.items():
        assert reason in reasons[server.url(path)], (path, reasons[server.url(path)])
    assert "only http:// and https:// URLs" in reasons["ftp://127.0.0.1/x"]
    assert added == [] and list(corpus.iterdir()) == []
    assert server.sent["/huge"] < 20 * 2**20 and server.sent["/huge-undeclared"] < 20 * 2**20  # not read in full
    assert not server.requests_to("ftp://127.0.0.1/story.html")


def test_add_cli_reports_a_refused_url_in_one_line(server: NewsServer, corpus: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    url = server.url("/missing")
    code, _, err = run_cli(["add", url], capsys)
    assert code == 1 and f"refused {url}: HTTP 404 Not Found" in err and "Traceback" not in err


def test_public_only_refuses_local_addresses(server: NewsServer) -> None:
    url = story(server, 5)
    with make_client(2) as client, pytest.raises(FetchFailed, match="private or local address"):
        fetch(client, url, public_only=True)
    assert server.requests == []


# --- feeds ------------------------------------------------------------------------------------------------------

def test_feeds_add_list_remove_keep_a_small_json_list(newsdesk_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = "http://127.0.0.1:9/feed.xml"
    assert run_cli(["feeds", "add", url], capsys)[1].strip() == f"following {url}"
    assert run_cli(["feeds", "add", url], capsys)[1].strip() == f"already following {url}"
    code, out, _ = run_cli(["feeds", "list", "--json"], capsys)
    assert json.loads(out) == [{"url": url, "title": None, "polled_at": None, "pending": 0}]
    stored = json.loads((newsdesk_env / "data" / "feeds.json").read_text())
    assert [f["url"] for f in stored["feeds"]] == [url]
    code, _, err = run_cli(["feeds", "add", "ftp://example.com/feed"], capsys)
    assert code == 1 and err.startswith("error: only http:// and https:// URLs")
    assert run_cli(["feeds", "remove", url], capsys)[0] == 0
    code, _, err = run_cli(["feeds", "remove", url], capsys)
    assert code == 1 and err.startswith("error: not following")
    assert load_state(newsdesk_env / "data").feeds == []


def test_fetch_reads_rss_and_atom_with_relative_links_and_indexes_in_one_run(
        server: NewsServer, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story(server, 1, site="Harbour Times", published="2020-01-01")  # the page names its outlet; its date loses
    for n in (2, 3, 4, 5):
        story(server, n)
    server.routes["/rss.xml"] = Route(rss("Test Wire", rss_items([1, 2, 3])), content_type="application/rss+xml")
    entries = [{"title": "Atom story 4", "href": "/news/4.html", "published": "2025-01-29T08:00:00Z"},
               {"title": "Atom story 5", "href": server.url("/news/5.html"), "updated": "2025-01-30T08:00:00Z"}]
    server.routes["/atom.xml"] = Route(atom("Atom Daily", entries), content_type="application/atom+xml")
    for path in ("/rss.xml", "/atom.xml"):
        assert run_cli(["feeds", "add", server.url(path)], capsys)[0] == 0
    data = fetch_json(capsys)
    assert data | {"seconds": 0} == {"feeds": 2, "new": 5, "updated": 0, "unchanged": 0, "failed": [], "seconds": 0}
    by_url = {front(p)["url"]: front(p) for p in corpus.glob("*.md")}
    assert by_url[server.url("/news/1.html")] == {"title": "Feed title 1", "outlet": "Harbour Times",
                                                  "published": "2025-01-28", "url": server.url("/news/1.html")}
    assert by_url[server.url("/news/2.html")]["outlet"] == "Test Wire"
    assert by_url[server.url("/news/4.html")] | {"url": ""} == {"title": "Atom story 4", "outlet": "Atom Daily",
                                                               "published": "2025-01-29", "url": ""}
    assert by_url[server.url("/news/5.html")]["published"] == "2025-01-30"
    assert indexed_articles(capsys) == 5
    out = run_cli(["feeds", "list", "--json"], capsys)[1]
    assert {row["title"] for row in json.loads(out)} == {"Test Wire", "Atom Daily"}


def test_second_fetch_makes_only_conditional_requests_and_writes_nothing(
        server: NewsServer, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for n in (1, 2, 3):
        story(server, n)
    server.routes["/etag.xml"] = Route(rss("Etag Wire", rss_items([1, 2])), etag='"v1"')
    server.routes["/lm.xml"] = Route(rss("Dated Wire", rss_items([3])), last_modified=http_date(2025, 1, 28))
    for path in ("/etag.xml", "/lm.xml"):
        run_cli(["feeds", "add", server.url(path)], capsys)
    assert fetch_json(capsys)["new"] == 3
    written = {p.name: p.stat().st_mtime_ns for p in corpus.iterdir()}
    server.requests.clear()
    data = fetch_json(capsys)
    assert data | {"seconds": 0} == {"feeds": 2, "new": 0, "updated": 0, "unchanged": 0, "failed": [], "seconds": 0}
    assert sorted(r.path for r in server.requests) == ["/etag.xml", "/lm.xml"]
    assert all(r.conditional for r in server.requests)
    assert server.requests_to("/etag.xml")[0].headers["if-none-match"] == '"v1"'
    assert server.requests_to("/lm.xml")[0].headers["if-modified-since"] == http_date(2025, 1, 28)
    assert {p.name: p.stat().st_mtime_ns for p in corpus.iterdir()} == written


def test_repeated_items_and_the_same_text_elsewhere_are_written_once(
        server: NewsServer, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story(server, 1)
    story(server, 2)
    server.routes["/mirror/1.html"] = server.routes["/news/1.html"]  # the same story at another address
    items = [*rss_items([1, 1, 2]), {"title": "Mirror", "link": "/mirror/1.html"}]
    server.routes["/a.xml"] = Route(rss("Wire A", items))
    server.routes["/b.xml"] = Route(rss("Wire B", rss_items([2, 1])))
    for path in ("/a.xml", "/b.xml"):
        run_cli(["feeds", "add", server.url(path)], capsys)
    data = fetch_json(capsys)
    assert (data["new"], data["unchanged"], data["failed"]) == (2, 1, [])
    assert len(list(corpus.glob("*.md"))) == 2
    assert len(server.requests_to("/news/1.html")) == 1


def test_bad_feeds_are_listed_and_the_other_feeds_still_fetched(
        server: NewsServer, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story(server, 1)
    server.routes["/good.xml"] = Route(rss("Good", rss_items([1])))
    server.routes["/broken.xml"] = Route(b"<?xml version='1.0'?><rss><channel><title>Oops</ti", content_type="text/xml")
    server.routes["/page.xml"] = Route(article_html("Not a feed", story_text(9)))
    for path in ("/broken.xml", "/missing.xml", "/page.xml", "/good.xml"):
        run_cli(["feeds", "add", server.url(path)], capsys)
    data = fetch_json(capsys)
    reasons = {f["url"]: f["reason"] for f in data["failed"]}  # type: ignore[union-attr]
    assert data["new"] == 1 and set(reasons) == {server.url(p) for p in ("/broken.xml", "/missing.xml", "/page.xml")}
    assert reasons[server.url("/missing.xml")] == "HTTP 404 Not Found"
    assert reasons[server.url("/broken.xml")].startswith("not an RSS or Atom feed")
    assert reasons[server.url("/page.xml")].startswith("not an RSS or Atom feed")


def test_a_page_that_fails_is_retried_on_the_next_poll_and_never_dropped(
        server: NewsServer, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story(server, 1)
    server.routes["/rss.xml"] = Route(rss("Wire", rss_items([1, 2])), etag='"same"')
    run_cli(["feeds", "add", server.url("/rss.xml")], capsys)
    data = fetch_json(capsys)
    assert data["new"] == 1 and data["failed"] == [{"url": server.url("/news/2.html"), "reason": "HTTP 404 Not Found"}]
    assert json.loads(run_cli(["feeds", "list", "--json"], capsys)[1])[0]["pending"] == 1
    assert fetch_json(capsys)["failed"] == data["failed"]  # still listed while it fails (the feed itself: 304)
    story(server, 2)
    server.requests.clear()
    data = fetch_json(capsys)
    assert (data["new"], data["failed"]) == (1, [])
    assert [r.path for r in server.requests] == ["/rss.xml", "/news/2.html"] and server.requests[0].conditional
    assert front(corpus / "feed-title-2.md")["title"] == "Feed title 2"  # the feed's metadata was kept
    assert load_state(corpus.parent / "data").pending == [] and indexed_articles(capsys) == 2


def test_an_updated_entry_rewrites_its_article(server: NewsServer, corpus: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    story(server, 1)
    entry = {"title": "Changing story", "href": "/news/1.html", "updated": "2025-01-28T08:00:00Z"}
    server.routes["/atom.xml"] = Route(atom("Atom", [entry]), etag='"1"')
    run_cli(["feeds", "add", server.url("/atom.xml")], capsys)
    assert fetch_json(capsys)["new"] == 1
    server.routes["/news/1.html"] = Route(article_html("Story number 1", story_text(1) + "\n\nA correction: the "
                                                       "bridge reopens on Friday, not Thursday."))
    server.routes["/atom.xml"] = Route(atom("Atom", [entry | {"updated": "2025-01-29T08:00:00Z"}]), etag='"2"')
    data = fetch_json(capsys)
    assert (data["new"], data["updated"], data["unchanged"]) == (0, 1, 0)
    assert "A correction" in (corpus / "changing-story.md").read_text(encoding="utf-8")
