"""`answer(question) -> Answer`: verified quotes, numbered citations and uncertainty notes, no LLM needed."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from bot.answering import prerank
from bot.answering.abstain import THRESHOLD, Assessment, assess, best_possible
from bot.answering.answer_types import answer_spans, counted_end, in_words, introduced, vague
from bot.answering.asked import (
    CARRIED,
    MONEY_NOUNS,
    Expected,
    asked_phrase,
    asks_for_product,
    asks_reason,
    expected_type,
    yes_no,
)
from bot.answering.choose import (
    ReaderFn,
    Reading,
    cited_articles,
    rank,
    read_batch,
    remembering,
    shortlist,
    span_reader_for,
    with_causes,
)
from bot.answering.compose import compose
from bot.answering.decide import ANSWER_AT, features, probability
from bot.answering.defaults import DEFAULT_K
from bot.answering.disclosure import (
    NOT_DISCLOSED,
    asks_disclosure,
    asks_kind,
    names,
    note_text,
    undisclosed_span,
)
from bot.answering.evidence import (
    Candidate,
    Question,
    about_the_subject,
    analyse_question,
    followed_by,
    headed_coverage,
    in_conversation,
    sentence_candidates,
)
from bot.answering.excerpt import run_back, run_on, within
from bot.answering.lexicon import ABSENT, COUNT, MONEY
from bot.answering.notes import Evidence, Note, derive_notes, origins
from bot.answering.period import window_for
from bot.answering.rival import rival_model
from bot.answering.selection import (
    MAX_QUOTES,
    RIVAL_SHARE,
    Choice,
    Span,
    answer_pattern,
    best_span,
    choose,
    led_by,
    repeats,
)
from bot.answering.sentences import split_sentences
from index.bm25 import QUESTION_WORDS
from index.errors import NewsdeskError
from index.retrieve import Passage
from index.snapshot import ArticleTexts, Snapshot
from index.window import Coverage, Window

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
NEAREST = 3
DISCLOSURE_LOOK = 5  # a "not disclosed" sentence must be among the lexically best few ...
DISCLOSURE_COVERAGE = 0.5  # ... and hold at least half of the question's weighted terms: it is about the asked thing
# A question asking whether a fact was made known ("Did Huawei say which chips …?") is about disclosure itself: a
# "not detailed" sentence anywhere among the best ASKED_LOOK answers it, whatever words it shares with the question.
ASKED_LOOK = 10
UNKNOWN_READ = 8  # at most this many "not known" sentences are read for it (each read costs ~7 ms)
# A typed question whose passages hold fewer than FEW_TYPED sentences with a new instance of the asked-for kind is
# searched DEEPER times as deep: the answer is likely further down ("spend" ranks the "$5 million" passage ninth).
FEW_TYPED = 3
DEEPER = 2


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
    understood_as: str | None = None  # a follow-up question as resolved from its conversation (None: asked alone)
    window: Window | None = None  # the period of publication searched (from --since/--until or the question)
    coverage: Coverage | None = None  # how that window cut the indexed articles

    @property
    def short_answer(self) -> ShortAnswer | None:
        """The first (best) short answer, or None when abstaining or when no span could be lifted."""
        return self.short_answers[0] if self.short_answers else None

    def to_json(self) -> dict[str, Any]:
        """The `--json` output contract."""
        short = self.short_answer
        return {
            "question": self.question, "answer": self.answer, "abstained": self.abstained,
            "confidence": self.confidence, "understood_as": self.understood_as,
            "short_answer": short.to_json() if short else None,
            "short_answers": [s.to_json() for s in self.short_answers],
            "citations": [c.to_json() for c in self.citations],
            "notes": [n.to_json() for n in self.notes],
            "window": self.window_json(),
        }

    def window_json(self) -> dict[str, Any] | None:
        """The window applied, with how many articles it kept and how many it left out for having no date."""
        if self.window is None:
            return None
        counts = {"articles": self.coverage.inside, "undated_left_out": self.coverage.undated} if self.coverage else {}
        return {**self.window.to_json(), **counts}


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
    """Everything answer() weighs before deciding: passages, scored sentences, the readings, the choice, the verdict."""

    question: Question
    expected: Expected
    passages: list[Passage]
    candidates: list[Candidate]
    readings: list[Reading]
    choice: Choice | None
    disclosure: Span | None  # a sentence saying the asked-for fact is not known, when one is among the best
    verdict: Assessment
    asks_disclosure: bool = False  # the question asks whether the fact was made known ("Did Huawei say …?")

    @property
    def chosen(self) -> list[Candidate]:
        """The sentences the answer would quote."""
        return self.choice.quotes if self.choice else []

    @property
    def best(self) -> Reading | None:
        """The best reading, if any sentence could answer."""
        return self.readings[0] if self.readings else None


def deliberate(text: str, snapshot: Snapshot, k: int = DEFAULT_K, reader: ReaderFn | None = None,
               settle_early: bool = False) -> Deliberation:
    """Retrieve, read the candidate sentences for the asked-for kind, pick the quotes and assess answerability.

    settle_early (answer() sets it): when no choice of quotes could make the evidence answerable (abstain.
    best_possible) and no sentence says the fact is unknown, nothing is read: answer() abstains there whatever
    the readers say, with the same abstention. The bench scripts that study the readings leave it off.
    """
    passages = snapshot.search(text, k)
    analysed = analyse_question(text, snapshot.document_frequencies, snapshot.documents)
    expected = expected_type(text)
    quotes, referents = getattr(snapshot, "conversation_quotes", (frozenset(), ()))  # a follow-up's (bot.conversation)

    def candidates_of(found: list[Passage]) -> list[Candidate]:
        on_subject = about_the_subject(analysed, found, snapshot.texts)
        listed = sentence_candidates(analysed, on_subject, snapshot.texts)
        return in_conversation(analysed, listed, quotes, referents, cited_articles(snapshot), carried_topic(text))

    candidates = candidates_of(passages)
    listed = shortlist(candidates, expected, text, snapshot.texts)
    if expected.typed and expected.kind != ABSENT and len(listed) < FEW_TYPED:  # look further for the asked kind
        passages = snapshot.search(text, DEEPER * k)
        candidates = candidates_of(passages)
        listed = shortlist(candidates, expected, text, snapshot.texts)
    dense_top = max((p.dense_score for p in passages), default=0.0)
    asked = asks_disclosure(text)
    if settle_early and best_possible(analysed, candidates, dense_top) < THRESHOLD \
            and not may_say_unknown(candidates, asked):
        return Deliberation(analysed, expected, passages, candidates, [], None, None,
                            assess(analysed, candidates, candidates[:1], dense_top), asked)
    also: list[int] = []
    if asks_reason(text):  # a cause is said in words of its own: read the best sentences stating one as well
        listed, also = with_causes(listed, candidates)
    readings = rank(text, listed, snapshot, reader, prior=prerank.scores(analysed, listed), also=also)
    wording = question_words(text)
    choice = choose(readings, candidates, expected, wording) if readings else None
    chosen = choice.quotes if choice else candidates[:1]
    verdict = assess(analysed, candidates, chosen, dense_top)
    unknown = about_the_asked(text, candidates, snapshot, reader) if asked else disclosed_as_unknown(candidates)
    return Deliberation(analysed, expected, passages, candidates, readings, choice, unknown, verdict, asked)


def may_say_unknown(candidates: list[Candidate], asked: bool) -> bool:
    """True when deliberate() could find a sentence saying the fact is not known (about_the_asked's or not)."""
    return next(said_unknown(candidates), None) is not None if asked else disclosed_as_unknown(candidates) is not None


def carried_topic(text: str) -> str:
    """The "[names; terms]" a resolved follow-up carries from its conversation (bot.answering.followup), or ""."""
    found = CARRIED.search(text)
    return found.group(0).strip(" []") if found else ""


def question_words(text: str) -> frozenset[str]:
    """The question's words, lower-cased, to anchor a short answer near them."""
    return frozenset(w.lower() for w in re.findall(r"\w+", text) if w.lower() not in QUESTION_WORDS)


def about_the_asked(text: str, candidates: list[Candidate], snapshot: Snapshot, reader: ReaderFn | None) -> Span | None:
    """For a question about disclosure, the "not detailed" sentence the reader finds most about the asked thing.

    Word overlap ranks "the Chipmaker has not detailed the chipsets being used" 22nd for "Has Huawei confirmed which
    chips power DeepSeek-R1?": the sentence names neither. Every retrieved sentence saying a fact is not known is
    read (the first UNKNOWN_READ), and the one the reader rates highest answers; without a reader, the best ranked
    among ASKED_LOOK does.
    """
    found = list(islice(said_unknown(candidates), UNKNOWN_READ))
    if not found:
        return None
    if reader is None:
        return disclosed_as_unknown(candidates, asked=True)
    verdicts = read_batch(text, [f.candidate for f in found], snapshot, reader)
    return max(zip(found, verdicts, strict=True), key=lambda pair: pair[1][0])[0]


def said_unknown(candidates: list[Candidate]) -> Iterator[Span]:
    """The candidates that say a fact is not disclosed or not yet known, each with that phrase, in their order."""
    return (Span(c, *span) for c in candidates if (span := undisclosed_span(c.text)))


def disclosed_as_unknown(candidates: list[Candidate], asked: bool = False) -> Span | None:
    """A sentence among the best few that says the fact was not disclosed / is not yet known, with that phrase.

    asked: the question asks whether the fact was made known, so any such sentence among the best ASKED_LOOK does.
    """
    look, floor = (ASKED_LOOK, 0.0) if asked else (DISCLOSURE_LOOK, DISCLOSURE_COVERAGE)
    return next((s for s in said_unknown(candidates[:look]) if s.candidate.coverage >= floor), None)


def answer(question: str, index: Indexed, k: int = DEFAULT_K,
           synthesizer: Callable[[Answer], Answer] | None = None, window: Window | None = None,
           today: date | None = None) -> Answer:
    """Answer from the articles with verified quotes, or say plainly that they do not cover it.

    index is anything with snapshot() (a NewsIndex, or a small fake in tests): one generation is read throughout.
    A synthesizer (bot.answering.llm) may rewrite the prose of a non-abstaining answer; abstentions never reach it.
    The period searched is `window` (the --since/--until flags) or else the one the question names ("this week",
    "in January 2025", "latest"), counted from `today` (NEWSDESK_NOW at the front ends; the real date if None).
    """
    text = clean_question(question)
    snapshot = index.snapshot()
    found = window_for(text, today or date.today(), window)
    if found.window is None:
        return answer_all(text, snapshot, k, synthesizer)
    counts = snapshot.coverage(found.window)
    if window is None and found.window.bounded and counts.total and counts.undated == counts.total:
        return undated_index(answer_all(text, snapshot, k, synthesizer), found.window, counts)
    if found.window.bounded and counts.inside == 0:
        return windowed(empty_window(text, found.window, counts), found.window, counts)
    result = answer_all(found.text, Windowed(snapshot, found.window), k, synthesizer)
    return windowed(replace(result, question=text), found.window, counts)


def answer_all(text: str, snapshot: Snapshot, k: int, synthesizer: Callable[[Answer], Answer] | None) -> Answer:
    """The answer from whatever the snapshot searches (all of the index, or one window of it)."""
    reader = remembering(span_reader_for(snapshot.model_dir))
    thought = deliberate(text, snapshot, k, reader, settle_early=True)
    likely = answer_probability(text, thought, snapshot)
    answering = likely >= ANSWER_AT and thought.verdict.answerable and thought.choice is not None
    unknown = named_unknown(text, thought) if answering else None
    if unknown is not None:  # the answering sentence itself says the asked-for thing is not known
        thought = replace(thought, disclosure=unknown)
    if thought.disclosure is not None and (thought.asks_disclosure or unknown is not None
                                           or (not answering and says_asked_unknown(text, thought))):
        # "has not detailed" answers a question about disclosure outright, and one nothing else answers when the
        # unknown thing is the asked one
        result = compose_answer(text, [thought.disclosure.candidate], [thought.disclosure], thought, snapshot,
                                not_disclosed=True)
    elif answering:
        thought = lead_by_headline(text, thought, snapshot, reader)
        thought = replace(thought, choice=run_on(thought.choice, thought.expected.typed, snapshot.texts))
        thought = rival_model(text, thought, snapshot, reader)
        thought = replace(thought, choice=run_back(thought.choice, snapshot.texts))
        result = compose_answer(text, with_disclosure(thought), lead_spans(text, thought), thought, snapshot)
    else:
        result = None
    if result is None:
        return abstention(text, thought.passages)
    return synthesizer(result) if synthesizer is not None else result


def named_unknown(text: str, thought: Deliberation) -> Span | None:
    """A chosen quote's "not known" phrase that names the asked-for thing: then that is the answer.

    "£85 for a passport and ID card together or a undecided fee for a separate ID card" answers "What fee …
    for an identity card bought on its own?" with "undecided fee": the figure beside it is another thing's.
    The quote must be at least as much about the question as the first one, so a side remark does not win.
    """
    if not thought.chosen:
        return None
    first = thought.chosen[0]
    for quote in thought.chosen:
        found = undisclosed_span(quote.text)
        if found and quote.coverage >= first.coverage and names_asked(text, thought, quote.text, found):
            return Span(quote, *found)
    return None


def says_asked_unknown(text: str, thought: Deliberation) -> bool:
    """True when the "not known" sentence found for a question nothing answers is about the asked-for thing.

    "While details about Huawei's latest chip remain under wraps …" does not answer "How many Ascend 910C chips
    does Huawei plan to manufacture in 2025?": the details are unknown, not the count. It names the asked noun (as
    for named_unknown), or asks for the asked kind itself: "How much Quester paid for Feedwell was not revealed".
    """
    found = thought.disclosure
    assert found is not None
    span = (found.start, found.end)
    return names_asked(text, thought, found.candidate.text, span) \
        or asks_kind(found.candidate.text, span, thought.expected.kind)


def names_asked(text: str, thought: Deliberation, sentence: str, found: tuple[int, int]) -> bool:
    """True when the "not known" phrase is about what the question asks for.

    The head noun must be named ("fee" for "What fee"). A bare "how much" names none; there the phrase must
    name an amount and be followed by more of the question than any figure in the sentence ("paid an
    undisclosed amount for the newspaper serialisation … and up to £135,000 for work as an adviser").
    """
    noun = thought.expected.noun
    if noun is not None:
        return names(sentence, found, noun)
    if thought.expected.kind != MONEY or not any(names(sentence, found, n) for n in MONEY_NOUNS):
        return False
    after = followed_by(thought.question, sentence, found[1])
    return all(after > followed_by(thought.question, sentence, end)
               for _, end in answer_spans(sentence, thought.expected, text))


def lead_order(reading: Reading, cited: frozenset[str]) -> tuple[bool, bool]:
    """What leads first among equally ranked readings: a follow-up's cited articles, then exact quantities.

    A follow-up continues the articles its conversation cited ("Name one of the places affected by that
    decision"), and "Thousands" answers "how many" only when no sentence gives the number.
    """
    elsewhere = bool(cited) and reading.candidate.article_id not in cited
    vague_only = bool(reading.spans) and all(vague(reading.text[a:b]) for a, b in reading.spans)
    return elsewhere, vague_only


def lead_by_headline(text: str, thought: Deliberation, snapshot: Snapshot,
                     reader: ReaderFn | None) -> Deliberation:
    """The same decision and quotes, led by the best sentence when its headline's words count as covered.

    A news sentence leaves the story's topic to the headline ("Stanley Fischer … has agreed to take the job"
    under "Israel looks to US for bank chief"), so ranking without the headline favours a sentence that repeats
    the question's words over the one that answers. Counting the headline when deciding lowers the answer
    model's coverage feature and abstains more (README), so only the lead changes: it goes first and gives the
    short answer; the chosen quotes follow (at most MAX_QUOTES). A disagreement keeps both of its sides.
    Before the headline's ranking come a follow-up's cited articles and exact quantities (lead_order); among the
    quotes so chosen, a name the question's noun phrase introduces leads (introduced_lead).
    """
    choice = thought.choice
    if choice is None or choice.disagree:
        return thought
    listed = [(r.candidate, r.spans) for r in thought.readings]
    headed = [headed_coverage(thought.question, c) for c, _ in listed]
    cited = cited_articles(snapshot)
    best = first(rank(text, listed, snapshot, reader, headed, thought.readings), cited)
    new = first(rank(text, listed, snapshot, reader, headed), cited)  # the headline's own best, read just now
    if best is None or new is None:
        return thought
    quotes = list(dict.fromkeys([best.candidate, new.candidate, *choice.quotes]))[:MAX_QUOTES]
    lead, span = introduced_lead(quotes, [best, *thought.readings], asked_phrase(text, thought.expected))
    wording = question_words(text)
    span = span or best_span(lead, wording)
    if span is None or (quotes == choice.quotes and [span] == choice.spans):
        return thought
    quotes = [lead.candidate, *[q for q in quotes if q != lead.candidate]]
    readings = [lead, *[r for r in thought.readings if r.candidate != lead.candidate]]
    return replace(thought, choice=led_by(span, quotes, readings, thought.candidates, thought.expected, wording))


def first(readings: list[Reading], cited: frozenset[str]) -> Reading | None:
    """The reading that leads: by lead_order, then as ranked."""
    return min(readings, key=lambda r: lead_order(r, cited)) if readings else None


def introduced_lead(quotes: list[Candidate], readings: list[Reading],
                    phrase: frozenset[str]) -> tuple[Reading, Span | None]:
    """The first quoted reading holding a name the asked-for noun phrase introduces, with that name; else the first.

    "Which cruise ship …?" is answered by "the luxury cruise liner Crystal Harmony" (answer_types.introduced),
    even when the reader rated a sentence naming a convention higher. Only a sentence of an article already quoted
    can lead so ("theme tune The Ballad of Jed Clampett", further down the chosen obituary): it joins the quotes,
    but no new story is cited.
    """
    articles = {q.article_id for q in quotes}
    for reading in readings:
        if reading.candidate.article_id not in articles:  # another story's name would cite a new article
            continue
        for start, end in reading.spans:
            if introduced(reading.text, (start, end), phrase):
                return reading, Span(reading.candidate, start, end)
    return readings[0], None


def lead_spans(text: str, thought: Deliberation) -> list[Span]:
    """The short answers to lead with; none for a yes/no question, which no span of a quote says yes or no to.

    A why-question's is a cause said in words: a name or a figure the reader points at ("H800", "Keith Hackett")
    is no reason, so the quotes answer it alone.
    """
    assert thought.choice is not None
    if yes_no(text):
        return []
    if asks_reason(text):
        return [s for s in thought.choice.spans if in_words(s.candidate.text[s.start : s.end])]
    if thought.expected.kind != COUNT:
        return list(thought.choice.spans)
    return [replace(s, end=counted_end(s.candidate.text, s.end, text)) for s in thought.choice.spans]


def with_disclosure(thought: Deliberation) -> list[Candidate]:
    """The chosen quotes, plus, for an open or yes/no question, a sentence saying the fact is not known."""
    assert thought.choice is not None
    quotes = list(thought.choice.quotes)
    found = thought.disclosure
    if found is None or thought.expected.typed or any(within(found.candidate, q) for q in quotes):
        return quotes
    return [*quotes[: MAX_QUOTES - 1], found.candidate]


def answer_probability(text: str, thought: Deliberation, snapshot: Snapshot) -> float:
    """P(the quotes hold the answer) from bot.answering.decide; 0 when no sentence holds the asked-for thing."""
    if thought.best is None or thought.choice is None:
        return 0.0
    return probability(features(thought, followup=bool(cited_articles(snapshot))))


def compose_answer(text: str, quotes: list[Candidate], spans: list[Span], thought: Deliberation,
                   snapshot: Snapshot, not_disclosed: bool = False) -> Answer | None:
    """Verify the quotes, lift the short answers, derive the notes and write the prose; None if nothing verifies."""
    citations = verify(number(quotes), snapshot.corpus_dir)
    if not citations:
        return None
    shorts = short_answers(spans, citations)
    said = shorts[0].text if shorts and not not_disclosed else None
    holds = partial(repeats, answer_pattern(said, thought.expected.kind)) if said else None
    backs = holds or (None if not_disclosed else read_as_answering(thought))
    notes = derive_notes([evidence_for(c, snapshot.texts, holds) for c in citations], focus(thought.question), backs,
                         asks_for_product(thought.expected))
    if not_disclosed:
        notes = [Note(NOT_DISCLOSED, note_text(citations[0].published), (citations[0].n,)), *notes]
    disagree = bool(shorts) and thought.choice is not None and thought.choice.disagree
    if disagree and not any(n.kind == "conflict" for n in notes):
        notes.append(disagreement(shorts))
    head = lead(shorts, not_disclosed)
    prose = "\n".join(x for x in (head, compose(citations)) if x)
    return Answer(text, prose, False, confidence(thought.verdict.probability, citations, notes), citations, notes,
                  passages=thought.passages, short_answers=shorts, lead=head)


def read_as_answering(thought: Deliberation) -> Callable[[str], bool] | None:
    """For an answer with no short answer (why, how, yes/no), which quotes back it: those the readers read as answering.

    A why-question's runners-up come from any article; counting every quoted article as support would never let
    "only one article supports this" be said. A quote backs the answer when the readers rate its sentence at least
    RIVAL_SHARE as likely to answer as the lead's (the share a rival value needs); an unread sentence backs nothing.
    """
    if thought.choice is None or not thought.choice.quotes:
        return None
    rated = {r.candidate.text: r.reader for r in thought.readings if r.reader is not None}
    first = thought.choice.quotes[0].text  # a lead that ran on or back holds the sentence read
    lead = next((p for text, p in rated.items() if text in first), None)
    if lead is None:
        return None
    kept = tuple(text for text, p in rated.items() if p >= RIVAL_SHARE * lead)
    return lambda quote: any(text in quote for text in kept)


def focus(question: Question) -> frozenset[str]:
    """The question's terms, known to the index or not: what a conflict must be about to matter."""
    return frozenset(question.weights) | frozenset(question.unknown)


def short_answers(spans: list[Span], citations: list[Citation]) -> list[ShortAnswer]:
    """Each span located in the file through its verified citation (a span whose quote was dropped is dropped)."""
    found = []
    for span in spans:
        c = span.candidate
        cited = next((x for x in citations if x.path == c.passage.path and x.start == c.start), None)
        if cited is not None:
            found.append(ShortAnswer(span.text, cited.n, cited.path, c.start + span.start, c.start + span.end))
    return found


def lead(shorts: list[ShortAnswer], not_disclosed: bool = False) -> str | None:
    """The one-line direct answer: the short answer in bold with its citation; both sides when they disagree."""
    if not shorts:
        return None
    parts = [f"**{s.text}** [{s.citation}]" for s in shorts]
    if not_disclosed:
        return f"The articles say this is not known: {parts[0]}"
    return parts[0] if len(parts) == 1 else " or ".join(parts) + " (the articles disagree)"


def disagreement(shorts: list[ShortAnswer]) -> Note:
    """A conflict note for two articles that give different values of the asked-for kind."""
    sides = " vs ".join(f"“{s.text}” [{s.citation}]" for s in shorts)
    return Note("conflict", f"The sources disagree: {sides}. Both sides are quoted; the articles do not settle "
                "which is right.", tuple(s.citation for s in shorts))


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


def evidence_for(citation: Citation, texts: ArticleTexts, holds: Callable[[str], bool] | None = None) -> Evidence:
    """The citation plus where its attributions live: the quote's paragraphs and the article's attributions of it.

    When the quote repeats the short answer (holds), every sentence of its article that repeats it too while naming
    who said it is added. An article states a claim in its opening and attributes it further down ("… uses
    Huawei's Ascend 910C chips" then "According to tech influencer @dorialexander on Twitter, DeepSeek's R1 model
    relies on the Ascend 910C chips"): the claim traces to that source though the quote's paragraph does not say so.
    """
    text = texts.get(citation.path) or citation.quote
    context = neighbourhood(text, citation.start, citation.end)
    if holds is not None and holds(citation.quote):
        context = "\n".join([context, *attributed(text, holds)])
    return Evidence(citation.n, citation.article_id, citation.title, citation.published, citation.quote,
                    context, citation.passage.origin)


def attributed(text: str, holds: Callable[[str], bool]) -> list[str]:
    """The article's sentences that repeat the short answer and name a source for it (bot.answering.notes.origins)."""
    sentences = (text[a:b] for a, b in split_sentences(text))
    return [s for s in sentences if holds(s) and origins(s)]


def neighbourhood(text: str, start: int, end: int) -> str:
    """The non-blank line holding text[start:end] plus the non-blank lines just before and after it."""
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]
    for k, line in enumerate(lines):
        if line.start() <= start < line.end():
            return "\n".join(m.group(0) for m in lines[max(0, k - 1) : k + 2])
    return text[start:end]


