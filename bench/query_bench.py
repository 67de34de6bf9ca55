"""Warm query latency: retrieval alone and the full answer() over 200 questions (the dev questions plus
SQuAD questions), on a BBC-scale index and on a 100,000-chunk store.

The 100k store: every BBC chunk repeated under new article ids until there are 100,000 chunks, each copy's
vector the original plus Gaussian noise (sigma 0.01, renormalised), and a real BM25 index over all of
them. Query cost depends on the number and dimension of vectors and postings, not on where they came
from, so this measures what a 100k-chunk corpus costs without embedding one for an hour.
Run: `.venv/bin/python -m bench.query_bench --bbc DIR` (DIR: an index built by bench.index_bench --keep).
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import BBC_DEV, DEV, SQUAD, open_index, percentiles, save, table, timer
from bot.answering.answer import answer
from bot.evaluate import load_items
from index.bm25 import Bm25Index
from index.handle import NewsIndex
from index.manifest import ArticleEntry, Manifest

TARGET_CHUNKS = 100_000


def questions(n: int = 200) -> list[str]:
    """The dev questions, the BBC dev questions, then SQuAD questions, n in all."""
    found = [item.question for item in load_items(DEV)]
    if BBC_DEV.exists():
        found += [item.question for item in load_items(BBC_DEV)]
    for article in json.loads(SQUAD.read_text(encoding="utf-8"))["data"]:
        for paragraph in article["paragraphs"]:
            found += [qa["question"] for qa in paragraph["qas"]]
            if len(found) >= n:
                return found[:n]
    return found[:n]


def latencies(index: NewsIndex, qs: list[str]) -> dict[str, Any]:
    """Warm p50/p95/p99 of retrieval and of answer() (each question run once to warm first)."""
    for q in qs[:20]:
        answer(q, index)
    retrieval, full = [], []
    for q in qs:
        with timer() as elapsed:
            index.search(q, 6)
        retrieval.append(elapsed())
        with timer() as elapsed:
            answer(q, index)
        full.append(elapsed())
    return {"retrieve": percentiles(retrieval), "answer": percentiles(full)}


def synthetic_store(bbc: NewsIndex, target: Path) -> NewsIndex:
    """Fill a store with perturbed copies of the BBC chunks up to TARGET_CHUNKS (see module docstring)."""
    shutil.rmtree(target, ignore_errors=True)
    source = bbc.manifests.load()
    assert source is not None
    ids = sorted(source.chunk_ids())
    stored = {}
    for first in range(0, len(ids), 2000):
        stored.update(bbc.store().texts_and_vectors(ids[first : first + 2000]))
    index = open_index(bbc.config.corpus_dir, target)
    store, rng = index.store(), np.random.default_rng(0)
    manifest = Manifest(generation=1, signature=source.signature, indexed_at="synthetic")
    keyword: dict[str, str] = {}
    copy = 0
    while manifest.chunk_count < TARGET_CHUNKS:
        copy += 1
        add_copy(store, source, stored, manifest, copy, rng, keyword)
    Bm25Index.build(list(keyword), list(keyword.values())).save(target / "bm25" / "1")
    index.manifests.commit(manifest)
    return index


def add_copy(store: Any, source: Manifest, stored: dict, manifest: Manifest, copy: int,
             rng: np.random.Generator, keyword: dict[str, str]) -> None:
    """One more copy of every article, until the target is reached."""
    for entry in source.articles.values():
        if manifest.chunk_count >= TARGET_CHUNKS:
            return
        clone = ArticleEntry(**{**entry.__dict__, "article_id": f"{entry.article_id}~{copy}"})
        originals = entry.chunk_ids()
        vectors = np.stack([stored[c][1] for c in originals])
        vectors = vectors + rng.normal(0, 0.01, vectors.shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        meta = [{"article_id": clone.article_id, "path": clone.path, "start": s, "end": e} for s, e in clone.spans]
        texts = [stored[c][0] for c in originals]
        store.add(clone.chunk_ids(), texts, vectors, meta)
        keyword.update(zip(clone.chunk_ids(), texts, strict=True))
        manifest.articles[clone.article_id] = clone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bbc", type=Path, required=True, help="folder of a BBC index (corpus/ and data/)")
    parser.add_argument("--synthetic", type=Path, default=None, help="where to build the 100k store")
    parser.add_argument("--bbc-only", action="store_true", help="measure at BBC scale only (no 100k store)")
    args = parser.parse_args()
    if args.bbc_only:
        bbc_only(args.bbc)
        return
    main_with(args.bbc, args.synthetic or args.bbc.parent / "synthetic-100k")


def bbc_at_scale(bbc_root: Path) -> tuple[NewsIndex, list[str], dict[str, Any]]:
    """The BBC index, the questions and their warm latencies."""
    qs = questions()
    bbc = open_index(bbc_root / "corpus", bbc_root / "data")
    return bbc, qs, latencies(bbc, qs)


def bbc_only(bbc_root: Path) -> None:
    """Measure and save the BBC-scale figures alone (after a change to the answer path)."""
    _, qs, at_bbc = bbc_at_scale(bbc_root)
    table(f"warm latency, {len(qs)} questions, ms", {"BBC retrieval": at_bbc["retrieve"],
                                                     "BBC answer()": at_bbc["answer"]})
    save(bbc_figures(at_bbc))


def bbc_figures(at_bbc: dict[str, Any]) -> dict[str, float]:
    """The results.json keys of the BBC-scale measurement."""
    return {"retrieve_p50_ms_bbc": at_bbc["retrieve"]["p50"], "retrieve_p95_ms_bbc": at_bbc["retrieve"]["p95"],
            "answer_p50_ms_bbc": at_bbc["answer"]["p50"], "answer_p95_ms_bbc": at_bbc["answer"]["p95"],
            "answer_p99_ms_bbc": at_bbc["answer"]["p99"]}


def main_with(bbc_root: Path, synthetic: Path) -> None:
    """Measure at BBC scale and save that, then build the 100k store, measure again, save."""
    bbc, qs, at_bbc = bbc_at_scale(bbc_root)
    save(bbc_figures(at_bbc))  # kept even when the long 100k build below is stopped
    table(f"warm latency at BBC scale, {len(qs)} questions, ms", {"BBC retrieval": at_bbc["retrieve"],
                                                                  "BBC answer()": at_bbc["answer"]})
    synth = synthetic_store(bbc, synthetic)
    at_100k = latencies(synth, qs)
    table(f"warm latency, {len(qs)} questions, ms", {
        "BBC retrieval": at_bbc["retrieve"], "BBC answer()": at_bbc["answer"],
        "100k retrieval": at_100k["retrieve"], "100k answer()": at_100k["answer"]})
    save({**bbc_figures(at_bbc), "retrieve_p50_ms_100k": at_100k["retrieve"]["p50"],
          "answer_p50_ms_100k": at_100k["answer"]["p50"],
          "answer_p95_ms_100k": at_100k["answer"]["p95"], "answer_p99_ms_100k": at_100k["answer"]["p99"]})


if __name__ == "__main__":
    main()
