"""`newsdesk repl`: ask questions interactively; /sources N shows the passage behind a citation."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from index.errors import NewsdeskError

HELP = """Type a question and press Enter; a follow-up ("Who wrote it?") is read in the conversation so far.
  /new         start a new conversation (in piped input a blank line does too)
  /sources N   show the full passage behind citation N of the last answer, quote highlighted
  /help        this help
  /quit        leave (Ctrl-D works too)"""


def questions(stream: TextIO, interactive: bool, history: Path | None) -> Iterator[str]:
    """Lines from the user: with a prompt and history on a terminal, plain lines otherwise."""
    if not interactive:
        for line in stream:
            yield line.rstrip("\n")
        return
    readline = enable_history(history)
    try:
        while True:
            try:
                yield input("newsdesk> ")
            except EOFError:
                print()
                return
    finally:
        if readline is not None and history is not None:
            try:
                readline.write_history_file(str(history))
            except OSError:
                pass


def enable_history(history: Path | None) -> Any:
    """Load readline history if readline exists here; returns the module or None."""
    try:
        import readline
    except ImportError:
        return None
    if history is not None and history.exists():
        try:
            readline.read_history_file(str(history))
        except OSError:
            pass
    return readline


class Session:
    """One REPL session: remembers the last answer for /sources; /new (or a piped blank line) starts over."""

    def __init__(self, ask: Callable[[str], Any], show: Callable[[Any], None], plain: bool,
                 json_out: Callable[[dict[str, Any]], None] | None = None, reset: Callable[[], None] | None = None,
                 blank_resets: bool = False) -> None:
        self.ask = ask
        self.show = show
        self.plain = plain
        self.json_out = json_out
        self.reset = reset
        self.blank_resets = blank_resets
        self.last: Any = None

    def handle(self, line: str) -> bool:
        """Process one line; False means the user wants to leave."""
        line = line.strip()
        if not line:
            if self.blank_resets and self.reset is not None:
                self.reset()
            return True
        if line.startswith("/"):
            return self.command(line)
        try:
            self.last = self.ask(line)
            self.answered(self.last)
        except NewsdeskError as exc:
            self.failed(line, exc)
        return True

    def answered(self, result: Any) -> None:
        """Show an answer: one JSON line with --json, the rich rendering otherwise."""
        from bot.render import answer_renderable

        if self.json_out is not None:
            self.json_out(result.to_json())
        else:
            self.show(answer_renderable(result))

    def failed(self, line: str, exc: NewsdeskError) -> None:
        """Report a user error in the output's own form, as `newsdesk ask` does."""
        if self.json_out is not None:
            self.json_out({"question": line, "error": str(exc)})
        else:
            self.show(f"error: {exc}")

    def command(self, line: str) -> bool:
        """Run a /command."""
        name, _, arg = line.partition(" ")
        if name in ("/quit", "/exit", "/q"):
            return False
        if name == "/help":
            self.show(HELP)
        elif name == "/new":
            if self.reset is not None:
                self.reset()
            self.show("new conversation: the next question is read on its own")
        elif name == "/sources":
            self.show(self.sources(arg.strip()))
        else:
            self.show(f"unknown command {name}; /help lists them")
        return True

    def sources(self, arg: str) -> Any:
        """The passage behind citation N of the last answer, or why it cannot be shown."""
        from bot.render import passage_renderable

        if self.last is None or not self.last.citations:
            return "no citations yet: ask a question first"
        if not arg.isdigit() or not 1 <= int(arg) <= len(self.last.citations):
            return f"usage: /sources N with N from 1 to {len(self.last.citations)}"
        return passage_renderable(self.last.citations[int(arg) - 1], self.plain)


def print_json(data: dict[str, Any]) -> None:
    """One JSON document on its own line, flushed so a pipe sees each answer at once."""
    print(json.dumps(data, ensure_ascii=False), flush=True)


def run(ask: Callable[[str], Any], history: Path | None, stream: TextIO = sys.stdin, as_json: bool = False,
        reset: Callable[[], None] | None = None) -> None:
    """The loop: read, answer, print, until /quit or end of input; piped blank lines start a new conversation."""
    from rich.console import Console

    console = Console(highlight=False, stderr=as_json)
    interactive = stream.isatty()
    session = Session(ask, console.print, plain=not console.is_terminal, json_out=print_json if as_json else None,
                      reset=reset, blank_resets=not interactive)
    if interactive:
        console.print("newsdesk — ask about the articles. /help for commands, /quit to leave.")
    for line in questions(stream, interactive, history):
        if not session.handle(line):
            break
