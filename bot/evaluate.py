"""`newsdesk eval`: evidence recall, abstention, notes and quote validity on a question file, and SQuAD 2.0."""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from bot.answering.answer import Answer, ShortAnswer, answer
from index.errors import NewsdeskError
from index.handle import NewsIndex
from index.snapshot import ArticleTexts

NOT_DISCLOSED = "not_disclosed"  # the note that says, with a quote, the articles report the fact as not known
PARTS = ("A", "B")

T = TypeVar("T")


@dataclass(frozen=True)
class EvalItem:
    """One line of a dev.jsonl-style file."""

    id: str
    kind: str
    question: str
    evidence_any: tuple[str, ...] = ()
    expect_notes: tuple[str, ...] = ()
    expect_abstain: bool = False
    source_ids: tuple[str, ...] = ()  # ids (file stems) of the articles that answer


@dataclass(frozen=True)
class Outcome:
    """How newsdesk did on one item."""

    item: EvalItem
    abstained: bool
    has_evidence: bool
    notes: frozenset[str]
    quotes_valid: bool
    quotes: int
    short_answer: str | None = None
    short_valid: bool | None = None  # every short answer verifies inside its citation; None when there is none
    sourced_quotes: int | None = None  # citations from the item's source articles; None when it names none

    @property
    def handled(self) -> bool:
        """An unanswerable question is handled by abstaining or by quoting that the fact is not disclosed."""
        return self.abstained or NOT_DISCLOSED in self.notes

    @property
    def crag(self) -> int:
        """+1 a supported answer, 0 an abstention or a handled unanswerable, -1 a wrong or unwarranted answer."""
        if self.item.expect_abstain:
            return 0 if self.handled else -1
        if self.abstained:
            return 0
        return 1 if self.has_evidence else -1

    @property
    def short_holds_evidence(self) -> bool | None:
        """Whether the short answer contains an evidence string; None when there is no short answer."""
        return None if self.short_answer is None else contains_any(self.short_answer, self.item.evidence_any)

    @property
    def citation_precision(self) -> float | None:
        """Share of this answer's citations that come from the item's source articles."""
        return ratio(self.sourced_quotes, self.quotes) if self.sourced_quotes is not None else None


