"""bench.compare_runs: two eval reports of one set compared question by question, with an exact sign test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.compare_runs import compare, main, pooled, sign_test


def report(path: Path, crag: dict[str, int]) -> Path:
    """A `newsdesk eval --json`-shaped report holding the given per-question scores."""
    rows = [{"id": key, "kind": "factual", "crag": value} for key, value in crag.items()]
    path.write_text(json.dumps({"overall": {}, "by_kind": {}, "questions": rows}), encoding="utf-8")
    return path


def test_sign_test_is_exact_and_two_sided() -> None:
    assert sign_test(5, 0) == pytest.approx(2 / 32)  # 5 of 5 one way: 2 * (1/2)^5
    assert sign_test(0, 5) == pytest.approx(2 / 32)
    assert sign_test(3, 3) == 1.0
    assert sign_test(0, 0) == 1.0
    assert sign_test(9, 1) == pytest.approx(2 * 11 / 1024)  # C(10,0) + C(10,1) = 11 of 1024, both tails


def test_changes_pair_questions_by_id(tmp_path: Path) -> None:
    before = report(tmp_path / "before.json", {"q1": 1, "q2": -1, "q3": 0, "q4": 0})
    after = report(tmp_path / "after.json", {"q4": 1, "q3": 0, "q2": 1, "q1": -1, "q9": 1})  # q9: not in before
    comparison = compare(before, after)
    assert sorted(comparison.changes) == [-2.0, 0.0, 1.0, 2.0]
    assert (comparison.better, comparison.worse) == (2, 1)
    assert "4 paired, 2 better, 1 worse, total +1" in comparison.line()


def test_dialogue_turns_score_when_right(tmp_path: Path) -> None:
    def turns(path: Path, right: list[bool]) -> Path:
        rows = [{"id": f"d1/{i}", "role": "followup", "right": r} for i, r in enumerate(right, 1)]
        path.write_text(json.dumps({"overall": {}, "turns": rows}), encoding="utf-8")
        return path

    before, after = turns(tmp_path / "a.json", [True, False, False]), turns(tmp_path / "b.json", [True, True, True])
    comparison = compare(before, after)
    assert comparison.changes == (0.0, 1.0, 1.0)
    both = pooled([comparison, comparison])
    assert (both.better, both.worse, len(both.changes)) == (4, 0, 6)


def test_reports_of_different_sets_or_kinds_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = report(tmp_path / "one.json", {"q1": 1})
    other = report(tmp_path / "other.json", {"x1": 1})
    squad = tmp_path / "squad.json"
    squad.write_text(json.dumps({"questions": 1000, "crag_score": 0.1}), encoding="utf-8")
    assert main([str(one), str(other)]) == 1
    assert "share no question ids" in capsys.readouterr().err
    assert main([str(one), str(squad)]) == 1
    assert "not a `newsdesk eval --json` report" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([str(one)])  # an unpaired report


def test_main_prints_each_pair_and_the_pool(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = report(tmp_path / "a.json", {"q1": 0, "q2": 0})
    b = report(tmp_path / "b.json", {"q1": 1, "q2": 1})
    assert main([str(a), str(b), str(a), str(b)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[-1].startswith("pooled: 4 paired, 4 better, 0 worse, total +4")
