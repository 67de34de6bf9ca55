"""Train the answerability ("veto") reader on SQuAD 2.0, and the LoRA training parts the span reader reuses.

The veto reader was a cross-encoder over (question, the quotes newsdesk would show): the packaged
all-MiniLM-L6-v2 with LoRA adapters, a logistic head (label: answerable and the quotes hold a gold answer) and,
while training only, a span head that points at the answer in the quotes. answer() consulted it until the
fourth 2026-12-03 session; the news-fitted answer model gave its verdict 0.065 log-odds, less than any other
feature, while it cost about 17 ms of answer()'s median, so it no longer ships (README, "Answers"). This
script still trains it (about 15 minutes on 2 cores) for anyone who wants to try it as a feature again, and
its LoRA model, saving and AUC helpers are what bench/span_reader_train.py and bench/span_reader_news.py build on.

Data, with no overlap of Wikipedia articles between the parts:
- test: the first 1,000 questions (the set `newsdesk eval --squad --limit 1000` reports);
- validation: a fifth of the remaining articles, to choose a threshold without looking at test;
- train: the rest, plus synthetic negatives made from answerable training questions the way SQuAD 2.0's
  writers made theirs (an entity or number swapped for one from another paragraph, or a negation).
For each score it prints the AUC and, per threshold, the CRAG-style score and the gold-span rate when
newsdesk answers only if both its abstention model and the reader agree; the chosen threshold is the
best validation CRAG-style score among those keeping validation gold span >= --floor. `--headlines` reads the
first quote's article title before the quotes, as the shipped reader did.

    .venv/bin/python bench/reader_experiment.py --headlines --save /tmp/reader.npz
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REPO, squad_index
from bot.answering.answer import deliberate
from bot.answering.sentences import headline
from index.model_files import packaged_model_dir

MAX_TOKENS = 96  # question + quotes, the quotes cut to fit
TEST_QUESTIONS = 1000
SWAPPABLE = re.compile(r"\b[A-Z][a-z]{2,}\b|\b\d{2,4}\b")
AUXILIARY = re.compile(r"\b(is|was|were|are|did|does|do|can|could|has|had|have|will|would)\b")


def records(cache: Path) -> list[dict]:
    """Every SQuAD question with the quotes newsdesk picks for it (cached in cache/reader-records.json)."""
    saved = cache / "reader-records.json"
    if saved.exists():
        return json.loads(saved.read_text(encoding="utf-8"))
    squad, index = squad_index(cache)
    rows = []
    for i, q in enumerate(squad.questions):
        thought = deliberate(q["question"], index.snapshot())
        quotes = " ".join(c.text for c in thought.chosen)
        rows.append({
            "i": i, "question": q["question"], "quotes": quotes, "article": q["article_id"].rsplit("-", 1)[0],
            "label": float(not q["impossible"] and any(a in quotes for a in q["answers"])),
            "answerable": not q["impossible"], "model_says_answer": thought.verdict.answerable,
            "answers": q["answers"], "title": thought.chosen[0].passage.title if thought.chosen else None,
        })
    saved.write_text(json.dumps(rows), encoding="utf-8")
    return rows


def headed(title: str | None, quotes: list[str]) -> list[str]:
    """The quotes after their first article's headline, which holds details a news question takes from the story."""
    head = headline(title)
    return [head, *quotes] if head else quotes


def reader_rows(cache: Path, headlines: bool) -> list[dict]:
    """The records, each read as the reader will: with --headlines, the first quote's headline before the quotes
    (as answer() fed the reader when it shipped)."""
    rows = records(cache)
    return [{**r, "quotes": " ".join(headed(r.get("title"), [r["quotes"]]))} for r in rows] if headlines else rows


