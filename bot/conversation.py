"""Conversations shared by every front end: the last few turns per place, forgotten after a time-out.

A place is an opaque key: ("repl",) for a REPL session, ("discord", guild, channel or thread, member) for Discord.
`answer_in_context` resolves a follow-up against its place's conversation (bot.answering.followup), answers the
resolved question with the same pure `answer()` as `newsdesk ask`, and records the turn. A conversation idle for
longer than the time-out is dropped before it can be used, and swept from memory.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.answering.answer import Answer, Indexed, answer, clean_question
from bot.answering.defaults import DEFAULT_K
from bot.answering.followup import Reply, Resolution, Topic, next_topic, resolve
from index.retrieve import Passage
from index.window import Window

log = logging.getLogger(__name__)

PlaceKey = tuple[Hashable, ...]
DEFAULT_MINUTES = 15.0
MAX_TURNS = 5  # turns a conversation remembers (the topic carries what matters from older ones)
SWEEP_SECONDS = 60.0  # expired conversations are swept from memory at most this often
POOL = 3  # a follow-up's search looks this many times deeper, then favours the conversation's articles
NEAREST = 3  # an abstained turn's topic is its nearest articles (what the user was shown as nearest material)
OTHERS = 2  # passages outside the cited articles a follow-up still reads, so another outlet's figure can disagree
PRIOR_BOOST = 1.25  # fused-score factor for passages of the articles the conversation cited


@dataclass(frozen=True)
class Turn:
    """One question and what came of it, as a front end may list it."""

    question: str
    understood_as: str | None
    short_answer: str | None
    articles: tuple[str, ...]
    at: float


@dataclass
class Conversation:
    """The last few turns in one place and the topic they leave; unusable once idle past the time-out."""

    timeout: float  # seconds
    clock: Callable[[], float] = time.monotonic
    turns: deque[Turn] = field(default_factory=lambda: deque(maxlen=MAX_TURNS))
    latest: Topic | None = None
    updated: float = 0.0

    def expired(self, now: float | None = None) -> bool:
        """True when the last turn is older than the time-out (an empty conversation never expires)."""
        now = self.clock() if now is None else now
        return bool(self.turns) and now - self.updated > self.timeout

    def topic(self) -> Topic | None:
        """The topic a follow-up may lean on, or None when there is none or it has timed out."""
        if self.expired():
            self.clear()
        return self.latest

    def record(self, resolution: Resolution, result: Answer) -> None:
        """Remember a turn and the topic it leaves for the next question."""
        now = self.clock()
        self.latest = topic_after(resolution, self.latest, result)
        short = result.short_answer.text if result.short_answer else None
        self.turns.append(Turn(resolution.question, resolution.understood_as, short, self.latest.articles, now))
        self.updated = now

    def clear(self) -> None:
        """Forget everything: the next question starts a new conversation."""
        self.turns.clear()
        self.latest = None


def topic_after(resolution: Resolution, previous: Topic | None, result: Answer) -> Topic:
    """The topic a turn leaves: its answer's names, titles, articles and passages (the nearest ones if it abstained)."""
    return next_topic(resolution, previous, reply_of(result))


def reply_of(result: Answer) -> Reply:
    """What an answer gives the conversation; an abstention gives its nearest material as the topic's context."""
    if result.abstained:
        nearest = list({p.article_id: p for p in result.passages}.values())[:NEAREST]
        return Reply(articles=tuple(p.article_id for p in nearest), passages=tuple(p.text for p in nearest))
    cited = result.citations
    return Reply(tuple(s.text for s in result.short_answers), tuple(c.quote for c in cited),
                 tuple(dict.fromkeys(c.title for c in cited)), tuple(c.article_id for c in cited),
                 tuple(dict.fromkeys(c.passage.text for c in cited)))


