"""The `newsdesk` command: thin click commands over the index and answer layers."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from bot.answering.defaults import DEFAULT_K
from index.errors import NewsdeskError

if TYPE_CHECKING:
    from bot.answering.warm import ModelLoading
    from bot.config import Settings

log = logging.getLogger("newsdesk")
NOTHING_TO_SAVE = object()  # what a command that wrote only its output returns: main() may then leave at once


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


def load_in_background(ctx: Context) -> ModelLoading:
    """Start loading the models in a thread, so the engine's imports overlap them (bot.answering.warm)."""
    from bot.answering.warm import ModelLoading

    return ModelLoading(ctx.index, ctx.settings.model_dir)


def finish_loading(loading: ModelLoading) -> None:
    """Import the store's client library while the models finish loading, then wait for them."""
    from index.store import import_client

    import_client()
    loading.wait()


def window_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--since / --until: keep to articles published in a period (dates, months, years or phrases)."""
    command = click.option("--until", metavar="WHEN", default=None,
                           help="Only articles published up to WHEN (inclusive): as for --since.")(command)
    return click.option("--since", metavar="WHEN", default=None,
                        help="Only articles published from WHEN: 2025-01-28, 2025-01, 2025, 'January 2025', "
                        "'last week', 'monday'. Counted from NEWSDESK_NOW when set.")(command)


def flags_window(ctx: Context, since: str | None, until: str | None) -> Any:
    """The Window the flags ask for, or None (read with the settings' today)."""
    from bot.answering.period import flag_window

    return flag_window(since, until, ctx.settings.today())


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
@click.argument("sources", nargs=-1, required=True)
@click.option("--replace", is_flag=True, help="Overwrite a corpus article (same name or URL) whose text differs.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: added files and the index counts.")
@pass_context
def add_command(ctx: Context, sources: tuple[str, ...], replace: bool, as_json: bool) -> None:
    """Copy article files (.md, .txt, .html) or fetch web pages (http/https URLs) into the corpus, then index.

    Files become UTF-8 Markdown; a page's main text and metadata are extracted and its URL kept in the front matter
    (5 MB at most, NEWSDESK_FETCH_TIMEOUT seconds, redirects followed only to http/https).

    \b
    Examples: newsdesk add ~/Downloads/story.html
              newsdesk add https://example.com/news/story.html
    """  # noqa: D301  (click keeps a paragraph after \b unwrapped)
    from dataclasses import asdict

    from index.add import add_files
    from index.articles import Skipped
    from index.fetch import add_urls, is_url

    ctx.settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    urls = [s for s in sources if is_url(s)]
    added, refused = add_files(ctx.settings.corpus_dir, [Path(s) for s in sources if not is_url(s)], replace)
    if urls:
        fetched, failed = add_urls(ctx.settings.corpus_dir, urls, replace, ctx.settings.fetch_timeout)
        added, refused = added + fetched, refused + [Skipped(url, reason) for url, reason in failed]
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


@cli.group("feeds")
def feeds_group() -> None:
    """Follow RSS and Atom feeds: `newsdesk fetch` (or `watch`) writes their new items into the corpus.

    The list lives in the data dir (feeds.json).

    \b
    Examples:
      newsdesk feeds add https://example.com/news/rss.xml
      newsdesk feeds list
      newsdesk feeds remove https://example.com/news/rss.xml
    """  # noqa: D301  (click keeps a paragraph after \b unwrapped)


@feeds_group.command("add")
@click.argument("url")
@pass_context
def feeds_add_command(ctx: Context, url: str) -> None:
    """Follow the feed at URL (nothing is fetched until `newsdesk fetch`)."""
    from index.feeds import add_feed

    added = add_feed(ctx.settings.data_dir, url)
    click.echo(f"following {url}" if added else f"already following {url}")


@feeds_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {url, title, polled_at, pending}.")
@pass_context
def feeds_list_command(ctx: Context, as_json: bool) -> None:
    """Show the followed feeds, when each was last read, and items waiting to be retried."""
    from index.feeds import load_state

    state = load_state(ctx.settings.data_dir)
    rows = [{"url": f.url, "title": f.title, "polled_at": f.polled_at,
             "pending": sum(1 for i in state.pending if i.feed == f.url)} for f in state.feeds]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        pending = f", {row['pending']} items to retry" if row["pending"] else ""
        click.echo(f"{row['url']}  {row['title'] or '(not fetched yet)'} (read {row['polled_at'] or 'never'}{pending})")
    if not rows:
        click.echo("no feeds; add one with `newsdesk feeds add URL`", err=True)


@feeds_group.command("remove")
@click.argument("url")
@pass_context
def feeds_remove_command(ctx: Context, url: str) -> None:
    """Stop following the feed at URL (its articles stay in the corpus)."""
    from index.feeds import remove_feed

    remove_feed(ctx.settings.data_dir, url)
    click.echo(f"stopped following {url}")


@cli.command("fetch")
@click.option("--json", "as_json", is_flag=True,
              help='Print one JSON object: {"feeds", "new", "updated", "unchanged", "failed": [{"url", "reason"}], '
                   '"seconds"}.')
@pass_context
def fetch_command(ctx: Context, as_json: bool) -> None:
    """Poll every followed feed once, write new items as articles, and index them in one run.

    Feeds are asked conditionally (ETag / Last-Modified), so an unchanged feed costs one small request. An item
    already in the corpus (same URL or same text) is not written again; a page that cannot be fetched is listed
    and retried on the next fetch.

    Example: newsdesk fetch
    """
    import time

    from bot.progress import progress_bar
    from index.watch import poll_and_index

    started = time.perf_counter()
    ctx.settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    with progress_bar(not as_json) as progress:
        report, indexed = poll_and_index(ctx.index, ctx.settings.fetch_timeout, progress)
    report.seconds = time.perf_counter() - started
    if as_json:
        echo_json(report.to_json())
        return
    print_poll(report)
    if not report.feeds:
        click.echo("no feeds to poll; follow one with `newsdesk feeds add URL`", err=True)
    if indexed is not None:
        print_report(indexed, False)


def print_poll(report: Any) -> None:
    """What a fetch wrote and what failed (stderr), then its one-line summary (stdout)."""
    for url, path in report.new:
        click.echo(f"new: {url} -> {path}", err=True)
    for url, path in report.updated:
        click.echo(f"updated: {url} -> {path}", err=True)
    for url, reason in report.failed:
        click.echo(f"failed {url}: {reason}", err=True)
    click.echo(f"fetched {report.feeds} feeds: {len(report.new)} new, {len(report.updated)} updated, "
               f"{report.unchanged} unchanged, {len(report.failed)} failed in {report.seconds:.1f} s")


@cli.command("watch")
@pass_context
def watch_command(ctx: Context) -> None:
    """Re-index whenever a file lands in, changes in or leaves the corpus folder; poll feeds on a schedule.

    A burst of changes (say 100 files copied at once) is one run. With NEWSDESK_FEED_MINUTES set, every
    followed feed is polled at start and then every that many minutes. Runs until Ctrl-C.

    Example: newsdesk watch
    """
    from index.watch import Watcher

    minutes = ctx.settings.feed_minutes
    feeds = f"feeds every {minutes:g} min" if minutes else "feeds off (set NEWSDESK_FEED_MINUTES)"
    click.echo(f"watching {ctx.settings.corpus_dir} ({feeds}); Ctrl-C stops", err=True)
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop_or_interrupt(stop))
    try:
        Watcher(ctx.index, show_watch_event, minutes, ctx.settings.fetch_timeout).run(stop)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, previous)
    click.echo("stopped watching", err=True)


