"""`answer(question) -> Answer`: verified quotes, numbered citations and uncertainty notes, no LLM needed."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bot.answering.abstain import Assessment, assess
from bot.answering.defaults import DEFAULT_K
from bot.answering.evidence import Candidate, Question, analyse_question, sentence_candidates
from bot.answering.notes import MODEL_NAME, MONEY, Evidence, Note, amount_conflicts, derive_notes, name_variants
from bot.answering.reader import agrees
from index.errors import NewsdeskError
from index.retrieve import Passage
from index.snapshot import ArticleTexts, Snapshot

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
# Selection constants were tuned on ../shared/eval/dev.jsonl and 600 SQuAD questions (evidence in the quotes).
MAX_QUOTES = 5
MAX_PER_ARTICLE = 3
RELATIVE_FLOOR = 0.3  # a further quote must be worth at least this share of the best one's score
MIN_EXTRA_VALUE = 0.15
GAIN_WEIGHT = 0.3  # a further quote's worth: new question terms it adds, and its own score
NEAR_BONUS = 0.15  # the sentence right after a chosen one, in the same paragraph, often completes it
SAME_ARTICLE_PENALTY = 0.08  # prefer evidence from several articles
NEAREST = 3


@dataclass(frozen=True)
class Citation:
    """A verified quote: Path(corpus_dir, path).read_text(encoding="utf-8")[start:end] == quote."""

    n: int
    article_id: str
    title: str
    outlet: str | None
    published: str | None
    path: str
    start: int
    end: int
    quote: str
    score: float
    passage: Passage

    def to_json(self) -> dict[str, Any]:
        """The contract's citation object."""
        return {
            "n": self.n, "article_id": self.article_id, "title": self.title, "outlet": self.outlet,
            "published": self.published, "path": self.path, "start": self.start, "end": self.end,
            "quote": self.quote, "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class ShortAnswer:
    """The words that answer, lifted from a cited quote: Path(corpus_dir, path).read_text()[start:end] == text."""

    text: str
    citation: int  # the n of the citation whose quote holds the span
    path: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        """The contract's short-answer object."""
        return {"text": self.text, "citation": self.citation, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Answer:
    """An answer with its evidence; `answer` refers to citations as [n] and opens with `lead` when there is one."""

    question: str
    answer: str
    abstained: bool
    confidence: float
    citations: list[Citation] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # everything retrieved as evidence, best first
    short_answers: list[ShortAnswer] = field(default_factory=list)  # two when the articles disagree
    lead: str | None = None  # the one-line direct answer, e.g. "**Huw Stephens** [1]", markdown bold

    @property
    def short_answer(self) -> ShortAnswer | None:
        """The first (best) short answer, or None when abstaining or when no span could be lifted."""
        return self.short_answers[0] if self.short_answers else None

    def to_json(self) -> dict[str, Any]:
        """The `--json` output contract."""
        short = self.short_answer
        return {
            "question": self.question, "answer": self.answer, "abstained": self.abstained,
            "confidence": self.confidence, "short_answer": short.to_json() if short else None,
            "short_answers": [s.to_json() for s in self.short_answers],
            "citations": [c.to_json() for c in self.citations],
            "notes": [n.to_json() for n in self.notes],
        }


def clean_question(question: str) -> str:
    """Collapse whitespace and drop control characters; refuse empty or oversized questions."""
    if len(question) > MAX_QUESTION_CHARS:
        raise NewsdeskError(
            f"the question is {len(question):,} characters long; please keep it under {MAX_QUESTION_CHARS:,}"
        )
    printable = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in question)
    cleaned = " ".join(printable.split())
    if not cleaned:
        raise NewsdeskError("the question is empty; ask something about the articles")
    return cleaned


class Indexed(Protocol):
    """Anything answer() can read from: NewsIndex, or a test's fake that hands out a small snapshot."""

    def snapshot(self) -> Snapshot: ...


@dataclass(frozen=True)
class Deliberation:
    """Everything answer() weighs before deciding: passages, scored sentences, the choice and the verdict."""

    question: Question
    passages: list[Passage]
    candidates: list[Candidate]
    chosen: list[Candidate]
    verdict: Assessment
    texts: ArticleTexts


def deliberate(text: str, snapshot: Snapshot, k: int = DEFAULT_K) -> Deliberation:
    """Retrieve, score every sentence, pick the quotes and assess answerability (no abstention yet)."""
    passages = snapshot.search(text, k)
    analysed = analyse_question(text, snapshot.document_frequencies, snapshot.documents)
    texts = snapshot.texts
    candidates = sentence_candidates(analysed, passages, texts)
    chosen = select(analysed, candidates)
    verdict = assess(analysed, candidates, chosen, max((p.dense_score for p in passages), default=0.0))
    return Deliberation(analysed, passages, candidates, chosen, verdict, texts)


def answer(question: str, index: Indexed, k: int = DEFAULT_K,
           synthesizer: Callable[[Answer], Answer] | None = None) -> Answer:
    """Answer from the articles with verified quotes, or say plainly that they do not cover it.

    index is anything with snapshot() (a NewsIndex, or a small fake in tests): one generation is read throughout.
    A synthesizer (bot.answering.llm) may rewrite the prose of a non-abstaining answer; abstentions never reach it.
    """
    text = clean_question(question)
    snapshot = index.snapshot()
    thought = deliberate(text, snapshot, k)
    quotes = [c.text for c in thought.chosen]
    if not thought.verdict.answerable or not agrees(text, quotes, snapshot.model_dir):
        return abstention(text, thought.passages)
    citations = verify(number(thought.chosen), snapshot.corpus_dir)
    if not citations:
        return abstention(text, thought.passages)
    notes = derive_notes([evidence_for(c, thought.texts) for c in citations], focus(thought.question))
    result = Answer(text, compose(citations), False, confidence(thought.verdict, citations, notes), citations,
                    notes, passages=thought.passages)
    return synthesizer(result) if synthesizer is not None else result


def select(question: Question, candidates: list[Candidate]) -> list[Candidate]:
    """Greedy: the best sentence, then those adding uncovered question terms, near chosen ones, across articles."""
    if not candidates:
        return []
    normals = {id(c): normal(c.text) for c in candidates}
    chosen = [candidates[0]]
    covered = set(candidates[0].terms)
    per_article = Counter([candidates[0].article_id])
    floor = max(MIN_EXTRA_VALUE, candidates[0].score * RELATIVE_FLOOR)
    pool = [c for c in candidates[1:] if normals[id(c)] != normals[id(candidates[0])]]
    while pool and len(chosen) < MAX_QUOTES:
        value = {id(c): extra_value(question, c, covered, chosen, per_article) for c in pool}
        best = max(pool, key=lambda c: value[id(c)])
        if value[id(best)] < floor:
            break
        pool = [c for c in pool if c is not best and normals[id(c)] != normals[id(best)]]
        if per_article[best.article_id] >= MAX_PER_ARTICLE:
            continue
        chosen.append(best)
        covered |= best.terms
        per_article[best.article_id] += 1
    return chosen + counterparts(chosen, candidates, normals, focus(question))


def follows(first: Candidate, second: Candidate) -> bool:
    """True when `second` is the sentence right after `first` in the same paragraph."""
    return (first.passage.path == second.passage.path and first.paragraph == second.paragraph
            and 0 <= second.start - first.end <= 3)


def normal(text: str) -> str:
    """Whitespace- and case-folded text, to spot the same sentence in two places."""
    return " ".join(text.split()).casefold()


def extra_value(question: Question, candidate: Candidate, covered: set[str], chosen: list[Candidate],
                per_article: Counter[str]) -> float:
    """What one more sentence adds: new question terms, its own score, closeness to a chosen sentence."""
    new = sum(w for t, w in question.weights.items() if t in candidate.terms and t not in covered)
    gain = new / question.total_weight
    near = any(follows(c, candidate) for c in chosen)
    return (GAIN_WEIGHT * gain + (1 - GAIN_WEIGHT) * candidate.score + (NEAR_BONUS if near else 0.0)
            - SAME_ARTICLE_PENALTY * per_article[candidate.article_id])


def focus(question: Question) -> frozenset[str]:
    """The question's terms, known to the index or not: what a conflict must be about to matter."""
    return frozenset(question.weights) | frozenset(question.unknown)


def counterparts(chosen: list[Candidate], candidates: list[Candidate], normals: dict[int, str],
                 about: frozenset[str]) -> list[Candidate]:
    """At most one sentence per kind (amount, name) that contradicts a chosen one, so both sides show.

    normals maps id(candidate) to normal(candidate.text), computed once by select().
    """
    if not chosen:
        return []
    floor = chosen[0].score * 0.35
    seen_text = {normals[id(c)] for c in chosen}
    extra: list[Candidate] = []
    kinds_found: set[str] = set()
    for candidate in candidates:
        if candidate.score < floor or normals[id(candidate)] in seen_text or not could_conflict(candidate.text):
            continue
        probe = [as_evidence(i, c) for i, c in enumerate([*chosen, candidate], 1)]
        newest = len(probe)
        for kind, pairs in (("amount", amount_conflicts(probe, about)), ("name", name_variants(probe, about))):
            if kind not in kinds_found and any(newest in (a.n, b.n) for a, _, b, _ in pairs):
                kinds_found.add(kind)
                extra.append(candidate)
                seen_text.add(normals[id(candidate)])
                break
        if len(kinds_found) == 2:  # one of each kind already: no later candidate can be added
            break
    return extra


def could_conflict(text: str) -> bool:
    """A sentence without a money amount or a model name can be on neither side of a conflict: skip probing it."""
    return bool(MONEY.search(text) or MODEL_NAME.search(text))


def as_evidence(n: int, candidate: Candidate) -> Evidence:
    """Minimal evidence for conflict probing (no context needed)."""
    p = candidate.passage
    return Evidence(n, p.article_id, p.title, p.published, candidate.text, candidate.text)


def number(chosen: list[Candidate]) -> list[tuple[int, Candidate]]:
    """Number citations grouped by article, articles in order of their best quote."""
    order = list(dict.fromkeys(c.article_id for c in chosen))
    grouped = sorted(chosen, key=lambda c: (order.index(c.article_id), c.start))
    return list(enumerate(grouped, 1))


def verify(numbered: list[tuple[int, Candidate]], corpus_dir: Path) -> list[Citation]:
    """Re-read each file (once, fresh from disk) and keep only quotes that match it exactly; renumber the rest."""
    fresh = ArticleTexts(corpus_dir)
    citations: list[Citation] = []
    for _, c in numbered:
        p = c.passage
        if not fresh.holds(p.path, c.start, c.end, c.text):
            log.warning("dropped a quote that no longer matches %s[%d:%d]", p.path, c.start, c.end)
            continue
        citations.append(Citation(len(citations) + 1, p.article_id, p.title, p.outlet, p.published, p.path,
                                  c.start, c.end, c.text, c.score, p))
    return citations


def evidence_for(citation: Citation, texts: ArticleTexts) -> Evidence:
    """The citation plus the paragraphs around its quote, where attributions live."""
    text = texts.get(citation.path) or citation.quote
    return Evidence(citation.n, citation.article_id, citation.title, citation.published, citation.quote,
                    neighbourhood(text, citation.start, citation.end))


def neighbourhood(text: str, start: int, end: int) -> str:
    """The non-blank line holding text[start:end] plus the non-blank lines just before and after it."""
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]
    for k, line in enumerate(lines):
        if line.start() <= start < line.end():
            return "\n".join(m.group(0) for m in lines[max(0, k - 1) : k + 2])
    return text[start:end]


