"""Which sentences the span reader reads: a learnt ranking of the shortlist, since reading costs ~12 ms a sentence.

The reader reads only the best two of up to twelve shortlisted sentences (bot.answering.choose.READ; two more of
the better one's article when neither is likely to answer, choose.read_on), in this ranking's order. Ordering
them by the blend of coverage and passage similarity put a sentence holding the answer among those two for 80 %
of the questions that had one (bbc-gen6..8, -gen11). News spreads a story's terms over the headline and the
lead, and the answering sentence is often a later one that shares few of the question's words, so a linear
ranking over what the engine already knows of each sentence (coverage with and without its headline, the
passage's ranks in both retrievers, the typed spans it holds, its place in the article, its length) is trained
as a softmax over each question's shortlist to put the answering sentence first (bench/prerank_train.py, on the
span reader's own training questions, never on a decision or held-out set). On the decision sets it puts one
among the two read for 86 % (183 of 213). Where in its article a sentence stands is deliberately no feature:
the training questions' writers favoured later sentences, and with it bbc-dev part A lost questions whose
answer is the lead. Only the choice of what is read changes; unread sentences keep the blend's order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from bot.answering.evidence import Candidate, Question, headed_coverage

UNRANKED = 50  # the rank counted for a passage one retriever did not return
MAX_SPANS = 3  # typed spans beyond three say nothing more

FEATURES = (
    "coverage", "dense", "headed", "coverage_lag", "dense_lag", "headed_lag", "position", "bm25_rank",
    "dense_rank", "spans", "words", "article_share", "top_article", "fused",
)
# bench/prerank_train.py: a softmax over each shortlist of the reader sets' questions (bbc-gen..-gen5,
# bbc-train14; 471 of them have a labelled sentence). Only the order matters, so there is no bias.
WEIGHTS = {
    "coverage": -1.0060,
    "dense": 1.2712,
    "headed": 3.9621,
    "coverage_lag": -0.7797,
    "dense_lag": 1.6349,
    "headed_lag": 3.4790,
    "position": -0.2994,
    "bm25_rank": -0.7638,
    "dense_rank": -0.2982,
    "spans": 1.5697,
    "words": -0.7471,
    "article_share": -0.2985,
    "top_article": -0.2516,
    "fused": 90.5737,
}


def features(question: Question, listed: Sequence[tuple[Candidate, tuple]]) -> list[dict[str, float]]:
    """Each shortlisted sentence's features, some relative to the shortlist's best (the "lag"s)."""
    if not listed:
        return []
    covered = [c.coverage for c, _ in listed]
    dense = [c.passage.dense_score for c, _ in listed]
    headed = [max(c.coverage, headed_coverage(question, c)) for c, _ in listed]
    best_covered, best_dense, best_headed = max(covered), max(dense), max(headed)
    share = Counter(c.article_id for c, _ in listed)
    top = listed[0][0].article_id
    return [
        {
            "coverage": covered[i], "dense": dense[i], "headed": headed[i],
            "coverage_lag": covered[i] - best_covered, "dense_lag": dense[i] - best_dense,
            "headed_lag": headed[i] - best_headed, "position": math.log1p(i),
            "bm25_rank": math.log1p(ranked(c.passage.bm25_rank)),
            "dense_rank": math.log1p(ranked(c.passage.dense_rank)),
            "spans": min(len(spans), MAX_SPANS) / MAX_SPANS,
            "words": math.log1p(len(c.text.split())), "article_share": math.log1p(share[c.article_id]),
            "top_article": float(c.article_id == top), "fused": c.passage.score,
        }
        for i, (c, spans) in enumerate(listed)
    ]


def ranked(rank: int | None) -> int:
    """A retriever's rank, or UNRANKED when it did not return the passage."""
    return UNRANKED if rank is None else rank


def scores(question: Question, listed: Sequence[tuple[Candidate, tuple]]) -> list[float]:
    """How likely each shortlisted sentence is to be the answering one, on a log scale (higher reads first)."""
    return [sum(WEIGHTS[name] * row[name] for name in FEATURES) for row in features(question, listed)]
