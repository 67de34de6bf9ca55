"""Choose by answer, not by overlap: rank candidate sentences by whether they hold the asked-for thing.

Word overlap finds the neighbourhood; a sentence counts as an answer only when it holds an instance of the
expected kind that the question does not already contain (bot.answering.answer_types). Among those, the
sentence-level dense similarity ("spend" finds "cost") and the span readers' judgement (cross-encoders trained
to pick the answering sentence and span) decide, read in one batch with each sentence's headline and predecessor
as context; the second reader also reads the article's lede (span_reader.lede_context), and the two verdicts are
agreed into one (agreed()).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from bot.answering.answer_types import answer_spans
from bot.answering.asked import CARRIED, Expected
from bot.answering.decide import logistic, logit
from bot.answering.evidence import Candidate, headline_terms
from bot.answering.lexicon import ABSENT
from bot.answering.sentences import split_sentences, terms
from bot.answering.span_reader import Reading as SpanReading
from bot.answering.span_reader import lede_context, reader_context
from index.snapshot import ArticleTexts, Snapshot

SHORTLIST = 12  # candidate sentences considered (the lexical ranking's best, typed ones only for typed questions)
# Chosen on bbc-dev part A with bench-style timing (README): embedding the 12 sentences cost 80 ms an answer and
# lowered recall there (76 % against 87 % with the passages' similarity), and reading 2 sentences did as well as
# 8 at a seventh of the cost. Both stay settable for the next reader.
EMBED = 0  # of the shortlist, how many are embedded for sentence-level similarity (the rest use their passage's)
# 3 was tried again in the sixth 2026-12-03 session: the decision sets and helper-written held-out sets gained, but
# bbc-dev (written as the held-out checks are) lost 7 of 80 and the median answer 9-17 ms (README).
READ = 2  # sentences the span readers read, in one batch each
# When neither reading is more likely than not to answer (SURE), the readers read on: at most READ_ON more of the
# shortlisted sentences of the article of the better one, where an unsure answer's fact most often is.
SURE = 0.5
READ_ON = 2
# A follow-up reads READ_CITED more of the shortlist from the articles its conversation cited, sure or not: those
# hold its fact most often (88 % of the read dialogue sets' follow-ups), and the readers, trained on questions asked
# alone, rate a resolved follow-up low whether or not its sentence answers, so "unsure" says little there. 4 of 2,
# 4, 6, 10 tried on the read dialogue sets (10 gained 2 more follow-ups of 358 at 2.5 times the reading;
# docs/measurements.md, third 2026-12-07 session).
READ_CITED = 4
# A why-question asks for a cause, which its answer says in words that need not repeat the question ("because they
# are readily available"): the readers also read the CAUSES best candidates that state one, in a batch of their own.
CAUSES = 2
CAUSE = re.compile(r"\b(?:because|due to|owing to|thanks to|as a result of|in order to|so that|in a bid to"
                   r"|in an attempt to|reasons?|citing|blamed)\b", re.IGNORECASE)
# Blend of the signals before the reader: coverage of the question's weighted terms and sentence similarity.
LEXICAL_WEIGHT = 0.5

FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z)", re.DOTALL)
LEDE_LOOK = 1000  # characters of the body searched for the first sentence


class ReadItem(NamedTuple):
    """One sentence as the readers read it: each reader's context before it, and the sentence."""

    context: str  # the headline and the end of the previous sentence (the news-tuned reader's)
    lede: str  # the headline, the start of the lede, the end of the previous sentence (the lede reader's)
    sentence: str


ReaderFn = Callable[[str, Sequence[ReadItem]], Sequence[tuple[float, int, int]]]


@dataclass(frozen=True)
class Reading:
    """A candidate sentence read against the question: its typed answer spans and every score."""

    candidate: Candidate
    spans: tuple[tuple[int, int], ...]  # sentence-relative spans of novel instances of the expected kind
    dense: float  # cosine similarity of the sentence and the question
    reader: float | None  # the span reader's P(this sentence answers), None when it did not read it
    reader_span: tuple[int, int] | None  # the reader's best span, sentence-relative
    score: float

    @property
    def typed(self) -> bool:
        """True when the sentence holds a novel instance of the asked-for kind."""
        return bool(self.spans)

    @property
    def text(self) -> str:
        """The sentence."""
        return self.candidate.text


