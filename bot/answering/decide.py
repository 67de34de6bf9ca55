"""Should newsdesk answer? P(the quotes it would show hold the answer), from the evidence of the whole engine.

A logistic model over the span readers' agreed verdict on the best sentence (and its lead over the runner-up), the
best sentence's coverage of the question and similarity to it, the lexical model's probability
(bot.answering.abstain), whether the question asks for a typed thing and whether it is a follow-up read in its
conversation. (A second, "veto" reader's agreement was a feature until the fourth 2026-12-03 session: it
earned 0.065 log-odds and cost 17 ms of the median answer.) The weights are fitted on real news questions that
the span reader never trained on (`bench/calibrate_news_answer.py`, bench.news_questions.DECISION_SETS), so P
is a news probability and newsdesk answers when P >= 0.5: under CRAG-style scoring a wrong answer costs what a
right one earns, so answering pays exactly when it is more likely right than wrong. No threshold is fitted.
The weights were fitted when one reader read; since the lede reader joined it (2026-12-05, docs/measurements.md)
they take the two readers' agreed verdict as they are: refitted for it they scored worse on the choice sets.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.answering.answer import Deliberation

FEATURES = ("reader", "margin", "coverage", "dense", "lexical", "typed", "followup")
WEIGHTS = {  # bench/calibrate_news_answer.py: 288 questions of bbc-gen6..8, -gen11; follow-ups of dialogues-gen..3
    "bias": 2.621,
    "reader": 0.352,
    "margin": 0.037,
    "coverage": 0.676,
    "dense": 3.232,
    "lexical": -3.964,
    "typed": 0.044,
    # A follow-up's evidence reads weaker than a question's that is as likely right (its carried terms are details
    # the sentence lacks): one offset, fitted on follow-ups with the question weights held.
    "followup": 1.090,
}
ANSWER_AT = 0.5


def logit(p: float | None) -> float:
    """The reader's probability as a log-odds, clipped so that one sentence cannot dominate."""
    if p is None:
        return 0.0
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def logistic(z: float) -> float:
    """A log-odds as a probability."""
    return 1.0 / (1.0 + math.exp(-z))


def features(thought: Deliberation, followup: bool = False) -> dict[str, float]:
    """The evidence features of one deliberation (all zero but the lexical ones when no sentence could answer)."""
    readings = thought.readings
    best = readings[0] if readings else None
    second = readings[1] if len(readings) > 1 else None
    return {
        "reader": logit(best.reader) if best else -10.0,
        "margin": logit(best.reader) - logit(second.reader) if best and second else 0.0,
        "coverage": best.candidate.coverage if best else 0.0,
        "dense": best.dense if best else 0.0,
        "lexical": thought.verdict.probability,
        "typed": 1.0 if thought.expected.typed else 0.0,
        "followup": 1.0 if followup else 0.0,
    }


def probability(values: dict[str, float]) -> float:
    """P(right) under the fitted weights."""
    return logistic(WEIGHTS["bias"] + sum(WEIGHTS[name] * values[name] for name in FEATURES))
