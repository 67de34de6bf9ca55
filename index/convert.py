"""Turn HTML, plain text and legacy-encoded files into UTF-8 Markdown articles with front matter."""

from __future__ import annotations

from pathlib import Path

from index.articles import (
    HTML_SUFFIXES,
    MAX_BYTES,
    READABLE_SUFFIXES,
    TITLE_MAX_CHARS,
    UnreadableArticle,
    first_line,
    looks_binary,
)

URL_MAX_CHARS = 2048  # Discord's limit for an embed link; a cut URL would be a broken citation link


def decode_text(raw: bytes) -> str:
    """Decode bytes as UTF-8, else as the encoding charset-normalizer detects."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is None:
            raise UnreadableArticle("could not detect the text encoding") from None
        text = str(best)
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def front_matter(fields: dict[str, str | None]) -> str:
    """A YAML front-matter block for the given fields, in a fixed order."""
    import yaml

    clean = {key: " ".join(value.split())[: URL_MAX_CHARS if key == "url" else TITLE_MAX_CHARS]
             for key, value in fields.items() if value}
    return "---\n" + yaml.safe_dump(clean, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def html_to_markdown(html: str, source_name: str) -> str:
    """Extract an HTML page's main text and metadata (trafilatura) as a Markdown article."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as exc:  # a hostile page may break the parser in any way
        raise UnreadableArticle(f"could not parse the HTML ({type(exc).__name__})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise UnreadableArticle("no article text found in the HTML page")
    fields = {
        "title": getattr(doc, "title", None) or first_line(text),
        "outlet": getattr(doc, "sitename", None),
        "published": getattr(doc, "date", None),
        "url": getattr(doc, "url", None),
        "source_file": source_name,
    }
    return front_matter(fields) + text.strip() + "\n"


def text_to_markdown(text: str, source_name: str) -> str:
    """Wrap a plain-text article (title on its first line) in front matter, keeping its text."""
    return front_matter({"title": first_line(text), "source_file": source_name}) + text.strip() + "\n"


def to_markdown(raw: bytes, name: str) -> str:
    """Convert the bytes of a .txt, .md or .html article into UTF-8 Markdown, or say why not."""
    suffix = Path(name).suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        readable = ", ".join(READABLE_SUFFIXES)
        raise UnreadableArticle(f"unsupported file type {suffix or '(none)'!r} (readable: {readable})")
    if not raw.strip():
        raise UnreadableArticle("empty file")
    if len(raw) > MAX_BYTES:
        raise UnreadableArticle(f"file is {len(raw) / 1e6:.1f} MB, over the 5 MB limit")
    if looks_binary(raw):
        raise UnreadableArticle("binary file, not text")
    text = decode_text(raw)
    if suffix in HTML_SUFFIXES:
        markdown = html_to_markdown(text, name)
    elif suffix == ".txt":
        markdown = text_to_markdown(text, name)
    else:
        markdown = text
    if len(markdown.encode("utf-8")) > MAX_BYTES:
        raise UnreadableArticle("the converted article is over the 5 MB limit")
    return markdown
