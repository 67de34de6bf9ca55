"""Fit the answer model (bot/answering/decide.py WEIGHTS) on news: synthetic BBC questions, each asked twice.

SQuAD's probabilities do not transfer to news (the README's answer section), and the eval files may not be fitted
to, so this makes its own labelled news questions. From a BBC article the span reader never trained on (its
held-out tenth, bench/span_reader_train.bbc_split) it takes a sentence holding an amount, a count, a date or a name
and asks about it, worded as that trainer words questions (short, or with the topic taken from the lead sentence).
Each question is asked twice against the real BBC index:
- as is: answerable; right when newsdesk's quotes hold the asked-for words;
- with its source article (and every passage holding the answer) kept out of retrieval: the articles still cover
  the topic but no longer hold the fact, which is what bbc-dev's unanswerable questions are like; any answer is
  wrong.
Articles that any eval file names as a source are never used. The fit uses four fifths of the articles and
reports AUC and the CRAG-style score of answering at P >= 0.5 on the rest.

    .venv/bin/python -m bench.calibrate_news --bbc /tmp/bbc   # corpus/ and data/ as bench.bbc_corpus writes them
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.calibrate import fit
from bench.calibrate_answer import auc, crag, print_weights
from bench.common import SHARED, open_index
from bench.span_reader_train import bbc_articles, entity_options, make_question, make_topic_question
from bot.answering.answer import deliberate
from bot.answering.choose import span_reader_for
from bot.answering.decide import FEATURES, features
from index.retrieve import Passage

EVAL_DIR = SHARED / "eval"


@dataclass
class Without:
    """A snapshot whose search leaves out one article and every passage holding the answer: the fact is gone."""

    inner: Any
    article_id: str
    answer: str

    def search(self, query: str, k: int, window: Any = None) -> list[Passage]:
        """The inner search, deeper, minus the removed article and the passages that hold the answer."""
        pool = self.inner.search(query, 3 * k, window)
        kept = [p for p in pool if p.article_id != self.article_id and self.answer.lower() not in p.text.lower()]
        return kept[:k]

    def __getattr__(self, name: str) -> Any:
        """Everything else is the inner snapshot's."""
        return getattr(self.inner, name)


def eval_sources() -> set[str]:
    """Every article an eval file names as a source: never used here."""
    found: set[str] = set()
    for path in EVAL_DIR.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else {}
            for turn in item.get("turns", [item]):
                found.update(turn.get("source_ids", []))
    return found


def questions(per_article: int, seed: int) -> list[tuple[str, str, str]]:
    """(article id, question, answer) from the span reader's held-out tenth of the BBC articles."""
    articles = bbc_articles()
    random.Random(3).shuffle(articles)  # the trainer's split: its first tenth is held out
    used_by_evals = eval_sources()
    held = [a for a in articles[: len(articles) // 10] if a[0] not in used_by_evals]
    rng = random.Random(seed)
    random.seed(seed)
    out = []
    for article_id, sentences in held:
        for i, entity in entity_options(sentences, rng)[:per_article]:
            topic = rng.random() < 0.5
            question = (make_topic_question(sentences, i, entity, rng) if topic
                        else make_question(sentences[i], entity, rng, (2, 4)))
            if question:
                out.append((article_id, question, sentences[i][entity[3] : entity[4]]))
    return out


def records(bbc_root: Path, per_article: int) -> list[dict]:
    """Features and labels of every question asked as is and without its fact."""
    index = open_index(bbc_root / "corpus", bbc_root / "data")
    reader = span_reader_for(index.config.model_dir)
    rows = []
    asked = questions(per_article, 11)
    for n, (article_id, question, answer) in enumerate(asked):
        for removed in (False, True):
            snapshot = index.snapshot()
            seen = Without(snapshot, article_id, answer) if removed else snapshot
            thought = deliberate(question, seen, reader=reader)  # type: ignore[arg-type]
            quotes = " ".join(c.text for c in thought.chosen).lower()
            rows.append({"x": features(thought), "y": not removed and answer.lower() in quotes,
                         "answerable": not removed, "title": article_id, "typed": bool(thought.readings)})
        if n % 100 == 0:
            print(f"{n}/{len(asked)}", file=sys.stderr, flush=True)
    return rows


def main() -> None:
    """Record, fit on four fifths of the articles, report on the rest, print the weights."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bbc", type=Path, required=True, help="folder of a BBC index (corpus/ and data/)")
    parser.add_argument("--per-article", type=int, default=3, help="questions per held-out article")
    parser.add_argument("--without", default="", help="features to leave out (weight 0), comma-separated")
    parser.add_argument("--rows", type=Path, default=None, help="cache the recorded rows in this JSON file")
    args = parser.parse_args()
    if args.rows and args.rows.exists():
        rows = json.loads(args.rows.read_text(encoding="utf-8"))
    else:
        rows = records(args.bbc, args.per_article)
        if args.rows:
            args.rows.write_text(json.dumps(rows), encoding="utf-8")
    left_out = {name for name in args.without.split(",") if name}
    held = np.array([zlib.crc32(r["title"].encode()) % 5 == 0 for r in rows])
    x = np.array([[0.0 if name in left_out else r["x"][name] for name in FEATURES] for r in rows])
    y = np.array([float(r["y"]) for r in rows])
    theta = fit(x[~held], y[~held], np.ones(int((~held).sum())))
    p = 1 / (1 + np.exp(-(theta[0] + x @ theta[1:])))
    for name, mask in (("fit", ~held), ("held-out articles", held)):
        part = [r for r, m in zip(rows, mask, strict=True) if m]
        right = np.mean([r["y"] for r in part if r["answerable"]])
        print(f"{name}: {int(mask.sum())} rows, AUC {auc(y[mask], p[mask]):.3f}, CRAG-style at P >= 0.5 "
              f"{crag(p[mask], part):+.3f}, right when answerable {right:.2f}")
    print_weights(theta)


if __name__ == "__main__":
    main()
