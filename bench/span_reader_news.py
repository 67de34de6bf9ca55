"""Teach the span reader news questions: fine-tune it on the sentences it reads for real questions over the BBC.

Trained on SQuAD and synthetic questions, the reader rated the answering sentence of a real news question at a
median P of 0.003 (against 0.001 for the others): it ranked, but its verdict told the answer model little. This
script asks the questions of bench.news_questions.READER_SETS through answer() as it runs (every question answered,
the best 8 sentences of each ranking read instead of 2, so the reader sees the near misses too), keeps every
(question, headline + previous sentence, sentence) the reader read, and labels a sentence positive when it holds
one of the question's evidence strings (that string is the answer span) and negative otherwise; an unanswerable
question's sentences are all negative. Then it continues training the shipped reader (LoRA factors and heads) on
those pairs, twice each, mixed with as many SQuAD training rows again so it keeps what it knew, and reports the
reader's AUC and top-1 on the pairs of DECISION_SETS, which it never trains on.

The run that wrote bot/models/span_reader.npz (2026-12-04 session; started from the SQuAD-trained reader
first committed in 7f8b7ea; 5,912 pairs, 4,011 of them from the reader sets; 2 epochs of 16,044 rows, 28 min on 2
cores):

| reader | AUC on DECISION_SETS' pairs | top-1 of 209 questions | median P, answering / other |
|---|---|---|---|
| SQuAD-trained (before) | 0.810 | 73.7 % | 0.003 / 0.001 |
| news-tuned (shipped) | 0.909 | 86.1 % | 0.544 / 0.003 |

(The reader it replaced had also learnt from bbc-dev part A; the README gives both readers' figures.) After it,
retrain the pre-ranker if its sets changed (`bench/prerank_train.py`) and refit the answer model under the new
reader (`bench/calibrate_news_answer.py`).

    git show 7f8b7ea:bot/models/span_reader.npz > /tmp/squad_reader.npz
    .venv/bin/python -m bench.span_reader_news --bbc /tmp/bbc --start /tmp/squad_reader.npz \
        --save bot/models/span_reader.npz

`--lede` makes the second reader, bot/models/span_reader_lede.npz: the pairs are collected with the news-tuned
reader reading each sentence after the headline, the first half of the article's lede and the previous sentence
(bot.answering.span_reader.lede_context), and the SQuAD-trained reader is taught them the same way. The run that
wrote it (2026-12-05, on f694ace's engine; 4,051 pairs to train on, 1,907 to check; 2 epochs of 16,204 rows,
24 min): AUC on DECISION_SETS' pairs 0.808 -> 0.904, top-1 of 211 questions 78.2 % -> 86.7 %, median P
answering / other 0.864 / 0.005.

    .venv/bin/python -m bench.span_reader_news --bbc /tmp/bbc --start /tmp/squad_reader.npz --lede \
        --save bot/models/span_reader_lede.npz
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from bench.news_questions import DECISION_SETS, READER_SETS, bbc_index, engine_settings, items_of, news_parser, sets_arg
from bench.reader_experiment import auc, load, rank_of, save
from bench.span_reader_train import SpanModel, squad_articles, squad_split, train
from bot.answering import answer as engine
from bot.answering.choose import ReaderFn, ReadItem
from bot.answering.span_reader import SPAN_WEIGHTS, get_span_reader
from bot.evaluate import EvalItem
from index.handle import NewsIndex

READ_FOR_TRAINING = 8  # sentences read per ranking while collecting pairs (answer() reads 2)


def evidence_span(item: EvalItem, sentence: str) -> tuple[int, int] | None:
    """Where the first evidence string the sentence holds lies in it (case-insensitive); None if it holds none."""
    if item.expect_abstain:
        return None
    low = sentence.lower()
    for evidence in item.evidence_any:
        at = low.find(evidence.lower())
        if evidence and at >= 0:
            return at, at + len(evidence)
    return None


@contextmanager
def recorded_reads(lede: bool = False) -> Iterator[list[tuple[str, str]]]:
    """Every (context, sentence) the span readers read inside the block, in order.

    lede: the news-tuned reader alone reads each sentence with the lede reader's context (how the pairs that
    taught the lede reader were collected, before there was one); otherwise both read, and their own context
    (the news-tuned reader's) is kept.
    """
    read: list[tuple[str, str]] = []
    make_reader = engine.span_reader_for

    def recording(model_dir: Path) -> ReaderFn:
        reader = alone(model_dir) if lede else make_reader(model_dir)

        def read_and_record(question: str, items: Sequence[ReadItem]) -> Sequence[tuple[float, int, int]]:
            read.extend((item.lede if lede else item.context, item.sentence) for item in items)
            return reader(question, items)

        return read_and_record

    engine.span_reader_for = recording
    try:
        yield read
    finally:
        engine.span_reader_for = make_reader


def alone(model_dir: Path) -> ReaderFn:
    """The news-tuned reader by itself, reading the lede context (bot.answering.span_reader.lede_context)."""
    reader = get_span_reader(model_dir)
    return lambda question, items: [(r.probability, r.start, r.end)
                                    for r in reader.read(question, [(i.lede, i.sentence) for i in items])]


def pairs(index: NewsIndex, names: Sequence[str], lede: bool = False) -> list[dict]:
    """Every sentence the reader reads for each question of the named sets, labelled by the evidence strings."""
    rows = []
    with recorded_reads(lede) as read, engine_settings(read=READ_FOR_TRAINING, answer_at=-1.0):
        for name in names:
            for item in items_of(name):
                read.clear()
                engine.answer(item.question, index)
                rows += [pair(name, item, previous, target) for previous, target in dict.fromkeys(read)]
            print(f"{name}: {len(rows)} pairs so far", flush=True)
    return rows


def pair(name: str, item: EvalItem, previous: str, target: str) -> dict:
    """One training row as bench/span_reader_train.py's rows are, labelled by the item's evidence strings."""
    span = evidence_span(item, target)
    return {"qid": f"{name}:{item.id}", "set": name, "question": item.question, "previous": previous,
            "target": target, "label": float(span is not None), "span": span, "golds": list(item.evidence_any)}


def copies(rows: list[dict], n: int) -> list[dict]:
    """Each row n times, every copy of a question its own group (a question's sentences are compared once)."""
    return [r | {"qid": f"{r['qid']}#{k}"} for k in range(n) for r in rows]


def report(model: SpanModel, rows: list[dict], tag: str) -> None:
    """AUC over sentences, top-1 over questions with an answering sentence, and median P of each class."""
    if not rows:
        return
    p, _ = model.score(rows)
    y = np.array([r["label"] for r in rows])
    by_question: dict[str, list[tuple[float, float]]] = {}
    for r, score in zip(rows, p, strict=True):
        by_question.setdefault(r["qid"], []).append((score, r["label"]))
    top = [max(v)[1] for v in by_question.values() if any(label for _, label in v)]
    print(f"{tag}: AUC {auc(y, p):.3f}, top-1 {np.mean(top):.1%} of {len(top)} questions, median P "
          f"{np.median(p[y == 1]):.3f} answering / {np.median(p[y == 0]):.3f} other", flush=True)


def main() -> None:
    parser = news_parser(__doc__)
    parser.add_argument("--train-sets", type=sets_arg, default=READER_SETS)
    parser.add_argument("--check-sets", type=sets_arg, default=DECISION_SETS)
    parser.add_argument("--start", type=Path, default=SPAN_WEIGHTS, help="the weights to continue from")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--pairs", type=Path, default=None, help="keep the collected pairs here as JSON")
    parser.add_argument("--pairs-from", type=Path, default=None, help="train on pairs kept by --pairs, collect none")
    parser.add_argument("--lede-squad", action="store_true",
                        help="with --lede: the SQuAD rows mixed in read their paragraph's lede too (a reader "
                             "trained with span_reader_train --lede)")
    parser.add_argument("--listwise", type=float, default=0.0,
                        help="weight of a per-question softmax over the read sentences and 'none answers' "
                             "(shared normalisation) beside the BCE; batches then hold whole questions")
    parser.add_argument("--save", type=Path, default=None, help="write the tuned weights (fp16 .npz) here")
    parser.add_argument("--lede", action="store_true",
                        help="collect and train with the lede reader's context (bot/models/span_reader_lede.npz)")
    args = parser.parse_args()
    index = bbc_index(args.bbc)
    began = time.perf_counter()
    if args.pairs_from:
        kept = json.loads(args.pairs_from.read_text())
        news, check = kept["train"], kept["check"]
    else:
        news, check = pairs(index, args.train_sets, args.lede), pairs(index, args.check_sets, args.lede)
    if args.pairs:
        args.pairs.write_text(json.dumps({"train": news, "check": check}))
    squad = squad_split(squad_articles(), lede=args.lede and args.lede_squad)[0]
    mix = copies(news, 2) + random.Random(0).sample(squad, min(len(squad), 2 * len(news)))
    print(f"pairs in {time.perf_counter() - began:.0f} s: {len(news)} to train on, {len(check)} to check; "
          f"{len(mix)} rows a pass", flush=True)
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(2)
    model = load(SpanModel(rank_of(args.start)), args.start)
    model.bert.train()
    report(model, check, "before")
    train(model, mix, minutes=120, max_epochs=args.epochs, lr=args.lr, span_weight=1.0, listwise=args.listwise)
    report(model, check, "after")
    if args.save:
        save(model, args.save)
        print(f"saved {args.save}", flush=True)


if __name__ == "__main__":
    main()
