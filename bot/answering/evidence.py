"""From retrieved passages to scored candidate sentences: the raw material of an extractive answer."""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bot.answering.sentences import MIN_WORDS, split_sentences, terms, word_count
from bot.answering.zipf import zipf
from index.bm25 import QUESTION_WORDS
from index.retrieve import Passage
from index.snapshot import ArticleTexts

log = logging.getLogger(__name__)

# a quantity: digits standing alone (1,000 / 7.4 / 50%), not a year or part of a name such as 910C or H100
NUMBER = re.compile(
    r"(?<![\w.])(?!(?:19|20)\d\d\b)\d[\d,.]*(?![\w])"
    r"|\b(one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|dozen)s?\b",
    re.IGNORECASE,
)
YEAR_OR_DATE = re.compile(
    r"\b(1[5-9]\d\d|20\d\d)\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d", re.IGNORECASE
)
COVERAGE_WEIGHT = 0.7  # sentence score = 0.7 * question-term coverage + 0.3 * passage similarity
MISSING_TYPE_FACTOR = 0.6  # a "how many" question's sentence without a number is worth less


@dataclass(frozen=True)
class Question:
    """A question reduced to weighted content terms, its named entities and the kind of answer it wants."""

    weights: dict[str, float]  # terms the index knows, weighted by IDF
    unknown: tuple[str, ...]  # terms no indexed chunk contains
    wants: str | None
    names: tuple[frozenset[str], ...] = ()  # the entity stems of each name, one run of such words ("Australian Open")

    @property
    def entities(self) -> frozenset[str]:
        """Stems of capitalised words, acronyms and model numbers: every name's."""
        return frozenset().union(*self.names)

    @property
    def total_weight(self) -> float:
        """Sum of the known terms' weights."""
        return sum(self.weights.values()) or 1.0

    @property
    def unknown_share(self) -> float:
        """Share of the question's terms the corpus never uses."""
        total = len(self.weights) + len(self.unknown)
        return len(self.unknown) / total if total else 1.0

    @property
    def unknown_entities(self) -> int:
        """Named things in the question that appear nowhere in the corpus."""
        return sum(1 for t in self.unknown if t in self.entities)


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage, located in its article file."""

    passage: Passage
    start: int
    end: int
    text: str
    terms: frozenset[str]
    coverage: float
    typed: bool
    score: float
    paragraph: int  # number of line breaks before the sentence: equal values share a paragraph

    @property
    def article_id(self) -> str:
        """The article the sentence comes from."""
        return self.passage.article_id


def question_terms(text: str) -> dict[str, str]:
    """Content terms of a question (stemmed, no stop or question words), each with the word it came from."""
    words = [w for w in re.findall(r"(?u)\b\w\w+\b", text.lower()) if w not in QUESTION_WORDS]
    found: dict[str, str] = {}
    for word in words:
        for stem in terms(word):
            found.setdefault(stem, word)
    return found


def specificity(word: str) -> float:
    """How telling a word is in general English: 1 for rare words and names, 0.2 for everyday ones.

    Uses wordfreq's Zipf scale (7 = "the", 3 = rare); a tiny corpus cannot tell "work" from "TSMC"
    by document frequency alone.
    """
    return min(1.0, max(0.2, (7.0 - zipf(word)) / 3.5))


def entity_terms(text: str) -> frozenset[str]:
    """Stems of words that name something: capitalised after the first word, acronyms, words with digits."""
    return frozenset().union(*entity_names(text))


def entity_names(text: str) -> tuple[frozenset[str], ...]:
    """The stems of each name: a run of words that name something ("Australian Open", "Ask Jeeves")."""
    matches = list(re.finditer(r"(?u)\b\w[\w'’-]*\b", text))
    runs: list[list[int]] = []
    for i, match in enumerate(matches):
        if names_something(match.group(0), i):
            joined = runs and runs[-1][-1] == i - 1 and not text[matches[i - 1].end() : match.start()].strip() \
                and not matches[i - 1].group(0).endswith(("'s", "’s"))
            if joined:  # the name goes on: only a space since the last word ("Ras Kwame", not "Stephens, Ras",
                # nor "Kennedy's New Year")
                runs[-1].append(i)
            else:
                runs.append([i])
    found = (frozenset(terms(" ".join(matches[i].group(0) for i in run))) for run in runs)
    return tuple(name for name in found if name)


def names_something(word: str, position: int) -> bool:
    """Capitalised (not as the first word), an acronym, or containing a digit."""
    return (position > 0 and word[:1].isupper()) or word.isupper() or any(c.isdigit() for c in word)


def answer_type(text: str) -> str | None:
    """"number" for how-many/how-much questions, "date" for when/what-year ones, else None."""
    lowered = text.lower()
    if re.search(r"\bhow (many|much)\b|\bwhat (percentage|percent|number|amount)\b", lowered):
        return "number"
    if re.search(r"^\s*when\b|\b(what|which) (year|date|month|day|decade|century)\b|\bin what year\b", lowered):
        return "date"
    return None


def analyse_question(text: str, frequencies: Callable[[set[str]], dict[str, int]], documents: int) -> Question:
    """Weight each known question term by its rarity in the index (IDF); set unknown terms apart."""
    found = question_terms(text)
    freq = frequencies(set(found))
    weights = {t: idf(freq[t], documents) * specificity(word) for t, word in found.items() if freq.get(t, 0) > 0}
    unknown = tuple(t for t in found if freq.get(t, 0) == 0)
    return Question(weights, unknown, answer_type(text), entity_names(text))


def idf(df: int, documents: int) -> float:
    """BM25's inverse document frequency, never below a small floor."""
    return max(0.05, math.log(1 + (documents - df + 0.5) / (df + 0.5)))