def compose(citations: list[Citation]) -> str:
    """A short answer of verbatim quotes, one line per article: 'Title (Outlet, date): “quote” [1] …'."""
    lines = []
    for article_id in dict.fromkeys(c.article_id for c in citations):
        group = [c for c in citations if c.article_id == article_id]
        first = group[0]
        source = ", ".join(x for x in (first.outlet, first.published) if x)
        head = f"{first.title} ({source})" if source else first.title
        lines.append(head + ": " + " ".join(f"“{c.quote}” [{c.n}]" for c in group))
    return "\n".join(lines)


def confidence(verdict: Assessment, citations: list[Citation], notes: list[Note]) -> float:
    """P(answerable) × a factor for independent sources × a factor for each warning note."""
    kinds = {n.kind for n in notes}
    articles = len({c.article_id for c in citations})
    shared = next((n for n in notes if n.kind == "shared_origin"), None)
    if shared:
        merged = {citations[i - 1].article_id for i in shared.citations}
        articles = articles - len(merged) + 1
    sources = {1: 0.6, 2: 0.8}.get(articles, 1.0)
    penalty = (0.75 if "unverified" in kinds else 1.0) * (0.7 if "conflict" in kinds else 1.0)
    return round(verdict.probability * sources * penalty, 3)


def abstention(question: str, passages: list[Passage]) -> Answer:
    """Say plainly that the articles do not cover the question; list the nearest material as such."""
    nearest = list({p.article_id: p for p in passages}.values())[:NEAREST]
    lines = ["The articles do not cover this question, so newsdesk will not guess."]
    if nearest:
        lines.append("Nearest material (not an answer): " + "; ".join(f"“{p.title}”" for p in nearest) + ".")
    note = Note("not_in_corpus", "No indexed article supports an answer to this question.", ())
    return Answer(question, "\n".join(lines), True, 0.0, [], [note], passages=passages)
