"""The `newsdesk` command: thin click commands over the index and answer layers."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.answering.defaults import DEFAULT_K
from index.errors import NewsdeskError

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger("newsdesk")


class Context:
    """Settings and the index handle, made once per command run."""

    def __init__(self) -> None:
        from bot.config import load_settings
        from bot.logs import setup_logging

        self.settings: Settings = load_settings()
        setup_logging(self.settings.log_level, self.settings.data_dir)
        self._index: Any = None

    @property
    def index(self) -> Any:
        """The NewsIndex for the configured corpus and store (opened lazily)."""
        if self._index is None:
            from index.handle import NewsIndex

            self._index = NewsIndex(self.settings.index_config())
        return self._index


pass_context = click.make_pass_decorator(Context, ensure=True)


def echo_json(data: Any) -> None:
    """Print one JSON document on stdout."""
    click.echo(json.dumps(data, ensure_ascii=False))


def console(stderr: bool = False) -> Any:
    """A rich console (imported only when something is rendered)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="newsdesk")
def cli() -> None:
    """newsdesk answers questions about a folder of news articles with cited, verified quotes.

    Articles live in the corpus folder (NEWSDESK_CORPUS_DIR, default ./corpus). Run
    `newsdesk index` after adding or editing articles; only what changed is re-embedded.
    Settings come from the environment or a .env file (see .env.example).
    """


def run_index(ctx: Context, rebuild: bool, wait: bool, quiet: bool) -> Any:
    """Re-index with a progress bar, telling the user when another run holds the lock."""
    from bot.progress import progress_bar

    def waiting() -> None:
        click.echo("another `newsdesk index` is running; waiting for it to finish…", err=True)

    with progress_bar(not quiet) as progress:
        return ctx.index.reindex(progress=progress, rebuild=rebuild, wait=wait, on_wait=waiting)


def print_report(report: Any, as_json: bool) -> None:
    """The run summary: skip lines and a summary on a terminal, one JSON object with --json."""
    from bot.render import report_line, skip_line

    if as_json:
        echo_json(report.to_json())
        return
    for added in report.converted:
        click.echo(f"converted {added.source} -> {added.path}", err=True)
    for skip in report.skipped:
        click.echo(skip_line(skip), err=True)
    click.echo(report_line(report))


@cli.command("index")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the counts.")
@click.option("--rebuild", is_flag=True, help="Delete the store and index everything again (repairs a damaged store).")
@click.option("--no-wait", is_flag=True, help="Exit with an error instead of waiting when another index run is active.")
@pass_context
def index_command(ctx: Context, as_json: bool, rebuild: bool, no_wait: bool) -> None:
    """Index the corpus folder: embed new and changed articles, drop removed ones.

    Example: newsdesk index
    """
    print_report(run_index(ctx, rebuild, not no_wait, as_json), as_json)


@cli.command("add")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a corpus article of the same name with different text.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: added files and the index counts.")
@pass_context
def add_command(ctx: Context, paths: tuple[Path, ...], replace: bool, as_json: bool) -> None:
    """Copy article files (.md, .txt, .html) into the corpus as UTF-8 Markdown, then index.

    Example: newsdesk add ~/Downloads/story.html
    """
    from dataclasses import asdict

    from index.add import add_files

    ctx.settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    added, refused = add_files(ctx.settings.corpus_dir, list(paths), replace)
    if not as_json:
        for item in added:
            click.echo(f"{item.status}: {item.source} -> {item.path}", err=True)
        for skip in refused:
            click.echo(f"refused {skip.path}: {skip.reason}", err=True)
    report = run_index(ctx, rebuild=False, wait=True, quiet=as_json)
    if as_json:
        data = report.to_json() | {
            "files": [asdict(a) for a in added],
            "refused": [asdict(s) for s in refused],
        }
        echo_json(data)
    else:
        print_report(report, False)
    if refused and not added:
        sys.exit(1)