def stop_or_interrupt(stop: threading.Event) -> None:
    """Ctrl-C asks the watch loop to stop at its next tick (a run in progress finishes); a second one interrupts.

    Raising KeyboardInterrupt at an arbitrary moment could leave the file watcher's thread half torn down; the
    loop checks the flag every half second instead.
    """
    if stop.is_set():
        raise KeyboardInterrupt
    stop.set()


def show_watch_event(event: Any) -> None:
    """One line per index run, feed poll or error while watching."""
    from bot.render import report_line, skip_line

    if event.kind == "index":
        for skip in event.report.skipped:
            click.echo(skip_line(skip), err=True)
        click.echo(report_line(event.report))
    elif event.kind == "poll":
        click.echo(event.message)
    elif event.kind == "error":
        click.echo(f"error: {event.message}", err=True)


@cli.command("search")
@click.argument("query")
@click.option("--k", "k", default=5, show_default=True, type=click.IntRange(1, 50), help="Passages to return.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of passages.")
@window_options
@pass_context
def search_command(ctx: Context, query: str, k: int, as_json: bool, since: str | None, until: str | None) -> None:
    """Show the passages that best match QUERY (hybrid dense + keyword search).

    \b
    Examples: newsdesk search "Which chip runs DeepSeek R1 inference?"
              newsdesk search "Huawei" --since 2025-01-25 --until 2025-01-31
    """  # noqa: D301  (click keeps a paragraph after \b unwrapped)
    from bot.render import passages_renderable

    passages = ctx.index.search(query, k, window=flags_window(ctx, since, until))
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
@window_options
@pass_context
def ask_command(ctx: Context, question: str | None, k: int, as_json: bool, since: str | None,
                until: str | None) -> object:
    """Answer QUESTION with verified quotes and uncertainty notes.

    With no QUESTION, read questions from standard input, one per line (the model loads once). A period in the
    question ("this week", "in January 2025", "since Monday", "latest") or --since/--until keeps the answer to
    articles published then; articles with no date are inside no period.

    \b
    Examples: newsdesk ask "What chips does DeepSeek use for inference?"
              newsdesk ask "What was reported about Huawei in the last week of January 2025?"
    """  # noqa: D301  (click keeps a paragraph after \b unwrapped)
    loading = load_in_background(ctx)
    from bot.answering.answer import answer
    from bot.answering.llm import build_synthesizer

    window, today = flags_window(ctx, since, until), ctx.settings.today()
    synthesizer = build_synthesizer(ctx.settings.llm_config(), stream=not as_json and sys.stdout.isatty())
    finish_loading(loading)
    if question is not None:
        show_answer(answer(question, ctx.index, k, synthesizer, window, today), as_json)
        return NOTHING_TO_SAVE
    failures = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            show_answer(answer(line, ctx.index, k, synthesizer, window, today), as_json)
        except NewsdeskError as exc:
            failures += 1
            if as_json:
                echo_json({"question": line.strip(), "error": str(exc)})
            else:
                click.echo(f"error: {exc}", err=True)
    if failures:
        sys.exit(1)
    return NOTHING_TO_SAVE


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
@click.option("--json", "as_json", is_flag=True,
              help="Print each answer as one JSON line (the `ask --json` object plus understood_as).")
