"""What the conversation layer costs per question on top of answer(): resolution, the store, recording the turn.

Asks every turn of the dialogue file in its conversation through answer_in_context, timing answer() inside it;
the overhead is the rest. Uses the BBC index built by `make bench` (bench/out/bbc), or --corpus/--data.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import OUT, SHARED, open_index, percentiles, save, table

DIALOGUES = SHARED / "eval" / "dialogues-dev.jsonl"
ROUNDS = 3  # each dialogue file is asked this many times, in fresh conversations


def timed_answer(inner: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    """answer() that adds its own duration to spent, so the layer around it can be measured apart."""
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)
    return wrapped


def overheads(index: Any, dialogues: list[list[str]], rounds: int) -> tuple[list[float], list[float]]:
    """(seconds per question outside answer(), seconds inside answer()), one of each per question asked."""
    import bot.conversation as conversation

    inside: list[float] = []
    outside: list[float] = []
    original = conversation.answer
    conversation.answer = timed_answer(original, inside)
    try:
        store = conversation.ConversationStore()
        for round_ in range(rounds):
            for n, turns in enumerate(dialogues):
                for question in turns:
                    start = time.perf_counter()
                    conversation.answer_in_context(question, index, store.get(("bench", round_, n)))
                    outside.append(time.perf_counter() - start - inside[-1])
    finally:
        conversation.answer = original
    return outside, inside


def main() -> None:
    """Measure and merge followup_overhead_ms_p50 (and p95, and answer() p50 beside it) into bench/results.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=OUT / "bbc" / "corpus")
    parser.add_argument("--data", type=Path, default=OUT / "bbc" / "data")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    dialogues = [[t["question"] for t in json.loads(line)["turns"]]
                 for line in DIALOGUES.read_text(encoding="utf-8").splitlines() if line.strip()]
    index = open_index(args.corpus, args.data)
    overheads(index, dialogues[:2], 1)  # warm up: models loaded, caches filled
    outside, inside = overheads(index, dialogues, args.rounds)
    over, within = percentiles(outside), percentiles(inside)
    results = {"followup_overhead_ms_p50": over["p50"], "followup_overhead_ms_p95": over["p95"],
               "followup_answer_ms_p50": within["p50"]}
    table(f"conversation layer, {len(outside)} questions", results)
    save(results)


if __name__ == "__main__":
    main()
