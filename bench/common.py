"""Shared pieces of the benchmark scripts: data, timing, memory, the results file."""

from __future__ import annotations

import csv
import json
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.evaluate import SquadSet
    from index.handle import NewsIndex

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED_DIR") or REPO.parent / "shared")
BBC = SHARED / "data" / "bbc-news.csv"
SQUAD = SHARED / "data" / "squad2-dev-half.json"
DEV = SHARED / "eval" / "dev.jsonl"
BBC_DEV = SHARED / "eval" / "bbc-dev.jsonl"
OUT = REPO / "bench" / "out"
RESULTS = REPO / "bench" / "results.json"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def bbc_rows(limit: int | None = None) -> list[dict[str, str]]:
    """BBC News rows (id, category, title, text)."""
    with BBC.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))[:limit]


def write_bbc(target: Path, limit: int | None = None) -> int:
    """BBC articles as .txt files with the title on the first line; returns how many."""
    target.mkdir(parents=True, exist_ok=True)
    rows = bbc_rows(limit)
    for row in rows:
        (target / f"{row['id']}.txt").write_text(f"{row['title']}\n\n{row['text']}\n", encoding="utf-8")
    return len(rows)


def open_index(corpus: Path, data: Path) -> NewsIndex:
    """A handle on the index over corpus/ and data/ with the cached model (not reindexed)."""
    from index.handle import IndexConfig, NewsIndex
    from index.model_files import default_cache_dir

    return NewsIndex(IndexConfig(corpus, data, default_cache_dir()))


def squad_index(root: Path, limit: int | None = None) -> tuple[SquadSet, NewsIndex]:
    """SQuAD paragraphs written to root/corpus and indexed into root/data; the questions and the index."""
    from bot.evaluate import write_squad_corpus

    squad = write_squad_corpus(SQUAD, root / "corpus", limit)
    index = open_index(root / "corpus", root / "data")
    index.reindex()
    return squad, index


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    """Yield a function returning the seconds elapsed since entering."""
    start = time.perf_counter()
    yield lambda: time.perf_counter() - start


def percentiles(samples_s: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds."""
    ms = sorted(s * 1000 for s in samples_s)
    pick = lambda q: ms[min(len(ms) - 1, round(q * (len(ms) - 1)))]  # noqa: E731
    return {"p50": round(statistics.median(ms), 2), "p95": round(pick(0.95), 2), "p99": round(pick(0.99), 2)}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def folder_mb(path: Path) -> float:
    """Total size of the files under path."""
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def machine() -> str:
    """One line describing the machine the numbers come from."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {cpu}, {memory:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


def save(results: dict[str, Any]) -> None:
    """Merge results into bench/results.json."""
    current = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    current.update(results)
    current["machine"] = machine()
    RESULTS.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")


def table(title: str, rows: dict[str, Any]) -> None:
    """Print a two-column table."""
    print(f"\n{title}")
    width = max(map(len, rows), default=0)
    for key, value in rows.items():
        print(f"  {key:<{width}}  {value}")
