"""bench/calibrate_news_answer.py scores a decision from each question's forced outcomes, and its ceiling."""

from __future__ import annotations

import numpy as np

from bench.calibrate_news_answer import ceiling, paired, score


def row(forced: int, never: int = 0, unanswerable: bool = False, name: str = "bbc-gen6") -> dict:
    """One question's outcomes: forced to answer (+1 right, -1 wrong or answered unanswerable), forced to abstain."""
    return {"set": name, "forced": forced, "never": never, "unanswerable": unanswerable, "role": "factual"}


def test_the_ceiling_answers_exactly_the_questions_a_forced_answer_gets_right() -> None:
    """Right, wrong and unanswerable: answering all scores (1 - 1 - 1) / 3, the ceiling 1 / 3, abstaining 0."""
    rows = [row(1), row(-1), row(-1, unanswerable=True)]
    assert score(rows, np.array([True, True, True])) == "CRAG-style -0.333 ± 0.667"
    assert score(rows, np.array([False, False, False])) == "CRAG-style +0.000 ± 0.000"
    assert ceiling(rows) == "CRAG-style +0.333 ± 0.333"


def test_two_decisions_are_compared_question_by_question() -> None:
    """Abstaining instead of answering a wrong one and an unanswerable: two better, one worse (the right one lost)."""
    rows = [row(1), row(-1), row(-1, unanswerable=True)]
    assert paired(rows, np.array([True, True, True]), np.array([False, False, False])) == \
        "2 better, 1 worse (sign test p = 1)"


def test_the_ceiling_of_a_dialogue_set_counts_follow_ups() -> None:
    """A dialogue set is scored by its follow-up turns right, as `newsdesk eval --dialogues` counts them."""
    rows = [dict(row(1, name="dialogues-gen"), role="followup"), dict(row(-1, name="dialogues-gen"), role="followup"),
            dict(row(1, name="dialogues-gen"), role="first")]
    assert ceiling(rows) == "follow-ups right 1/2"
