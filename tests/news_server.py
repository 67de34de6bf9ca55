"""A real HTTP server on 127.0.0.1 that serves feeds and article pages, for the intake tests and bench.

Routes are plain data (status, body, headers, validators, delays); every request is recorded with its headers,
so a test can check that a second fetch only made conditional requests. Everything is bounded: slow routes stop
at `max_delay`, big routes stop when the client hangs up, and stop() closes the server.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

WORDS = ("council budget harbour bridge election minister school rail strike vaccine export tariff court verdict "
         "river flood energy grid satellite launch museum festival drought harvest airline merger bank rate").split()


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds before the headers are sent
    drip: float = 0.0  # seconds between single bytes of the body (a page that never quite times out per read)
    size: int = 0  # stream this many filler bytes instead of body
    declare_size: bool = True  # send Content-Length for a size route


@dataclass
class Request:
    """One request the server received."""

    path: str
    headers: dict[str, str]

    @property
    def conditional(self) -> bool:
        """True when the request carried a validator (If-None-Match or If-Modified-Since)."""
        return "if-none-match" in self.headers or "if-modified-since" in self.headers


class NewsServer:
    """ThreadingHTTPServer on an ephemeral 127.0.0.1 port, serving `routes`."""

    def __init__(self, max_delay: float = 5.0) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.sent: dict[str, int] = {}  # body bytes written per path
        self.max_delay = max_delay
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> NewsServer:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; slow handlers notice and return."""
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        """The absolute URL of a path on this server."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def requests_to(self, path: str) -> list[Request]:
        """The requests made for one path."""
        return [r for r in self.requests if r.path == path]

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        """A request handler bound to this server's routes."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
                server.respond(self, server.routes.get(self.path) or Route(b"not found", 404, "text/plain"))

            def log_message(self, *_: Any) -> None:
                pass

        return Handler

    def respond(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        """Answer one request from its route: validators, delays, big and dripping bodies."""
        if route.delay:
            self.stopping.wait(min(route.delay, self.max_delay))
        if self.not_modified(handler, route):
            handler.send_response(304)
            handler.end_headers()
            return
        handler.send_response(route.status)
        handler.send_header("Content-Type", route.content_type)
        for key, value in {"ETag": route.etag, "Last-Modified": route.last_modified, **route.headers}.items():
            if value:
                handler.send_header(key, value)
        try:
            self.send_body(handler, route)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def not_modified(self, handler: BaseHTTPRequestHandler, route: Route) -> bool:
        """True when the request's validators match the route's."""
        etag, since = handler.headers.get("If-None-Match"), handler.headers.get("If-Modified-Since")
        return bool((route.etag and etag == route.etag) or (route.last_modified and since == route.last_modified))

    def send_body(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        """Write the body: as given, byte by byte with pauses, or `size` filler bytes counted as they go."""
        path = handler.path
        if route.size:
            if route.declare_size:
                handler.send_header("Content-Length", str(route.size))
            handler.end_headers()
            block = b"<p>" + b"filler " * 9360 + b"</p>\n"  # about 64 KB
            while self.sent.get(path, 0) < route.size and not self.stopping.is_set():
                handler.wfile.write(block)
                self.sent[path] = self.sent.get(path, 0) + len(block)
            return
        handler.send_header("Content-Length", str(len(route.body)))
        handler.end_headers()
        if not route.drip:
            handler.wfile.write(route.body)
            self.sent[path] = len(route.body)
            return
        deadline = time.monotonic() + self.max_delay
        for i in range(len(route.body)):
            if self.stopping.is_set() or time.monotonic() > deadline:
                return
            handler.wfile.write(route.body[i : i + 1])
            handler.wfile.flush()
            self.stopping.wait(route.drip)


def http_date(year: int, month: int, day: int) -> str:
    """An RFC 822 date, as RSS and Last-Modified use."""
    import datetime as dt

    return format_datetime(dt.datetime(year, month, day, 9, 30, tzinfo=dt.UTC), usegmt=True)


def story_text(n: int, paragraphs: int = 4) -> str:
    """Distinct article text for story n (no two stories share a paragraph)."""
    out = []
    for p in range(paragraphs):
        words = [WORDS[(n * 7 + p * 3 + i * i) % len(WORDS)] for i in range(40)]
        out.append(f"Report {n}.{p}: the {' '.join(words)} story number {n} continued in part {p}.")
    return "\n\n".join(out)


def article_html(title: str, text: str, site: str | None = None, published: str | None = None) -> bytes:
    """A news page trafilatura can read: title, optional site name and date, paragraphs in <article>."""
    meta = f'<meta property="og:site_name" content="{escape(site)}">' if site else ""
    meta += f'<meta property="article:published_time" content="{published}">' if published else ""
    paras = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
    return (f"<!doctype html><html><head><title>{escape(title)}</title>{meta}</head><body><nav>Home | World</nav>"
            f"<article><h1>{escape(title)}</h1>{paras}</article><footer>Copyright</footer></body></html>").encode()


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    """An RSS 2.0 document; each item has title, link and optionally pubDate, guid."""
    body = "".join(
        "<item>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in item.items()) + "</item>" for item in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>http://example.invalid/</link><description>test feed</description>{body}</channel></rss>").encode()


def atom(title: str, entries: list[dict[str, str]]) -> bytes:
    """An Atom 1.0 document; each entry has title, href and optionally updated, published."""
    body = ""
    for e in entries:
        dates = "".join(f"<{k}>{e[k]}</{k}>" for k in ("published", "updated") if k in e)
        body += (f"<entry><title>{escape(e['title'])}</title><link href=\"{escape(e['href'])}\"/>"
                 f"<id>{escape(e['href'])}</id>{dates}</entry>")
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:test</id><updated>2025-01-30T00:00:00Z</updated>{body}"
            "</feed>").encode()
