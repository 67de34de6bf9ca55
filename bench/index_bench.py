"""Index build on BBC News (2,225 articles): throughput against the raw embedder in the same run,
re-index times (unchanged, one article changed, one deleted), peak memory and store size.

Prints numbers and merges them into bench/results.json; asserts nothing.
Run: `make bench`, or `.venv/bin/python -m bench.index_bench [--limit N] [--keep DIR]`.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.common import folder_mb, open_index, peak_rss_mb, save, table, timer, write_bbc
from index.handle import NewsIndex


def chunk_texts(index: NewsIndex) -> list[str]:
    """The committed chunk texts, read back from the article files."""
    manifest = index.manifests.load()
    assert manifest is not None
    texts = []
    for entry in manifest.articles.values():
        text = (index.config.corpus_dir / entry.path).read_text(encoding="utf-8")
        texts += [text[s:e] for s, e in entry.spans]
    return texts


def build(root: Path, limit: int | None) -> tuple[NewsIndex, dict[str, Any]]:
    """Index BBC articles into root from scratch; the model is loaded first, as a long-running process has it.

    An index left in root by an earlier run is removed first: re-indexing it would time a few changed chunks,
    not a build (make bench once reported 0.78 chunks/s that way).
    """
    shutil.rmtree(root / "data", ignore_errors=True)
    n_articles = write_bbc(root / "corpus", limit)
    index = open_index(root / "corpus", root / "data")
    index.embedder()
    with timer() as elapsed:
        report = index.reindex()
    seconds = elapsed()
    return index, {
        "articles": n_articles, "indexed_articles": report.articles, "skipped_duplicates": len(report.skipped),
        "chunks": report.chunks, "embedded_chunks": report.embedded_chunks, "build_s": round(seconds, 1),
        "articles_per_s": round(report.articles / seconds, 2),
        "index_chunks_per_s": round(report.embedded_chunks / seconds, 2),
    }


def raw_rate(index: NewsIndex) -> float:
    """The same engine embedding the same (distinct) chunk texts, nothing else."""
    unique = list(dict.fromkeys(chunk_texts(index)))
    with timer() as elapsed:
        index.embedder().embed(unique)
    return len(unique) / elapsed()


def reindex_times(index: NewsIndex) -> dict[str, float]:
    """Unchanged, one article edited, one article deleted."""
    times = {}
    with timer() as elapsed:
        index.reindex()
    times["unchanged_reindex_s"] = round(elapsed(), 3)
    first = sorted(index.config.corpus_dir.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more paragraph for the benchmark.\n", encoding="utf-8")
    with timer() as elapsed:
        index.reindex()
    times["one_changed_reindex_s"] = round(elapsed(), 3)
    first.unlink()
    with timer() as elapsed:
        index.reindex()
    times["one_deleted_reindex_s"] = round(elapsed(), 3)
    return times


def run(root: Path, limit: int | None) -> dict[str, Any]:
    """Build, compare with the raw engine, re-index; return the numbers."""
    index, numbers = build(root, limit)
    raw = raw_rate(index)
    numbers["raw_embed_chunks_per_s"] = round(raw, 2)
    numbers["index_vs_raw_embed_ratio"] = round(numbers["index_chunks_per_s"] / raw, 3)
    numbers |= reindex_times(index)
    numbers["peak_rss_mb"] = peak_rss_mb()
    numbers["store_mb"] = folder_mb(root / "data")
    index.close()
    return numbers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="index only the first N articles")
    parser.add_argument("--keep", type=Path, default=None, help="build here and keep it (default: a temp dir)")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    if args.keep:
        shutil.rmtree(root, ignore_errors=True)
    try:
        numbers = run(root, args.limit)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    table(f"newsdesk index build on BBC ({numbers['articles']} articles)", numbers)
    if args.limit is None:
        save_bbc(numbers)


def save_bbc(numbers: dict[str, Any]) -> None:
    """Record a full-BBC run in bench/results.json under the keys the README table uses."""
    save({"index_chunks_per_s_bbc": numbers["index_chunks_per_s"],
          "index_vs_raw_embed_ratio": numbers["index_vs_raw_embed_ratio"],
          "raw_embed_chunks_per_s_bbc": numbers["raw_embed_chunks_per_s"],
          "build_s_bbc": numbers["build_s"], "articles_per_s_bbc": numbers["articles_per_s"],
          "unchanged_reindex_s_bbc": numbers["unchanged_reindex_s"],
          "one_changed_reindex_s_bbc": numbers["one_changed_reindex_s"],
          "one_deleted_reindex_s_bbc": numbers["one_deleted_reindex_s"],
          "index_peak_rss_mb_bbc": numbers["peak_rss_mb"], "store_mb_bbc": numbers["store_mb"],
          "chunks_bbc": numbers["chunks"]})


if __name__ == "__main__":
    main()