def split(rows: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """test = first 1,000; validation = a fifth of the other articles; train = the rest (no shared article)."""
    test = rows[:TEST_QUESTIONS]
    seen = {r["article"] for r in test}
    rest = [r for r in rows[TEST_QUESTIONS:] if r["article"] not in seen]
    articles = sorted({r["article"] for r in rest})
    random.Random(1).shuffle(articles)
    held = set(articles[: len(articles) // 5])
    return [r for r in rest if r["article"] not in held], [r for r in rest if r["article"] in held], test


def synthetic_negatives(train: list[dict]) -> list[dict]:
    """SQuAD 2.0-style unanswerable twins of answerable questions: a swapped entity or number, or a negation."""
    rng = random.Random(2)
    names = sorted({w for r in train for w in SWAPPABLE.findall(r["quotes"])})
    out = []
    for r in train:
        if not r["label"]:
            continue
        words = [w for w in SWAPPABLE.findall(r["question"]) if r["question"].index(w) > 0]
        if words and rng.random() < 0.6:
            old, new = rng.choice(words), rng.choice(names)
            if new != old:
                out.append(r | {"question": r["question"].replace(old, new, 1), "label": 0.0})
        elif AUXILIARY.search(r["question"]) and rng.random() < 0.5:
            out.append(r | {"question": AUXILIARY.sub(lambda m: m.group(1) + " not", r["question"], 1), "label": 0.0})
    return out


class Reader:
    """MiniLM-L6 with LoRA on every linear layer, a logistic head on the mean-pooled states and a span head."""

    def __init__(self, rank: int, max_tokens: int) -> None:
        import torch
        from transformers import AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(packaged_model_dir()))
        self.bert = lora_bert(rank)
        self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)
        self.span = torch.nn.Linear(self.bert.config.hidden_size, 2)
        self.max_tokens = max_tokens

    def parameters(self) -> list:
        return ([p for p in self.bert.parameters() if p.requires_grad] + list(self.head.parameters())
                + list(self.span.parameters()))

    def forward(self, rows: list[dict]):
        """(answerable logit, start logits, end logits, encoding); the span logits only cover CLS + the quotes."""
        enc = self.tokenizer([r["question"] for r in rows], [r["quotes"] for r in rows], truncation="only_second",
                             max_length=self.max_tokens, padding=True, return_tensors="pt",
                             return_offsets_mapping=True)
        offsets = enc.pop("offset_mapping")
        hidden = self.bert(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        logit = self.head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)
        context = enc["token_type_ids"].bool() & enc["attention_mask"].bool()
        context[:, 0] = True
        spans = self.span(hidden).masked_fill(~context.unsqueeze(-1), -1e4)
        return logit, spans[..., 0], spans[..., 1], enc, offsets

    def span_targets(self, rows: list[dict], enc, offsets):
        """Token positions of the first gold answer in the quotes; CLS (0) for negatives; -100 when cut off."""
        starts, ends = [], []
        for b, r in enumerate(rows):
            start = end = 0
            if r["label"]:
                found = [(r["quotes"].index(a), len(a)) for a in r["answers"] if a and a in r["quotes"]]
                char, size = min(found)
                start = end = -100
                kinds = enc.sequence_ids(b)
                for t, (lo, hi) in enumerate(offsets[b].tolist()):
                    if kinds[t] != 1:
                        continue
                    if start == -100 and hi > char:
                        start = t
                    if lo < char + size:
                        end = t
                if start == -100 or end == -100 or end < start:
                    start = end = -100
            starts.append(start)
            ends.append(end)
        return self.torch.tensor(starts), self.torch.tensor(ends)

    def scores(self, rows: list[dict]) -> dict[str, np.ndarray]:
        """Per row: the head's probability and the span margin (best span minus no-answer)."""
        torch = self.torch
        self.bert.eval()
        heads, margins = [], []
        with torch.no_grad():
            for i in range(0, len(rows), 64):
                logit, start, end, _, _ = self.forward(rows[i : i + 64])
                heads.append(torch.sigmoid(logit).numpy())
                null = start[:, 0] + end[:, 0]
                pair = start[:, 1:].unsqueeze(2) + end[:, 1:].unsqueeze(1)
                square = torch.ones(pair.shape[1], pair.shape[1], dtype=torch.bool)
                allowed = torch.triu(square) & ~torch.triu(square, 30)  # end >= start, at most 30 tokens
                best = pair.masked_fill(~allowed, -1e9).flatten(1).max(1).values
                margins.append((best - null).numpy())
        self.bert.train()
        return {"head": np.concatenate(heads), "span": np.concatenate(margins)}


def lora_bert(rank: int):
    """The packaged MiniLM, frozen, with a trainable LoRA pair on every linear (rank 0: every weight trains)."""
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(packaged_model_dir()))
    if rank == 0:
        return bert
    for p in bert.parameters():
        p.requires_grad = False
    for layer in bert.encoder.layer:
        for owner, name in ((layer.attention.self, "query"), (layer.attention.self, "key"),
                            (layer.attention.self, "value"), (layer.attention.output, "dense"),
                            (layer.intermediate, "dense"), (layer.output, "dense")):
            setattr(owner, name, lora(getattr(owner, name), rank))
    return bert


def lora(base, rank: int):
    """Wrap a torch Linear: base(x) + x A^T B^T, with B starting at zero so training starts from the base."""
    import torch

    class LoRA(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.base = base
            self.a = torch.nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
            self.b = torch.nn.Parameter(torch.zeros(base.out_features, rank))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.base(x) + (x @ self.a.T) @ self.b.T

    return LoRA()


def train(reader: Reader, rows: list[dict], epochs: float, lr: float, span_weight: float, batch: int = 16) -> None:
    """AdamW with a short warm-up and linear decay; prints the loss every 50 steps."""
    torch = reader.torch
    optimiser = torch.optim.AdamW(reader.parameters(), lr=lr, weight_decay=0.01)
    steps = int(math.ceil(len(rows) / batch) * epochs)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, s / 50) * max(0.0, 1 - s / steps))
    rng, step = random.Random(0), 0
    while step < steps:
        rng.shuffle(rows)
        for first in range(0, len(rows), batch):
            if step >= steps:
                break
            part = rows[first : first + batch]
            target = torch.tensor([r["label"] for r in part])
            logit, start, end, enc, offsets = reader.forward(part)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, target)
            first, last = reader.span_targets(part, enc, offsets)
            if span_weight and (first != -100).any():
                cross = torch.nn.functional.cross_entropy
                loss = loss + span_weight * (cross(start, first) + cross(end, last)) / 2
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            if step % 50 == 0:
                print(f"step {step}/{steps} loss {loss.item():.3f}", file=sys.stderr, flush=True)