def has_type(text: str, wants: str | None) -> bool:
    """Whether a sentence could answer the wanted type at all."""
    if wants == "number":
        return bool(NUMBER.search(text))
    if wants == "date":
        return bool(YEAR_OR_DATE.search(text))
    return True


def about_the_subject(question: Question, passages: list[Passage], texts: ArticleTexts) -> list[Passage]:
    """The passages whose article names at least half of the question's named things (counted by their words).

    An article naming fewer is another story ("Multiplex reporting … pre-tax profits" for Cadbury Schweppes'
    profit): its fact of the asked-for kind is not the asked-for one. Half, because an article may spell a name
    its own way ("the Oscars" for "the Academy Awards").
    """
    named = [(stem, stem_start(stem), len(name)) for stem, name in identifying_stems(question)]
    if not named:
        return passages
    kept: dict[str, bool] = {}
    for p in passages:
        if p.path not in kept:
            text = (texts.get(p.path) or "").lower()
            found = sum(words for stem, start, words in named if names_stem(stem, start, text))
            kept[p.path] = 2 * found >= sum(words for _, _, words in named)
    return [p for p in passages if kept[p.path]]


def identifying_stems(question: Question) -> list[tuple[str, frozenset[str]]]:
    """Each name with its rarest known word, which stands for all its words ("australian" for "Australian Open").

    An article about another "… Open" names "open" but not the name asked about. A name none of whose words the
    index knows is named nowhere, so its first word stands for it.
    """
    stems = []
    for name in question.names:
        known = [stem for stem in sorted(name) if stem in question.weights]
        stems.append((max(known, key=lambda stem: question.weights[stem]) if known else sorted(name)[0], name))
    return stems


def stem_start(stem: str) -> re.Pattern[str]:
    """The words that may have the stem: those starting as it does ("vike" for "Viking", "desailli" for "Desailly").

    The stemmer changes only a word's end, so its first letters (at most four, one fewer than the stem) stay.
    """
    return re.compile(rf"\b{re.escape(stem[: min(4, max(1, len(stem) - 1))])}\w*")


def names_stem(stem: str, start: re.Pattern[str], text: str) -> bool:
    """Whether a word of the lower-cased text has the stem: only the few words starting like it are stemmed.

    Exactly what stemming the whole article would say, at half its cost.
    """
    return stem in terms(" ".join(set(start.findall(text))))


