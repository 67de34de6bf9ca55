"""Fit the answer model (bot/answering/decide.py WEIGHTS) on real news questions the span reader never learnt from.

Each question of bench.news_questions.DECISION_SETS is asked through answer() twice: once forced to answer and
once forced to abstain, each scored as `newsdesk eval` scores it (right +1, wrong or an answered unanswerable -1,
abstaining 0). A logistic regression of "the forced answer is right" on the answer model's features (questions
no sentence could answer at all left out) gives P(right); newsdesk answers when P >= 0.5, the point where
answering pays under that scoring, so no threshold is fitted. Then, with those weights held, one offset for
follow-ups is fitted on the follow-up turns of FOLLOWUP_SETS, each asked both ways from the conversation as the
dialogue had left it. The script prints the weights and, for every set it is given, the score of the rule in
decide.py and of the new one, so a refit is judged on sets it did not see (--report), and "at best": the score
of answering exactly the questions whose forced answer is right, the ceiling of any answer model over this
engine's answers (2026-12-05: 0.60 on the 415 held-out questions, against 0.39 shipped).

The run behind today's weights (4 min): 288 questions (bbc-gen6 to -gen8 and -gen11) and the follow-ups of
dialogues-gen to -gen3; the new rule against the old one on held-out sets is in docs/history.md.

    .venv/bin/python -m bench.calibrate_news_answer --bbc /tmp/bbc [--report bbc-dev:B,bbc-gen9,dialogues-dev]
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from bench.calibrate import fit
from bench.compare_runs import Comparison, sign_test
from bench.news_questions import (
    DECISION_SETS,
    FOLLOWUP_SETS,
    HELD_OUT,
    bbc_index,
    dialogues_of,
    engine_settings,
    items_of,
    news_parser,
    sets_arg,
)
from bot.answering import answer as engine
from bot.answering.decide import ANSWER_AT, FEATURES, WEIGHTS
from bot.conversation import DEFAULT_MINUTES, Conversation, answer_in_context
from bot.evaluate import EvalItem, judge, standard_error
from index.handle import NewsIndex

L2 = 0.01  # as bench/calibrate.py's fits
QUESTION_FEATURES = tuple(name for name in FEATURES if name != "followup")


@contextmanager
def recorded_features() -> Iterator[dict]:
    """The features of the latest answer() call, in seen["x"] (None when no sentence could answer)."""
    seen: dict = {"x": None}
    features = engine.features

    def recording(*args, **kwargs):
        seen["x"] = features(*args, **kwargs)
        return seen["x"]

    engine.features = recording
    try:
        yield seen
    finally:
        engine.features = features


def both_ways(item: EvalItem, ask: Callable[[], object], seen: dict, corpus: Path) -> dict:
    """The item asked forced to abstain and forced to answer: each score, each abstention, and the features."""
    row: dict = {"id": item.id, "role": item.kind, "unanswerable": item.expect_abstain}
    for mode, at in (("never", 2.0), ("forced", -1.0)):
        seen["x"] = None
        with engine_settings(answer_at=at):
            result = ask()
        row[mode] = judge(item, result, corpus).crag
        row[f"{mode}_abstained"] = result.abstained
    row["x"] = seen["x"]
    return row


def outcomes(index: NewsIndex, names: list[str]) -> list[dict]:
    """Per question (or dialogue turn, for a dialogue set): features and the score both ways."""
    rows = []
    corpus = index.config.corpus_dir
    with recorded_features() as seen:
        for name in names:
            if name.startswith("dialogues"):
                rows += [dict(r, set=name) for d in dialogues_of(name) for r in dialogue_rows(d.turns, index, seen)]
            else:
                rows += [dict(both_ways(item, lambda item=item: engine.answer(item.question, index), seen, corpus),
                              set=name) for item in items_of(name)]
            print(f"{name}: {len(rows)} rows so far", flush=True)
    return rows


def dialogue_rows(turns: tuple[EvalItem, ...], index: NewsIndex, seen: dict) -> list[dict]:
    """Each turn asked both ways on a copy of the conversation, which then goes on as newsdesk would answer."""
    conversation = Conversation(DEFAULT_MINUTES * 60)
    rows = []
    for item in turns:
        ask = lambda item=item: answer_in_context(item.question, index, copy.deepcopy(conversation))  # noqa: E731
        rows.append(both_ways(item, ask, seen, index.config.corpus_dir))
        answer_in_context(item.question, index, conversation)
    return rows


def matrix(rows: list[dict], names: tuple[str, ...] = FEATURES) -> np.ndarray:
    """The feature matrix, columns in `names` order."""
    return np.array([[r["x"][name] for name in names] for r in rows], dtype=float)


def usable(rows: list[dict]) -> list[dict]:
    """Rows where some sentence could answer and the forced run did answer."""
    return [r for r in rows if r["x"] is not None and not r["forced_abstained"]]


def right(rows: list[dict]) -> np.ndarray:
    """1 where the forced answer held the evidence."""
    return np.array([float(r["forced"] == 1) for r in rows])


def fitted(rows: list[dict]) -> dict[str, float]:
    """Weights on raw question features (fitted on standardised ones), the follow-up offset left at 0."""
    x = matrix(usable(rows), QUESTION_FEATURES)
    mu, sd = x.mean(0), x.std(0) + 1e-9
    theta = fit((x - mu) / sd, right(usable(rows)), np.ones(len(x)), l2=L2)
    weights = theta[1:] / sd
    return {"bias": float(theta[0] - mu @ weights), **dict(zip(QUESTION_FEATURES, map(float, weights), strict=True)),
            "followup": 0.0}


def with_offset(weights: dict[str, float], rows: list[dict]) -> dict[str, float]:
    """The follow-up offset that best fits carried follow-ups' outcomes (maximum likelihood on a fine grid)."""
    carried = [r for r in usable(rows) if r["role"] == "followup" and r["x"]["followup"] == 1.0]
    z, y = logits(weights, carried), right(carried)

    def loss(c: float) -> float:
        p = 1 / (1 + np.exp(-(z + c)))
        return float(-np.sum(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)))

    grid = np.round(np.linspace(-5, 10, 1501), 3)
    return weights | {"followup": float(min(grid, key=loss))}


