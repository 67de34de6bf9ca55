"""`newsdesk eval`: evidence recall, abstention, notes and quote validity on a question file, and SQuAD 2.0."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.answer import Answer, answer
from bot.evidence import ArticleTexts
from index.errors import NewsdeskError
from index.handle import NewsIndex


@dataclass(frozen=True)
class EvalItem:
    """One line of a dev.jsonl-style file."""

    id: str
    kind: str
    question: str
    evidence_any: tuple[str, ...] = ()
    expect_notes: tuple[str, ...] = ()
    expect_abstain: bool = False


@dataclass(frozen=True)
class Outcome:
    """How newsdesk did on one item."""

    item: EvalItem
    abstained: bool
    has_evidence: bool
    notes: frozenset[str]
    quotes_valid: bool
    quotes: int

    @property
    def crag(self) -> int:
        """+1 a supported answer, 0 an abstention, -1 an answer without the evidence."""
        if self.abstained:
            return 0
        return 1 if self.has_evidence and not self.item.expect_abstain else -1


def load_items(path: Path) -> list[EvalItem]:
    """Parse a JSONL question file, with a clear error for a bad line."""
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NewsdeskError(f"cannot read {path}: {exc.strerror}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            items.append(EvalItem(
                id=str(raw.get("id", number)), kind=str(raw.get("kind", "all")), question=str(raw["question"]),
                evidence_any=tuple(raw.get("evidence_any", ())), expect_notes=tuple(raw.get("expect_notes", ())),
                expect_abstain=bool(raw.get("expect_abstain", False)),
            ))
        except (ValueError, KeyError, TypeError) as exc:
            raise NewsdeskError(f"{path}:{number}: not a question line ({type(exc).__name__})") from None
    return items


def quotes_valid(result: Answer, corpus_dir: Path) -> bool:
    """Every citation's quote equals the file slice it names, read fresh from disk as verify() does."""
    fresh = ArticleTexts(corpus_dir)
    return all(fresh.holds(c.path, c.start, c.end, c.quote) for c in result.citations)


def judge(item: EvalItem, result: Answer, corpus_dir: Path) -> Outcome:
    """Score one answer against its item."""
    quotes = " ".join(c.quote for c in result.citations)
    return Outcome(
        item=item, abstained=result.abstained,
        has_evidence=any(e in quotes for e in item.evidence_any),
        notes=frozenset(n.kind for n in result.notes), quotes_valid=quotes_valid(result, corpus_dir),
        quotes=len(result.citations),
    )


def ratio(hits: int, total: int) -> float | None:
    """hits / total, or None when there is nothing to measure."""
    return round(hits / total, 3) if total else None


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    """The metrics of a group of outcomes."""
    answerable = [o for o in outcomes if not o.item.expect_abstain]
    unanswerable = [o for o in outcomes if o.item.expect_abstain]
    with_evidence = [o for o in answerable if o.item.evidence_any]
    noted = [(o, kind) for o in outcomes for kind in o.item.expect_notes]
    return {
        "questions": len(outcomes),
        "evidence_recall": ratio(sum(o.has_evidence for o in with_evidence), len(with_evidence)),
        "abstention_rate": ratio(sum(o.abstained for o in unanswerable), len(unanswerable)),
        "false_abstention_rate": ratio(sum(o.abstained for o in answerable), len(answerable)),
        "note_recall": ratio(sum(kind in o.notes for o, kind in noted), len(noted)),
        "quote_validity": ratio(sum(o.quotes_valid for o in outcomes), len(outcomes)),
        "crag_score": round(sum(o.crag for o in outcomes) / len(outcomes), 3) if outcomes else None,
    }


