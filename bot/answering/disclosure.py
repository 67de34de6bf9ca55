"""Sentences in which an article says the asked-for fact is not known: not disclosed, not decided, unclear.

Such a sentence is an answer ("the fee was not disclosed"), not a gap in the corpus. It is found with a
small grammar rather than a list of sentences: a negation (not, never, declined to, yet to, no …) joined
to a disclosure verb (disclose, reveal, announce, confirm, decide, name …), plus predicates that say the
same thing on their own (undisclosed, unclear, kept secret, remains to be seen).

Verbs that are only about disclosure next to a disclosure noun ("given", "released", "set": a *fee*
was not released, a *date* has not been set, not a prisoner or a record) count only with one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bot.answering.lexicon import COUNT, DATE, DURATION, MONEY, NUMBER, PERSON, PLACE

NOT_DISCLOSED = "not_disclosed"
NOUN_WINDOW = 10  # words before a weak participle in which its disclosure noun must appear


def alt(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first so "made public" wins over "made"; spaces match any run."""
    return "(?:" + "|".join(w.replace(" ", r"\s+") for w in sorted(words, key=len, reverse=True)) + ")"


APOS = "['’]"
# What the unknown fact is: a noun that makes "given", "set" or "released" about disclosure.
NOUNS = alt("""figure figures detail details sum sums fee fees amount amounts price prices cost costs terms
    date dates timetable timeline timescale timeframe deadline name names identity identities reason reasons
    breakdown specifics value valuation salary salaries wage wages number numbers estimate estimates
    explanation information location outcome total totals budget size compensation payout pay cause causes
    motive circumstances whereabouts decision price-tag""".split())
ADV = alt("""yet still as~yet so~far immediately publicly officially formally fully previously ever widely
    initially currently largely entirely also readily precisely exactly""".split()).replace("~", r"\s+")
ADVS = rf"(?:{ADV}\s+)*"

# Participles that mean "made known" or "settled" whatever their subject is.
WH = r"(?:whether|how|when|what|who|whom|why|if|where|which)\b"
PART_STRONG = alt(["disclosed", "revealed", "divulged", "specified", "announced", "confirmed", "identified",
                   "finalised", "finalized", "settled", "agreed", "made public", "made known", "publicised",
                   "publicized", "determined(?!\\s+(?:to|enough)\\b)", "decided(?!\\s+until\\b)",
                   "known(?!\\s+(?:for|as|to)\\b)", "named(?!\\s+(?:in|as|on|to|among|after|for|captain)\\b)",
                   f"clear(?=\\s+{WH}|\\s*(?:[.,;:!?)]|$))"])
# Participles that are about disclosure only when a disclosure noun comes before them.
PART_WEAK = alt(["given", "released", "set", "published", "reported", "fixed", "scheduled", "stated",
                 "detailed", "provided", "available", "made available", "established"])
# What has not been made, taken or reached is about disclosure only when it is a decision.
PART_DECISION = alt(["made(?!\\s+(?:public|known|available|clear)\\b)", "taken", "reached"]) \
    + r"(?!\s+(?:\w+ly|until|in|at|by|with|without)\b)"
# Active forms: "has not revealed", "would not say", "without naming".
PAST_STRONG = alt(["disclosed", "revealed", "divulged", "specified", "announced", "confirmed", "said", "detailed",
                   "identified", "decided", "commented", "explained", "stated", "elaborated", "made public",
                   "made known", "made clear", "named(?!\\s+(?:in|as|on|to|among|after|for|captain)\\b)"])
PAST_WEAK = alt(["given", "provided", "offered", "released", "published", "set", "put"])
BASE_STRONG = alt(["say", "disclose", "reveal", "divulge", "specify", "announce", "confirm", "comment",
                   "name", "identify", "discuss", "elaborate", "explain", "detail", "decide", "be drawn",
                   "make public", "make known", "make clear"])
