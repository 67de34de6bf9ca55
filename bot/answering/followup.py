"""Offline follow-up resolution: does a question lean on the conversation, and what does it mean if it does?

A follow-up ("How much is it paying for the business?") searches for nothing useful on its own. This module
decides, from the words alone, whether a question depends on the previous turns (a pronoun or demonstrative with
no antecedent in the question, an ellipsis such as "And the cost?", no topic of its own) or starts a new topic
(its own named things and no reference words), and for a dependent one carries the previous turns' topic: their
named things, key terms and cited articles. Nothing is ever carried into a fresh question. Every decision comes
with a reason, so the "Understood as" line can be explained.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.answering.evidence import question_terms, specificity
from bot.answering.lexicon import NUMBER_WORDS
from bot.answering.zipf import zipf

MAX_NAMES = 6  # named things a topic keeps (most recent first)
MAX_TERMS = 6  # key terms a topic keeps
MAX_ARTICLES = 4  # articles a topic keeps as the retrieval prior (this turn's first, then inherited ones)
SHOWN_NAMES = 4  # named things shown in brackets and carried into the question
SHOWN_TERMS = 3  # key terms of earlier turns carried the same way, so answer selection weighs them too
MAX_CONTEXT_CHARS = 8_000  # text of the cited passages a topic keeps for its continuity checks
KEY_SPECIFICITY = 0.6  # a key term is rarer than everyday English (wordfreq Zipf ≤ 4.9)
CONTINUITY = 0.5  # share of a question's key terms the conversation holds for it to count as continuing
FRAGMENT_WORDS = 4  # a question this short with no name of its own is an ellipsis ("The cost?")
QUOTE_NAMES = 2  # new names taken from the best quote when the answer has no name-like short answer
COMMON_ZIPF = 4.5  # a one-word answer this frequent in English ("Thousands") is not a name to carry

PERSONAL = frozenset("it he she they him them her".split())
POSSESSIVE = frozenset("its his their hers theirs".split())
SUBJECT_OR_OWNER = frozenset("he she they her".split())  # may mean a name said before it in the same question
DEMONSTRATIVE = frozenset("this that these those".split())
TIME_NOUNS = frozenset(
    "year year's years week week's month month's season season's time morning evening afternoon weekend summer "
    "winter spring autumn century decade quarter".split())
FUNCTION = frozenset(
    "a an the of in on at for from by with about to into after before over under than and or but as is was are "
    "were be been will would shall should can could may might must do does did has have had what which who whom "
    "whose where when why how not no so if it its he she they him them her his their this that these those there "
    "i you we our your my me us".split())
FUNCTION_WORD = "|".join(sorted(FUNCTION))  # one alternation, built once
AUXILIARY = frozenset(
    "is was are were be been will would shall should can could may might must do does did has have had "
    "plans planned wants wanted".split())
SPEECH = frozenset(
    "say says said claim claims claimed think thinks thought expect expects expected hope hopes hoped believe "
    "believes believed announce announces announced confirm confirms confirmed deny denies denied admit admits "
    "admitted promise promises promised insist insists insisted that".split())
EXPLETIVE_AFTER = frozenset(
    "true possible likely clear known expected thought said reported rumoured claimed take takes took".split())
GENERIC = frozenset(
    "company companies firm firms business businesses unit group groups deal deals club clubs team teams side band "
    "bank banks insurer brewer target player man woman men women star singer actor actress minister leader "
    "chancellor country city show film drama play book game match contract project scheme plan report study "
    "case agency government party organisation network service product device site venue event award prize "
    "brand label channel station airline carrier chain retailer studio charity university school division "
    "closures decision move sale takeover bid offer".split())
OWNER_ASKED = re.compile(r"^\s*(?:(?:and|so|but)\s+)?(?:who|whose|which|what)\b", re.IGNORECASE)  # may own a "its"
NOT_A_NOUN = "|".join(sorted(AUXILIARY | {"of", "about"}))  # "what did it …", "which of them …", "what about it"
WHICH_NOUN = re.compile(rf"^\s*(?:(?:and|so|but)\s+)?(?:which|what)\s+(?!(?:{NOT_A_NOUN})\b)[a-z]",
                        re.IGNORECASE)  # "Which bookmaker …", "What firm …": a noun phrase a later pronoun may mean
OPENER = re.compile(r"^\s*(?:and|also|plus|so|but|then|ok|okay)\b[\s,]*", re.IGNORECASE)
ABOUT = re.compile(r"^\s*(?:and\s+|so\s+)?(?:what|how)\s+about\s+(?P<rest>.+?)\s*\??\s*$", re.IGNORECASE)
# "And at the Foreign Office?": an opener and a fragment with no question word or verb of its own
ELLIPSIS = re.compile(r"^\s*(?:and|also|plus|so|but)\s+(?P<rest>[^?]+?)\s*\??\s*$", re.IGNORECASE)
QUESTION_WORD = re.compile(r"\b(?:what|which|who|whom|whose|how|when|where|why|is|are|was|were|did|does|do|can"
                           r"|could|will|would|has|have|had|should)\b", re.IGNORECASE)
PREPOSITIONS = frozenset("in at on for from during by".split())
PREPOSITION = re.compile(rf"\b(?:{'|'.join(PREPOSITIONS)})\b", re.IGNORECASE)
# "What about the poem he wrote, what did that go for?": the question after the comma, asked of what came before
OWN_QUESTION = re.compile(r"^(?P<target>[^,]+),\s*(?P<asked>(?:what|which|who|how|when|where|why)\b.*)$", re.IGNORECASE)
POINTER = re.compile(r"\b(?:that|it|this|they|them)\b", re.IGNORECASE)
WORD = re.compile(r"[\w'’]+")
NUMERIC = re.compile(r"[\d\W_]+")  # "2004", "1,250": a number qualifies a question, it is not a topic
CAPITALS = re.compile(r"(?<![\w'’])[A-Z][\w'’-]*[A-Za-z'’](?:\s+(?:of\s+|&\s+)?[A-Z][\w'’-]*[A-Za-z'’])*")
QUOTED = re.compile(r"[\"“‘]([^\"”’]{2,80})[\"”’]")


@dataclass(frozen=True)
class Topic:
    """What the conversation is about after a turn: its named things, key terms, cited articles and their text."""

    question: str  # the turn's question as understood (the frame a "what about X?" reuses)
    names: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()  # article ids the turn cited (or its nearest ones), then inherited ones
    text: str = ""  # lower-cased questions, short answers, titles and cited passages: what "already said" means
    quotes: tuple[str, ...] = ()  # the turn's own quoted sentences: what its answer was about


@dataclass(frozen=True)
class Resolution:
    """How a question was read: as asked, or with the conversation's topic carried in (and why)."""

    question: str  # as asked
    text: str  # what answer() reads: the question itself, or the resolved follow-up
    understood_as: str | None  # the line shown to the user; None when nothing was carried
    terms: tuple[str, ...] = ()  # the carried topic's key terms, added to retrieval only
    articles: tuple[str, ...] = ()  # the carried topic's cited articles: a retrieval prior
    reason: str = "no conversation"
    quotes: tuple[str, ...] = ()  # the previous turn's quoted sentences, which the carried words are about
    referents: tuple[str, ...] = ()  # what those sentences are taken to say: carried names and terms, "that game"
    replaced: frozenset[str] = frozenset()  # casefolded names and words an ellipsis frame swapped out: not inherited

    @property
    def carried(self) -> bool:
        """True when the conversation was used."""
        return self.understood_as is not None


