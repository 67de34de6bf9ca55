"""bench/evidence_loss.py names the first stage of the engine's path where the evidence is lost."""

from __future__ import annotations

from types import SimpleNamespace

from bench.evidence_loss import STAGES, stage


def thought(passages: list[str], candidates: list[str], readings: list[tuple[str, float | None]]) -> SimpleNamespace:
    """A deliberation's shape with only the texts stage() reads."""
    return SimpleNamespace(
        passages=[SimpleNamespace(text=t) for t in passages],
        candidates=[SimpleNamespace(text=t) for t in candidates],
        readings=[SimpleNamespace(candidate=SimpleNamespace(text=t), reader=p) for t, p in readings],
    )


def test_each_stage_is_named_where_the_evidence_first_goes_missing() -> None:
    """Passages, candidates, shortlist, read, ranked first: the first missing one is reported."""
    answer, other = "Sales rose by 12%.", "Shares fell."
    evidence = ["12%"]
    assert stage(evidence, thought([other], [], [])) == STAGES[0]
    assert stage(evidence, thought([answer], [other], [])) == STAGES[1]
    assert stage(evidence, thought([answer], [answer], [(other, 0.9)])) == STAGES[2]
    assert stage(evidence, thought([answer], [answer], [(other, 0.9), (answer, None)])) == STAGES[3]
    assert stage(evidence, thought([answer], [answer], [(other, 0.9), (answer, 0.2)])) == STAGES[4]
    assert stage(["SALES ROSE"], thought([answer], [answer], [(answer, 0.9)])) == STAGES[5]