def confidence(likely: float, citations: list[Citation], notes: list[Note]) -> float:
    """P(answerable) × a factor for independent sources × a factor for each warning note."""
    kinds = {n.kind for n in notes}
    source = {c.n: c.passage.origin or c.article_id for c in citations}  # wire copies of one story: one source
    sources = len(set(source.values()))
    for note in notes:  # each shared_origin note describes one origin: its sources merge into one
        if note.kind == "shared_origin":
            sources -= len({source[n] for n in note.citations if n in source}) - 1
    factor = {1: 0.6, 2: 0.8}.get(max(1, sources), 1.0)
    penalty = (0.75 if "unverified" in kinds else 1.0) * (0.7 if "conflict" in kinds else 1.0)
    return round(likely * factor * penalty, 3)


@dataclass
class Windowed:
    """A snapshot whose searches keep to one window of publication dates."""

    inner: Snapshot
    window: Window

    def search(self, query: str, k: int, window: Window | None = None) -> list[Passage]:
        """The inner snapshot's search, kept to this window."""
        return self.inner.search(query, k, window or self.window)

    def __getattr__(self, name: str) -> Any:
        """Everything else (term statistics, texts, embeddings) is the inner snapshot's."""
        return getattr(self.inner, name)


def windowed(result: Answer, window: Window, counts: Coverage) -> Answer:
    """The answer with the window it was given and a note that says which articles that window kept."""
    return replace(result, window=window, coverage=counts, notes=[*result.notes, window_note(window, counts)])


