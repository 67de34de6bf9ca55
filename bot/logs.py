"""Logging: short lines on stderr, full tracebacks only in the log file in the data dir."""

from __future__ import annotations

import logging
from pathlib import Path

LOG_FILE = "newsdesk.log"


class QuietFileHandler(logging.FileHandler):
    """A log file that goes quiet when the disk is full or read-only instead of printing tracebacks."""

    def handleError(self, record: logging.LogRecord) -> None:
        """Stop writing to the file after the first failure; the terminal still gets warnings."""
        self.setLevel(logging.CRITICAL + 1)


class NoTraceback(logging.Formatter):
    """A formatter for the terminal: the message only, never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        """Format without exc_info or stack_info."""
        return f"newsdesk: {record.levelname.lower()}: {record.getMessage()}"


def setup_logging(level: str, data_dir: Path) -> None:
    """Send warnings to stderr and everything at `level` (with tracebacks) to <data_dir>/newsdesk.log."""
    root = logging.getLogger()
    root.handlers.clear()
    root.setLevel(logging.DEBUG)
    terminal = logging.StreamHandler()
    terminal.setLevel(min(logging.WARNING, level_number(level)))
    terminal.setFormatter(NoTraceback())
    root.addHandler(terminal)
    for noisy in ("chromadb", "httpx", "urllib3", "bm25s", "discord", "trafilatura", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    add_file_log(root, level, data_dir)


def add_file_log(root: logging.Logger, level: str, data_dir: Path) -> None:
    """Attach the log file if the data dir is writable; a read-only disk must not stop newsdesk."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        handler = QuietFileHandler(data_dir / LOG_FILE, encoding="utf-8", delay=False)
    except OSError:
        return
    handler.setLevel(min(logging.INFO, level_number(level)))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def level_number(level: str) -> int:
    """A level name such as "INFO" as its number; unknown names mean WARNING."""
    number = logging.getLevelName(level.upper())
    return number if isinstance(number, int) else logging.WARNING
