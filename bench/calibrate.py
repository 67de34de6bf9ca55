"""Fit the abstention model (bot/answering/abstain.py WEIGHTS, THRESHOLD) on SQuAD 2.0 and the dev questions.

Positives and negatives:
- ../shared/eval/dev.jsonl over corpus/ (weighted up: the domain newsdesk serves);
- answerable SQuAD questions over the SQuAD paragraphs, after the first 1,000 (those stay a clean test
  set for `newsdesk eval --squad`): positive when the quotes newsdesk would show hold a gold answer;
- off-topic questions: SQuAD questions asked of corpus/, which cannot answer them (negatives).
SQuAD's own unanswerable questions are left out of the fit: they are written to match their paragraph
word for word, and no lexical feature separates them (AUC ~0.5, see bench/README.md); they are still
measured. Prints the weights to paste into bot/answering/abstain.py and the metrics they give.

    .venv/bin/python bench/calibrate.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import DEV, REPO, open_index, squad_index
from bot.answering.abstain import WEIGHTS
from bot.answering.answer import deliberate
from bot.evaluate import load_items
from index.handle import NewsIndex

NAMES = [name for name in WEIGHTS if name != "bias"]
DEV_WEIGHT = 25.0


def record(index: NewsIndex, question: str, evidence: list[str], answerable: bool) -> dict:
    thought = deliberate(question, index.snapshot())
    quotes = " ".join(c.text for c in thought.chosen)
    found = any(e in quotes for e in evidence)
    return {"features": thought.verdict.features, "label": bool(answerable and found), "answerable": answerable,
            "found": found}


def squad_records(cache: Path, limit: int | None, dev_index: NewsIndex) -> list[dict]:
    squad, index = squad_index(cache)
    questions = squad.questions if limit is None else squad.questions[:limit]
    out = []
    for i, q in enumerate(questions):
        split = "test" if i < 1000 else "train"
        out.append(record(index, q["question"], q["answers"], not q["impossible"]) | {"split": split})
        if i % 4 == 0:
            out.append(record(dev_index, q["question"], [], False) | {"split": f"offtopic-{split}"})
        if i % 500 == 0:
            print(f"squad {i}/{len(questions)}", file=sys.stderr)
    return out


def dev_index(root: Path) -> NewsIndex:
    shutil.copytree(REPO / "corpus", root / "corpus")
    index = open_index(root / "corpus", root / "data")
    index.reindex()
    return index


def dev_records(index: NewsIndex) -> list[dict]:
    items = load_items(DEV)
    return [record(index, it.question, list(it.evidence_any), not it.expect_abstain) | {"split": "dev", "id": it.id}
            for it in items]


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 0.001, steps: int = 5000) -> np.ndarray:
    """Weighted L2-regularised logistic regression by gradient descent; returns [bias, *coefficients]."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    theta = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xb @ theta))
        grad = xb.T @ (w * (p - y)) / w.sum() + l2 * np.r_[0, theta[1:]]
        theta -= 1.0 * grad
    return theta


def crag(p: np.ndarray, rows: list[dict], threshold: float) -> float:
    score = 0
    for prob, r in zip(p, rows, strict=True):
        if prob < threshold:
            continue
        score += 1 if (r["answerable"] and r["found"]) else -1
    return score / len(rows)


