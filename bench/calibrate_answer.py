"""Fit the answer model (bot/answering/decide.py WEIGHTS): P(the quotes newsdesk would show hold the answer).

It runs the whole engine (retrieval, answer types, the span reader, selection) on SQuAD 2.0 questions whose
Wikipedia article is not among those of the first 1,000 questions (that test set stays clean for
`newsdesk eval --squad`), and fits a logistic regression of "answerable and a gold answer is quoted" on the
evidence features of bot.answering.decide. The articles are split by title: the fit uses four fifths, the
rest reports AUC and the CRAG-style score of the decision rule. newsdesk answers when P >= 0.5: a CRAG-style
score counts a wrong answer as -1 and an abstention as 0, so answering pays exactly when it is more likely right
than wrong; no threshold is fitted. Prints the weights to paste into bot/answering/decide.py.

    .venv/bin/python -m bench.calibrate_answer [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

from bench.calibrate import fit
from bench.common import squad_index
from bot.answering.answer import deliberate
from bot.answering.choose import span_reader_for
from bot.answering.decide import FEATURES, features


def title_of(article_id: str) -> str:
    """The SQuAD article a paragraph file belongs to ("super-bowl-50-003" -> "super-bowl-50")."""
    return article_id.rsplit("-", 1)[0]


def records(root: Path, limit: int | None) -> list[dict]:
    """Features and labels for every usable question, with its article title for the split."""
    squad, index = squad_index(root)
    test_titles = {title_of(q["article_id"]) for q in squad.questions[:1000]}
    usable = [q for q in squad.questions[1000:] if title_of(q["article_id"]) not in test_titles][:limit]
    reader = span_reader_for(index.config.model_dir)
    out = []
    for i, q in enumerate(usable):
        snapshot = index.snapshot()
        thought = deliberate(q["question"], snapshot, reader=reader)
        quotes = " ".join(c.text for c in thought.chosen)
        found = not q["impossible"] and any(a in quotes for a in q["answers"])
        out.append({"x": features(thought), "y": found, "answerable": not q["impossible"],
                    "title": title_of(q["article_id"]), "typed": bool(thought.readings)})
        if i % 250 == 0:
            print(f"{i}/{len(usable)}", file=sys.stderr, flush=True)
    return out


def crag(p: np.ndarray, rows: list[dict]) -> float:
    """CRAG-style score of answering when p >= 0.5 (abstaining where no sentence could answer at all)."""
    score = 0
    for prob, r in zip(p, rows, strict=True):
        if prob >= 0.5 and r["typed"]:
            score += 1 if r["y"] else -1
    return score / len(rows)


def auc(y: np.ndarray, s: np.ndarray) -> float:
    """Area under the ROC curve by the rank-sum formula."""
    ranks = np.argsort(np.argsort(s)) + 1
    positives = y.sum()
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / max(1, positives * (len(y) - positives)))


def main() -> None:
    """Record, fit on four fifths of the articles, report on the rest, print the weights."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="at most N questions")
    parser.add_argument("--root", type=Path, default=None, help="keep the SQuAD index here (default: a temp dir)")
    args = parser.parse_args()
    if args.root:
        rows = records(args.root, args.limit)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows = records(Path(tmp), args.limit)
    held = [zlib.crc32(r["title"].encode()) % 5 == 0 for r in rows]
    x = np.array([[r["x"][name] for name in FEATURES] for r in rows])
    y = np.array([float(r["y"]) for r in rows])
    train = ~np.array(held)
    theta = fit(x[train], y[train], np.ones(int(train.sum())))
    p = 1 / (1 + np.exp(-(theta[0] + x @ theta[1:])))
    for name, mask in (("fit", train), ("held-out articles", ~train)):
        part = [r for r, m in zip(rows, mask, strict=True) if m]
        if not part:
            continue
        print(f"{name}: {int(mask.sum())} questions, AUC {auc(y[mask], p[mask]):.3f}, "
              f"CRAG-style {crag(p[mask], part):+.3f}, answerable share {np.mean([r['answerable'] for r in part]):.2f}")
    print_weights(theta)


def print_weights(theta: np.ndarray) -> None:
    """The fitted weights as decide.py's WEIGHTS literal, ready to paste."""
    print("WEIGHTS = {")
    print(f'    "bias": {theta[0]:.3f},')
    for name, value in zip(FEATURES, theta[1:], strict=True):
        print(f'    "{name}": {value:.3f},')
    print("}")


if __name__ == "__main__":
    main()
