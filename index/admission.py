"""Whether bytes may become an article: one decision shared by the corpus scan, `add`, Discord `/add` and URL fetch."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from index.errors import NewsdeskError

MAX_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = (".md", ".markdown", ".txt")
HTML_SUFFIXES = (".html", ".htm")
READABLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
CONTENT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
}
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


class UnreadableArticle(NewsdeskError):
    """A file that cannot be indexed; the message is the reason shown in the skip line."""


def admit(name: str, raw: bytes | None = None, size: int | None = None, *,
          suffixes: Sequence[str] = READABLE_SUFFIXES, convert: bool = True) -> str:
    """The one admission rule (suffix, size, binary, encoding); returns the text, or "" when only name/size are known.

    Called with a name and size alone, it judges a file before reading or downloading it; with raw bytes it also
    refuses binary data and decodes them (as UTF-8 only when convert is False: the corpus must already be UTF-8).
    """
    check_suffix(name, suffixes)
    check_size(len(raw) if raw is not None else size)
    if raw is None:
        return ""
    if looks_binary(raw):
        raise UnreadableArticle("binary file, not text")
    text = decode_text(raw) if convert else decode_utf8(raw)
    if not text.strip():
        raise UnreadableArticle("empty file (only whitespace)")
    return text


def check_suffix(name: str, suffixes: Sequence[str]) -> str:
    """The lower-case suffix of name, refused unless it is one newsdesk can read here."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in suffixes:
        readable = ", ".join(READABLE_SUFFIXES)
        raise UnreadableArticle(f"unsupported file type {suffix or '(none)'!r} (readable: {readable})")
    return suffix


def check_size(size: int | None) -> None:
    """Refuse empty files and files over the 5 MB limit (None: size not known yet)."""
    if size is None:
        return
    if size == 0:
        raise UnreadableArticle("empty file")
    if size > MAX_BYTES:
        raise UnreadableArticle(f"file is {size / 1e6:.1f} MB, over the 5 MB limit")


def looks_binary(raw: bytes) -> bool:
    """True for data with NUL bytes or mostly control characters in its first 8 KB."""
    head = raw[:8192]
    if b"\x00" in head:
        return True
    control = len(head) - len(head.translate(None, CONTROL_BYTES))
    return control > max(8, len(head) // 10)


def decode_utf8(raw: bytes) -> str:
    """Strict UTF-8 with universal newlines, as the corpus scan reads files."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableArticle(
            f"not UTF-8 text (bad byte at offset {exc.start}); `newsdesk add` converts such files"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(raw: bytes) -> str:
    """Decode bytes as UTF-8, else as the encoding charset-normalizer detects (for files being added)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is None:
            raise UnreadableArticle("could not detect the text encoding") from None
        text = str(best)
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def suffix_for_content_type(content_type: str | None, url_path: str = "") -> str:
    """The article suffix a fetched page's Content-Type stands for; other types are refused with the type named."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media in CONTENT_TYPES:
        return CONTENT_TYPES[media]
    guessed = PurePosixPath(url_path).suffix.lower()
    if media in ("", "application/octet-stream") and guessed in READABLE_SUFFIXES:
        return guessed
    raise UnreadableArticle(f"not an article page: the server sent {media or 'no content type'} "
                            "(readable: HTML, plain text, Markdown)")