@dataclass(frozen=True)
class Signals:
    """The words that decide: references to something outside the question, and what the question names itself."""

    strong: tuple[str, ...]  # pronouns, demonstratives, an ellipsis opener: clearly pointing back
    weak: tuple[str, ...]  # possessives, "the company": pointing back unless the question brings its own topic
    names: tuple[str, ...]  # the question's own named things
    fragment: bool  # too short to stand alone, with no name of its own


def words_of(text: str) -> list[str]:
    """The question's words with typographic apostrophes made plain, case kept."""
    return [w.replace("’", "'") for w in WORD.findall(text)]


def is_name(word: str, position: int) -> bool:
    """Capitalised (not first), an acronym, or holding a digit: the same test the answer engine uses."""
    if len(word) < 2 and not word.isdigit():
        return False
    capital = word[:1].isupper() and word.lower() not in FUNCTION
    return (position > 0 and capital) or (word.isupper() and len(word) > 1) or any(c.isdigit() for c in word)


def bare(word: str) -> str:
    """A word without a possessive ending ("Enron's" -> "Enron")."""
    return re.sub(r"'s?$", "", word)


def named_things(text: str) -> list[str]:
    """Quoted titles and runs of name words, possessives split off ("Charlton's Graham Stuart" -> two names)."""
    found = [m.group(1).strip() for m in QUOTED.finditer(text)]
    run: list[str] = []
    for i, word in enumerate(words_of(QUOTED.sub(" ", text))):
        if is_name(word, i):
            run.append(bare(word))
            if not word.endswith(("'s", "'")):
                continue
        if run:
            found.append(" ".join(run))
        run = []
    if run:
        found.append(" ".join(run))
    return unique(n for n in found if n)


