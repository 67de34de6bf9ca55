"""Terminal rendering for the CLI: pure functions from results to text or rich renderables."""

from __future__ import annotations

from typing import Any

from index.articles import Skipped
from index.handle import IndexStatus
from index.reindex import ReindexReport
from index.retrieve import Passage


def skip_line(skip: Skipped) -> str:
    """One line naming a skipped file and the reason."""
    return f"skipped {skip.path}: {skip.reason}"


def report_line(report: ReindexReport) -> str:
    """The one-line summary of an index run."""
    parts = [
        f"{report.added} added", f"{report.updated} updated", f"{report.removed} removed",
        f"{report.unchanged} unchanged", f"{len(report.skipped)} skipped",
    ]
    return (
        f"indexed {report.articles} articles, {report.chunks} chunks ({', '.join(parts)}; "
        f"{report.embedded_chunks} chunks embedded) in {report.seconds:.1f} s"
    )


def byline(title: str, outlet: str | None, published: str | None) -> str:
    """'Title — Outlet, 2025-01-28' with whatever parts are known."""
    extra = ", ".join(part for part in (outlet, published) if part)
    return f"{title} — {extra}" if extra else title


def passages_renderable(query: str, passages: list[Passage]) -> Any:
    """Search results as rich panels, best first."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    if not passages:
        return Text(f"No passages found for {query!r}.")
    panels = [
        Panel(
            Text(p.text.strip()),
            title=Text(f"{i}. {byline(p.title, p.outlet, p.published)}", style="bold"),
            subtitle=f"{p.path} [{p.start}:{p.end}]  score {p.score:.4f}",
            title_align="left", subtitle_align="right",
        )
        for i, p in enumerate(passages, 1)
    ]
    return Group(*panels)


def status_renderable(status: IndexStatus) -> Any:
    """The status as a two-column table."""
    from rich.table import Table

    table = Table(show_header=False, box=None)
    rows = [
        ("corpus", status.corpus_dir), ("data dir", status.data_dir), ("store", status.store),
        ("embedding model", status.model), ("articles", str(status.articles)), ("chunks", str(status.chunks)),
        ("last indexed", status.indexed_at or "never (run `newsdesk index`)"),
    ]
    for key, value in rows:
        table.add_row(f"[bold]{key}[/bold]", value)
    return table
