"""Fetch pages and feeds over http(s) with hard limits, and turn a fetched page into a corpus article.

Limits: a timeout per operation and for the whole body, 5 MB counted while streaming (after decompression, so
neither a false Content-Length nor a gzip bomb gets past it), at most 5 redirects and only to http(s) URLs.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from index.admission import HTML_SUFFIXES, MAX_BYTES, UnreadableArticle, admit, suffix_for_content_type
from index.errors import NewsdeskError

if TYPE_CHECKING:
    import httpx

    from index.add import Added

DEFAULT_TIMEOUT = 20.0
MAX_REDIRECTS = 5
WEB_SCHEMES = ("http", "https")
REDIRECTS = (301, 302, 303, 307, 308)
PAGE_ACCEPT = "text/html, application/xhtml+xml, text/plain;q=0.9, text/markdown;q=0.9, */*;q=0.1"
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"


class FetchFailed(NewsdeskError):
    """A URL that could not be fetched or used; the message is the reason shown beside the URL."""


@dataclass(frozen=True)
class Fetched:
    """One response: the URL it finally came from, its status, the headers newsdesk uses and the body."""

    url: str
    status: int
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body: bytes = field(default=b"", repr=False)

    @property
    def not_modified(self) -> bool:
        """The server answered a conditional request with 304: nothing new since the stored validators."""
        return self.status == 304


def user_agent() -> str:
    """Say who is fetching, so site owners can tell newsdesk apart from a browser."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("newsdesk")
    except PackageNotFoundError:
        number = "dev"
    return f"newsdesk/{number} (+offline news QA)"


def make_client(timeout: float = DEFAULT_TIMEOUT) -> httpx.Client:
    """An HTTP client that never follows redirects by itself (fetch() checks each hop's scheme)."""
    import httpx

    return httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False,
                        headers={"User-Agent": user_agent()})


def is_url(text: str) -> bool:
    """True for text that names a URL (scheme://...), which `add` fetches instead of reading a file."""
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text.strip()) is not None


def check_url(url: str) -> str:
    """Refuse anything but an absolute http(s) URL with a host, before any request is made."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        raise FetchFailed(f"only http:// and https:// URLs can be fetched, not {url.strip()[:120]!r}")
    return url.strip()


def fetch(client: httpx.Client, url: str, accept: str = PAGE_ACCEPT, etag: str | None = None,
          last_modified: str | None = None, public_only: bool = False) -> Fetched:
    """GET url (conditionally when validators are given); every failure becomes one FetchFailed reason.

    A page (accept=PAGE_ACCEPT) whose Content-Type is not an article type is refused before its body is read.
    public_only refuses hosts on private, loopback or link-local addresses at every hop (Discord's /add, where
    the person asking does not own the machine that fetches).
    """
    import httpx

    headers = {"Accept": accept} | conditional_headers(etag, last_modified)
    seconds = client.timeout.read or DEFAULT_TIMEOUT
    hop = Hop(headers, time.monotonic() + seconds, accept == PAGE_ACCEPT, public_only)
    try:
        return follow(client, check_url(url), hop)
    except httpx.TimeoutException:
        raise FetchFailed(f"timed out after {seconds:g} s") from None
    except httpx.ConnectError as exc:
        raise FetchFailed(f"could not connect ({exc or 'connection refused'})") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchFailed(f"{type(exc).__name__}: {exc}"[:300]) from None


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the validators a previous response gave."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


@dataclass(frozen=True)
class Hop:
    """What every request of one fetch shares: headers, the deadline for the whole body, and the checks."""

    headers: dict[str, str]
    deadline: float
    article: bool = False  # refuse a non-article Content-Type before reading the body
    public_only: bool = False
    limit: int = MAX_BYTES


def follow(client: httpx.Client, url: str, hop: Hop) -> Fetched:
    """Request url, following redirects by hand so that one to a non-http(s) URL is refused."""
    for _ in range(MAX_REDIRECTS + 1):
        if hop.public_only:
            check_public(url)
        with client.stream("GET", url, headers=hop.headers) as response:
            if response.status_code not in REDIRECTS:
                return read_response(response, url, hop)
            url = redirect_target(url, response.headers.get("location"))
    raise FetchFailed(f"more than {MAX_REDIRECTS} redirects")


def check_public(url: str) -> None:
    """Refuse a host that resolves to a private, loopback, link-local or otherwise non-public address."""
    import ipaddress
    import socket

    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        raise FetchFailed(f"could not resolve {host}") from None
    if any(not ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses):
        raise FetchFailed(f"refused {host}: it is a private or local address")


def redirect_target(url: str, location: str | None) -> str:
    """The absolute URL a redirect points to; any scheme but http(s) is refused."""
    if not location:
        raise FetchFailed("redirect without a Location header")
    target = urljoin(url, location.strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme not in WEB_SCHEMES:
        raise FetchFailed(f"refused to follow a redirect to a {scheme}: URL (only http and https are followed)")
    return target


def read_response(response: httpx.Response, url: str, hop: Hop) -> Fetched:
    """The body of a 2xx response read up to the limit before the deadline; 304 has none; errors refused."""
    status = response.status_code
    if status >= 400:
        raise FetchFailed(f"HTTP {status} {response.reason_phrase}".strip())
    if status != 304 and not 200 <= status < 300:
        raise FetchFailed(f"unexpected HTTP status {status}")
    if hop.article and status != 304:
        suffix_for_content_type(response.headers.get("content-type"), urlsplit(url).path)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > hop.limit:
        raise FetchFailed(f"page is {int(declared) / 1e6:.1f} MB, over the {hop.limit / 2**20:g} MB limit")
    body = bytearray()
    for chunk in response.iter_bytes() if status != 304 else ():
        body += chunk
        if len(body) > hop.limit:
            raise FetchFailed(f"page is over the {hop.limit / 2**20:g} MB limit; stopped reading")
        if time.monotonic() > hop.deadline:
            raise FetchFailed("timed out while reading the page")
    get = response.headers.get
    return Fetched(url, status, get("content-type"), get("etag"), get("last-modified"), bytes(body))


def page_markdown(page: Fetched, known: Mapping[str, str | None] | None = None) -> str:
    """A fetched page as a corpus article: text and metadata extracted as `add` does, then the known fields.

    known: title, published and url override what the page says; outlet only fills in when the page names none.
    """
    from index.articles import first_line
    from index.convert import extract_html, front_matter

    suffix = suffix_for_content_type(page.content_type, urlsplit(page.url).path)
    text = admit(f"page{suffix}", declared_utf8(page))
    if suffix in HTML_SUFFIXES:
        fields, body = extract_html(text, page.url)
    else:
        fields, body = {"title": first_line(text)}, text.strip() + "\n"
    fields["outlet"] = named_outlet(fields.get("outlet"), page.url)
    markdown = front_matter(merge_fields(fields, known or {})) + body
    if len(markdown.encode("utf-8")) > MAX_BYTES:
        raise UnreadableArticle("the converted article is over the 5 MB limit")
    return markdown


def declared_utf8(page: Fetched) -> bytes:
    """The body as UTF-8 when the server declared another charset that decodes it; else the bytes as sent."""
    charset = (page.content_type or "").partition("charset=")[2].split(";")[0].strip().strip("\"'").lower()
    if not charset or charset in ("utf-8", "utf8"):
        return page.body
    try:
        return page.body.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return page.body


def named_outlet(outlet: str | None, url: str) -> str | None:
    """The outlet a page names; trafilatura's fallback to the bare host name does not count as one."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    bare = (outlet or "").casefold().removeprefix("www.")
    return None if not outlet or bare == host or bare.split(":")[0] == host else outlet