def topical(names: Iterable[str]) -> list[str]:
    """The named things that can be a topic: not a bare year or figure ("2004", "1,250")."""
    return [n for n in names if not NUMERIC.fullmatch(n)]


def unique(items: Iterable[str]) -> list[str]:
    """Items in order, case-insensitive duplicates dropped."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            kept.append(item)
    return kept


def answer_name(text: str) -> str | None:
    """A short answer worth carrying: a name-like span ("Metlife", "The History Boys"), not "$11.5bn" or "Thousands"."""
    parts = words_of(text)
    if not parts or len(parts) > 6 or any(c.isdigit() for c in text) or parts[0].lower() in NUMBER_WORDS:
        return None
    linkers = {"of", "the", "and", "de", "&", "for"}
    if not all(capitalised(w) or w.lower() in linkers for w in parts) or not capitalised(parts[-1]):
        return None
    if len(parts) == 1 and not parts[0].isupper() and zipf(parts[0].lower()) >= COMMON_ZIPF:
        return None  # an everyday word capitalised only because it opens the sentence
    return text.strip(" .,;:")


def capitalised(word: str) -> bool:
    """Every hyphenated part starts with a capital ("McEwen-King"), unlike a sentence opener ("Chart-topping")."""
    return all(part[:1].isupper() for part in word.split("-") if part)


def key_pairs(text: str, names: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(stem, word) for the question's rarer content words, leaving out its named things and reference words."""
    named = {w.lower() for n in names for w in words_of(n)}
    found: dict[str, str] = {}
    for stem, word in question_terms(text).items():
        if word in named or word in FUNCTION or word in GENERIC or word.isdigit() or word in found.values():
            continue
        if specificity(word) >= KEY_SPECIFICITY:
            found[stem] = word
    return list(found.items())


def key_terms(text: str, names: Sequence[str] = ()) -> list[str]:
    """The question's rarer content words, in order: what a topic carries besides names."""
    return [word for _, word in key_pairs(text, names)]


def personal_reference(words: list[str], i: int) -> bool:
    """A personal pronoun pointing outside the question: not expletive, not the subject of a reported clause."""
    lower = [w.lower() for w in words]
    after = lower[i + 1] if i + 1 < len(lower) else ""
    if lower[i] == "it" and after in EXPLETIVE_AFTER:
        return False
    before = lower[i - 1] if i else ""
    named_before = any(is_name(w, j) for j, w in enumerate(words[:i]))
    return not (named_before and before in SPEECH and after in AUXILIARY)


def demonstrative_reference(words: list[str], i: int) -> bool:
    """this/that/these/those pointing back ("that deal", "Who said that?"), not "that" joining a clause.

    After a verb or a noun, "that" is a demonstrative only when no clause follows: "Who won that match?", "who
    captained the Irish that day?", but not "Who said that profits fell?", "a saxophone that belonged to …" or
    "… confirmed that Sony would".
    """
    lower = [w.lower() for w in words]
    after = lower[i + 1] if i + 1 < len(lower) else ""
    if after in TIME_NOUNS:
        return False
    if lower[i] != "that":
        return True
    if not after:
        return True
    if after in FUNCTION:
        return False
    before = lower[i - 1] if i else ""
    following = lower[i + 2] if i + 2 < len(lower) else ""
    no_clause = not following or following in PREPOSITIONS  # "that day?", "that stake in the end"; not "that
    # belonged to", "that makes the"
    return not before or before in FUNCTION or (no_clause and not after.endswith("ed")
                                                and not is_name(words[i + 1], i + 1))


def generic_reference(words: list[str], i: int) -> bool:
    """'the company', 'the former Tory leader': a definite generic noun with no name attached after it."""
    lower = [w.lower() for w in words]
    for j in range(i + 1, min(i + 4, len(words))):
        if bare(lower[j]) in GENERIC:
            return not attached(words, j)
        if lower[j] in FUNCTION:
            return False
    return False


