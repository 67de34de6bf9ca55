"""Is a change better, or only different? Two `newsdesk eval --json` runs of one set, compared question by question.

Every engine change here moves a few answers each way ("+3 −2"), and a set of 80 questions moves its CRAG-style
score by about ±0.07 (one standard error) by the luck of which questions it holds. Pairing the runs removes that
luck: each question scores in both, so what is left is the change itself. For each pair of files (the run before,
the run after, same set) this prints how many questions got better and worse, the total change in score, the mean
change with its paired standard error, and the exact two-sided sign test over the questions that changed: the
chance of a split at least that uneven if the change did nothing. Pairs are pooled at the end.

A question set's rows score their CRAG-style value (right +1, wrong or answered unanswerable −1, abstained 0); a
dialogue set's turns score 1 when right.

    .venv/bin/newsdesk eval FILE --json > before.json   (then change the engine)
    .venv/bin/newsdesk eval FILE --json > after.json
    .venv/bin/python -m bench.compare_runs before.json after.json [before2.json after2.json ...]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.evaluate import standard_error


@dataclass(frozen=True)
class Comparison:
    """One pair of runs, question by question."""

    label: str
    changes: tuple[float, ...]  # after − before, one per question both runs scored

    @property
    def better(self) -> int:
        """Questions that scored more after the change."""
        return sum(c > 0 for c in self.changes)

    @property
    def worse(self) -> int:
        """Questions that scored less after the change."""
        return sum(c < 0 for c in self.changes)

    def line(self) -> str:
        """The comparison as one line of text."""
        n = len(self.changes)
        mean = sum(self.changes) / n if n else 0.0
        error = standard_error(list(self.changes))
        spread = f" ± {error:.3f}" if error is not None else ""
        return (f"{self.label}: {n} paired, {self.better} better, {self.worse} worse, total {sum(self.changes):+g}, "
                f"mean {mean:+.3f}{spread} s.e., sign test p = {sign_test(self.better, self.worse):.3g}")


def sign_test(better: int, worse: int) -> float:
    """Exact two-sided sign test: P(a split at least this uneven | each change equally likely either way)."""
    n = better + worse
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(better, worse) + 1)) / 2**n
    return min(1.0, 2 * tail)


def scores(report: dict[str, Any], path: Path) -> dict[str, float]:
    """Each question's (or dialogue turn's) score in one `newsdesk eval --json` report, by id."""
    if isinstance(report.get("questions"), list):
        return {row["id"]: float(row["crag"]) for row in report["questions"]}
    if isinstance(report.get("turns"), list):
        return {row["id"]: float(row["right"]) for row in report["turns"]}
    raise ValueError(f"{path} is not a `newsdesk eval --json` report of a question or dialogue file")


def compare(before: Path, after: Path) -> Comparison:
    """The question-by-question change from one run to the other (questions both runs scored)."""
    old, new = (scores(json.loads(p.read_text(encoding="utf-8")), p) for p in (before, after))
    shared = [key for key in old if key in new]
    if not shared:
        raise ValueError(f"{before} and {after} share no question ids: are they runs of the same set?")
    return Comparison(after.stem, tuple(new[key] - old[key] for key in shared))


def pooled(comparisons: list[Comparison]) -> Comparison:
    """All pairs' questions as one comparison."""
    return Comparison("pooled", tuple(c for comparison in comparisons for c in comparison.changes))


def main(argv: list[str] | None = None) -> int:
    """Compare each (before, after) pair of eval reports and, for several pairs, all of them pooled."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", type=Path, nargs="+", help="before.json after.json, repeated for more sets")
    args = parser.parse_args(argv)
    if len(args.reports) % 2:
        parser.error("give the reports in pairs: before.json after.json [before2.json after2.json ...]")
    try:
        comparisons = [compare(args.reports[i], args.reports[i + 1]) for i in range(0, len(args.reports), 2)]
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for comparison in comparisons:
        print(comparison.line())
    if len(comparisons) > 1:
        print(pooled(comparisons).line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