@cli.command("search")
@click.argument("query")
@click.option("--k", "k", default=5, show_default=True, type=click.IntRange(1, 50), help="Passages to return.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of passages.")
@pass_context
def search_command(ctx: Context, query: str, k: int, as_json: bool) -> None:
    """Show the passages that best match QUERY (hybrid dense + keyword search).

    Example: newsdesk search "Which chip runs DeepSeek R1 inference?"
    """
    from bot.render import passages_renderable

    passages = ctx.index.search(query, k)
    if as_json:
        echo_json([p.to_json() for p in passages])
    else:
        console().print(passages_renderable(query, passages))


@cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@pass_context
def status_command(ctx: Context, as_json: bool) -> None:
    """Show what is indexed: articles, chunks, store, model, last run.

    Example: newsdesk status
    """
    from bot.render import status_renderable

    status = ctx.index.status()
    if as_json:
        echo_json(status.to_json())
    else:
        console().print(status_renderable(status))


@cli.command("ask")
@click.argument("question", required=False)
@click.option("--k", "k", default=DEFAULT_K, show_default=True, type=click.IntRange(1, 50),
              help="Passages retrieved as evidence.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON (one object per line from stdin).")
@pass_context
def ask_command(ctx: Context, question: str | None, k: int, as_json: bool) -> None:
    """Answer QUESTION with verified quotes and uncertainty notes.

    With no QUESTION, read questions from standard input, one per line (the model loads once).

    Example: newsdesk ask "What chips does DeepSeek use for inference?"
    """
    from bot.answering.answer import answer
    from bot.answering.llm import build_synthesizer

    synthesizer = build_synthesizer(ctx.settings.llm_config(), stream=not as_json and sys.stdout.isatty())
    if question is not None:
        show_answer(answer(question, ctx.index, k, synthesizer), as_json)
        return
    failures = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            show_answer(answer(line, ctx.index, k, synthesizer), as_json)
        except NewsdeskError as exc:
            failures += 1
            if as_json:
                echo_json({"question": line.strip(), "error": str(exc)})
            else:
                click.echo(f"error: {exc}", err=True)
    if failures:
        sys.exit(1)


def show_answer(result: Any, as_json: bool) -> None:
    """One answer: a JSON line, or the rich rendering."""
    from bot.render import answer_renderable

    if as_json:
        echo_json(result.to_json())
    else:
        console().print(answer_renderable(result))


@cli.command("repl")
@click.option("--k", "k", default=DEFAULT_K, show_default=True, type=click.IntRange(1, 50),
              help="Passages retrieved as evidence.")
@pass_context
def repl_command(ctx: Context, k: int) -> None:
    """Ask questions interactively (history kept); /sources N shows a citation's passage.

    Off a terminal it answers standard input line by line, so a transcript can be piped in.

    Example: newsdesk repl
    """
    from bot import repl
    from bot.answering.answer import answer
    from bot.answering.llm import build_synthesizer

    synthesizer = build_synthesizer(ctx.settings.llm_config(), stream=sys.stdout.isatty())
    ctx.index.retriever.view()  # fail early and clearly when there is no index
    repl.run(lambda q: answer(q, ctx.index, k, synthesizer), ctx.settings.data_dir / "repl_history")


@cli.command("eval")
@click.argument("file", required=False, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--squad", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A SQuAD 2.0 JSON file: index its paragraphs in a temporary store and score retrieval.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N SQuAD questions.")
@click.option("--k", "k", default=DEFAULT_K, show_default=True, type=click.IntRange(1, 50),
              help="Passages per question.")
@click.option("--part", type=click.Choice(["A", "B", "all"], case_sensitive=False), default="all",
              show_default=True,
              help="Only half of FILE's questions, split by source article: tune on one part, report on the other.")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@pass_context
def eval_command(ctx: Context, file: Path | None, squad: Path | None, limit: int | None, k: int,
                 part: str, as_json: bool) -> None:
    """Score newsdesk on a question file (dev.jsonl format) or on SQuAD 2.0.

    Examples: newsdesk eval ../shared/eval/dev.jsonl
              newsdesk eval ../shared/eval/bbc-dev.jsonl --part A
              newsdesk eval --squad ../shared/data/squad2-dev-half.json --limit 1000
    """
    if (file is None) == (squad is None):
        raise click.UsageError("give either FILE or --squad PATH")
    if squad and part.lower() != "all":
        raise click.UsageError("--part splits a question FILE; it does not apply to --squad")
    chosen = None if part.lower() == "all" else part.upper()
    report = run_squad_eval(ctx, squad, limit, k, as_json) if squad else run_file_eval(ctx, file, k, chosen, as_json)
    if as_json:
        echo_json(report)


