"""Should we answer at all? A small logistic model over evidence features, calibrated offline.

The weights were fitted by `bench/calibrate.py` (logistic regression): positives are questions whose
quotes hold the gold evidence (../shared/eval/dev.jsonl over corpus/, and answerable SQuAD 2.0
questions after the first 1,000, which stay a clean test set); negatives are dev's unanswerable
questions, answerable ones whose quotes miss the evidence, and off-topic questions (SQuAD questions
asked of corpus/). Rerun that script after changing the features or the composer and paste its output.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.decide import logistic
from bot.answering.evidence import Candidate, Question

WEIGHTS = {
    "bias": -3.684,
    "coverage": 3.972,
    "coverage_chosen": -0.053,
    "unknown_share": -7.500,
    "unknown_entities": -1.558,
    "entity_coverage": -1.288,
    "dense": 5.564,
    "typed": 1.688,
}
THRESHOLD = 0.52  # midway between dev's most answerable-looking unanswerable question and least sure answer


@dataclass(frozen=True)
class Assessment:
    """The features of one question's evidence and the resulting probability that it is answerable."""

    features: dict[str, float]
    probability: float

    @property
    def answerable(self) -> bool:
        """True when the probability clears the calibrated threshold."""
        return self.probability >= THRESHOLD


CHOSEN_FEATURES = ("coverage_chosen", "entity_coverage")  # the features the quotes chosen move, each within [0, 1]


def best_possible(question: Question, candidates: list[Candidate], dense_top: float) -> float:
    """The highest probability any choice of quotes could give: below THRESHOLD no answer is possible at all.

    Only CHOSEN_FEATURES depend on which sentences are quoted, so the bound takes each at whichever end of [0, 1]
    its weight favours (a question with no names has entity coverage 1 whatever is quoted).
    """
    values = features(question, candidates, [], dense_top)
    for name in CHOSEN_FEATURES:
        if not (name == "entity_coverage" and not question.entities):
            values[name] = 1.0 if WEIGHTS[name] > 0 else 0.0
    return probability(values)


def features(question: Question, candidates: list[Candidate], chosen: list[Candidate],
             dense_top: float) -> dict[str, float]:
    """Evidence strength: how much of the question the best sentences cover, and how close the passages are."""
    best = candidates[0] if candidates else None
    union = frozenset().union(*(c.terms for c in chosen))
    covered2 = sum(w for t, w in question.weights.items() if t in union) / question.total_weight
    entities = question.entities
    return {
        "coverage": best.coverage if best else 0.0,
        "coverage_chosen": covered2,
        "unknown_share": question.unknown_share,
        "unknown_entities": min(2.0, float(question.unknown_entities)),
        "entity_coverage": len(entities & union) / len(entities) if entities else 1.0,
        "dense": max(0.0, dense_top),
        "typed": 1.0 if best and best.typed else 0.0,
    }


def assess(question: Question, candidates: list[Candidate], chosen: list[Candidate], dense_top: float) -> Assessment:
    """Logistic score of the features with the calibrated weights."""
    values = features(question, candidates, chosen, dense_top)
    return Assessment(values, probability(values))


def probability(values: dict[str, float]) -> float:
    """The calibrated logistic model's P(answerable) for a set of feature values."""
    return logistic(WEIGHTS["bias"] + sum(WEIGHTS[name] * value for name, value in values.items()))