BASE_WEAK = alt(["give", "provide", "offer", "release", "publish", "set", "put"])
ING_STRONG = alt(["disclosing", "revealing", "divulging", "specifying", "naming", "saying", "confirming",
                  "elaborating", "detailing", "explaining", "commenting"])
ING_WEAK = alt(["giving", "providing", "offering", "putting", "releasing"])
# Predicates that say "not known" by themselves.
UNKNOWN = alt(["unclear", "unknown", "undecided", "uncertain", "undetermined", "unresolved", "undisclosed",
               "unspecified", "unconfirmed", "unannounced", "unrevealed", "a mystery", "a secret", "secret",
               "confidential", "under wraps", "up in the air", f"anyone{APOS}s guess", f"anybody{APOS}s guess",
               "shrouded in secrecy", "shrouded in mystery", "murky"])

# A word that can sit between a verb and its object noun ("give *a* figure", "set *a firm* date").
FILLER = r"(?!(?:up|in|out|away|back|off|way|birth|rise|chase)\b)[\w'’-]+"
OBJECT = rf"(?:\s+{FILLER}){{0,3}}?\s+{NOUNS}\b"
# A word of the noun phrase after "no" ("no *final* decision"), never the start of a clause.
HEAD = r"(?!(?:the|a|an|that|which|who|what|when|where|why|how|whether|if|because|but|and|or|he|she|it|they" \
       r"|we|i|you|his|her|its|their|to)\b)[\w'’-]+"
PRONOUN_S = rf"\b(?:it|that|this|what|who|there|where|how|which){APOS}s"

BE_NOT = (rf"(?:(?:\b(?:is|are|was|were)|{PRONOUN_S}|\b\w+{APOS}re)\s+{ADVS}(?:not|never)"
          rf"|\b(?:is|are|was|were)n{APOS}t)")
HAVE_NOT = rf"(?:\b(?:has|have|had)\s+{ADVS}(?:not|never)|\b(?:has|have|had)n{APOS}t)"
MODAL_NOT = (rf"(?:\b(?:will|would|could|can|may|might|should|must|do|does|did)\s+{ADVS}(?:not|never)"
             rf"|\b(?:wo|would|could|ca|should|must|do|does|did)n{APOS}t|\bcannot)")
PASSIVE_NOT = rf"(?:{BE_NOT}|{HAVE_NOT}\s+{ADVS}been|{MODAL_NOT}\s+{ADVS}be)\s+{ADVS}"
REFUSE = (r"\b(?:declin(?:ed|es|e|ing)|refus(?:ed|es|e|ing)|fail(?:ed|s|ing)?|unwilling|unable"
          r"|not\s+(?:prepared|willing|able)|too\s+(?:early|soon))\s+to\s+")
YET = r"(?:\b(?:has|have|had|is|are|was|were|remains?|remained)\s+)?\b(?:yet|still)\s+to\s+"
COPULA = (rf"(?:\b(?:is|are|was|were|be|been|seems?|seemed|appears?|appeared|became|becomes?|remains?|remained"
          rf"|stays?|stayed)|{PRONOUN_S})")

