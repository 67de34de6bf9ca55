"""Train bot/answering/entity_kind.py: is a name a person's, a place's or an organisation's?

No labelled names exist offline, so news copy labels its own (distant supervision over
../shared/data/bbc-news.csv; no eval file is read; the cues are bot/answering/name_cues.py's, which also reads them
at answer time):
- person: a surname that follows Mr, Mrs, Ms, Dr, Sir or Dame, and the full names ending with it in the same
  article ("Tony Blair" where "Mr Blair" appears); a name after a role ("chief executive Lakshmi Mittal",
  "midfielder Juninho,"), "X, 22,", "22-year-old X";
- place: the territories in bot/answering/places.txt, "X-based", "the town/city/village/capital of X",
  "in northern X", "near X", "X airport";
- organisation: "firm/operator/retailer/… X", "shares in X", "X shares", names ending in Ltd, plc, Inc, Group,
  Bank, Party, Union, Airlines, Post, Times and the like, and the side or firm a role belongs to ("Celtic manager
  Martin O'Neill").
A name takes the label most of its cues give (three quarters or more, else it is left out). The model sees only
the name (bot.answering.entity_kind.features), never the cue, so it must learn what names of each kind look
like. Names are split by a hash of the name: a fifth are held out and scored.

    .venv/bin/python -m bench.entity_kind_train [--save bot/models/entity_kind.npz]

The run that wrote bot/models/entity_kind.npz (12 s on 2 cores; third 2026-12-06 session, with the roles of sport
and the arts, one-word names after a role and the side a role belongs to): 4,667 labelled names (2,639 people, 552
places, 1,476 organisations); on the 899 held-out names accuracy 0.839 (people: recall 0.919, precision 0.858;
places 0.642 / 0.753; organisations 0.770 / 0.828; more sport and arts names than the 725 of the earlier run,
which scored 0.854). Where bot/answering/answer_types.py uses it, the cut-offs come from these held-out names:
P(person) < 0.03 leaves out 0.2 % of people and 50 % of the rest; P(person) > 0.9 takes in 63 % of people and
2.5 % of organisations (0.2 %, 49 %, 61 % and 4.7 % with the earlier cues). The shipped weights are refitted on
all labelled names.
Its labels are news copy's: foreign and historical names (SQuAD's Wikipedia) are read less well.
"""

from __future__ import annotations

import argparse
import csv
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from bot.answering.entity_kind import DIMENSIONS, KINDS, WEIGHTS, features
from bot.answering.name_cues import agreed, votes

CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "bbc-news.csv"
PLACES = Path(__file__).resolve().parents[1] / "bot" / "answering" / "places.txt"


def labelled_names(rows: list[dict]) -> dict[str, str]:
    """Every name with the kind most of its cues give (three quarters or more)."""
    votes_of: dict[str, Counter] = defaultdict(Counter)
    for line in PLACES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            votes_of[line.strip()]["place"] += 3
    for row in rows:
        for name, counts in votes(row["text"]).items():
            votes_of[name].update(counts)
    return {name: kind for name, counts in votes_of.items() if (kind := agreed(counts)) in KINDS}  # the model knows
    # no products: a name its cues call one is left out, as a name they disagree on is


def matrix(names: list[str]):
    """The hashed feature rows of names as a sparse matrix (duplicate features summed, as at run time)."""
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for i, name in enumerate(names):
        for column in features(name):
            rows.append(i)
            cols.append(column)
    return csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(names), DIMENSIONS))


def held_out(name: str) -> bool:
    """A fifth of the names, by a hash of the name, are scored and never trained on."""
    return zlib.crc32(name.lower().encode()) % 5 == 0


def main() -> None:
    """Mine the labels, fit, report held-out accuracy per kind, and optionally save the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help=f"write the weights here (what ships: {WEIGHTS})")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    with CSV.open(newline="", encoding="utf-8") as handle:
        labels = labelled_names(list(csv.DictReader(handle)))
    print("labelled names:", dict(Counter(labels.values())))
    train = [n for n in labels if not held_out(n)]
    test = [n for n in labels if held_out(n)]
    target = np.array([KINDS.index(labels[n]) for n in train])
    fitted = LogisticRegression(C=args.c, max_iter=2000, class_weight="balanced").fit(matrix(train), target)
    predicted = fitted.predict(matrix(test))
    truth = np.array([KINDS.index(labels[n]) for n in test])
    print(f"held-out names: {len(test)}, accuracy {np.mean(predicted == truth):.3f}")
    for k, kind in enumerate(KINDS):
        mask = truth == k
        print(f"  {kind:13s} {mask.sum():5d} recall {np.mean(predicted[mask] == k):.3f}"
              f" precision {np.mean(truth[predicted == k] == k):.3f}")
    if args.save:
        final = LogisticRegression(C=args.c, max_iter=2000, class_weight="balanced")
        final.fit(matrix(train + test), np.array([KINDS.index(labels[n]) for n in train + test]))
        weights = final.coef_.T.astype(np.float16)
        np.savez_compressed(args.save, weights=weights, bias=final.intercept_.astype(np.float32))
        print("saved", args.save)


if __name__ == "__main__":
    main()