def logits(weights: dict[str, float], rows: list[dict]) -> np.ndarray:
    """The answer model's log-odds per row; -inf where no sentence could answer."""
    w = np.array([weights[name] for name in FEATURES])
    return np.array([weights["bias"] + matrix([r])[0] @ w if r["x"] is not None else -np.inf for r in rows])


def score(rows: list[dict], answering: np.ndarray) -> str:
    """CRAG-style (± its standard error) for a question set; follow-ups right for a dialogue set."""
    values = scored(rows, answering)
    if rows[0]["set"].startswith("dialogues"):
        return f"follow-ups right {int(sum(values))}/{len(values)}"
    error = standard_error(values)
    return f"CRAG-style {sum(values) / len(values):+.3f}" + (f" ± {error:.3f}" if error is not None else "")


def scored(rows: list[dict], answering: np.ndarray) -> list[float]:
    """Each question's CRAG-style outcome under a decision; for a dialogue set, 1 for each follow-up right, else 0."""
    outcome = [r["forced"] if a else r["never"] for r, a in zip(rows, answering, strict=True)]
    if not rows[0]["set"].startswith("dialogues"):
        return [float(o) for o in outcome]
    return [float((o == 0) if r["unanswerable"] else (o == 1))
            for r, o in zip(rows, outcome, strict=True) if r["role"] == "followup"]


def paired(rows: list[dict], before: np.ndarray, after: np.ndarray) -> str:
    """How the second decision changes the first's outcomes, question by question, with the exact sign test."""
    change = Comparison("", tuple(b - a for a, b in zip(scored(rows, before), scored(rows, after), strict=True)))
    return f"{change.better} better, {change.worse} worse (sign test p = {sign_test(change.better, change.worse):.2g})"


def ceiling(rows: list[dict]) -> str:
    """The score of a perfect decision: answer exactly where the forced answer is right (what no weights can beat)."""
    return score(rows, np.array([r["forced"] == 1 for r in rows]))


def main() -> None:
    parser = news_parser(__doc__)
    parser.add_argument("--fit-sets", type=sets_arg, default=DECISION_SETS)
    parser.add_argument("--followup-sets", type=sets_arg, default=FOLLOWUP_SETS)
    parser.add_argument("--report", type=sets_arg, default=HELD_OUT, help="sets to score both rules on")
    args = parser.parse_args()
    index = bbc_index(args.bbc)
    rows = outcomes(index, [*args.fit_sets, *args.followup_sets])
    new = with_offset(fitted([r for r in rows if r["set"] in args.fit_sets]), rows)
    print("WEIGHTS = {\n" + "".join(f'    "{name}": {value:.3f},\n' for name, value in new.items()) + "}")
    for name in (*args.fit_sets, *args.followup_sets, *args.report):
        part = [r for r in rows if r["set"] == name] or outcomes(index, [name])
        shipped, refit = logits(WEIGHTS, part) >= logit_at(ANSWER_AT), logits(new, part) >= 0.0
        print(f"{name:16s} {len(part):3d} rows: {score(part, shipped)} with decide.py, {score(part, refit)} with the "
              f"new weights ({paired(part, shipped, refit)}), {ceiling(part)} at best", flush=True)


def logit_at(p: float) -> float:
    """The log-odds of a probability threshold."""
    return float(np.log(p / (1 - p)))


if __name__ == "__main__":
    main()