# Each rule matches the whole phrase that says the fact is not known; groups "weak" and "decision" need a noun.
RULES = [re.compile(p, re.IGNORECASE) for p in (
    rf"{PASSIVE_NOT}{PART_STRONG}",
    rf"{PASSIVE_NOT}(?P<weak>{PART_WEAK})\b",
    rf"{PASSIVE_NOT}(?P<decision>{PART_DECISION})\b",
    rf"{PASSIVE_NOT}(?:given|told|offered|provided\s+with){OBJECT}\b",
    rf"{HAVE_NOT}\s+{ADVS}(?:{PAST_STRONG}|{PAST_WEAK}{OBJECT})\b",
    rf"\bnever\s+{ADVS}(?:{PAST_STRONG}|{PAST_WEAK}{OBJECT})\b",
    rf"{MODAL_NOT}\s+{ADVS}(?:{BASE_STRONG}|{BASE_WEAK}{OBJECT})\b",
    rf"(?:{REFUSE}|{YET}){ADVS}(?:{BASE_STRONG}|{BASE_WEAK}{OBJECT})\b",
    rf"{YET}be\s+{ADVS}{PART_STRONG}",
    rf"{YET}be\s+{ADVS}(?P<weak>{PART_WEAK})\b",
    rf"\b(?:remains?|remained)\s+to\s+be\s+(?:seen|{PART_STRONG})",
    rf"(?:\bwithout|{BE_NOT})\s+(?:{ING_STRONG}|{ING_WEAK}{OBJECT})\b",
    rf"\bdeclined\s+(?:to\s+)?comment\b|\b(?:did\s+not|didn{APOS}t)\s+{ADVS}respond\s+to\s+(?:an?\s+|our\s+)?"
    rf"requests?\s+for\s+comment\b",
    rf"{COPULA}\s+{ADVS}{UNKNOWN}\b",
    r"\b(?:undisclosed|unspecified|unrevealed)\s+(?!(?:by|to|in|at|for|until|and|or|but|as|so|with|because)\b)"
    r"[a-z][\w'’-]*",
    r"\b(?:unknown|unnamed)\s+(?:sum|amount|fee|figure|price|number|buyer|bidder|investor|purchaser|party)\b",
    rf"\b(?:undecided|unconfirmed|unannounced|unknown|undetermined)\s+{NOUNS}\b",
    rf"\b(?:kept|keeps?|keeping)(?:\s+{FILLER}){{0,4}}?\s+(?:secret|private|confidential|under\s+wraps)\b",
    r"\b(?:closely|tightly|jealously)[\s-]guarded\s+secret\b",
    rf"\b(?:no|nobody|no-one|nothing|none)(?:\s+{HEAD}){{0,2}}(?:\s+(?:of|for|on|about|over|from|in|regarding)"
    rf"(?:\s+[\w'’-]+){{1,3}}?)?\s+(?:has|have|had|was|were|is|are|will|would)\s+{ADVS}(?:been\s+|be\s+)?"
    rf"{ADVS}(?:{PART_STRONG}|(?P<weak>{PART_WEAK})\b|(?P<decision>{PART_DECISION})\b)",
    rf"\bneither(?:\s+{HEAD}){{0,2}}\s+(?:{PAST_STRONG}|{PAST_WEAK}{OBJECT}|(?:would|could|will)\s+{ADVS}"
    rf"{BASE_STRONG})\b",
    r"\b(?:nobody|no\s+one|no-one)\s+(?:yet\s+|really\s+)?kn(?:ows|ew)\b",
    r"\b(?:is|was|were|are|has\s+been|have\s+been|had\s+been)\s+(?:as\s+yet\s+|still\s+|yet\s+)?no\s+"
    r"(?:[a-z]+\s+)?(?:announcement|confirmation|word|comment|decision|disclosure|details?|figures?|timetable"
    r"|timeline|timescale|explanation|breakdown)\b",
    r"\b(?:gave|give|gives|giving|offered|offers?|provided|provides?|released|made|makes?|issued)\s+no\s+"
    r"(?:[a-z]+\s+)?(?:details?|figures?|reasons?|explanation|comment|timetable|timeline|timescale|date"
    r"|breakdown|indication|estimate|names?|information|mention|price|sum|amount|specifics)\b",
)]
WITHOUT_SAYING = re.compile(r"\bgo(?:es|ing)?\s+without\s+saying|\bwent\s+without\s+saying", re.IGNORECASE)
# The noun each named group needs among the words before it.
NEEDS = {"weak": re.compile(rf"\b{NOUNS}\b", re.IGNORECASE), "decision": re.compile(r"\bdecision\b", re.IGNORECASE)}