def run_file_eval(ctx: Context, file: Path | None, k: int, part: str | None, quiet: bool) -> dict[str, Any]:
    """Answer every question of a JSONL file (or of one part of it) against the configured index."""
    from bot.evaluate import evaluate_items, load_items, select_part
    from bot.progress import step_counter
    from bot.render import eval_renderable

    assert file is not None
    every = load_items(file)
    items = select_part(every, part)
    click.echo(f"part {part or 'all'}: {len(items)} of {len(every)} questions", err=quiet)
    ctx.index.retriever.view()
    with step_counter(len(items), "questions", not quiet) as tick:
        report = {"part": part or "all", **evaluate_items(items, ctx.index, k, tick)}
    if not quiet:
        console().print(eval_renderable(report))
        for name, metrics in [("overall", report["overall"]), *report["by_kind"].items()]:
            click.echo(extra_eval_line(name, metrics))
    return report


def extra_eval_line(name: str, metrics: dict[str, Any]) -> str:
    """The figures the eval table has no column for, as one plain line per group."""
    from bot.render import fmt

    per_answer = metrics["quotes_per_answer"]
    return (f"{name}: unanswerable handled {fmt(metrics['unanswerable_handled'])} · short answer holds evidence "
            f"{fmt(metrics['short_answer_holds_evidence'])} · short answer valid {fmt(metrics['short_answer_valid'])}"
            f" · citation precision {fmt(metrics['citation_precision'])} · quotes per answer "
            f"{'–' if per_answer is None else f'{per_answer:.2f}'} (max {fmt(metrics['max_quotes'])})")


def run_squad_eval(ctx: Context, squad: Path, limit: int | None, k: int, quiet: bool) -> dict[str, Any]:
    """Index SQuAD paragraphs in a temporary folder and score the questions."""
    import dataclasses
    import tempfile

    from bot.evaluate import evaluate_squad, write_squad_corpus
    from bot.progress import progress_bar, step_counter
    from bot.render import squad_renderable
    from index.handle import NewsIndex

    with tempfile.TemporaryDirectory(prefix="newsdesk-squad-") as tmp:
        data = write_squad_corpus(squad, Path(tmp) / "corpus", limit)
        index = NewsIndex(dataclasses.replace(ctx.settings.index_config(), corpus_dir=Path(tmp) / "corpus",
                                              data_dir=Path(tmp) / "data", chroma_host=None))
        with progress_bar(not quiet) as progress:
            index.reindex(progress=progress)
        with step_counter(len(data.questions), "questions", not quiet) as tick:
            report = evaluate_squad(data, index, k, tick)
        index.close()
    if not quiet:
        console().print(squad_renderable(report))
    return report


@cli.command("discord")
@click.option("--k", "k", default=DEFAULT_K, show_default=True, type=click.IntRange(1, 50),
              help="Passages retrieved as evidence for each question.")
@pass_context
def discord_command(ctx: Context, k: int) -> None:
    """Run the Discord bot: /ask, /sources, /reindex, /add, mentions and DMs (see docs/discord.md).

    Needs DISCORD_TOKEN in the environment or .env; DISCORD_GUILD_ID syncs the slash commands to one
    server at once. Runs until interrupted (Ctrl-C).

    Example: newsdesk discord
    """
    from bot.discord_bot import run_bot

    run_bot(ctx.settings, ctx.index, k)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line and exit 1; surprises are logged, not dumped."""
    try:
        cli.main(args=argv, prog_name="newsdesk", standalone_mode=False)
    except NewsdeskError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception:
        log.exception("unexpected error")
        click.echo("newsdesk hit an unexpected error, sorry; details are in the log file in the data dir "
                   "(NEWSDESK_DATA_DIR/newsdesk.log).", err=True)
        sys.exit(2)