def merge_fields(page: Mapping[str, str | None], known: Mapping[str, str | None]) -> dict[str, str | None]:
    """Front-matter fields in a fixed order: the caller's title, date and URL win, the page's outlet wins.

    With no outlet from either, the URL's host name stands in (as trafilatura would have it).
    """
    pick = lambda key, first, second: first.get(key) or second.get(key)  # noqa: E731
    url = pick("url", known, page)
    return {
        "title": pick("title", known, page),
        "outlet": pick("outlet", page, known) or (urlsplit(url).hostname if url else None),
        "published": valid_date(pick("published", known, page)),
        "url": url,
    }


def valid_date(value: str | None) -> str | None:
    """YYYY-MM-DD when value starts with a real date, else None (a bad date would make the article unreadable)."""
    try:
        return dt.date.fromisoformat((value or "")[:10]).isoformat()
    except ValueError:
        return None


def add_urls(corpus_dir: Path, urls: list[str], replace: bool = False, timeout: float = DEFAULT_TIMEOUT,
             ) -> tuple[list[Added], list[tuple[str, str]]]:
    """`newsdesk add URL...`: fetch each page into the corpus; a failure is listed and the rest still go in."""
    added: list[Added] = []
    failed: list[tuple[str, str]] = []
    with make_client(timeout) as client:
        for url in urls:
            try:
                added.append(add_url(client, corpus_dir, url, replace))
            except NewsdeskError as exc:
                failed.append((url, str(exc)))
    return added, failed


def add_one_url(corpus_dir: Path, url: str, replace: bool = False, timeout: float = DEFAULT_TIMEOUT,
                public_only: bool = False) -> Added:
    """Discord's `/add url:`: one page into the corpus, or a NewsdeskError saying why not."""
    with make_client(timeout) as client:
        return add_url(client, corpus_dir, url, replace, public_only)


def add_url(client: httpx.Client, corpus_dir: Path, url: str, replace: bool = False,
            public_only: bool = False) -> Added:
    """Fetch one page and write it as <title-slug>.md (or over the article that already has this URL)."""
    from index.add import place_markdown
    from index.feeds import CorpusView, free_target

    if not corpus_dir.is_dir():
        raise NewsdeskError(f"corpus directory {corpus_dir} does not exist; create it first")
    markdown = page_markdown(fetch(client, url, public_only=public_only), {"url": check_url(url)})
    existing = CorpusView.scan(corpus_dir).by_url.get(check_url(url))
    target = corpus_dir / existing if existing else free_target(corpus_dir, markdown, url)
    return place_markdown(target, url, markdown, replace)