def shortlist(candidates: list[Candidate], expected: Expected, question: str,
              texts: ArticleTexts | None = None) -> list[tuple[Candidate, tuple]]:
    """The lexically best sentences with their typed spans; for a typed question only those holding an instance.

    Nothing for a question whose answer no quote can show (ABSENT: "Which chips does it not use?"). Each
    sentence's article (from texts) says what kind of thing its names are.
    """
    if expected.kind == ABSENT:
        return []
    found = []
    for c in candidates:
        article = (texts.get(c.passage.path) or "") if texts is not None else ""
        spans = tuple(answer_spans(c.text, expected, question, article))
        if expected.typed and not spans:
            continue
        found.append((c, spans))
        if len(found) == SHORTLIST:
            break
    return found


def similarities(snapshot: Snapshot, question: str, texts: list[str]) -> list[float]:
    """Cosine similarity of each sentence with the question (unit vectors: a dot product)."""
    if not texts:
        return []
    vectors = snapshot.embed(texts)
    return [float(v) for v in np.asarray(vectors) @ np.asarray(snapshot.query_vector(question))]


def previous_sentence(candidate: Candidate, snapshot: Snapshot) -> str:
    """The text just before the sentence in its paragraph (at most 200 characters), the reader's context."""
    text = snapshot.texts.get(candidate.passage.path) or ""
    line_start = text.rfind("\n", 0, candidate.start) + 1
    return text[max(line_start, candidate.start - 200) : candidate.start].strip()


def lede_of(candidate: Candidate, snapshot: Snapshot) -> str:
    """The first sentence of the candidate's article body; "" when the candidate is (in) that sentence."""
    text = snapshot.texts.get(candidate.passage.path) or ""
    body = body_start(text)
    spans = split_sentences(text[body : body + LEDE_LOOK])
    if not spans or candidate.start < body + spans[0][1]:
        return ""
    return text[body + spans[0][0] : body + spans[0][1]]


def body_start(text: str) -> int:
    """Where an article's body starts: after its front matter, if any."""
    found = FRONT_MATTER.match(text)
    return found.end() if found else 0


def bridge_of(asked: frozenset[str], candidate: Candidate, snapshot: Snapshot) -> str | None:
    """The article's other sentence holding most of the question's terms (asked) that the sentence and headline lack.

    A resolved follow-up asks in its conversation's words ("Who wrote it? [Alan Bennett, Critics, Circle; plays,
    awards]"), which the answering sentence seldom repeats; the lede reader, taught to find what names the story
    in the lede, reads them in this sentence instead (the sentence itself holds none of them by construction).
    None when no sentence holds any of them.
    """
    text = snapshot.texts.get(candidate.passage.path) or ""
    missing = asked - candidate.terms - headline_terms(candidate.passage.title or "")
    best, most = None, 0
    for sentence, held_terms in sentence_terms(text) if missing else ():
        held = len(missing & held_terms)
        if held > most:
            best, most = sentence, held
    return best