def metrics(p: np.ndarray, rows: list[dict], threshold: float) -> dict:
    ans = [(pr, r) for pr, r in zip(p, rows, strict=True) if r["answerable"]]
    una = [(pr, r) for pr, r in zip(p, rows, strict=True) if not r["answerable"]]
    return {
        "crag": round(crag(p, rows, threshold), 3),
        "answered_with_evidence": round(sum(pr >= threshold and r["found"] for pr, r in ans) / max(1, len(ans)), 3),
        "false_abstention": round(sum(pr < threshold for pr, _ in ans) / max(1, len(ans)), 3),
        "abstention_unanswerable": round(sum(pr < threshold for pr, _ in una) / max(1, len(una)), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="SQuAD questions to use (default all)")
    parser.add_argument("--cache", type=Path, default=REPO / "bench" / "out" / "squad")
    parser.add_argument("--records", type=Path, default=None, help="reuse feature records from this JSON file")
    args = parser.parse_args()
    if args.records and args.records.exists():
        rows = json.loads(args.records.read_text())
    else:
        with tempfile.TemporaryDirectory(prefix="newsdesk-cal-") as root:
            index = dev_index(Path(root))
            rows = dev_records(index) + squad_records(args.cache, args.limit, index)
            index.close()
        if args.records:
            args.records.write_text(json.dumps(rows))
    x = np.array([[r["features"][n] for n in NAMES] for r in rows])
    y = np.array([float(r["label"]) for r in rows])
    weight = np.array([DEV_WEIGHT if r["split"] == "dev" else 1.0 for r in rows])
    split = np.array([r["split"] for r in rows])
    answerable_or_offtopic = np.array([r["answerable"] or r["split"] != "train" for r in rows])
    train = np.isin(split, ["dev", "train", "offtopic-train"]) & answerable_or_offtopic
    mean, std = x[train].mean(0), x[train].std(0) + 1e-9
    theta = fit((x[train] - mean) / std, y[train], weight[train])
    coef = theta[1:] / std
    theta = np.r_[theta[0] - (coef * mean).sum(), coef]
    p = 1 / (1 + np.exp(-(theta[0] + x @ theta[1:])))
    dev = split == "dev"
    test = split == "test"
    trainsq = split == "train"
    offtopic = np.char.startswith(split.astype(str), "offtopic")

    answerable = np.array([r["answerable"] for r in rows])
    found = np.array([r["found"] for r in rows])
    dev_rows = [r for r, m in zip(rows, dev, strict=True) if m]

    def objective(t: float) -> float:
        mask = trainsq & answerable
        answered_found = ((p[mask] >= t) & found[mask]).mean()
        return 3 * dev_ok(p[dev], dev_rows, t) + (p[offtopic] < t).mean() + answered_found

    best = max(np.arange(0.2, 0.81, 0.02), key=objective)
    # prefer the middle of the gap between dev's unanswerable and answered questions: a margin both ways
    unanswerable = [pr for pr, r in zip(p[dev], dev_rows, strict=True) if not r["answerable"]]
    answered = [pr for pr, r in zip(p[dev], dev_rows, strict=True) if r["answerable"] and r["found"]]
    if unanswerable and answered and max(unanswerable) < min(answered):
        best = round((max(unanswerable) + min(answered)) / 2, 2)
    print("WEIGHTS = {")
    print(f'    "bias": {theta[0]:.3f},')
    for name, value in zip(NAMES, theta[1:], strict=True):
        print(f'    "{name}": {value:.3f},')
    print("}")
    print(f"THRESHOLD = {best:.2f}")
    print("off-topic abstention", round(float((p[offtopic] < best).mean()), 3))
    for label, mask in (("dev", dev), ("squad train", trainsq), ("squad test (first 1000)", test)):
        sel = [r for r, m in zip(rows, mask, strict=True) if m]
        print(label, metrics(p[mask], sel, best))
    for r, prob in zip([r for r, m in zip(rows, dev, strict=True) if m], p[dev], strict=True):
        print(f"  {r['id']} answerable={r['answerable']} found={r['found']} p={prob:.2f}")


def dev_ok(p: np.ndarray, rows: list[dict], threshold: float) -> float:
    """Share of dev questions handled right: answerable ones answered with evidence, others abstained."""
    good = sum((pr >= threshold) == r["answerable"] and (r["found"] or not r["answerable"])
               for pr, r in zip(p, rows, strict=True))
    return good / max(1, len(rows))


if __name__ == "__main__":
    main()
