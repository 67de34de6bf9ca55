"""Progress bars for long work, shown only when a person is watching stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.reindex import Progress


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress | None]:
    """Yield a (phase, done, total) callback driving a rich progress bar, or None when hidden."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bars = Progress(
        TextColumn("{task.description:>14}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    )
    tasks: dict[str, int] = {}

    def update(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = bars.add_task(phase, total=total)
        bars.update(tasks[phase], completed=done, total=total)

    with bars:
        yield update


@contextmanager
def step_counter(total: int, label: str, enabled: bool) -> Iterator[Callable[[int], None]]:
    """Yield a tick(n=1) function that advances one labelled bar towards total."""
    with progress_bar(enabled) as progress:
        done = 0

        def tick(n: int = 1) -> None:
            nonlocal done
            done += n
            if progress:
                progress(label, done, total)

        yield tick