def strings(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    """A list-of-strings field; a bare string would otherwise be split into characters that match anything."""
    value = raw.get(key, ())
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{key} must be a list of strings")
    return tuple(value)


def parse_item(raw: dict[str, Any], number: int) -> EvalItem:
    """One decoded JSONL line as an EvalItem (KeyError/TypeError/ValueError on a malformed one).

    An answerable question without evidence strings could only ever score as wrong, so it is refused up front.
    """
    item = EvalItem(
        id=str(raw.get("id", number)), kind=str(raw.get("kind", "all")), question=str(raw["question"]),
        evidence_any=strings(raw, "evidence_any"), expect_notes=strings(raw, "expect_notes"),
        expect_abstain=bool(raw.get("expect_abstain", False)), source_ids=strings(raw, "source_ids"),
    )
    if not item.evidence_any and not item.expect_abstain:
        raise ValueError("it needs evidence_any (or expect_abstain: true) to be scored")
    return item


def load_items(path: Path) -> list[EvalItem]:
    """Parse a JSONL question file, with a clear error for a bad line."""
    return load_jsonl(path, parse_item, "question")


def load_jsonl(path: Path, parse: Callable[[Any, int], T], what: str) -> list[T]:
    """Every non-blank line of a JSONL file through parse(raw, line number); one clear error for a bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NewsdeskError(f"cannot read {path}: {exc.strerror}") from None
    found = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            found.append(parse(json.loads(line), number))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise NewsdeskError(f"{path}:{number}: not a {what} line ({reason(exc)})") from None
    return found


def reason(exc: Exception) -> str:
    """What is wrong with a line, in words: the missing field, the JSON error, the bad value."""
    if isinstance(exc, KeyError):
        return f"no {exc.args[0]!r} field"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def group_key(item: EvalItem) -> str:
    """Questions about the same (first) article share a key, so a split never puts them on both sides."""
    return sorted(item.source_ids)[0] if item.source_ids else item.id


def part_of(item: EvalItem) -> str:
    """Part A (even) or B (odd) by the SHA-1 of the group key: stable across runs, machines and file orders."""
    return PARTS[int(hashlib.sha1(group_key(item).encode("utf-8")).hexdigest(), 16) % 2]


def select_part(items: list[EvalItem], part: str | None) -> list[EvalItem]:
    """The items of one part (None: all), so constants tuned on A can be checked honestly on B."""
    if part is None:
        return list(items)
    if part not in PARTS:
        raise NewsdeskError(f"unknown part {part!r}; use one of {', '.join(PARTS)}")
    return [item for item in items if part_of(item) == part]


def contains_any(text: str, needles: Iterable[str]) -> bool:
    """Case-insensitive containment of any non-empty needle, as the shared scoring rules ask."""
    folded = text.casefold()
    return any(n and n.casefold() in folded for n in needles)


def quotes_valid(result: Answer, corpus_dir: Path) -> bool:
    """Every citation's quote equals the file slice it names, read fresh from disk as verify() does."""
    fresh = ArticleTexts(corpus_dir)
    return all(fresh.holds(c.path, c.start, c.end, c.quote) for c in result.citations)


def short_answer_valid(short: ShortAnswer, result: Answer, texts: ArticleTexts) -> bool:
    """The span is non-empty, verifies against its file and lies inside the citation it names: a quote's words."""
    cited = next((c for c in result.citations if c.n == short.citation), None)
    return (cited is not None and cited.path == short.path and cited.start <= short.start < short.end <= cited.end
            and texts.holds(short.path, short.start, short.end, short.text))


def short_answers_valid(result: Answer, corpus_dir: Path) -> bool | None:
    """Whether every short answer is valid, read fresh from disk; None when the answer has none."""
    if not result.short_answers:
        return None
    fresh = ArticleTexts(corpus_dir)
    return all(short_answer_valid(s, result, fresh) for s in result.short_answers)


def article_stem(article_id: str) -> str:
    """The file stem of an article id, so a corpus kept in a subfolder still matches the CSV's source ids."""
    return article_id.rsplit("/", 1)[-1]


def sourced_quotes(item: EvalItem, result: Answer) -> int | None:
    """How many citations come from the item's source articles; None when the item names none."""
    if not item.source_ids:
        return None
    wanted = set(item.source_ids)
    return sum(article_stem(c.article_id) in wanted for c in result.citations)


def judge(item: EvalItem, result: Answer, corpus_dir: Path) -> Outcome:
    """Score one answer against its item."""
    quotes = " ".join(c.quote for c in result.citations)
    short = result.short_answer
    return Outcome(
        item=item, abstained=result.abstained, has_evidence=contains_any(quotes, item.evidence_any),
        notes=frozenset(n.kind for n in result.notes), quotes_valid=quotes_valid(result, corpus_dir),
        quotes=len(result.citations), short_answer=short.text if short else None,
        short_valid=short_answers_valid(result, corpus_dir), sourced_quotes=sourced_quotes(item, result),
    )


def ratio(hits: int, total: int) -> float | None:
    """hits / total, or None when there is nothing to measure."""
    return round(hits / total, 3) if total else None


def standard_error(values: list[float]) -> float | None:
    """The standard error of a mean score: how far a set of this size moves it by the luck of its questions."""
    return standard_error_of(len(values), sum(values), sum(v * v for v in values))


def standard_error_of(n: int, total: float, squares: float) -> float | None:
    """The standard error of a mean from its count, sum and sum of squares (sample variance); None below 2."""
    if n < 2:
        return None
    variance = max(0.0, (squares - total * total / n) / (n - 1))
    return round(math.sqrt(variance / n), 3)


def answer_figures(outcomes: list[Outcome]) -> dict[str, Any]:
    """Evidence, abstention, notes, quote validity and the CRAG-style score of a group."""
    answerable = [o for o in outcomes if not o.item.expect_abstain]
    unanswerable = [o for o in outcomes if o.item.expect_abstain]
    with_evidence = [o for o in answerable if o.item.evidence_any]
    noted = [(o, kind) for o in outcomes for kind in o.item.expect_notes]
    return {
        "questions": len(outcomes),
        "evidence_recall": ratio(sum(o.has_evidence for o in with_evidence), len(with_evidence)),
        "abstention_rate": ratio(sum(o.abstained for o in unanswerable), len(unanswerable)),
        "unanswerable_handled": ratio(sum(o.handled for o in unanswerable), len(unanswerable)),
        "false_abstention_rate": ratio(sum(o.abstained for o in answerable), len(answerable)),
        "note_recall": ratio(sum(kind in o.notes for o, kind in noted), len(noted)),
        "quote_validity": ratio(sum(o.quotes_valid for o in outcomes), len(outcomes)),
        "crag_score": round(sum(o.crag for o in outcomes) / len(outcomes), 3) if outcomes else None,
        "crag_stderr": standard_error([float(o.crag) for o in outcomes]),
    }


def short_answer_figures(outcomes: list[Outcome]) -> dict[str, Any]:
    """How often the short answer itself holds the evidence, and whether short answers are verbatim spans."""
    shorts = [o for o in outcomes if not o.abstained and not o.item.expect_abstain and o.item.evidence_any
              and o.short_answer is not None]
    checked = [o for o in outcomes if o.short_valid is not None]
    return {
        "short_answer_holds_evidence": ratio(sum(bool(o.short_holds_evidence) for o in shorts), len(shorts)),
        "short_answer_valid": ratio(sum(bool(o.short_valid) for o in checked), len(checked)),
    }


def citation_figures(outcomes: list[Outcome]) -> dict[str, Any]:
    """Citation precision against the source articles (pooled over citations) and quotes per answer."""
    answered = [o for o in outcomes if not o.abstained]
    sourced = [o for o in answered if o.sourced_quotes is not None]
    return {
        "citation_precision": ratio(sum(o.sourced_quotes or 0 for o in sourced), sum(o.quotes for o in sourced)),
        "quotes_per_answer": round(sum(o.quotes for o in answered) / len(answered), 2) if answered else None,
        "max_quotes": max((o.quotes for o in answered), default=None),
    }


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    """The metrics of a group of outcomes."""
    return {**answer_figures(outcomes), **short_answer_figures(outcomes), **citation_figures(outcomes)}


def question_row(o: Outcome) -> dict[str, Any]:
    """One question's outcome for the JSON report."""
    return {
        "id": o.item.id, "kind": o.item.kind, "abstained": o.abstained,
        "handled": o.handled if o.item.expect_abstain else None,
        "evidence": o.has_evidence, "notes": sorted(o.notes), "quotes": o.quotes, "crag": o.crag,
        "short_answer": o.short_answer, "short_answer_evidence": o.short_holds_evidence,
        "short_answer_valid": o.short_valid, "citation_precision": o.citation_precision,
    }


def report_for(outcomes: list[Outcome]) -> dict[str, Any]:
    """Metrics per kind and overall, plus each question's outcome."""
    kinds: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        kinds[o.item.kind].append(o)
    return {
        "overall": summarise(outcomes),
        "by_kind": {kind: summarise(group) for kind, group in sorted(kinds.items())},
        "questions": [question_row(o) for o in outcomes],
    }


def evaluate_items(items: list[EvalItem], index: NewsIndex, k: int,
                   progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Answer every item and report metrics per kind and overall, plus each question's outcome."""
    outcomes = []
    for item in items:
        outcomes.append(judge(item, answer(item.question, index, k), index.config.corpus_dir))
        if progress:
            progress(1)
    return report_for(outcomes)


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
        # every answered question scores +1 or -1, so the answered count is the sum of squares
        "crag_stderr": standard_error_of(len(squad.questions), counts["crag"], counts["answered"]),
    }


def score_squad_question(q: dict[str, Any], index: NewsIndex, k: int, counts: dict[str, int]) -> None:
    """Add one SQuAD question's results to the running counts."""
    result = answer(q["question"], index, k)
    counts["answered"] += not result.abstained
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


ROLES = ("first", "followup", "fresh")  # a dialogue turn opens it, leans on it, or changes the topic


@dataclass(frozen=True)
class Dialogue:
    """One line of a dialogue file: turns asked in order in one conversation; each turn's kind is its role."""

    id: str
    turns: tuple[EvalItem, ...]


@dataclass(frozen=True)
class TurnOutcome:
    """A turn answered in its conversation, and the same question asked alone."""

    outcome: Outcome
    alone: Outcome
    understood_as: str | None
    articles: frozenset[str]
    alone_articles: frozenset[str]

    @property
    def as_alone(self) -> bool:
        """The answer cites the same articles as the question asked on its own."""
        return self.articles == self.alone_articles


def turn_role(number: int, turn: dict[str, Any]) -> str:
    """'first' for the opening turn, 'fresh' for a marked change of topic, 'followup' for the rest."""
    return "first" if number == 0 else "fresh" if turn.get("fresh") else "followup"


def parse_dialogue(raw: dict[str, Any], number: int) -> Dialogue:
    """One decoded dialogue line (KeyError/TypeError on a malformed one)."""
    did = str(raw.get("id", number))
    turns = raw["turns"]
    if not isinstance(turns, list) or not turns:
        raise TypeError("turns must be a non-empty list")
    return Dialogue(did, tuple(parse_item({**t, "id": f"{did}/{i + 1}", "kind": turn_role(i, t)}, number)
                               for i, t in enumerate(turns)))


def load_dialogues(path: Path) -> list[Dialogue]:
    """Parse a dialogue JSONL file, with a clear error for a bad line."""
    return load_jsonl(path, parse_dialogue, "dialogue")


def select_dialogues(dialogues: list[Dialogue], part: str | None) -> list[Dialogue]:
    """The dialogues of one part, split by their first turn's source articles as part_of splits questions."""
    if part is not None and part not in PARTS:
        raise NewsdeskError(f"unknown part {part!r}; use one of {', '.join(PARTS)}")
    return [d for d in dialogues if part is None or part_of(d.turns[0]) == part]


def is_right(o: Outcome) -> bool:
    """As `newsdesk eval` counts: evidence quoted without abstaining, or an unanswerable one handled."""
    return o.handled if o.item.expect_abstain else not o.abstained and o.has_evidence


def cited(result: Answer) -> frozenset[str]:
    """The articles an answer cites."""
    return frozenset(c.article_id for c in result.citations)


def run_dialogue(dialogue: Dialogue, index: NewsIndex, k: int) -> list[TurnOutcome]:
    """Ask the turns in order in one fresh conversation, and each later turn alone as well."""
    from bot.conversation import DEFAULT_MINUTES, Conversation, answer_in_context

    conversation = Conversation(DEFAULT_MINUTES * 60)
    corpus = index.config.corpus_dir
    found = []
    for item in dialogue.turns:
        result = answer_in_context(item.question, index, conversation, k)
        alone = result if item.kind == "first" else answer(item.question, index, k)
        found.append(TurnOutcome(judge(item, result, corpus), judge(item, alone, corpus), result.understood_as,
                                 cited(result), cited(alone)))
    return found


def role_figures(turns: list[TurnOutcome]) -> dict[str, Any]:
    """Right in the conversation, right when asked alone, and how often context was carried."""
    return {
        "turns": len(turns),
        "right": ratio(sum(is_right(t.outcome) for t in turns), len(turns)),
        "right_stderr": standard_error([float(is_right(t.outcome)) for t in turns]),
        "right_alone": ratio(sum(is_right(t.alone) for t in turns), len(turns)),
        "carried": ratio(sum(t.understood_as is not None for t in turns), len(turns)),
        "quote_validity": ratio(sum(t.outcome.quotes_valid for t in turns), len(turns)),
    }


def turn_row(t: TurnOutcome) -> dict[str, Any]:
    """One turn's outcome for the JSON report."""
    return {
        "id": t.outcome.item.id, "role": t.outcome.item.kind, "question": t.outcome.item.question,
        "understood_as": t.understood_as, "right": is_right(t.outcome), "right_alone": is_right(t.alone),
        "abstained": t.outcome.abstained, "articles": sorted(t.articles), "as_alone": t.as_alone,
    }


def evaluate_dialogues(dialogues: list[Dialogue], index: NewsIndex, k: int,
                       progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """First, follow-up and fresh turns right; fresh turns answered as if asked alone (same cited articles)."""
    turns: list[TurnOutcome] = []
    for dialogue in dialogues:
        turns += run_dialogue(dialogue, index, k)
        if progress:
            progress(1)
    fresh = [t for t in turns if t.outcome.item.kind == "fresh"]
    return {
        "dialogues": len(dialogues),
        "overall": role_figures(turns),
        "by_role": {role: role_figures([t for t in turns if t.outcome.item.kind == role]) for role in ROLES},
        "fresh_as_alone": ratio(sum(t.as_alone for t in fresh), len(fresh)),
        "turns": [turn_row(t) for t in turns],
    }