def trained(reader: Reader) -> dict:
    """The parameters training changes (LoRA factors and heads), keyed by the names reader.npz uses."""
    named = {f"bert.{n}": p for n, p in reader.bert.named_parameters() if p.requires_grad}
    named |= {f"head.{n}": p for n, p in reader.head.named_parameters()}
    return named | {f"span.{n}": p for n, p in reader.span.named_parameters()}


def save(reader: Reader, path: Path) -> None:
    """The trained parameters only, as float16 (bot/answering/reader_export.py folds them into the packaged model)."""
    np.savez_compressed(path, **{n: p.detach().numpy().astype(np.float16) for n, p in trained(reader).items()})


def load(reader: Reader, path: Path) -> Reader:
    """Put weights written by save() back into a fresh Reader (LoRA factors unmerged, as trained)."""
    saved = np.load(path)
    with reader.torch.no_grad():
        for name, parameter in trained(reader).items():
            parameter.copy_(reader.torch.from_numpy(saved[name].astype(np.float32)))
    reader.bert.eval()
    return reader


def rank_of(path: Path) -> int:
    """The LoRA rank a weights file was trained with; 0 when it holds whole weights."""
    saved = np.load(path)
    return next((int(saved[n].shape[0]) for n in saved.files if n.endswith(".a")), 0)


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve by the rank-sum formula."""
    ranks = np.argsort(np.argsort(scores)) + 1
    positives = labels.astype(bool)
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def report(name: str, rows: list[dict], p: np.ndarray, grid: np.ndarray) -> list[tuple[float, float, float]]:
    """AUC, then CRAG-style score and gold-span rate per threshold (answer = model and reader agree)."""
    label = np.array([r["label"] for r in rows]).astype(bool)
    answerable = np.array([r["answerable"] for r in rows])
    model = np.array([r["model_says_answer"] for r in rows])
    print(f"{name}: {len(rows)} questions, AUC {auc(label, p):.3f}")
    out = []
    for threshold in grid:
        answered = model & (p >= threshold)
        crag = ((answered & label).sum() - (answered & ~label).sum()) / len(rows)
        span = (answered & label).sum() / max(1, answerable.sum())
        out.append((float(threshold), float(crag), float(span)))
        print(f"  threshold {threshold:+.3f}: CRAG-style {crag:+.3f}, gold span in quotes {span:.3f}")
    return out


def choose(validation: list[tuple[float, float, float]], floor: float) -> float:
    """The threshold with the best validation CRAG-style score among those keeping gold span >= floor."""
    fine = [v for v in validation if v[2] >= floor]
    return max(fine, key=lambda v: v[1])[0] if fine else validation[0][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=float, default=3.0)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--max-tokens", type=int, default=MAX_TOKENS, help="question + quotes, in word pieces")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--span-weight", type=float, default=0.5)
    parser.add_argument("--floor", type=float, default=0.72, help="gold-span rate the validation threshold keeps")
    parser.add_argument("--cache", type=Path, default=REPO / "bench" / "out" / "squad")
    parser.add_argument("--headlines", action="store_true",
                        help="read the first quote's article title before the quotes, as answer() does at run time")
    parser.add_argument("--save", type=Path, default=None, help="write the trained weights (fp16 .npz) here")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    train_rows, validation, test = split(reader_rows(args.cache, args.headlines))
    train_rows += synthetic_negatives(train_rows)
    print(f"train {len(train_rows)} (with synthetic negatives), validation {len(validation)}, test {len(test)}")
    reader = Reader(args.rank, args.max_tokens)
    train(reader, train_rows, args.epochs, args.lr, args.span_weight)
    if args.save:
        save(reader, args.save)
    val_scores, test_scores = reader.scores(validation), reader.scores(test)
    for kind in val_scores:
        pick_and_test(kind, validation, val_scores[kind], test, test_scores[kind], args.floor)


def pick_and_test(kind: str, validation: list[dict], val_p: np.ndarray, test: list[dict], test_p: np.ndarray,
                  floor: float) -> None:
    """Choose a threshold on validation (a grid of its quantiles), then show test at every grid point."""
    grid = np.quantile(val_p, np.linspace(0.0, 0.6, 25))
    picked = choose(report(f"{kind}: validation", validation, val_p, grid), floor)
    report(f"{kind}: test at the same thresholds (for insight, not for choosing)", test, test_p, grid)
    chosen = report(f"{kind}: test (first 1,000)", test, test_p, np.array([picked]))[0]
    print(f"{kind}: threshold chosen on validation {picked:.4f} -> test CRAG-style {chosen[1]:+.3f}, "
          f"gold span {chosen[2]:.3f}")


if __name__ == "__main__":
    main()