def sentence_candidates(question: Question, passages: list[Passage], texts: ArticleTexts) -> list[Candidate]:
    """Every sentence overlapping a retrieved passage, scored; a sentence shared by passages appears once."""
    best_dense = max((p.dense_score for p in passages), default=0.0) or 1.0
    seen: set[tuple[str, int]] = set()
    found: list[Candidate] = []
    for passage in passages:
        text = texts.get(passage.path)
        if text is None or text[passage.start : passage.end] != passage.text:
            log.warning("%s changed since it was indexed; run `newsdesk index`", passage.path)
            continue
        relevance = max(0.0, passage.dense_score) / best_dense
        for start, end in sentences_in(passage):
            if (passage.path, start) in seen:
                continue
            seen.add((passage.path, start))
            candidate = score_sentence(question, passage, text, start, end, relevance)
            if candidate is not None:
                found.append(candidate)
    return best_first(found)


def in_conversation(question: Question, candidates: list[Candidate], quotes: frozenset[str],
                    referents: Sequence[str], articles: frozenset[str], topic: str) -> list[Candidate]:
    """A follow-up's candidates, each counting as its own the carried words the conversation says it is about.

    The previous turn's quoted sentences count the carried referents: "Where will that game be played? [Martin
    Johnson]" after "…'s final match will be his testimonial at Twickenham on 4 June" is about that sentence,
    though it repeats neither, so only "played" is left for it to match. Every sentence of an article the
    conversation cited counts the carried topic ("[Dutch, ABN Amro; cutting, falling, profits]"), so inside it the
    follow-up's own words choose ("one-off charge of 790m euros"), not a repeat of the previous answer. A sentence
    that is both is credited once, with both. Sentences of other articles must still hold the topic themselves.
    """
    said = frozenset(terms(" ".join(referents))) if quotes else frozenset()
    about = frozenset(terms(topic)) if articles else frozenset()
    if not said and not about:
        return candidates

    def carried(candidate: Candidate) -> frozenset[str]:
        quoted = said if " ".join(candidate.text.split()) in quotes else frozenset()
        return quoted | (about if candidate.article_id in articles else frozenset())

    return best_first([rescored_with(question, c, extra) if (extra := carried(c)) else c for c in candidates])


def best_first(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates by score, ties in file order."""
    return sorted(candidates, key=lambda c: (-c.score, c.passage.path, c.start))


def rescored_with(question: Question, candidate: Candidate, carried: frozenset[str]) -> Candidate:
    """The candidate with its coverage counting the carried terms, its score moved by the same amount."""
    coverage = covered(question, candidate.terms | carried)
    gain = COVERAGE_WEIGHT * (coverage - candidate.coverage) * (1.0 if candidate.typed else MISSING_TYPE_FACTOR)
    return replace(candidate, coverage=coverage, score=candidate.score + gain)


def sentences_in(passage: Passage) -> list[tuple[int, int]]:
    """Spans (in file offsets) of the sentences inside a passage."""
    return [(passage.start + s, passage.start + e) for s, e in split_sentences(passage.text)]


def score_sentence(question: Question, passage: Passage, text: str, start: int, end: int,
                   relevance: float) -> Candidate | None:
    """Coverage of the question's weighted terms, blended with the passage's similarity."""
    sentence = text[start:end]
    if word_count(sentence) < MIN_WORDS:
        return None
    found = frozenset(terms(sentence))
    coverage = covered(question, found)
    typed = has_type(sentence, question.wants)
    score = COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * relevance
    if not typed:
        score *= MISSING_TYPE_FACTOR
    return Candidate(passage, start, end, sentence, found, coverage, typed, score, text.count("\n", 0, start))


def covered(question: Question, found: frozenset[str]) -> float:
    """The share of the question's weighted terms among found."""
    return sum(w for t, w in question.weights.items() if t in found) / question.total_weight


def followed_by(question: Question, sentence: str, end: int, words: int = 6) -> float:
    """The question's share among the few words after a phrase: what a payment or figure is for follows it."""
    return covered(question, frozenset(terms(" ".join(sentence[end:].split()[:words]))))


def headed_coverage(question: Question, candidate: Candidate) -> float:
    """A sentence's coverage counting its article's headline words too: news leaves the topic to the headline."""
    return covered(question, candidate.terms | headline_terms(candidate.passage.title or ""))


@functools.lru_cache(maxsize=4096)
def headline_terms(title: str) -> frozenset[str]:
    """A headline's terms, stemmed once: every sentence of an article, in the pre-ranker and the headline lead alike.

    Bounded, so a long-running bot holds at most 4,096 headlines' terms.
    """
    return frozenset(terms(title))
