"""Could a small trained reader separate SQuAD 2.0's unanswerable questions? An experiment, not shipped.

newsdesk's abstention model sees lexical and retrieval features only, and SQuAD 2.0's unanswerable
questions defeat them (AUC ~0.53 on the first 1,000). This script measures the next step: a cross-encoder
over (question, the quotes newsdesk would show) built from the packaged all-MiniLM-L6-v2 with LoRA
adapters and a logistic head, trained on CPU. Label: answerable and the quotes hold a gold answer.

Data, with no overlap of Wikipedia articles between the parts:
- test: the first 1,000 questions (the set `newsdesk eval --squad --limit 1000` reports);
- validation: a fifth of the remaining articles, to choose a threshold without looking at test;
- train: the rest, plus synthetic negatives made from answerable training questions the way SQuAD 2.0's
  writers made theirs (an entity or number swapped for one from another paragraph, or a negation).
For each part it prints the reader's AUC and, per threshold, the CRAG-style score and the gold-span rate
when newsdesk answers only if both its abstention model and the reader agree.

    .venv/bin/python bench/reader_experiment.py [--epochs 2] [--rank 16] [--max-tokens 96]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REPO, squad_index
from bot.answer import deliberate
from index.model_files import packaged_model_dir

TEST_QUESTIONS = 1000
SWAPPABLE = re.compile(r"\b[A-Z][a-z]{2,}\b|\b\d{2,4}\b")
AUXILIARY = re.compile(r"\b(is|was|were|are|did|does|do|can|could|has|had|have|will|would)\b")


def records(cache: Path) -> list[dict]:
    """Every SQuAD question with the quotes newsdesk picks for it and whether they hold a gold answer."""
    squad, index = squad_index(cache)
    rows = []
    for i, q in enumerate(squad.questions):
        thought = deliberate(q["question"], index)
        quotes = " ".join(c.text for c in thought.chosen)
        rows.append({
            "i": i, "question": q["question"], "quotes": quotes, "article": q["article_id"].rsplit("-", 1)[0],
            "label": float(not q["impossible"] and any(a in quotes for a in q["answers"])),
            "answerable": not q["impossible"], "model_says_answer": thought.verdict.answerable,
        })
    return rows


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
    """MiniLM-L6 with LoRA on every linear layer of the encoder, mean pooling and a logistic head."""

    def __init__(self, rank: int, max_tokens: int) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(packaged_model_dir()))
        self.bert = AutoModel.from_pretrained(str(packaged_model_dir()))
        for p in self.bert.parameters():
            p.requires_grad = False
        for layer in self.bert.encoder.layer:
            for owner, name in ((layer.attention.self, "query"), (layer.attention.self, "key"),
                                (layer.attention.self, "value"), (layer.attention.output, "dense"),
                                (layer.intermediate, "dense"), (layer.output, "dense")):
                setattr(owner, name, lora(getattr(owner, name), rank))
        self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)
        self.max_tokens = max_tokens

    def parameters(self) -> list:
        return [p for p in self.bert.parameters() if p.requires_grad] + list(self.head.parameters())

    def logits(self, rows: list[dict]):
        enc = self.tokenizer([r["question"] for r in rows], [r["quotes"] for r in rows], truncation="only_second",
                             max_length=self.max_tokens, padding=True, return_tensors="pt")
        hidden = self.bert(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        return self.head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)

    def probabilities(self, rows: list[dict]) -> np.ndarray:
        self.bert.eval()
        with self.torch.no_grad():
            out = [self.torch.sigmoid(self.logits(rows[i : i + 64])).numpy() for i in range(0, len(rows), 64)]
        self.bert.train()
        return np.concatenate(out)


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


def train(reader: Reader, rows: list[dict], epochs: float, lr: float, batch: int = 16) -> None:
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
            loss = torch.nn.functional.binary_cross_entropy_with_logits(reader.logits(part), target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            if step % 50 == 0:
                print(f"step {step}/{steps} loss {loss.item():.3f}", file=sys.stderr, flush=True)


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve by the rank-sum formula."""
    ranks = np.argsort(np.argsort(scores)) + 1
    positives = labels.astype(bool)
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def report(name: str, rows: list[dict], p: np.ndarray) -> None:
    """AUC, then CRAG-style score and gold-span rate per threshold (answer = model and reader agree)."""
    label = np.array([r["label"] for r in rows]).astype(bool)
    answerable = np.array([r["answerable"] for r in rows])
    model = np.array([r["model_says_answer"] for r in rows])
    print(f"{name}: {len(rows)} questions, reader AUC {auc(label, p):.3f}")
    for threshold in np.arange(0.0, 0.61, 0.05):
        answered = model & (p >= threshold)
        crag = ((answered & label).sum() - (answered & ~label).sum()) / len(rows)
        span = (answered & label).sum() / max(1, answerable.sum())
        print(f"  threshold {threshold:.2f}: CRAG-style {crag:+.3f}, gold span in quotes {span:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--cache", type=Path, default=REPO / "bench" / "out" / "squad")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    train_rows, validation, test = split(records(args.cache))
    train_rows += synthetic_negatives(train_rows)
    print(f"train {len(train_rows)} (with synthetic negatives), validation {len(validation)}, test {len(test)}")
    reader = Reader(args.rank, args.max_tokens)
    train(reader, train_rows, args.epochs, args.lr)
    report("validation", validation, reader.probabilities(validation))
    report("test (first 1,000)", test, reader.probabilities(test))


if __name__ == "__main__":
    main()