@functools.lru_cache(maxsize=64)
def sentence_terms(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """An article body's sentences with their terms, stemmed once for all the sentences a follow-up reads in it."""
    body = text[body_start(text) :]
    return tuple((body[start:end], frozenset(terms(body[start:end]))) for start, end in split_sentences(body))


def bridges_of(question: str, chosen: list[Candidate], snapshot: Snapshot) -> list[str | None]:
    """Each sentence's bridging sentence (bridge_of) when the question is a resolved follow-up; none otherwise."""
    if not CARRIED.search(question):  # only a follow-up's words are carried from elsewhere in the article
        return [None] * len(chosen)
    asked = frozenset(terms(question))  # stemmed once for the batch
    return [bridge_of(asked, c, snapshot) for c in chosen]


def item_of(candidate: Candidate, snapshot: Snapshot, bridge: str | None = None) -> ReadItem:
    """What the readers read for the sentence: its headline, its lede (or bridge), the sentence before it, itself."""
    title, previous = candidate.passage.title, previous_sentence(candidate, snapshot)
    lede = lede_of(candidate, snapshot) if bridge is None else bridge
    return ReadItem(reader_context(title, previous), lede_context(title, lede, previous), candidate.text)


def with_causes(listed: list[tuple[Candidate, tuple]],
                candidates: list[Candidate]) -> tuple[list[tuple[Candidate, tuple]], list[int]]:
    """A why-question's shortlist plus the CAUSES best candidates stating a cause that it lacks, and their positions."""
    have = {c for c, _ in listed}
    causes = [c for c in candidates if c not in have and CAUSE.search(c.text)][:CAUSES]
    return listed + [(c, ()) for c in causes], list(range(len(listed), len(listed) + len(causes)))


def rank(question: str, listed: list[tuple[Candidate, tuple]], snapshot: Snapshot,
         reader: ReaderFn | None, coverage: Sequence[float] | None = None,
         earlier: Sequence[Reading] = (), prior: Sequence[float] | None = None,
         also: Sequence[int] = ()) -> list[Reading]:
    """Readings of the shortlisted sentences (shortlist()), best first: by the reader where it read, else by blend.

    coverage: what the blend counts for each sentence instead of its own coverage (lead_by_headline's headed one).
    earlier: readings of a previous ranking; a sentence the reader read there keeps its verdict here.
    prior: which sentences the reader reads first (bot.answering.prerank), instead of the blend's order.
    also: positions read as well, in a batch of their own after the others and never in their queue (the causes
    with_causes added), so the rest are read, and rated, as they would be without them.
    """
    dense = similarities(snapshot, question, [c.text for c, _ in listed[:EMBED]])
    dense += [c.passage.dense_score for c, _ in listed[len(dense) :]]
    coverage = coverage if coverage is not None else [c.coverage for c, _ in listed]
    blend = [blended(cov, d) for cov, d in zip(coverage, dense, strict=True)]
    order = sorted(range(len(listed)), key=lambda i: -blend[i])
    queue = sorted(order, key=lambda i: -prior[i]) if prior is not None else order
    verdicts = read_on(question, [(i, listed[i][0]) for i in queue if i not in also], snapshot, reader)
    verdicts |= read_these(question, [(i, listed[i][0]) for i in also], snapshot, reader)
    verdicts |= {i: v for i, v in read_before(listed, earlier).items() if i not in verdicts}
    readings = []
    for i in order:
        c, spans = listed[i]
        verdict = verdicts.get(i)
        probability, span = (verdict[0], (verdict[1], verdict[2])) if verdict else (None, None)
        score = blend[i] if probability is None else probability + 0.25 * blend[i]
        readings.append(Reading(c, spans, dense[i], probability, span, score))
    return sorted(readings, key=lambda r: (-(r.reader is not None), -r.score))


def read_on(question: str, queue: list[tuple[int, Candidate]], snapshot: Snapshot,
            reader: ReaderFn | None) -> dict[int, tuple[float, int, int]]:
    """The verdicts on the first READ of the queue, then on READ_ON more from the better one's article if unsure.

    A follow-up's first batch holds READ_CITED more from its cited articles as well (one batch: the int8 readers
    scale a batch's activations together, so how sentences are batched is part of their verdicts).
    """
    cited = cited_articles(snapshot)
    if cited:
        return read_these(question, queue[:READ] + later_of(queue, cited, READ_CITED), snapshot, reader)
    verdicts = read_these(question, queue[:READ], snapshot, reader)
    if not verdicts or max(v[0] for v in verdicts.values()) >= SURE:
        return verdicts
    top = dict(queue)[max(verdicts, key=lambda i: verdicts[i][0])].article_id
    return verdicts | read_these(question, later_of(queue, {top}, READ_ON), snapshot, reader)


def later_of(queue: list[tuple[int, Candidate]], articles: Collection[str], n: int) -> list[tuple[int, Candidate]]:
    """The first n queued sentences after the first READ that come from the given articles: where reading goes on."""
    return [(i, c) for i, c in queue[READ:] if c.article_id in articles][:n]


def cited_articles(snapshot: Snapshot) -> frozenset[str]:
    """The articles a conversation cited, when the snapshot answers a follow-up (bot.conversation); else none."""
    return frozenset(getattr(snapshot, "conversation_articles", frozenset()))


def read_these(question: str, chosen: list[tuple[int, Candidate]], snapshot: Snapshot,
               reader: ReaderFn | None) -> dict[int, tuple[float, int, int]]:
    """The verdicts on the chosen sentences, by their position in the shortlist."""
    return dict(zip([i for i, _ in chosen], read_batch(question, [c for _, c in chosen], snapshot, reader),
                    strict=False))


def read_before(listed: list[tuple[Candidate, tuple]], earlier: Sequence[Reading]) -> dict[int, tuple[float, int, int]]:
    """The verdicts an earlier ranking's reader gave, by position in `listed`."""
    known = {r.candidate: (r.reader, *r.reader_span) for r in earlier if r.reader is not None and r.reader_span}
    return {i: known[c] for i, (c, _) in enumerate(listed) if c in known}


def blended(coverage: float, dense: float) -> float:
    """The score before the reader: coverage of the question's weighted terms and similarity, LEXICAL_WEIGHT to 1."""
    return LEXICAL_WEIGHT * coverage + (1 - LEXICAL_WEIGHT) * dense


def read_batch(question: str, chosen: list[Candidate], snapshot: Snapshot,
               reader: ReaderFn | None) -> list[tuple[float, int, int]]:
    """The reader's (probability, span start, span end) for each chosen sentence, in one batch."""
    if reader is None or not chosen:
        return []
    bridges = bridges_of(question, chosen, snapshot)
    return list(reader(question, [item_of(c, snapshot, b) for c, b in zip(chosen, bridges, strict=True)]))


def remembering(reader: ReaderFn) -> ReaderFn:
    """The reader with a memory for one answer: a sentence ranked twice is read once."""
    seen: dict[tuple[str, ...], tuple[float, int, int]] = {}

    def read(question: str, items: Sequence[ReadItem]) -> list[tuple[float, int, int]]:
        new = list(dict.fromkeys(item for item in items if (question, *item) not in seen))
        for item, verdict in zip(new, reader(question, new) if new else [], strict=True):
            seen[(question, *item)] = tuple(verdict)  # type: ignore[assignment]
        return [seen[(question, *item)] for item in items]

    return read


def span_reader_for(model_dir: Path) -> ReaderFn:
    """The two process-wide span readers as one plain function of (question, [ReadItem]): their verdicts agreed."""
    from bot.answering.span_reader import get_lede_reader, get_span_reader

    news, lede = get_span_reader(model_dir), get_lede_reader(model_dir)

    def read(question: str, items: Sequence[ReadItem]) -> list[tuple[float, int, int]]:
        second = alongside().submit(lede.read, question, [(i.lede, i.sentence) for i in items])
        first = news.read(question, [(i.context, i.sentence) for i in items])
        return [agreed(a, b) for a, b in zip(first, second.result(), strict=True)]

    return read


@functools.lru_cache(maxsize=1)
def alongside() -> ThreadPoolExecutor:
    """The one thread the lede reader reads in while the news-tuned reader reads in the caller's."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-lede-reader")


def agreed(first: SpanReading, second: SpanReading) -> tuple[float, int, int]:
    """Two readers' verdicts on one sentence as one: the mean of their log-odds, and the surer reader's span.

    The readers were taught the same news questions with different context (the headline and the sentence
    before; the lede as well), so each misreads sentences the other reads right.
    """
    odds = (logit(first.probability) + logit(second.probability)) / 2
    surer = first if first.probability >= second.probability else second
    return logistic(odds), surer.start, surer.end