def candidates(sentence: str) -> Iterator[tuple[int, int]]:
    """Every span a rule finds, weak participles kept only with their noun before them."""
    for rule in RULES:
        for match in rule.finditer(sentence):
            groups = [name for name, text in match.groupdict().items() if text is not None]
            if all(noun_before(sentence, match.start(name), NEEDS[name]) for name in groups):
                yield match.span()


def noun_before(sentence: str, position: int, noun: re.Pattern[str], window: int = NOUN_WINDOW) -> bool:
    """True when the noun (fee, date, terms…) is among the few words before position."""
    return bool(noun.search(" ".join(sentence[:position].split()[-window:])))


def idiom(sentence: str, span: tuple[int, int]) -> bool:
    """True inside "it goes without saying", which says nothing is unknown."""
    return any(m.start() <= span[0] < m.end() for m in WITHOUT_SAYING.finditer(sentence))


def undisclosed_span(sentence: str) -> tuple[int, int] | None:
    """The shortest phrase saying the fact is not disclosed or not yet known, so it can be quoted as the answer."""
    spans = [span for span in candidates(sentence) if not idiom(sentence, span)]
    return min(spans, key=lambda s: (s[1] - s[0], s[0])) if spans else None


def names(sentence: str, span: tuple[int, int], noun: str) -> bool:
    """True when the phrase or the words beside it name the noun: this very thing is not known, not another.

    "an *undecided fee*", "the *fee* was not disclosed" name the fee; a sentence's other details stay unnamed.
    """
    named = re.compile(rf"(?<!\S){re.escape(noun)}s?\W*(?!\S)", re.IGNORECASE)  # a whole word, punctuation after
    return noun_before(sentence, span[0], named, NOUN_WINDOW // 2) or bool(named.search(sentence[span[0] : span[1]])) \
        or bool(named.search(words_after(sentence, span)))


def words_after(sentence: str, span: tuple[int, int], count: int = 2) -> str:
    """The few words right after the phrase, where what is unknown may follow it ("did not say *how much*")."""
    return " ".join(sentence[span[1] :].split()[:count])


# The wh-words of an indirect question asking for each kind of thing: "*How much* Quester paid … was not revealed",
# "has not said *how many* workers it will employ" leave unknown the very amount or count a question asks for.
KIND_ASKED_BY = {MONEY: "how much", NUMBER: "how much|how many", COUNT: "how many", DATE: "when", DURATION: "how long",
                 PERSON: "who|whom", PLACE: "where"}


def asks_kind(sentence: str, span: tuple[int, int], kind: str) -> bool:
    """True when the phrase's own clause, or the two words after it, ask indirectly for this kind of thing."""
    wh = KIND_ASKED_BY.get(kind)
    if wh is None:
        return False
    clause = re.split(r"[,;:]", sentence[: span[0]])[-1] + " " + words_after(sentence, span)
    return re.search(rf"\b(?:{wh})\b", clause, re.IGNORECASE) is not None


def note_text(published: str | None) -> str:
    """The note's sentence: not knowing is the answer, and it may have changed since the article's date."""
    return "The articles report this as not disclosed or not yet known" + (f" as of {published}" if published else "") \
        + "."


# "Did Huawei say which chips …?", "Has the club revealed the fee?", "Is it clear what …?": whether something was
# made known is the question.
ASKS_DISCLOSURE = re.compile(
    r"^(?:did|has|have|had|was|were|is|are|does|do)\b.*\b(?:say|said|reveal(?:ed)?|disclos(?:e|ed)"
    r"|confirm(?:ed)?|detail(?:ed)?|announc(?:e|ed)|specif(?:y|ied)|made public|identif(?:y|ied))\b"
    r"|^(?:is|was|are|were) it (?:\w+ly |now |yet |still |already )?(?:clear|known|certain)\b",  # "Is it clear what …?"
    re.IGNORECASE)


def asks_disclosure(question: str) -> bool:
    """True when a yes/no question asks whether a fact was made known: "has not detailed" answers it outright."""
    return ASKS_DISCLOSURE.search(question) is not None
