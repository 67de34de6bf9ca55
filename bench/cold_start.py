"""Cold start: `newsdesk ask "…"` from process start to printed answer, with a breakdown, plus the
start-up time of `newsdesk --help` and `newsdesk status`. Median of 5 fresh processes each.

The breakdown runs its phases one after another; `ask` itself loads the models in a thread while it imports
(bot.answering.warm), so cold_start_s is less than their sum.

Run: `.venv/bin/python -m bench.cold_start`.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import REPO, save, table, timer

QUESTION = "What chips does DeepSeek use for inference?"
PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
from bot.config import load_settings
from bot.answering.answer import answer
from bot.render import answer_renderable
from index.handle import NewsIndex
import chromadb, onnxruntime
t1 = time.perf_counter()
index = NewsIndex(load_settings().index_config())
index.embedder()
t2 = time.perf_counter()
index.store(); index.retriever.view()
t3 = time.perf_counter()
result = answer(sys.argv[1], index)
t4 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "model_load_s": t2 - t1, "store_open_s": t3 - t2, "first_answer_s": t4 - t3}))
"""


def wall(cmd: list[str], env: dict[str, str], runs: int = 5) -> float:
    """Median wall-clock seconds of a command in fresh processes."""
    times = []
    for _ in range(runs):
        with timer() as elapsed:
            subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(elapsed())
    return statistics.median(times)


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="newsdesk-cold-"))
    shutil.copytree(REPO / "corpus", root / "corpus")
    env = dict(os.environ, NEWSDESK_CORPUS_DIR=str(root / "corpus"), NEWSDESK_DATA_DIR=str(root / "data"))
    exe = str(Path(sys.executable).with_name("newsdesk"))
    try:
        subprocess.run([exe, "index"], env=env, capture_output=True, check=True)
        ask = wall([exe, "ask", QUESTION], env)
        phases = [json.loads(subprocess.run([sys.executable, "-c", PHASES, QUESTION], env=env, cwd=REPO,
                                            capture_output=True, text=True, check=True).stdout) for _ in range(5)]
        breakdown = {k: round(statistics.median(p[k] for p in phases), 3) for k in phases[0]}
        numbers = {"cold_start_s": round(ask, 3), **breakdown,
                   "help_s": round(wall([exe, "--help"], env), 3), "status_s": round(wall([exe, "status"], env), 3)}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    table("cold start (median of 5 fresh processes)", numbers)
    save({"cold_start_s": numbers["cold_start_s"], "cold_start_breakdown": breakdown,
          "help_s": numbers["help_s"], "status_s": numbers["status_s"]})


if __name__ == "__main__":
    main()