def undated_index(result: Answer, window: Window, counts: Coverage) -> Answer:
    """An answer from every article, since none carries a date to keep the question's period to; the note says so.

    A window over such an index is empty whatever it is, so it would refuse every question that names a period
    ("How much were camera sales worth last year?") however well the articles answer it.
    """
    note = Note("window", f"No indexed article carries a publication date, so newsdesk could not keep to "
                f"{window.describe()}: it searched all {plural(counts.total, 'article')}, and the quotes may be "
                "from any time.", ())
    return replace(result, notes=[*result.notes, note])


def window_note(window: Window, counts: Coverage) -> Note:
    """Which period was searched and what it left out (undated articles are inside no window)."""
    if not window.bounded:
        return Note("window", "Asked for the latest: the newest articles were preferred"
                    + (f"; {plural(counts.undated, 'article')} with no date came last." if counts.undated else "."), ())
    left = f"; {plural(counts.undated, 'article')} with no date {'was' if counts.undated == 1 else 'were'} left out" \
        if counts.undated else ""
    named = f" ({window.label})" if window.label and window.label != window.span() else ""
    return Note("window", f"Searched only articles published {window.published()}{named}: "
                f"{counts.inside} of {counts.total}{left}.", ())


def plural(n: int, noun: str) -> str:
    """'1 article', '3 articles'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def empty_window(question: str, window: Window, counts: Coverage) -> Answer:
    """Abstain because no indexed article was published in the window, and say so in those words."""
    lines = [f"There are no articles from {window.describe()}, so newsdesk will not guess."]
    if counts.undated:
        lines.append(f"{plural(counts.undated, 'article')} with no date could not be placed in any window.")
    note = Note("not_in_corpus", f"No articles from {window.describe()} are indexed.", ())
    return Answer(question, "\n".join(lines), True, 0.0, [], [note])


def abstention(question: str, passages: list[Passage]) -> Answer:
    """Say plainly that the articles do not cover the question; list the nearest material as such."""
    nearest = list({p.article_id: p for p in passages}.values())[:NEAREST]
    lines = ["The articles do not cover this question, so newsdesk will not guess."]
    if nearest:
        lines.append("Nearest material (not an answer): " + "; ".join(f"“{p.title}”" for p in nearest) + ".")
    note = Note("not_in_corpus", "No indexed article supports an answer to this question.", ())
    return Answer(question, "\n".join(lines), True, 0.0, [], [note], passages=passages)
