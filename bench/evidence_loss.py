"""Where along the engine's path each answerable question's evidence is lost: retrieval, candidates, shortlist,
the pre-ranker's choice of what the reader reads, the reader's ranking.

Every answerable question of the named sets is deliberated as answer() deliberates it (the span reader
reading bot.answering.choose.READ sentences), and counted at the first stage where no sentence holds one of
its evidence strings (case-insensitive). The last stage, "ranked first", is the ceiling the answer model
decides within. (Third 2026-12-04 session, the choice sets: 9 / 3 / 21 / 53 / 31 / 216 of 333.)

    .venv/bin/python -m bench.evidence_loss --bbc /tmp/bbcroot [--sets bbc-gen6,bbc-dev:A] [--list]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bench.news_questions import DECISION_SETS, bbc_index, items_of, news_parser, sets_arg
from bot.answering import answer as engine
from bot.answering.answer import Deliberation
from bot.answering.choose import span_reader_for

STAGES = ("not in the passages", "no candidate holds it", "not shortlisted", "shortlisted, not read",
          "read, not ranked first", "ranked first")


def stage(evidence: Sequence[str], thought: Deliberation) -> str:
    """The first stage of STAGES at which no text holds an evidence string."""
    wanted = [e.lower() for e in evidence if e]

    def holds(text: str) -> bool:
        return any(e in text.lower() for e in wanted)

    steps = (
        any(holds(p.text) for p in thought.passages),
        any(holds(c.text) for c in thought.candidates),
        any(holds(r.candidate.text) for r in thought.readings),
        any(holds(r.candidate.text) for r in thought.readings if r.reader is not None),
        bool(thought.readings) and holds(thought.readings[0].candidate.text),
    )
    return next((STAGES[i] for i, ok in enumerate(steps) if not ok), STAGES[-1])


def main() -> None:
    parser = news_parser(__doc__)
    parser.add_argument("--sets", type=sets_arg, default=(*DECISION_SETS, "bbc-dev:A", "bbc-gen13"))
    parser.add_argument("--list", action="store_true", help="print each question with its stage")
    args = parser.parse_args()
    index = bbc_index(args.bbc)
    snapshot = index.snapshot()
    reader = span_reader_for(snapshot.model_dir)
    total: Counter[str] = Counter()
    for name in args.sets:
        counts: Counter[str] = Counter()
        for item in (i for i in items_of(name) if not i.expect_abstain):
            thought = engine.deliberate(engine.clean_question(item.question), snapshot, reader=reader)
            counts[found := stage(item.evidence_any, thought)] += 1
            if args.list:
                print(f"  {found:24s} {item.question}")
        print(f"{name:14s} " + " / ".join(str(counts[s]) for s in STAGES), flush=True)
        total += counts
    print("all            " + " / ".join(f"{total[s]} {s}" for s in STAGES))


if __name__ == "__main__":
    main()
