"""Terminal rendering for the CLI: pure functions from results to text or rich renderables."""

from __future__ import annotations

import re
from collections.abc import Sequence
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


def source_byline(source: Any) -> str:
    """The byline of anything with title, outlet and published (a passage or a citation)."""
    return byline(source.title, source.outlet, source.published)


def citation_title(citation: Any) -> str:
    """'[n] Title — Outlet, date': the heading of a citation's passage in every front end."""
    return f"[{citation.n}] {source_byline(citation)}"


def location(source: Any) -> str:
    """'path [start:end]': where a passage or quote sits in its article."""
    return f"{source.path} [{source.start}:{source.end}]"


def around_quote(citation: Any) -> tuple[str, str]:
    """The passage text before and after the cited quote, so front ends can highlight it in place."""
    text = citation.passage.text
    offset = citation.start - citation.passage.start
    return text[:offset], text[offset + len(citation.quote) :]


BOLD = re.compile(r"\*\*(.+?)\*\*")  # the lead's own bold markers, when its spans are not known


def bold_marks(lead: str, spans: Sequence[str]) -> list[tuple[int, int]]:
    """Where each `**span**` sits in the lead: known span texts first, as article text may hold asterisks itself."""
    found: list[tuple[int, int]] = []
    pos = 0
    for span in spans:
        start = lead.find(f"**{span}**", pos)
        if start < 0:
            return [m.span() for m in BOLD.finditer(lead)]
        pos = start + len(span) + 4
        found.append((start, pos))
    return found or [m.span() for m in BOLD.finditer(lead)]


def lead_runs(lead: str, spans: Sequence[str] = ()) -> list[tuple[str, bool]]:
    """The lead as (text, bold) runs without the `**` markers, so each front end can show bold its own way."""
    runs: list[tuple[str, bool]] = []
    pos = 0
    for start, end in bold_marks(lead, spans):
        runs += [(lead[pos:start], False), (lead[start + 2 : end - 2], True)]
        pos = end
    runs.append((lead[pos:], False))
    return [(text, bold) for text, bold in runs if text]


def split_lead(result: Any) -> tuple[str | None, str]:
    """The lead and the rest of the prose: the prose opens with the lead line, which must not show twice."""
    lead = getattr(result, "lead", None)
    if not lead or not lead.strip():
        return None, result.answer
    lines = result.answer.split("\n")
    same = next((i for i, line in enumerate(lines) if line.strip() == lead.strip()), None)
    rest = lines if same is None else lines[:same] + lines[same + 1 :]
    return lead.strip(), "\n".join(rest).strip("\n")


def span_texts(result: Any) -> list[str]:
    """The short answers' verbatim texts, in the order the lead shows them."""
    return [s.text for s in getattr(result, "short_answers", ())]


def answer_text(result: Any) -> Any:
    """The answer as rich Text: the lead first with its spans in bold, then the quotes as before."""
    from rich.text import Text

    lead, rest = split_lead(result)
    if lead is None:
        return Text(result.answer)
    text = Text()
    for run, bold in lead_runs(lead, span_texts(result)):
        text.append(run, style="bold" if bold else "")
    if rest:
        text.append("\n" + rest)
    return text


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
            title=Text(f"{i}. {source_byline(p)}", style="bold"),
            subtitle=f"{location(p)}  score {p.score:.4f}",
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
        ("wire copies", "not checked yet (run `newsdesk index`)" if status.wire_clusters is None
         else f"{status.wire_clusters} cluster{'' if status.wire_clusters == 1 else 's'} of near-identical articles"),
        ("dated", f"{status.dated} of {status.articles} articles carry a date"
         + (f", the newest {status.newest}" if status.newest else "") + " (only these fall in a period asked about)"),
    ]
    for key, value in rows:
        table.add_row(f"[bold]{key}[/bold]", value)
    return table


NOTE_MARK = {"window": "◷", "not_in_corpus": "∅", "unverified": "⚠", "single_source": "①", "shared_origin": "⟲",
             "conflict": "⚡", "dated": "⏱"}


def answer_renderable(result: Any) -> Any:
    """An Answer for the terminal: the answer, each quote with its source, the notes visibly marked."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    parts: list[Any] = []
    if getattr(result, "understood_as", None):
        parts.append(Text(f"Understood as: {result.understood_as}", style="italic"))
    if result.abstained:
        parts.append(Panel(answer_text(result), title="Not in the articles", border_style="yellow",
                           title_align="left"))
    else:
        title = f"Answer · confidence {result.confidence:.2f}"
        parts.append(Panel(answer_text(result), title=title, border_style="green", title_align="left"))
        parts.append(Text("Sources", style="bold"))
        for c in result.citations:
            line = Text(f" [{c.n}] ", style="bold cyan")
            line.append(source_byline(c))
            line.append(f" · {location(c)}", style="dim")
            parts.append(line)
    if result.notes:
        parts.append(Text("Notes", style="bold"))
        for note in result.notes:
            mark = NOTE_MARK.get(note.kind, "•")
            line = Text(f" {mark} {note.kind}: ", style="bold yellow")
            line.append(note.text)
            parts.append(line)
    return Group(*parts)


def passage_renderable(citation: Any, plain: bool) -> Any:
    """The full passage behind a citation with its quote highlighted (and marked «…» off a terminal)."""
    from rich.panel import Panel
    from rich.text import Text

    before, after = around_quote(citation)
    text = Text(before)
    quote = citation.quote if not plain else f"«{citation.quote}»"
    text.append(quote, style="bold black on yellow")
    text.append(after)
    return Panel(text, title=citation_title(citation), subtitle=location(citation.passage), title_align="left")


def eval_renderable(report: dict[str, Any]) -> Any:
    """The eval metrics as a table: one row per kind, overall first."""
    from rich.table import Table

    columns = ["questions", "evidence_recall", "abstention_rate", "false_abstention_rate", "note_recall",
               "quote_validity", "crag_score"]
    table = Table(title="newsdesk eval")
    table.add_column("kind")
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right")
    rows = [("overall", report["overall"]), *report["by_kind"].items()]
    for name, metrics in rows:
        table.add_row(name, *(fmt(metrics[c]) for c in columns[:-1]), scored(metrics["crag_score"], None))
    return table


def squad_renderable(report: dict[str, Any]) -> Any:
    """SQuAD metrics as a two-column table."""
    from rich.table import Table

    table = Table(title="newsdesk eval --squad", show_header=False)
    for key, value in report.items():
        if key == "crag_score":
            table.add_row("crag score", scored(value, report.get("crag_stderr")))
        elif key != "crag_stderr":
            table.add_row(key.replace("_", " "), fmt(value))
    return table


def scored(score: float | None, error: float | None) -> str:
    """A CRAG-style score with its standard error ("0.600 ± 0.071 s.e."): how far the luck of the questions moves it."""
    if score is None:
        return "–"
    return f"{score:.3f}" if error is None else f"{score:.3f} ± {error:.3f} s.e."


def fmt(value: Any) -> str:
    """Numbers for tables: ratios as percentages, others as they are, None as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float) and -1 <= value <= 1:
        return f"{value:.1%}" if value >= 0 else f"{value:.3f}"
    return str(value)