@window_options
@pass_context
def repl_command(ctx: Context, k: int, as_json: bool, since: str | None, until: str | None) -> None:
    """Ask questions interactively (history kept); follow-ups are read in the conversation.

    /sources N shows a citation's passage, /new starts a new conversation; a conversation idle for
    NEWSDESK_CONTEXT_MINUTES (default 15) is forgotten. Off a terminal it answers standard input line by
    line as one conversation, and a blank line starts a new one.

    \b
    Examples: newsdesk repl
              newsdesk repl --json < conversation.txt
    """  # noqa: D301  (click keeps a paragraph after \b unwrapped)
    loading = load_in_background(ctx)
    from bot import repl
    from bot.answering.llm import build_synthesizer
    from bot.conversation import ConversationStore, answer_in_context

    window, today = flags_window(ctx, since, until), ctx.settings.today()
    synthesizer = build_synthesizer(ctx.settings.llm_config(), stream=not as_json and sys.stdout.isatty())
    ctx.index.retriever.view()  # fail early and clearly when there is no index
    finish_loading(loading)
    store, place = ConversationStore(ctx.settings.context_minutes), ("repl",)
    repl.run(lambda q: answer_in_context(q, ctx.index, store.get(place), k, synthesizer, window, today),
             ctx.settings.data_dir / "repl_history", sys.stdin, as_json, reset=lambda: store.clear(place))


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
@click.option("--dialogues", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A dialogue file: ask each dialogue's turns in one conversation and score them.")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@pass_context
def eval_command(ctx: Context, file: Path | None, squad: Path | None, limit: int | None, k: int,
                 part: str, dialogues: Path | None, as_json: bool) -> None:
    """Score newsdesk on a question file (dev.jsonl format), a dialogue file or SQuAD 2.0.

    Each CRAG-style score (and each dialogue role's share right) comes with its standard error: how far the luck
    of which questions a set holds moves it. To judge a change, compare two --json reports of one set question by
    question: python -m bench.compare_runs before.json after.json.

    \b
    Examples: newsdesk eval ../shared/eval/dev.jsonl
              newsdesk eval ../shared/eval/bbc-dev.jsonl --part A
              newsdesk eval --dialogues ../shared/eval/dialogues-dev.jsonl --part A
              newsdesk eval --squad ../shared/data/squad2-dev-half.json --limit 1000
    """  # noqa: D301  (click keeps a paragraph after \b unwrapped)
    if sum(x is not None for x in (file, squad, dialogues)) != 1:
        raise click.UsageError("give one of FILE, --squad PATH or --dialogues PATH")
    if squad and part.lower() != "all":
        raise click.UsageError("--part splits a question FILE; it does not apply to --squad")
    chosen = None if part.lower() == "all" else part.upper()
    if dialogues is not None:
        report = run_dialogue_eval(ctx, dialogues, k, chosen, as_json)
    elif squad:
        report = run_squad_eval(ctx, squad, limit, k, as_json)
    else:
        report = run_file_eval(ctx, file, k, chosen, as_json)
    if as_json:
        echo_json(report)


def scored_part(ctx: Context, part: str | None, quiet: bool, counts: tuple[int, int, str],
                score: Callable[[Callable[[int], None]], dict[str, Any]]) -> dict[str, Any]:
    """Say which part is scored, fail early without an index, score it with a progress counter, label the report."""
    from bot.progress import step_counter

    chosen, total, noun = counts
    click.echo(f"part {part or 'all'}: {chosen} of {total} {noun}", err=quiet)
    ctx.index.retriever.view()
    with step_counter(chosen, noun, not quiet) as tick:
        return {"part": part or "all", **score(tick)}


def run_dialogue_eval(ctx: Context, file: Path, k: int, part: str | None, quiet: bool) -> dict[str, Any]:
    """Ask every dialogue of a file (or of one part) in its own conversation against the configured index."""
    from bot.evaluate import evaluate_dialogues, load_dialogues, select_dialogues

    every = load_dialogues(file)
    chosen = select_dialogues(every, part)
    report = scored_part(ctx, part, quiet, (len(chosen), len(every), "dialogues"),
                         lambda tick: evaluate_dialogues(chosen, ctx.index, k, tick))
    if not quiet:
        console().print(dialogue_table(report))
    return report


def dialogue_table(report: dict[str, Any]) -> Any:
    """Turns right per role, in the conversation and asked alone, and fresh turns answered as if alone."""
    from rich.table import Table

    from bot.render import fmt

    table = Table(title=f"newsdesk eval --dialogues (part {report['part']}, {report['dialogues']} dialogues)")
    for column in ("turns", "count", "right ± s.e.", "right asked alone", "context carried"):
        table.add_column(column, justify="right" if column != "turns" else "left")
    rows = [*report["by_role"].items(), ("overall", report["overall"])]
    for name, f in rows:
        right = fmt(f["right"]) if f["right_stderr"] is None else f"{fmt(f['right'])} ± {fmt(f['right_stderr'])}"
        table.add_row(name, str(f["turns"]), right, fmt(f["right_alone"]), fmt(f["carried"]))
    table.caption = f"fresh turns answered as if asked alone: {fmt(report['fresh_as_alone'])}"
    return table


def run_file_eval(ctx: Context, file: Path | None, k: int, part: str | None, quiet: bool) -> dict[str, Any]:
    """Answer every question of a JSONL file (or of one part of it) against the configured index."""
    from bot.evaluate import evaluate_items, load_items, select_part
    from bot.render import eval_renderable

    assert file is not None
    every = load_items(file)
    items = select_part(every, part)
    report = scored_part(ctx, part, quiet, (len(items), len(every), "questions"),
                         lambda tick: evaluate_items(items, ctx.index, k, tick))
    if not quiet:
        console().print(eval_renderable(report))
        for name, metrics in [("overall", report["overall"]), *report["by_kind"].items()]:
            click.echo(extra_eval_line(name, metrics))
    return report


def extra_eval_line(name: str, metrics: dict[str, Any]) -> str:
    """The figures the eval table has no column for, as one plain line per group."""
    from bot.render import fmt, scored

    per_answer = metrics["quotes_per_answer"]
    return (f"{name}: crag score {scored(metrics['crag_score'], metrics['crag_stderr'])}"
            f" · unanswerable handled {fmt(metrics['unanswerable_handled'])} · short answer holds evidence "
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
    server at once. With NEWSDESK_FEED_MINUTES set, followed feeds are polled and indexed in the background
    (one log line per poll). Runs until interrupted (Ctrl-C).

    Example: newsdesk discord
    """
    from bot.discord_bot import run_bot
    from index.watch import background_feeds

    with background_feeds(ctx.index, ctx.settings.feed_minutes, ctx.settings.fetch_timeout):
        run_bot(ctx.settings, ctx.index, k)


def leave_now() -> NoReturn:
    """Exit 0 without the interpreter's teardown, ~0.2 s of every `newsdesk ask` once chromadb is loaded.

    As mypy's hard_exit does: only after a command that wrote nothing but its output, which is flushed first,
    with the log (logging's is the one exit handler such a command has).
    """
    with contextlib.suppress(OSError):  # a closed pipe (`| head`) has had all the output it wanted
        sys.stdout.flush()
        sys.stderr.flush()
    logging.shutdown()
    os._exit(0)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line and exit 1; surprises are logged, not dumped.

    Run as the `newsdesk` program (argv None), a command that saved nothing ends the process at once.
    """
    try:
        result = cli.main(args=argv, prog_name="newsdesk", standalone_mode=False)
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
    if argv is None and result is NOTHING_TO_SAVE:
        leave_now()
