"""A period of publication that retrieval keeps to: only articles published inside it are searched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

UNDATED = -1  # the day number of an article with no `published` date: inside no window


@dataclass(frozen=True)
class Window:
    """Articles published from `since` to `until`, both inclusive (None: open on that side).

    `label` says where the window came from ("the last week of January 2025", "--since 2025-01-20");
    `latest` asks for the newest articles first rather than for a period.
    """

    since: date | None = None
    until: date | None = None
    label: str = ""
    latest: bool = False

    @property
    def bounded(self) -> bool:
        """True when the window excludes anything (a `latest` request alone keeps every date)."""
        return self.since is not None or self.until is not None

    def span(self) -> str:
        """The dates, e.g. "2025-01-25 to 2025-01-31", "since 2025-01-20", "until 2025-01-31"."""
        if self.since and self.until:
            return str(self.since) if self.since == self.until else f"{self.since} to {self.until}"
        if self.since:
            return f"since {self.since}"
        return f"until {self.until}" if self.until else "any date"

    def published(self) -> str:
        """How the window's articles were published: "from 2025-01-25 to 2025-01-31", "on 2025-01-28", "since …"."""
        if self.since and self.until:
            return f"on {self.since}" if self.since == self.until else f"from {self.since} to {self.until}"
        return self.span()

    def describe(self) -> str:
        """The window as the answer names it: its label and its dates."""
        if not self.bounded:
            return self.label or "the newest articles"
        if not self.label or self.label == self.span():
            return self.span()
        return f"{self.label} ({self.span()})"

    def contains(self, published: str | None) -> bool:
        """True when an article with this `published` date (YYYY-MM-DD or None) is inside the window."""
        day = day_number(published)
        return day != UNDATED and self.holds_day(day)

    def bounds(self) -> tuple[int, int]:
        """The first and last day numbers (date.toordinal) inside the window; open sides reach any date."""
        return (self.since.toordinal() if self.since else 0, self.until.toordinal() if self.until else 10**9)

    def holds_day(self, day: int) -> bool:
        """True for a day number inside the window."""
        low, high = self.bounds()
        return low <= day <= high

    def mask(self, days: np.ndarray) -> np.ndarray:
        """Which of an array of day numbers lie inside the window (undated ones never do)."""
        low, high = self.bounds()
        return (days != UNDATED) & (days >= low) & (days <= high)

    def to_json(self) -> dict[str, object]:
        """The `window` object of `ask --json`."""
        return {"since": str(self.since) if self.since else None, "until": str(self.until) if self.until else None,
                "label": self.label, "latest": self.latest}


def day_number(published: str | None) -> int:
    """A YYYY-MM-DD date as its ordinal day number; UNDATED for None or anything unreadable."""
    if not published:
        return UNDATED
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return UNDATED


@dataclass(frozen=True)
class Coverage:
    """How a window cuts the indexed articles: how many are inside, and how many have no date at all."""

    inside: int
    undated: int
    total: int


def coverage(window: Window, published: Iterable[str | None]) -> Coverage:
    """Count the articles inside the window and the undated ones it necessarily leaves out."""
    days = [day_number(p) for p in published]
    inside = sum(1 for d in days if d != UNDATED and window.holds_day(d))
    return Coverage(inside, sum(1 for d in days if d == UNDATED), len(days))


def articles_inside(window: Window, published: Mapping[str, str | None]) -> list[str]:
    """The ids of the articles (id -> published) inside the window."""
    return [article_id for article_id, when in published.items() if window.contains(when)]