class ConversationStore:
    """Conversations by place, thread-safe; expired ones are dropped on access and swept once a minute."""

    def __init__(self, minutes: float = DEFAULT_MINUTES, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout = minutes * 60.0
        self.clock = clock
        self._places: dict[PlaceKey, Conversation] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    def get(self, place: PlaceKey) -> Conversation:
        """The place's live conversation, a new one if it had none or its context timed out."""
        with self._lock:
            self._sweep_now()
            found = self._places.get(place)
            if found is None or found.expired():
                found = self._places[place] = Conversation(self.timeout, self.clock)
            return found

    def clear(self, place: PlaceKey) -> None:
        """Start the place over (`/new`, a blank line in piped input)."""
        with self._lock:
            self._places.pop(place, None)

    def sweep(self) -> int:
        """Drop every conversation idle past the time-out; returns how many were dropped."""
        with self._lock:
            return self._sweep()

    def __len__(self) -> int:
        """Places holding a conversation (expired ones count until swept)."""
        return len(self._places)

    def _sweep_now(self) -> None:
        """Sweep when the last sweep is a minute old, so memory never holds a stale context for long."""
        if self.clock() - self._swept >= SWEEP_SECONDS:
            self._sweep()

    def _sweep(self) -> int:
        """Drop expired conversations (caller holds the lock)."""
        now = self._swept = self.clock()
        stale = [place for place, c in self._places.items() if c.expired(now)]
        for place in stale:
            del self._places[place]
        return len(stale)


@dataclass
class ContextSnapshot:
    """A snapshot whose search adds the conversation's key terms and favours the articles it cited."""

    inner: Any
    terms: tuple[str, ...]
    articles: frozenset[str]
    quotes: frozenset[str] = frozenset()
    referents: tuple[str, ...] = ()

    def search(self, query: str, k: int, window: Window | None = None) -> list[Passage]:
        """The question plus carried terms, searched deeper; passages of cited articles get a prior boost.

        The best OTHERS passages of other articles stay in, so the prior never silences another outlet: "And what
        did it cost to train?" must still read the one article that says $6 million, not $5 million.
        """
        text = " ".join([query, *self.terms])
        pool = self.inner.search(text, k * POOL if self.articles else k, window)
        kept = sorted(pool, key=lambda p: -p.score * (PRIOR_BOOST if p.article_id in self.articles else 1.0))[:k]
        heard = [p for p in pool if p.article_id not in self.articles][: min(OTHERS, k // 2)]
        missing = [p for p in heard if p not in kept]
        return kept[: k - len(missing)] + missing

    @property
    def conversation_articles(self) -> frozenset[str]:
        """The articles the conversation cited: a follow-up answered from one of them continues the topic."""
        return self.articles

    @property
    def conversation_quotes(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """The previous turn's quoted sentences and the carried words they are about (evidence.in_conversation)."""
        return self.quotes, self.referents

    def __getattr__(self, name: str) -> Any:
        """Everything else (term statistics, texts, embeddings) is the underlying snapshot's."""
        return getattr(self.inner, name)


@dataclass(frozen=True)
class ContextIndex:
    """An index as a follow-up sees it: the same generation, searched with the conversation's topic."""

    index: Indexed
    terms: tuple[str, ...]
    articles: tuple[str, ...]
    quotes: tuple[str, ...] = ()
    referents: tuple[str, ...] = ()

    def snapshot(self) -> ContextSnapshot:
        """One snapshot of the real index, wrapped."""
        return ContextSnapshot(self.index.snapshot(), self.terms, frozenset(self.articles),
                               frozenset(" ".join(q.split()) for q in self.quotes), self.referents)


def answer_in_context(question: str, index: Indexed, conversation: Conversation, k: int = DEFAULT_K,
                      synthesizer: Callable[[Answer], Answer] | None = None, window: Window | None = None,
                      today: date | None = None) -> Answer:
    """Answer a question in its conversation: resolve a follow-up, answer the resolved text, record the turn."""
    asked = clean_question(question)
    resolution = resolve(asked, conversation.topic())
    log.debug("question %r read as %r (%s)", asked, resolution.text, resolution.reason)
    source = ContextIndex(index, resolution.terms, resolution.articles, resolution.quotes, resolution.referents) \
        if resolution.carried else index
    result = answer(resolution.text, source, k, synthesizer, window, today)
    result = dataclasses.replace(result, question=asked, understood_as=resolution.understood_as)
    conversation.record(resolution, result)
    return result


def history(conversation: Conversation) -> Sequence[Turn]:
    """The remembered turns, oldest first (empty once the context has timed out)."""
    return [] if conversation.topic() is None else list(conversation.turns)
