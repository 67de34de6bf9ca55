"""Two commands preparing the same model at once: one exports, the other waits and uses its graph."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from index.model_files import ModelFiles, ensure_ready, is_ready, write_record

pytest.importorskip("torch")  # ensure_ready exports only where torch is installed (make setup)

MADE: list[str] = []


def files_in(cache_dir: Path) -> ModelFiles:
    """A small stand-in model's files in the cache folder (the graph is any bytes; its record makes it ready)."""
    return ModelFiles(cache_dir / "tiny.onnx", cache_dir / "tiny.json", cache_dir / "tokenizer.json", "fp32")


def make_tiny(cache_dir: Path, precision: str) -> None:
    """A maker as span_reader_export's: the graph first, its record a moment later, so a race has room."""
    MADE.append(precision)
    files = files_in(cache_dir)
    files.onnx.write_bytes(b"graph " * 100)
    time.sleep(0.3)
    write_record(files, files.onnx, "tiny")


def test_two_commands_preparing_one_model_at_once_export_it_once(tmp_path: Path) -> None:
    MADE.clear()
    folder = tmp_path / "models"
    results: list[ModelFiles] = []
    threads = [threading.Thread(target=lambda: results.append(
        ensure_ready(files_in(folder), "the tiny model", __name__, "make_tiny"))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert MADE == ["fp32"]
    assert len(results) == 2 and all(is_ready(files, full_check=True) for files in results)
