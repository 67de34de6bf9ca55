"""Index build benchmark on BBC News (2,225 articles): throughput vs the raw embedder, re-index, memory.

Prints numbers; it asserts nothing. Run with `make bench` or `.venv/bin/python bench/index_bench.py [--limit N]`.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.handle import IndexConfig, NewsIndex  # noqa: E402
from index.model_files import default_cache_dir  # noqa: E402

BBC = REPO.parent / "shared" / "data" / "bbc-news.csv"


def write_corpus(target: Path, limit: int | None) -> int:
    """BBC rows as .txt articles (title on the first line)."""
    target.mkdir(parents=True)
    with BBC.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    for row in rows:
        (target / f"{row['id']}.txt").write_text(f"{row['title']}\n\n{row['text']}\n", encoding="utf-8")
    return len(rows)


def chunk_texts(index: NewsIndex) -> list[str]:
    """The committed chunk texts, read back from the article files."""
    manifest = index.manifests.load()
    texts = []
    for entry in manifest.articles.values():
        text = (index.config.corpus_dir / entry.path).read_text(encoding="utf-8")
        texts += [text[s:e] for s, e in entry.spans]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="index only the first N articles")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers to this file")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    try:
        results = run(root, args.limit)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def run(root: Path, limit: int | None) -> dict[str, object]:
    n_articles = write_corpus(root / "corpus", limit)
    index = NewsIndex(IndexConfig(root / "corpus", root / "data", default_cache_dir()))
    index.embedder()  # load the model outside the timed build, as a long-running process would
    started = time.perf_counter()
    report = index.reindex()
    build_s = time.perf_counter() - started
    texts = chunk_texts(index)
    unique = list(dict.fromkeys(texts))
    started = time.perf_counter()
    index.embedder().embed(unique)
    raw_s = time.perf_counter() - started
    started = time.perf_counter()
    unchanged = index.reindex()
    unchanged_s = time.perf_counter() - started
    index_rate = report.embedded_chunks / build_s
    raw_rate = len(unique) / raw_s
    store_mb = sum(p.stat().st_size for p in (root / "data").rglob("*") if p.is_file()) / 1e6
    return {
        "articles": n_articles,
        "indexed_articles": report.articles,
        "chunks": report.chunks,
        "embedded_chunks": report.embedded_chunks,
        "build_s": round(build_s, 1),
        "articles_per_s": round(report.articles / build_s, 2),
        "index_chunks_per_s": round(index_rate, 2),
        "raw_embed_chunks_per_s": round(raw_rate, 2),
        "index_vs_raw_embed_ratio": round(index_rate / raw_rate, 3),
        "unchanged_reindex_s": round(unchanged_s, 3),
        "unchanged_embedded_chunks": unchanged.embedded_chunks,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "store_mb": round(store_mb, 1),
    }


if __name__ == "__main__":
    main()
