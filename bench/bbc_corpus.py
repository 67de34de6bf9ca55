"""Write ../shared/data/bbc-news.csv as a corpus folder: one `<id>.md` per row, the way the eval sets expect it.

Usage: python -m bench.bbc_corpus DIR   (then `NEWSDESK_CORPUS_DIR=DIR newsdesk index`)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.common import bbc_rows


def article_markdown(row: dict[str, str]) -> str:
    """Front matter with the row's title and the outlet, then the row's text as the body."""
    return f"---\ntitle: {json.dumps(row['title'])}\noutlet: BBC News\n---\n\n{row['text'].strip()}\n"


def write_corpus(target: Path, limit: int | None = None) -> int:
    """Write (or leave unchanged) one .md per row; returns how many articles the folder holds."""
    target.mkdir(parents=True, exist_ok=True)
    rows = bbc_rows(limit)
    for row in rows:
        path = target / f"{row['id']}.md"
        body = article_markdown(row)
        if not path.exists() or path.read_text(encoding="utf-8") != body:
            path.write_text(body, encoding="utf-8")
    return len(rows)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="folder to write the .md files into")
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows")
    args = parser.parse_args()
    print(f"{write_corpus(args.target, args.limit)} articles in {args.target}")


if __name__ == "__main__":
    main()