def attached(words: list[str], j: int) -> bool:
    """A name right after the noun, or after "of"/"in"/"at" ("the unit of Citigroup", "the firm Skype")."""
    after = words[j + 1 : j + 3]
    if after and is_name(after[0], 1):
        return True
    return len(after) == 2 and after[0].lower() in ("of", "in", "at", "from") and is_name(after[1], 1)


def possessive_reference(words: list[str], i: int) -> bool:
    """'its', 'his', 'their' with no named thing before it in the question to refer to."""
    return not any(is_name(w, j) for j, w in enumerate(words[:i]))


@functools.lru_cache(maxsize=256)
def signals(question: str) -> Signals:
    """The reference words and own names that decide whether a question depends on the conversation."""
    words = words_of(question)
    lower = [w.lower() for w in words]
    strong: list[str] = [m.group(0).strip(" ,") for m in [OPENER.match(question)] if m]
    weak: list[str] = []
    for i, word in enumerate(lower):
        if word in PERSONAL and personal_reference(words, i):
            # "… did Britney Spears name in her letter": a name before it in the question may be what it means;
            # an object ("Has Huawei confirmed it?") never means its own clause's subject
            bound = word in SUBJECT_OR_OWNER and any(is_name(w, j) for j, w in enumerate(words[:i]))
            (weak if bound or WHICH_NOUN.match(question) else strong).append(word)  # "Which bookmaker … because
            # it suspected a leak?": the bookmaker may be what it means
        elif word in DEMONSTRATIVE and demonstrative_reference(words, i):
            strong.append(" ".join(lower[i : i + 2]))
        elif word in POSSESSIVE and possessive_reference(words, i):
            # "Which firm saw its shares fall?": the asked-for thing may own it; "How far did shares in its
            # Irish developer fall?" has nothing in the question that could, whatever names follow
            (weak if OWNER_ASKED.match(question) else strong).append(word)
        elif word == "the" and generic_reference(words, i):
            weak.append(" ".join(lower[i : i + 2]))
    names = topical(named_things(question))  # "What about 2003?" names no topic
    return Signals(tuple(strong), tuple(weak), tuple(names), not names and len(words) <= FRAGMENT_WORDS)


def new_names(names: Sequence[str], topic: Topic) -> list[str]:
    """The question's named things the conversation has not mentioned: the mark of a new topic."""
    known = {n.casefold() for n in topic.names}
    return [n for n in names if n.casefold() not in known and n.casefold() not in topic.text]


def continues(question: str, names: Sequence[str], topic: Topic) -> bool:
    """Whether a question with no clear reference still belongs to the topic: no new names, its key terms known."""
    if new_names(names, topic):
        return False
    stems = [stem for stem, _ in key_pairs(question, names)]
    if not stems:
        return True
    held = sum(1 for stem in stems if stem in topic.text)
    return held / len(stems) >= CONTINUITY


def depends(question: str, topic: Topic) -> tuple[bool, str]:
    """Whether the question leans on the topic, and the words that decided it.

    A question that names nothing of its own ("How many free channels will viewers get?", "What's the fee
    supposed to be?") cannot open a topic in a conversation about named things, so it continues this one; one
    that names things continues it only through a reference whose names and key words the conversation holds.
    """
    found = signals(question)
    if found.strong:
        return True, "refers back: " + ", ".join(found.strong)
    known = definite_known(question, topic) if not new_names(found.names, topic) else None
    if not found.names:
        fragment = "too short to stand alone" if found.fragment else ""
        return True, "refers back: " + (", ".join(found.weak) or known or fragment or "no name of its own")
    if known:  # "Where is Johnson's testimonial being played?" after an article that set one: that testimonial
        return True, "refers back: " + known
    if found.weak and continues(question, found.names, topic):
        return True, "refers back: " + ", ".join(found.weak)
    return False, "new topic: " + ", ".join(new_names(found.names, topic) or found.names)


DEFINITE = re.compile(r"\bthe\s+(?P<phrase>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)")  # "the box", "the only try"


def definite_known(question: str, topic: Topic) -> str | None:
    """'the X' whose X the conversation's question, answer or passages used: that X, not a new one; else None.

    "How much will customers have to pay for the box?" after an article about a set-top box; "Where's the
    ceremony being held?" after one about an award ceremony.
    """
    for found in DEFINITE.finditer(question):
        for noun in found.group("phrase").split():
            if noun in FUNCTION or noun in TIME_NOUNS or noun in AUXILIARY or len(noun) < 3:
                break
            if re.search(rf"\b{re.escape(noun)}\b", topic.text):
                return f"the {noun}"
    return None


