"""Turn HTML, plain text and legacy-encoded files into UTF-8 Markdown articles with front matter."""

from __future__ import annotations

from pathlib import Path

from index.admission import HTML_SUFFIXES, MAX_BYTES, UnreadableArticle, admit
from index.articles import TITLE_MAX_CHARS, first_line

URL_MAX_CHARS = 2048  # Discord's limit for an embed link; a cut URL would be a broken citation link


def front_matter(fields: dict[str, str | None]) -> str:
    """A YAML front-matter block for the given fields, in a fixed order."""
    import yaml

    clean = {key: " ".join(value.split())[: URL_MAX_CHARS if key == "url" else TITLE_MAX_CHARS]
             for key, value in fields.items() if value}
    return "---\n" + yaml.safe_dump(clean, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def html_to_markdown(html: str, source_name: str) -> str:
    """Extract an HTML page's main text and metadata (trafilatura) as a Markdown article."""
    fields, text = extract_html(html)
    return front_matter(fields | {"source_file": source_name}) + text


def extract_html(html: str, url: str | None = None) -> tuple[dict[str, str | None], str]:
    """An HTML page's metadata fields and main text (trafilatura); url resolves links and names the page."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except Exception as exc:  # a hostile page may break the parser in any way
        raise UnreadableArticle(f"could not parse the HTML ({type(exc).__name__})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise UnreadableArticle("no article text found in the HTML page")
    fields = {
        "title": getattr(doc, "title", None) or first_line(text),
        "outlet": getattr(doc, "sitename", None),
        "published": getattr(doc, "date", None),
        "url": getattr(doc, "url", None) or url,
    }
    return fields, text.strip() + "\n"


def text_to_markdown(text: str, source_name: str) -> str:
    """Wrap a plain-text article (title on its first line) in front matter, keeping its text."""
    return front_matter({"title": first_line(text), "source_file": source_name}) + text.strip() + "\n"


def to_markdown(raw: bytes, name: str) -> str:
    """Convert the bytes of a .txt, .md or .html article into UTF-8 Markdown, or say why not."""
    text = admit(name, raw)
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES:
        markdown = html_to_markdown(text, name)
    elif suffix == ".txt":
        markdown = text_to_markdown(text, name)
    else:
        markdown = text
    if len(markdown.encode("utf-8")) > MAX_BYTES:
        raise UnreadableArticle("the converted article is over the 5 MB limit")
    return markdown
