"""Figures the reliability suite reports, printed as one table at the end of the run."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

FIGURES: dict[str, Any] = defaultdict(int)
ORDER = ["kill points survived", "kill points tried", "questions answered under load", "questions sent under load",
         "event-loop lag p99 ms", "RSS drift MB", "hostile questions tried", "hostile article files tried",
         "hostile paths tried", "injection texts tried", "failures"]


@pytest.fixture
def figures() -> dict[str, Any]:
    """The shared figures table; tests add their counts to it."""
    return FIGURES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the reliability figures when any were recorded, with the number of failed tests."""
    if not FIGURES:
        return
    stats = terminalreporter.stats
    FIGURES["failures"] = len(stats.get("failed", [])) + len(stats.get("error", []))
    terminalreporter.section("newsdesk reliability figures")
    for key in ORDER + sorted(k for k in FIGURES if k not in ORDER):
        if key in FIGURES:
            terminalreporter.write_line(f"{key:<34} {FIGURES[key]}")
