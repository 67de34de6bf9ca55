"""Train the pre-ranker (bot/answering/prerank.py WEIGHTS): which shortlisted sentences the span reader reads.

Every question of bench.news_questions.READER_SETS (the span reader's own training sets) is deliberated
without the reader; each shortlisted sentence is labelled by whether it holds one of the question's evidence
strings. A softmax over each shortlist (questions with no labelled sentence left out) is fitted by gradient
descent on standardised features with a little L2, and the weights are printed unstandardised, ready for
prerank.py. The report gives, for the training sets and for every set named with --report, how often
a labelled sentence is among the first 1, 2 and 3 by the blend the engine used before and by the new ranking.

    .venv/bin/python -m bench.prerank_train --bbc /tmp/bbcroot [--report bbc-gen6,bbc-gen7,bbc-gen8,bbc-gen11]
"""

from __future__ import annotations

import numpy as np

from bench.news_questions import DECISION_SETS, READER_SETS, bbc_index, items_of, news_parser, sets_arg
from bot.answering import answer as engine
from bot.answering import choose, prerank
from bot.evaluate import EvalItem
from index.snapshot import Snapshot

L2 = 0.01
STEPS, RATE = 3000, 0.1
Shortlist = tuple[np.ndarray, np.ndarray, np.ndarray]  # features, labels, the old blend


def shortlist_of(item: EvalItem, snapshot: Snapshot) -> Shortlist:
    """One question's shortlist as the engine builds it: features, labels and the blend it used to read by."""
    thought = engine.deliberate(engine.clean_question(item.question), snapshot)
    place = {c: i for i, c in enumerate(thought.candidates)}
    listed = sorted(((r.candidate, r.spans) for r in thought.readings), key=lambda x: place[x[0]])
    rows = prerank.features(thought.question, listed)
    x = np.array([[row[name] for name in prerank.FEATURES] for row in rows]).reshape(len(rows), len(prerank.FEATURES))
    evidence = [e.lower() for e in item.evidence_any]
    labels = np.array([any(e in c.text.lower() for e in evidence) for c, _ in listed], dtype=float)
    blend = np.array([choose.blended(c.coverage, c.passage.dense_score) for c, _ in listed])  # read by before
    return x, labels, blend


def shortlists(names: tuple[str, ...], snapshot: Snapshot) -> list[Shortlist]:
    """The shortlists of every question of the named sets."""
    return [shortlist_of(item, snapshot) for name in names for item in items_of(name)]


def fit(data: list[Shortlist]) -> np.ndarray:
    """Softmax weights over standardised features, returned in the features' own units."""
    usable = [(x, y / y.sum()) for x, y, _ in data if y.any() and len(y) > 1]
    stacked = np.vstack([x for x, _ in usable])
    mean, scale = stacked.mean(0), stacked.std(0) + 1e-9
    usable = [((x - mean) / scale, y) for x, y in usable]
    w = np.zeros(stacked.shape[1])
    for _ in range(STEPS):
        gradient = sum(x.T @ (softmax(x @ w) - y) for x, y in usable) / len(usable) + L2 * w
        w -= RATE * gradient
    return w / scale


def softmax(z: np.ndarray) -> np.ndarray:
    """Probabilities from log-scale scores."""
    e = np.exp(z - z.max())
    return e / e.sum()


def hits(data: list[Shortlist], w: np.ndarray | None, k: int) -> str:
    """"h/n": of the n questions with a labelled sentence, how many have one among the first k."""
    found = [(x, y, blend) for x, y, blend in data if y.any()]
    hit = sum(bool(y[np.argsort(-(blend if w is None else x @ w), kind="stable")[:k]].any()) for x, y, blend in found)
    return f"{hit}/{len(found)}"


def report(name: str, data: list[Shortlist], w: np.ndarray) -> None:
    """A set's top-1/2/3 hit rates by the old blend and by the fitted ranking."""
    old = " ".join(hits(data, None, k) for k in (1, 2, 3))
    new = " ".join(hits(data, w, k) for k in (1, 2, 3))
    print(f"{name:40s} blend {old:24s} pre-ranker {new}")


def main() -> None:
    """Fit on the training sets; print the weights and the hit rates."""
    parser = news_parser(__doc__)
    parser.add_argument("--train-sets", type=sets_arg, default=READER_SETS, help="sets to fit on")
    parser.add_argument("--report", type=sets_arg, default=DECISION_SETS, help="sets to report (not trained on)")
    args = parser.parse_args()
    snapshot = bbc_index(args.bbc).snapshot()
    training = shortlists(args.train_sets, snapshot)
    w = fit(training)
    print("WEIGHTS = {")
    for name, value in zip(prerank.FEATURES, w, strict=True):
        print(f'    "{name}": {value:.4f},')
    print("}")
    report("training: " + ",".join(args.train_sets), training, w)
    for name in args.report:
        report(name, shortlists((name,), snapshot), w)


if __name__ == "__main__":
    main()
