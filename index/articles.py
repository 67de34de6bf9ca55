"""Articles as read from the corpus folder: text, offsets and the metadata a citation needs."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from index.admission import (  # noqa: F401 (MAX_BYTES, HTML_SUFFIXES, READABLE_SUFFIXES, looks_binary: re-exported)
    HTML_SUFFIXES,
    MAX_BYTES,
    READABLE_SUFFIXES,
    TEXT_SUFFIXES,
    UnreadableArticle,
    admit,
    looks_binary,
)
from index.errors import NewsdeskError

TITLE_MAX_CHARS = 200


@dataclass(frozen=True)
class Article:
    """One article: the file's full text plus where its body starts, so offsets index the file."""

    article_id: str
    path: str
    text: str
    body_start: int
    title: str
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    source_file: str | None = None

    @property
    def body(self) -> str:
        """The text after any front matter."""
        return self.text[self.body_start :]

    def fingerprint(self) -> str:
        """Hash of the body with whitespace and case folded, used to spot duplicate articles."""
        folded = " ".join(self.body.split()).casefold()
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Skipped:
    """A file the run did not index, and why."""

    path: str
    reason: str


@dataclass
class Scan:
    """What a pass over the corpus folder found."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def read_checked_text(path: Path) -> str:
    """Read a corpus file as UTF-8 text; the admission rule refuses empty, huge, binary and non-UTF-8 files."""
    admit(path.name, size=path.stat().st_size, suffixes=TEXT_SUFFIXES)  # judged before reading a huge file
    return admit(path.name, path.read_bytes(), suffixes=TEXT_SUFFIXES, convert=False)


def parse_article(text: str, rel_path: str) -> Article:
    """Build an Article from file text: front matter for .md, first line as title for .txt."""
    meta, body_start = split_front_matter(text) if not rel_path.endswith(".txt") else ({}, 0)
    while body_start < len(text) and text[body_start].isspace():
        body_start += 1
    if body_start >= len(text):
        raise UnreadableArticle("no article text after the front matter")
    title = meta_text(meta, "title") or first_line(text[body_start:]) or Path(rel_path).stem
    return Article(
        article_id=article_id_for(rel_path),
        path=rel_path,
        text=text,
        body_start=body_start,
        title=title[:TITLE_MAX_CHARS],
        outlet=meta_text(meta, "outlet"),
        published=meta_date(meta),
        url=meta_text(meta, "url"),
        source_file=meta_text(meta, "source_file"),
    )


def split_front_matter(text: str) -> tuple[dict[str, object], int]:
    """Parse a YAML front-matter block; return its fields and the offset where the body starts."""
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    handler = YAMLHandler()
    if not handler.detect(text):
        return {}, 0
    try:
        header, content = handler.split(text)
        meta = handler.load(header)
    except (ValueError, yaml.YAMLError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UnreadableArticle(f"front matter is not valid YAML ({problem})") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise UnreadableArticle("front matter must be a set of `key: value` lines")
    return meta, len(text) - len(content)


def meta_text(meta: dict[str, object], key: str) -> str | None:
    """A front-matter field as text; numbers and dates are converted, lists and maps refused."""
    value = meta.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or isinstance(value, (list, dict, set, tuple)):
        raise UnreadableArticle(f"front matter field `{key}` must be text, not {type(value).__name__}")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return " ".join(str(value).split())


def meta_date(meta: dict[str, object]) -> str | None:
    """The `published` field as YYYY-MM-DD, refusing anything that is not a date."""
    value = meta.get("published")
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        raise UnreadableArticle(
            f"front matter field `published` must be a date like 2025-01-28, not {str(value)[:40]!r}"
        ) from None


def first_line(text: str) -> str:
    """The first non-blank line, stripped, as a fallback title."""
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split()).lstrip("#").strip()
    return ""


def article_id_for(rel_path: str) -> str:
    """An article's id is its corpus-relative path without the suffix."""
    return rel_path.rsplit(".", 1)[0]


def corpus_files(corpus_dir: Path) -> Iterator[Path]:
    """Every non-hidden file under corpus_dir, sorted, without following directory symlinks."""
    for root, dirs, files in os.walk(corpus_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root, name)


def check_corpus_dir(corpus_dir: Path) -> None:
    """Refuse a missing corpus folder with a message that says how to fix it."""
    if not corpus_dir.is_dir():
        raise NewsdeskError(
            f"corpus directory {corpus_dir} does not exist; create it or set NEWSDESK_CORPUS_DIR"
        )


def read_corpus_file(corpus_dir: Path, path: Path) -> Article:
    """Read one corpus file into an Article, or raise UnreadableArticle with the reason."""
    if path.is_symlink() and not is_inside(path.resolve(), corpus_dir.resolve()):
        raise UnreadableArticle("symlink pointing outside the corpus directory")
    rel = path.relative_to(corpus_dir).as_posix()
    try:
        return parse_article(read_checked_text(path), rel)
    except OSError as exc:
        raise UnreadableArticle(f"cannot be read ({exc.strerror or type(exc).__name__})") from None


def scan_corpus(corpus_dir: Path) -> Scan:
    """Read every article in the corpus; bad files and duplicates become Skipped entries."""
    check_corpus_dir(corpus_dir)
    scan = Scan()
    seen_ids: dict[str, str] = {}
    seen_text: dict[str, str] = {}
    for path in corpus_files(corpus_dir):
        rel = path.relative_to(corpus_dir).as_posix()
        try:
            article = read_corpus_file(corpus_dir, path)
        except UnreadableArticle as exc:
            scan.skipped.append(Skipped(rel, str(exc)))
            continue
        fingerprint = article.fingerprint()
        clash = seen_ids.get(article.article_id) or seen_text.get(fingerprint)
        if clash:
            why = "same name as" if article.article_id in seen_ids else "duplicates the text of"
            scan.skipped.append(Skipped(rel, f"{why} {clash}"))
            continue
        seen_ids[article.article_id] = rel
        seen_text[fingerprint] = rel
        scan.articles.append(article)
    return scan


def is_inside(path: Path, directory: Path) -> bool:
    """True when the resolved path lies within directory."""
    return path == directory or directory in path.parents
