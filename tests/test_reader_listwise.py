"""The listwise (shared-normalisation) option of the reader's training: whole questions per batch, one softmax each."""

from __future__ import annotations

import random

import pytest

from bench.span_reader_news import copies
from bench.span_reader_train import BATCH, grouped_batches, listwise_loss

torch = pytest.importorskip("torch")


def rows(qid: str, labels: list[float]) -> list[dict]:
    """One question's read sentences, labelled."""
    return [{"qid": qid, "question": "q?", "previous": "", "target": f"sentence {k}", "label": y}
            for k, y in enumerate(labels)]


def test_with_one_sentence_the_listwise_loss_is_the_bce() -> None:
    """A softmax over one sentence and 'none answers' (logit 0) is the logistic: the BCE it generalises."""
    for label in (0.0, 1.0):
        logit = torch.tensor([1.3])
        bce = torch.nn.functional.binary_cross_entropy_with_logits(logit, torch.tensor([label]))
        assert listwise_loss(torch, logit, rows("a", [label])).item() == pytest.approx(bce.item(), abs=1e-6)


def test_the_listwise_loss_prefers_the_answering_sentence_above_its_rivals() -> None:
    """The same logits cost less when the higher one is the answering sentence; questions are averaged."""
    logit = torch.tensor([2.0, -1.0])
    right = listwise_loss(torch, logit, rows("a", [1.0, 0.0])).item()
    wrong = listwise_loss(torch, logit, rows("a", [0.0, 1.0])).item()
    assert right < wrong
    both = listwise_loss(torch, torch.tensor([2.0, -1.0, 0.5]), rows("a", [1.0, 0.0]) + rows("b", [0.0]))
    single = listwise_loss(torch, torch.tensor([0.5]), rows("b", [0.0]))
    assert both.item() == pytest.approx((right + single.item()) / 2, abs=1e-6)


def test_grouped_batches_keep_every_question_whole_and_lose_no_row() -> None:
    """No question's sentences are split between batches; every row is in one batch; batches stay near BATCH."""
    data = copies([r for q in range(40) for r in rows(f"q{q}", [1.0] + [0.0] * (q % 7))], 2)
    batches = grouped_batches(data, random.Random(0))
    assert sorted(id(r) for b in batches for r in b) == sorted(id(r) for r in data)
    where = {}
    for n, batch in enumerate(batches):
        for r in batch:
            assert where.setdefault(r["qid"], n) == n
    assert all(len(b) <= BATCH for b in batches)
    assert {r["qid"] for r in data} == {f"q{q}#{k}" for q in range(40) for k in range(2)}