def strip_opener(question: str) -> str:
    """The question without a leading "And"/"So": the wh-word must lead for the answer type to be read."""
    rest = OPENER.sub("", question, count=1).strip()
    return rest[:1].upper() + rest[1:] if rest else question.strip()


def own_question(question: str) -> str | None:
    """'What about X, what did that go for?' asks its own question of X: X takes the place of its "that"."""
    found = ABOUT.match(question)
    own = OWN_QUESTION.match(found.group("rest").strip()) if found else None
    if own is None:
        return None
    asked, target = own.group("asked").rstrip(" ?"), own.group("target")
    asked = POINTER.sub(target, asked, count=1) if POINTER.search(asked) else f"{asked}, for {target}"
    return asked[:1].upper() + asked[1:] + "?"


def about_frame(question: str, topic: Topic) -> str | None:
    """'What about X?' asks the previous question again about X: its named things swapped for X."""
    found = ABOUT.match(question)
    if not found or not topic.question:
        return None
    target = found.group("rest").strip()
    frame = topic.question.split(" [", 1)[0].rstrip(" ?")
    names = named_things(frame)
    if NUMERIC.fullmatch(target):  # "What about 2003?" swaps the year (or figure) asked about, not a name
        names = [n for n in names if NUMERIC.fullmatch(n)]
    if not names:
        return f"{frame}, for {target}?"
    return frame.replace(names[0], target, 1) + "?"


def ellipsis_frame(question: str, topic: Topic) -> str | None:
    """'And at the Foreign Office?' asks the previous question again with one part of it replaced.

    The part is the one the ellipsis matches: the last phrase with a preposition for one that starts with a
    preposition ("in the fourth quarter" -> "in the same period a year earlier"), the phrase after the same
    possessive ("its Irish developer" -> "its American partner"), the first named thing for one that names
    something ("Labour" -> "the Conservatives"). Anything else ("And the opening date?") asks about a new
    aspect, and the previous question is no frame for it.
    """
    found = ELLIPSIS.match(question)
    if not found or not topic.question or QUESTION_WORD.search(found.group("rest")):
        return None
    target = found.group("rest").strip()
    frame = topic.question.split(" [", 1)[0].rstrip(" ?")
    first = target.split()[0].lower()
    if first in PREPOSITIONS:  # after the last comma: the last phrase with the same preposition, else the first
        tail = frame.rfind(",") + 1
        spots = [m.start() + tail for m in PREPOSITION.finditer(frame[tail:])]
        same = [at for at in spots if frame[at:].split()[0].lower() == first]
        return f"{frame[: (same or spots)[-1 if same else 0]]}{target}?" if spots else None
    if first in POSSESSIVE:
        owned = re.search(rf"\b{first}\s+[\w'’-]+(?:\s+(?!(?:{FUNCTION_WORD})\b)[\w'’-]+)?", frame, re.IGNORECASE)
        return f"{frame[: owned.start()]}{target}{frame[owned.end() :]}?" if owned else None
    names = named_things(frame)
    return frame.replace(names[0], target, 1) + "?" if names and named_things(target) else None


def replaced_words(question: str, previous: str) -> set[str]:
    """The previous question's names and words; those its frame no longer holds were swapped out, not carried.

    Unless a pronoun points back to them.

    "And the Conservatives?" replaces Labour; "And what about his shadow chancellor?" replaces William Hague in
    the frame, but "his" still means him.
    """
    if any(w.lower() in PERSONAL | POSSESSIVE for w in WORD.findall(question)):
        return set()
    return {n.casefold() for n in named_things(previous)} | {w.lower() for w in WORD.findall(previous)}


def resolve(question: str, topic: Topic | None) -> Resolution:
    """Read a question in its conversation: as asked when fresh, with the topic's names and terms when not."""
    asked = " ".join(question.split())
    if topic is None:
        return Resolution(asked, asked, None)
    dependent, reason = depends(asked, topic)
    if not dependent:
        return Resolution(asked, asked, None, reason=reason)
    base, gone = reframed(asked, topic)
    own = {n.casefold() for n in named_things(base)}
    carried = [n for n in topic.names if n.casefold() not in own | gone and n.casefold() not in base.casefold()]
    extra = [t for t in topic.terms if t not in base.lower() and t not in gone][:SHOWN_TERMS]
    shown = "; ".join(", ".join(group) for group in (carried[:SHOWN_NAMES], extra) if group)
    text = f"{base} [{shown}]" if shown else base
    terms = tuple(t for t in topic.terms if t not in text.lower() and t not in gone)
    pointing = references(asked)  # "that game": a thing the last answer described; "he" names a person, no more
    quotes = topic.quotes if pointing else ()
    referents = (*carried[:SHOWN_NAMES], *extra, *pointing) if pointing else ()
    return Resolution(asked, text, text, terms, topic.articles, reason, quotes, referents, gone)


