"""`make bench`: every benchmark in one run, the goals table, bench/results.json and the plot.

Takes about 30 minutes on 2 cores (two full BBC builds for newsdesk and the raw engine, two for the
LlamaIndex tutorial baseline, a 100k-chunk store). Numbers go to bench/results.json; the plot of answer
latency and build time against corpus size to bench/scaling.png.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from bench import baseline_bench, cold_start, engine_bench, index_bench, query_bench
from bench.common import OUT, REPO, RESULTS, open_index, save, squad_index, table, timer

GOALS = [  # (key, comparison, target, label)
    ("index_chunks_per_s_bbc", ">=", 19, "index build, chunks/s"),
    ("index_vs_raw_embed_ratio", ">=", 0.9, "build / raw engine throughput"),
    ("cold_start_s", "<=", 2.0, "cold start of `newsdesk ask`, s"),
    ("help_s", "<=", 0.5, "`newsdesk --help`, s"),
    ("status_s", "<=", 0.5, "`newsdesk status`, s"),
    ("answer_p50_ms_bbc", "<=", 60, "answer() p50 at BBC scale, ms (issue 12)"),
    ("answer_p95_ms_bbc", "<=", 150, "answer() p95 at BBC scale, ms (issue 12)"),
    ("answer_p50_ms_bbc", "<=", 25, "answer() p50 at BBC scale, ms (issue 6, before the readers)"),
    ("answer_p50_ms_100k", "<=", 60, "answer() p50 at 100k chunks, ms"),
    ("unchanged_reindex_s_bbc", "<=", 1.0, "unchanged re-index at BBC scale, s"),
    ("one_changed_reindex_s_bbc", "<=", 2.0, "one changed article at BBC scale, s"),
]


def scaling(results: dict[str, Any]) -> dict[str, list[Any]]:
    """Build time and answer latency at several corpus sizes (5 articles, 300 BBC, all BBC, 100k chunks)."""
    sizes: dict[str, list[Any]] = {"chunks": [], "build_s": [], "answer_p50_ms": []}
    qs = query_bench.questions()
    for limit, name in ((None, "corpus"), (300, "bbc300")):
        root = OUT / name
        shutil.rmtree(root, ignore_errors=True)
        if name == "corpus":
            shutil.copytree(REPO / "corpus", root / "corpus")
            index = open_index(root / "corpus", root / "data")
            index.embedder()
            with timer() as elapsed:
                report = index.reindex()
            build_s, chunks = elapsed(), report.chunks
        else:
            index, numbers = index_bench.build(root, limit)
            build_s, chunks = numbers["build_s"], numbers["chunks"]
        sizes["chunks"].append(chunks)
        sizes["build_s"].append(build_s)
        sizes["answer_p50_ms"].append(query_bench.latencies(index, qs)["answer"]["p50"])
        index.close()
    sizes["chunks"] += [results["chunks_bbc"], 100_000]
    sizes["build_s"] += [results["build_s_bbc"], None]  # the 100k store is synthetic: no build time
    sizes["answer_p50_ms"] += [results["answer_p50_ms_bbc"], results["answer_p50_ms_100k"]]
    return sizes


def plot(sizes: dict[str, list[Any]], path: Path) -> None:
    """Answer latency and build time against corpus size, log-scaled chunks."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(sizes["chunks"], sizes["answer_p50_ms"], marker="o")
    left.set(xscale="log", xlabel="chunks in the index", ylabel="answer() p50, ms", title="Answer latency")
    built = [(c, b) for c, b in zip(sizes["chunks"], sizes["build_s"], strict=True) if b is not None]
    right.plot([c for c, _ in built], [b for _, b in built], marker="o", color="tab:orange")
    right.set(xscale="log", yscale="log", xlabel="chunks in the index", ylabel="build time, s",
              title="Index build (fp32, 2 cores)")
    for axis in (left, right):
        axis.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def goals(results: dict[str, Any]) -> None:
    """Print each goal with its measured value and whether it is met."""
    rows = {}
    for key, op, target, label in GOALS:
        value = results.get(key)
        met = value is not None and (value >= target if op == ">=" else value <= target)
        rows[label] = f"{value}  (goal {op} {target})  {'met' if met else 'NOT MET'}"
    for key, base, label in (("index_chunks_per_s_bbc", "baseline_index_chunks_per_s_bbc", "build vs baseline"),
                             ("hit5_squad", "baseline_hit5_squad", "SQuAD hit@5 vs baseline")):
        if key in results and base in results:
            rows[label] = f"{results[key]} vs {results[base]}  ({results[key] / results[base]:.2f}x)"
    table("goals", rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    engine_bench.main()
    bbc = index_bench.run(OUT / "bbc", None)
    table("newsdesk index build on BBC", bbc)
    index_bench.save_bbc(bbc)
    query_bench.main_with(OUT / "bbc", OUT / "synthetic-100k")
    cold_start.main()
    baseline_bench.main()
    squad = squad_hit5()
    save({"hit5_squad": squad})
    results = json.loads(RESULTS.read_text())
    sizes = scaling(results)
    save({"scaling": sizes})
    plot(sizes, REPO / "bench" / "scaling.png")
    goals(json.loads(RESULTS.read_text()))


def squad_hit5() -> float:
    """newsdesk's gold-paragraph hit@5 on the first 1,000 SQuAD questions (answerable ones)."""
    root = OUT / "squad-hit5"
    shutil.rmtree(root, ignore_errors=True)
    data, index = squad_index(root, 1000)
    answerable = [q for q in data.questions if not q["impossible"]]
    hits = sum(q["article_id"] in {p.article_id for p in index.search(q["question"], 5)} for q in answerable)
    index.close()
    return round(hits / len(answerable), 3)


if __name__ == "__main__":
    main()
