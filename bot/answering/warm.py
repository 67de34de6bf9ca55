"""Start-up in parallel: the two ONNX models load in a thread while the caller imports the engine.

onnxruntime builds a session without holding the GIL, so the models' ~0.45 s hides behind the ~1 s of Python
imports (the engine, chromadb) that a fresh `newsdesk ask` spends anyway (bench/cold_start.py).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class HasModels(Protocol):
    """What loading needs from an index handle: its embedding model."""

    def embedder(self) -> object: ...


def load_models(index: HasModels, model_dir: Path) -> None:
    """Load the embedding model and both span readers into their process-wide caches."""
    from bot.answering.span_reader import get_lede_reader, get_span_reader

    index.embedder()
    get_span_reader(model_dir)
    get_lede_reader(model_dir)


class ModelLoading:
    """The models loading in a daemon thread; wait() before the first answer so no model loads twice."""

    def __init__(self, index: HasModels, model_dir: Path) -> None:
        self._thread = threading.Thread(target=self._load, args=(index, model_dir), name="newsdesk-models",
                                        daemon=True)
        self._thread.start()

    @staticmethod
    def _load(index: HasModels, model_dir: Path) -> None:
        """Load, leaving any failure to the answer that needs the model (it reports it with a clear error)."""
        try:
            load_models(index, model_dir)
        except Exception:  # the same call on the answer path raises it where it can be shown
            log.debug("loading the models ahead of the first answer failed", exc_info=True)

    def wait(self) -> None:
        """Block until the thread is done."""
        self._thread.join()