def reframed(asked: str, topic: Topic) -> tuple[str, frozenset[str]]:
    """The follow-up as it is read, and what a frame swapped out of the previous question.

    What was swapped out ("Labour" for "And the Conservatives?") is neither carried nor inherited.
    """
    asks_own = own_question(asked)
    framed = None if asks_own else about_frame(asked, topic) or ellipsis_frame(asked, topic)
    base = asks_own or framed or strip_opener(asked)
    replaced = replaced_words(asked, topic.question) if framed else set()
    return base, frozenset(r for r in replaced if r not in base.casefold())


def references(question: str) -> list[str]:
    """The question's words that point back ("that game", "the firm"), without the pointing word."""
    found = signals(question)
    return [" ".join(phrase.split()[1:]) for phrase in (*found.strong, *found.weak) if " " in phrase]


@dataclass(frozen=True)
class Reply:
    """What a turn's answer gave the conversation: short answers, quotes, titles, articles and passage text."""

    answers: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()  # cited, or for an abstention the nearest material
    passages: tuple[str, ...] = ()


def reply_names(reply: Reply, known: Sequence[str]) -> list[str]:
    """Named things the answer added: name-like short answers, or with none lifted, new names in the first quote."""
    if reply.answers or not reply.quotes:
        return [known_as(n, known) for n in map(answer_name, reply.answers) if n]
    return [n for n in capital_runs(reply.quotes[0]) if not covered(n, known)][:QUOTE_NAMES]


def known_as(name: str, known: Sequence[str]) -> str:
    """A name under the fuller form the conversation already knows it by ("Svetlana" -> "Svetlana Kuznetsova")."""
    words = name_words(name)
    return next((k for k in known if words < name_words(k)), name)


def capital_runs(text: str) -> list[str]:
    """Runs of capitalised words, no numbers, a lone one not opening the sentence: "Alan Bennett", "Skype"."""
    runs = [m.group(0) for m in CAPITALS.finditer(text) if m.start() > 0 or " " in m.group(0)]
    return unique(" ".join(bare(w) for w in run.split()) for run in runs if run.lower() not in FUNCTION)


def covered(name: str, known: Sequence[str]) -> bool:
    """A name already known, or one word of one ("Santini" after "Jacques Santini")."""
    words = name_words(name)
    return any(words <= name_words(k) or words >= name_words(k) for k in known)


def name_words(name: str) -> frozenset[str]:
    """A name's words, case folded: what two spellings of one name share."""
    return frozenset(name.casefold().split())


def confirmed(pairs: Sequence[tuple[str, str]], reply: Reply) -> list[str]:
    """The question's key words that its answer's quotes or titles use too: the topic, not what was asked of it.

    "How much is that dam costing to build?" left "costing" behind though no article gave a cost; carried, it
    pulled the next question ("Which river is it being built on?") towards sentences about money.
    """
    said = " ".join([*reply.quotes, *reply.titles, *reply.passages]).lower()
    return [word for stem, word in pairs if stem in said]


def next_topic(resolution: Resolution, previous: Topic | None, reply: Reply) -> Topic:
    """The topic after a turn: what it named and was answered, plus what it inherited when it was a follow-up."""
    inherited = previous if resolution.carried and previous is not None else Topic("")
    own = named_things(resolution.question)
    added = reply_names(reply, [*own, *inherited.names])
    kept = [n for n in inherited.names if n.casefold() not in resolution.replaced]  # "And the Tories?": no Labour
    names = topical(unique([*added, *own, *kept]))
    terms = unique([*confirmed(key_pairs(resolution.question, own), reply),
                    *(t for t in inherited.terms if t not in resolution.replaced)])[:MAX_TERMS]
    cited = tuple(dict.fromkeys([*reply.articles, *inherited.articles]))[:MAX_ARTICLES]
    said = " \n".join([resolution.text, *reply.answers, *reply.titles, *reply.passages]).casefold()
    text = (said + " \n" + inherited.text)[:MAX_CONTEXT_CHARS]
    return Topic(resolution.text, tuple(names[:MAX_NAMES]), tuple(terms), cited, text, reply.quotes[:1])
