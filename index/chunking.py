"""Sentence-aware chunks that remember their exact character offsets in the article file."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from index.articles import Article

log = logging.getLogger(__name__)

CHUNK_TOKENS = 250  # + [CLS]/[SEP] stays within the model's 256-token window
CHUNK_OVERLAP = 30
CHUNKER_VERSION = f"sentence-{CHUNK_TOKENS}-{CHUNK_OVERLAP}-v1"


@dataclass(frozen=True)
class Chunk:
    """A slice of an article file: article.text[start:end] == text."""

    chunk_id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str


def chunk_id(article_id: str, version: str, index: int) -> str:
    """Ids name the article version, so a changed article never overwrites its old chunks in place."""
    return f"{article_id}::{version[:16]}::{index:04d}"


def make_splitter(count_tokens: Callable[[str], list[int]]) -> Any:
    """LlamaIndex's SentenceSplitter, counting the embedding model's own word pieces."""
    from llama_index.core.node_parser import SentenceSplitter

    return SentenceSplitter(chunk_size=CHUNK_TOKENS, chunk_overlap=CHUNK_OVERLAP, tokenizer=count_tokens)


def chunk_spans(article: Article, splitter: Any) -> list[tuple[int, int]]:
    """Split the body into sentence-aware pieces and find each piece's offsets in the file text."""
    spans: list[tuple[int, int]] = []
    cursor = article.body_start
    for piece in splitter.split_text(article.body):
        span = locate(article.text, piece, cursor)
        if span is None:
            log.warning("chunk of %s not found verbatim in the file; skipped", article.path)
            continue
        spans.append(span)
        cursor = span[0] + 1
    return spans


def locate(text: str, piece: str, cursor: int) -> tuple[int, int] | None:
    """Offsets of piece in text at or after cursor, tolerating changed whitespace."""
    start = text.find(piece, cursor)
    if start >= 0:
        return start, start + len(piece)
    words = piece.split()
    if not words:
        return None
    match = re.compile(r"\s+".join(map(re.escape, words))).search(text, cursor)
    return (match.start(), match.end()) if match else None


def chunk_article(article: Article, version: str, splitter: Any) -> list[Chunk]:
    """The article's chunks with ids, offsets and verbatim text."""
    return [
        Chunk(chunk_id(article.article_id, version, i), article.article_id, i, start, end, article.text[start:end])
        for i, (start, end) in enumerate(chunk_spans(article, splitter))
    ]