def evaluate_items(items: list[EvalItem], index: NewsIndex, k: int,
                   progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Answer every item and report metrics per kind and overall, plus each question's outcome."""
    outcomes = []
    for item in items:
        outcomes.append(judge(item, answer(item.question, index, k), index.config.corpus_dir))
        if progress:
            progress(1)
    kinds: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        kinds[o.item.kind].append(o)
    return {
        "overall": summarise(outcomes),
        "by_kind": {kind: summarise(group) for kind, group in sorted(kinds.items())},
        "questions": [
            {"id": o.item.id, "kind": o.item.kind, "abstained": o.abstained, "evidence": o.has_evidence,
             "notes": sorted(o.notes), "quotes": o.quotes, "crag": o.crag}
            for o in outcomes
        ],
    }


@dataclass
class SquadSet:
    """SQuAD paragraphs written as articles, and the questions that refer to them."""

    questions: list[dict[str, Any]] = field(default_factory=list)
    paragraphs: int = 0


def write_squad_corpus(squad_file: Path, corpus_dir: Path, limit: int | None) -> SquadSet:
    """Each paragraph becomes corpus/<title>-<n>.md; questions keep their gold paragraph and answers."""
    try:
        data = json.loads(squad_file.read_text(encoding="utf-8"))["data"]
    except (OSError, ValueError, KeyError) as exc:
        raise NewsdeskError(f"{squad_file} is not a SQuAD 2.0 JSON file ({type(exc).__name__})") from None
    corpus_dir.mkdir(parents=True, exist_ok=True)
    squad = SquadSet()
    for article in data:
        for i, paragraph in enumerate(article["paragraphs"]):
            article_id = f"{safe_slug(article['title'])}-{i:03d}"
            title = article["title"].replace("_", " ")
            body = f"---\ntitle: {json.dumps(title)}\n---\n\n{paragraph['context']}\n"
            path = corpus_dir / f"{article_id}.md"
            if not path.exists() or path.read_text(encoding="utf-8") != body:
                path.write_text(body, encoding="utf-8")
            squad.paragraphs += 1
            for qa in paragraph["qas"]:
                squad.questions.append({
                    "question": qa["question"], "article_id": article_id,
                    "answers": sorted({a["text"] for a in qa.get("answers", [])}),
                    "impossible": bool(qa.get("is_impossible")),
                })
    if limit is not None:
        squad.questions = squad.questions[:limit]
    return squad


def safe_slug(title: str) -> str:
    """A file-name-safe version of a SQuAD article title."""
    return "".join(ch if ch.isalnum() else "-" for ch in title).strip("-").lower() or "article"


def evaluate_squad(squad: SquadSet, index: NewsIndex, k: int,
                   progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Gold-paragraph hit@1/@5, gold span in quotes, abstention on unanswerable, CRAG-style score."""
    counts: dict[str, int] = defaultdict(int)
    for q in squad.questions:
        score_squad_question(q, index, k, counts)
        if progress:
            progress(1)
    answerable = counts["answerable"]
    impossible = len(squad.questions) - answerable
    return {
        "paragraphs": squad.paragraphs, "questions": len(squad.questions), "answerable": answerable,
        "hit_at_1": ratio(counts["hit1"], answerable), "hit_at_5": ratio(counts["hit5"], answerable),
        "gold_span_in_quotes": ratio(counts["span"], answerable),
        "false_abstention_rate": ratio(counts["answerable_abstained"], answerable),
        "abstention_rate_unanswerable": ratio(counts["impossible_abstained"], impossible),
        "crag_score": round(counts["crag"] / len(squad.questions), 3) if squad.questions else None,
    }


def score_squad_question(q: dict[str, Any], index: NewsIndex, k: int, counts: dict[str, int]) -> None:
    """Add one SQuAD question's results to the running counts."""
    result = answer(q["question"], index, k)
    if q["impossible"]:
        counts["impossible_abstained"] += result.abstained
        counts["crag"] -= not result.abstained
        return
    retrieved = result.passages if k >= 5 else index.search(q["question"], 5)  # answer() already retrieved
    ids = [p.article_id for p in retrieved[:5]]
    found = any(a in c.quote for a in q["answers"] for c in result.citations)
    counts["answerable"] += 1
    counts["hit1"] += bool(ids) and ids[0] == q["article_id"]
    counts["hit5"] += q["article_id"] in ids
    counts["span"] += found
    counts["answerable_abstained"] += result.abstained
    if not result.abstained:
        counts["crag"] += 1 if found else -1


def metric_rows(report: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    """(group name, metrics) rows for the table: overall first."""
    yield "overall", report["overall"]
    yield from report["by_kind"].items()
