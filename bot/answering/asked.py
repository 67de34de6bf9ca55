"""What kind of thing a question asks for, read from its wh-phrase and, for "which X" / "what X", the head noun X.

A name for who/which, an amount for how much, a date for when, a count for how many, a place for where
(`expected_type`); and what else the question constrains an answer by, read once per question (`asked_of`):
its years, its rate, whether it asks about a plan, a move or an outcome. bot.answering.answer_types finds the
instances in sentences.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.answering.lexicon import (
    ABSENT,
    ACRONYM,
    AGE,
    AUXILIARIES,
    BODIES,
    COUNT,
    DATE,
    DURATION,
    GROUNDS,
    HUMANS,
    INTENT,
    IRREALIS,
    LABEL_NOUNS,
    LINKING_WORDS,
    MAY,
    MEASURE,
    MONEY,
    NAME,
    NUMBER,
    OTHER,
    PERCENT,
    PERSON,
    PERSON_NOUNS,
    PHYSICAL,
    PLACE,
    PREPOSITIONS,
    RANK,
    RATE_FIGURE,
    RATE_UNITS,
    SCORE,
    STOP_CAPS,
    STORED,
    YEAR,
    capitalised_words,
    folded,
    words_of,
)

PLACE_NOUNS = frozenset(
    "town city country nation village venue stadium ground island region county state province capital place "
    "constituency seat area location street hotel theatre site countries cities towns river lake sea coast "
    "mountain valley district suburb port airport airbase border plant factory".split()) | GROUNDS
NAME_NOUNS = LABEL_NOUNS | frozenset(
    "company firm group club band magazine newspaper paper website site film movie album song single book "
    "show programme series team side squad outfit brand label channel network bank party organisation agency "
    "airline carrier surname "
    "name chip accelerator gpu processor device handheld phone computer software system partner "
    "car model game console chain retailer studio broadcaster network station ship title award prize "
    "competition tournament event charity hit character university college school unit division gallery "
    "museum publisher orchestra festival blog weblog nightclub restaurant pub reissue track handset "
    "journal operator house agreement treaty painting novel play opera musical".split()) | frozenset(BODIES)
# Things known by a model name ("Ascend 910C", "H800"): only a question about one is about two articles' names for it.
PRODUCT_NOUNS = frozenset(
    "chip accelerator gpu processor device handheld phone computer handset console car model version variant edition "
    "system".split())
SCORE_NOUNS = frozenset("score scoreline result".split())
COMPARED = re.compile(r"\bhow far (?:above|below|ahead|behind|higher|lower|up|down|short)\b")
MEASURE_NOUNS = frozenset("height distance depth width speed weight capacity jump throw leap".split())
PHYSICAL_NOUNS = MEASURE_NOUNS - {"capacity"}  # "a capacity of 50,000" may be a bare number
# "How much a week", "how much per share": a rate, not the thing asked for; the amount is still money.
RATE_WORDS = frozenset("a an per each every".split())
# "What time did she run?", "her winning time": a race's length; "at what time" asks the hour, which no rule reads,
# and "what type of time" (SQuAD's "linear time") is no length either
DURATION_NOUNS = frozenset("ban suspension sentence term spell stint contract period time".split())
RACE_TIME = re.compile(r"(?<!\bat )\bwhat\s+time\s+(?:did|does|has|had|must|will|would)\b.*\b(?:run|ran|clock|clocked"
                       r"|finish|finished|record|set|beat|swim|swam|ride|rode|win|won)\b"
                       r"|\b(?:winning|finishing|record|best|fastest)\s+time\b", re.IGNORECASE)
# "How fast did she run the 1,000m?": a race over a set distance is answered by its time, not by a speed
RACE_PACE = re.compile(r"\bhow (?:fast|quickly) (?:did|does|do|has|had|can|could|will|would)\b[^?]*"
                       r"\b(?:run|ran|swim|swam|cover|covered|complete|completed|clock|clocked)\b[^?]*"
                       r"\b\d[\d,]*\s?(?:m|km|metres|meters|miles?)\b")
CHANGE_VERB = re.compile(r"\b(?:rise|rose|risen|fall|fell|fallen|increase|grow|grew|grown|drop|decline|jump|climb"
                         r"|slump|shrink|shrank|gain|slip|slide|slid|soar|plunge|tumble)(?:s|ed|ing)?\b"
                         r"|\b(?:go|goes|going|gone|went)\s+(?:up|down)\b")  # "how much did sales go up": a change
MONEY_NOUNS = frozenset(
    "price cost fee fees sum amount salary wage wages fine bill budget value worth pay payment severance "
    "compensation damages bid offer deal profit profits loss losses revenue revenues sales income turnover "
    "allowance allowances grant grants subsidy fare fares "
    "tag spend spending funding investment award money cash funds assets debt debts earnings dividend dividends "
    "bonus bonuses takings proceeds valuation fortune ransom loan loans".split())


@dataclass(frozen=True)
class Expected:
    """The kind of answer a question wants, and the noun that names it ("which *magazine*")."""

    kind: str
    noun: str | None = None

    @property
    def typed(self) -> bool:
        """True when a sentence must hold an instance of the kind to answer."""
        return self.kind != OTHER


def asks_reason(question: str) -> bool:
    """A why-question ("Why did …?", "What reason did … give?"): its answer is a cause, said in words."""
    return REASON_QUESTION.search(question) is not None


def yes_no(question: str) -> bool:
    """A question answered yes or no ("Did Huawei say …?"); "Is it A or B?" asks for one of two and is not."""
    return YES_NO.match(question) is not None and " or " not in question


CARRIED = re.compile(r"\s*\[[^\]]*\]\s*$")  # a resolved follow-up's topic (bot.answering.followup)


# "When Google's toolbar finds a licence plate, which company does it link to?": the question is after the comma.
WH = "what|which|who|whom|whose|how|when|where|why"  # the question words, one alternation
# Who says so is no part of what is asked: "What did the model cost, according to the coverage?" asks for a sum.
ATTRIBUTION = re.compile(r",?\s+according to\b[^?,]*(?=\??\s*$)", re.IGNORECASE)
LEADING_CLAUSE = re.compile(rf"^(?:when|if|after|before|while|once|as soon as)\b[^,?]*,\s*(?=(?:{WH})\b)",
                            re.IGNORECASE)


# A share or a number of a group is a figure even when a negation defines the group.
SHARE_ASKED = re.compile(r"\b(?:what|which)\s+(?:percentage|percent|proportion|share|fraction|number|amount)\b")


def negated(q: str) -> bool:
    """True when the wh-clause itself is negated (lower-cased question), not a clause it reports or governs.

    "Which chips does it not use?" asks for an absence; "Which landowner was told that chasing deer was not
    hunting?" and "Who urged Brown not to spend the cash?" ask who was told or who urged.
    """
    if not NEGATED.search(q):
        return False
    start = re.match(r"(?:what|which|who|whom)\b", q).end()  # type: ignore[union-attr]
    end = CLAUSE_END.search(q, start)
    main = q[: end.start()] if end else q
    return NEGATION.search(main) is not None and re.search(r"\b(?:not|never)\s+to\b", main) is None


def expected_type(question: str) -> Expected:
    """The answer kind, read from the wh-phrase and its head noun."""
    cased = " ".join(CARRIED.sub("", question).replace("’", "'").split())  # a follow-up's "[names; terms]" aside
    cased = CONTRACTED.sub(lambda m: f"{m.group(1)} is", cased)  # "What's the fee?" asks "what is the fee?"
    cased = LEADING_CLAUSE.sub("", cased, count=1)
    cased = ATTRIBUTION.sub("", cased, count=1)  # "…, according to the report?" asks what the report says
    q = cased.lower()  # the same length, so a match in q is the same span of cased
    if yes_no(q):  # "Did Huawei say which chips …?" is answered by a statement
        return Expected(OTHER)
    if negated(q) and NEGATION.search(question) and not SHARE_ASKED.search(q):
        # "Which chips does it not use?" asks for an absence; "What proportion of owners have never …" a figure
        # no quote can show; a capitalised "Never" is a title's ("Grief Never Grows Old")
        return Expected(ABSENT)
    q = IMPERATIVE.sub("which ", q, count=1)  # "Name one of the wine brands …" asks "which wine brands …"
    if RACE_PACE.search(q):
        return Expected(DURATION, "time")
    if FRAGMENT.match(q) and not WH_WORD.search(q):  # "The opening date?", "Its cost?": what is the date, the cost
        q, cased = f"what is {q}", f"what is {cased}"
    for pattern, kind in WH_RULES:
        found = re.search(pattern, q)
        if found:
            at = found.span("noun") if found.groupdict().get("noun") else None
            named = NAMED_PHRASE.match(found.group(0)) is not None  # "what was the winner's ranking": the ranking
            noun = head_noun(found.groupdict().get("noun"), cased[at[0] : at[1]] if at else None, not named)
            return Expected(figure_kind(refine(kind, noun, q), noun, cased), noun)
    return Expected(OTHER)


# "Which Labour figure", "a former IMF figure", "a leading opposition figure": a person known in a field.
PUBLIC_FIGURE = re.compile(r"\b(?:(?!What\b|Which\b)[A-Z][\w.&-]*"
                           r"|former|senior|leading|key|public|political|prominent|opposition)\s+figures?\b")


def asks_for_product(expected: Expected) -> bool:
    """True when the question asks which product or model ("What chips …", "Which version of the chip …")."""
    return expected.kind == NAME and expected.noun is not None and singular(expected.noun) in PRODUCT_NOUNS


def figure_kind(kind: str, noun: str | None, cased: str) -> str:
    """A figure is a person only when a field that knows them is named; "what (sales) figure" asks for a number."""
    if noun and singular(noun) == "figure" and kind == PERSON and PUBLIC_FIGURE.search(cased) is None:
        return NUMBER
    return kind


NAMED_PHRASE = re.compile(r"\b(?:which|what) (?:is|was|were|are) the\b")
CONTRACTED = re.compile(r"\b(what|who|where|which|when|how)'s\b", re.IGNORECASE)
PER_UNIT = re.compile(r"\b(?:per|each) (?:share|head|barrel|tonne|ticket|copy|unit)\b")
FRAGMENT = re.compile(r"^(?:the|its|his|her|their)\s+(?:[\w'-]+\s+){0,2}[\w'-]+\s*\??$")  # a bare noun phrase
WH_WORD = re.compile(rf"\b(?:{WH})\b")
DETERMINERS = frozenset("the a an its his her their this that these those".split())  # a new noun phrase starts
CLAUSE_OPENERS = frozenset("when where while if because unless until whereas who whom whose".split())  # "the vote
# figures when MPs approved …": a clause, not the noun
# "what income tax rate", "what stake", "what discount": a percentage or a figure such as 8.28
RATE_NOUNS = frozenset("rate rates stake target chunk discount".split())
DATE_NOUNS = frozenset("year date month day decade century".split())
# "What was the attendance / crowd?" asks how many people came; "what (chart) position / ranking" for a place in an
# order, though a bare "what position does he play" asks for a role on the pitch (RANKED_IN says which)
COUNT_NOUNS = frozenset("attendance crowd".split())
RANK_NOUNS = frozenset("ranking placing seeding position".split())
RANKED_IN = re.compile(r"\b(?:chart|table|league|standings|rankings?|finish\w*|race|grid|poll)\b", re.IGNORECASE)
# Nouns asked about in words, not a name or a figure: "What injury forced Federer's opponent to retire?" asks about
# an injury (the reader's span), not the opponent whose possessive follows
UNTYPED_NOUNS = frozenset("injury illness disease condition ailment".split())
KNOWN_NOUNS = (PERSON_NOUNS | PLACE_NOUNS | NAME_NOUNS | MONEY_NOUNS | DURATION_NOUNS | SCORE_NOUNS | MEASURE_NOUNS
               | RATE_NOUNS | DATE_NOUNS | COUNT_NOUNS | RANK_NOUNS | UNTYPED_NOUNS)


# "the name of the X", "which version of the chip", "which of the carmaker's plants", "which of his companies": an X,
# a chip, a plant, a company
NAMING = re.compile(r"^\s*(?:(?:names?|versions?|models?|editions?) of (?:(?:the|a|an|his|her|its|their)\s+)?"
                    r"(?:(?:both|two|three|four|five|\d+)\s+)?"
                    r"|of (?:the|his|her|its|their)\s+(?:[\w-]+['’]s\s+)?)")


def head_noun(phrase: str | None, cased: str | None = None, owner_asked: bool = True) -> str | None:
    """The noun a "which …" phrase asks about: the last word before its verb, or the first known noun in it.

    cased: the phrase as written, so that a capitalised "May" (May Department Stores) is a name, not a verb, and
    "Premier" in "Premier League rule" is part of a name, not the noun asked about. owner_asked: whether a
    possessive's owner may be what is asked ("which French club's offer"), not after "what was the" ("what was
    the winner's world ranking" asks for the ranking).
    """
    if not phrase:
        return None
    naming = NAMING.match(phrase)
    if naming:  # "the name of the Munich nightclub": a nightclub; "the name of the 18-year-old woman": a woman
        inner = head_noun(phrase[naming.end() :], cased[naming.end() :] if cased else None, owner_asked)
        return inner if inner is not None and singular(inner) in KNOWN_NOUNS else phrase.split()[0]
    raw = (cased or phrase).split()
    words = [re.sub(r"['’]s$", "", w) for w in phrase.split()]  # "which company's technology": a company
    capital = [w[:1].isupper() and not w.replace("s", "").isupper() for w in raw]  # "DJ" may be the noun asked about
    if words[0] in AUXILIARIES and not capital[0]:  # "what did Jan van Riebeeck's father do": no noun is asked for
        return None
    owner = next((i for i, w in enumerate(raw[:-1]) if re.search(r"['’]s$", w)), None)
    if owner is not None and opens_phrase(words, owner):  # not "the cost of DeepSeek's model"
        if not capital[owner] and owner_asked:
            return words[owner]  # "which French club's offer": the club whose offer it was
        words, capital = words[owner + 1 :], capital[owner + 1 :]  # "what was England's half-time lead": the lead
    verbs = [(w in AUXILIARIES or present_verb(words, i)) and not capital[i] for i, w in enumerate(words)]
    if not words or verbs[0]:
        return None

    def known(upto: int) -> str | None:
        """The last known noun among the first `upto` words that is not part of a name."""
        return next((words[i] for i in reversed(range(upto)) if singular(words[i]) in KNOWN_NOUNS and not capital[i]),
                    None)

    def ends(i: int) -> bool:
        """The phrase ends before words[i], unless words[i] is inside a name ("Carry On", "Bank of China")."""
        inside = capital[i] or (words[i] in LINKING_WORDS and capital[i - 1] and i + 1 < len(words) and capital[i + 1])
        return phrase_ends(words, i) and not inside

    verb = next((i for i in range(len(words)) if verbs[i]), None)
    if verb:  # the noun ends where a prepositional phrase or another noun phrase starts
        end = next((i for i in range(1, verb) if ends(i)), verb)
        return known(end) or words[end - 1]  # "which firm said it had"
    end = next((i for i in range(1, len(words)) if ends(i)), len(words))
    # "the reported cost of DeepSeek's model", "… pre-tax profits for 2004", "which book took the top award"
    return known(min(end, 5)) or words[0]


def present_verb(words: list[str], i: int) -> bool:
    """True when words[i] is a verb in "-s" after the noun asked about: "which Brazilian city hosts the forum".

    A noun phrase does not run straight into a determiner, so "hosts" before "the" is the verb, not the noun.
    """
    return 0 < i < len(words) - 1 and words[i].endswith("s") and words[i + 1] in DETERMINERS \
        and singular(words[i - 1]) in KNOWN_NOUNS


def opens_phrase(words: list[str], owner: int) -> bool:
    """True when the possessive at `owner` is in the which-phrase's own noun phrase.

    No verb, preposition or determiner comes before it, and no known noun followed by another word: in "which
    magazine put Apple's Powerbook …" the magazine is asked for and "put" is its verb.
    """
    noun_then_word = any(singular(words[i]) in KNOWN_NOUNS and singular(words[i + 1]) not in KNOWN_NOUNS
                         for i in range(owner - 1))
    return not noun_then_word and not any(words[i] in AUXILIARIES or phrase_ends(words, i) for i in range(1, owner + 1))


# Nouns that measure or sort what follows "of": "what length of ban", "which kind of chips".
PARTITIVES = frozenset("length number amount kind type sort form level size".split())


def phrase_ends(words: list[str], i: int) -> bool:
    """True when the noun phrase of a which-phrase ends before words[i].

    It ends at a preposition, at another determiner, or at "of" after a noun that is not a partitive ("the
    producers of The Aviator", not "what length of ban").
    """
    word = words[i]
    return word in PREPOSITIONS or word in DETERMINERS or word in CLAUSE_OPENERS \
        or (word == "of" and words[i - 1] not in PARTITIVES)


def singular(noun: str) -> str:
    """A plural head noun's singular ("presenters" -> "presenter", "companies" -> "company"), else the noun."""
    known = PERSON_NOUNS | PLACE_NOUNS | NAME_NOUNS | MONEY_NOUNS | DURATION_NOUNS
    for plural, single in (("ies", "y"), ("es", ""), ("s", "")):
        if noun.endswith(plural) and noun not in known and noun[: -len(plural)] + single in known:
            return noun[: -len(plural)] + single
    return noun
# "what pay rise", "what price increase": a change to an amount, given as a sum or a percentage
CHANGE_NOUN = re.compile(r"\b(?:rise|rises|increase|increases|hike|hikes|cut|cuts|fall|drop|reduction)\b")
HOW_MUCH_TIME = re.compile(r"\bhow much (?:[a-z-]+ )?time\b", re.IGNORECASE)


def refine(kind: str, noun: str | None, question: str) -> str:
    """Settle a "which X" / "what X" / "how much X" kind from its head noun."""
    changed = kind in ("how_much", PHYSICAL) and CHANGE_VERB.search(question) is not None
    if changed or (kind == PHYSICAL and COMPARED.search(question)):
        return NUMBER  # "how much did X rise", "how far did shares fall", "how far above the offer price were they":
        # a change or a difference, a percentage as often as a sum
    if kind == "how_much" and HOW_MUCH_TIME.search(question):
        return DURATION  # "how much recovery time", "how much time off": a length of time, not a sum
    if kind == "how_much" and noun == "of":
        return NUMBER  # "how much of the oil production / of that sum / of the bonds' value": a part of something,
        # given as a sum, a share ("16%") or an amount in its own units
    if kind == "how_much":
        noun = None if noun in RATE_WORDS else noun  # "how much a week": the amount is still money
        if noun in STORED:
            return MEASURE  # "how much data will a disc hold": so many gigabytes
        return MONEY if noun is None or noun in MONEY_NOUNS else NUMBER
    if kind != "which":
        return kind
    noun = singular(noun) if noun else noun
    if noun in PERSON_NOUNS:
        return PERSON
    if noun in PLACE_NOUNS:
        return PLACE
    if noun in MONEY_NOUNS:
        return NUMBER if re.search(rf"\b{re.escape(noun)}s?\s+{CHANGE_NOUN.pattern}", question) else MONEY
    if noun in DATE_NOUNS:
        return DATE
    if noun in DURATION_NOUNS:
        return OTHER if noun == "time" and not RACE_TIME.search(question) else DURATION
    if noun in RATE_NOUNS:
        return NUMBER
    if noun in SCORE_NOUNS:
        return SCORE
    if noun in MEASURE_NOUNS:  # "What height did she clear?"
        return PHYSICAL if noun in PHYSICAL_NOUNS else MEASURE
    if noun in NAME_NOUNS:
        return NAME
    if noun in COUNT_NOUNS:
        return COUNT
    if noun in RANK_NOUNS and (noun != "position" or RANKED_IN.search(question)):
        return RANK
    return NUMBER if PER_UNIT.search(question) else OTHER  # "What does that work out at per share?": an amount


PHRASE_WORD = r"(?:[\w'-]|(?<=\d),(?=\d))+"  # a word of a which-phrase; "10,000m" is one
# "which cruise ship", "what is the name of …"
WHICH_PHRASE = rf"\b(?:which|what)(?: (?:is|was|were|are)(?: the)?)?(?P<noun>(?: {PHRASE_WORD}){{1,8}})"
WH_RULES: tuple[tuple[str, str], ...] = (
    (r"\bwhat (?:percentage|percent|proportion|share|fraction|cut)\b", PERCENT),
    # "What level are Brazilian interest rates at?", "At what level is the base rate set?": a rate is a percentage
    (r"\b(?:what|which) level\b(?=[^?]*\b(?:interest|base|inflation|unemployment|jobless|mortgage|growth) rates?\b)",
     PERCENT),
    (r"\b(?:at )?what age\b|\bhow old\b", AGE),
    (r"\bhow (?:long|many (?:years|months|weeks|days|hours|minutes|seasons))\b|\bfor how long\b", DURATION),
    (r"\bby how much\b", NUMBER),
    (r"\bhow much\b(?: (?P<noun>[a-z]+))?", "how_much"),
    (r"\bhow many\b(?: (?P<noun>[a-z]+))?", COUNT),
    (r"\b(?:what|which) number (?!of\b)[a-z]", RANK),  # "which number star is his?", "what number did he wear?":
    # a place in a sequence ("the 2,277th", "number 23"), not a count ("what number of people")
    (r"\bhow (?:cheap|expensive|costly)\b", MONEY),  # "How cheap are the set-top boxes?"
    # "What will it cost to rent a current release?", "What did it actually cost DeepSeek …?": a sum, whatever follows
    (r"^what (?:did|does|do|will|would) (?:it|that|this|they|one|the \w+) (?:\w+ly )?cost\b", MONEY),
    (r"\bhow far into\b", DURATION),  # "How far into the match did they first attack?": a time into it
    (r"\bhow (?:tall|far|fast|heavy|wide|deep)\b", PHYSICAL),  # a size in metres, mph, kg …, never a bare number
    (r"\bhow (?:big|large|high|small|long)\b", MEASURE),  # "how big a loss" may be money, "how high" a percentage
    (r"^when\b|\b(?:until|since|by) when\b|\bwhen (?:did|does|do|was|were|is|will|has|had)\b"
     r"|\b(?:what|which|in what|in which|on what|on which) (?:year|date|month|day|decade)s?\b", DATE),
    # "Where does Murray stand on the ATP entry list?", "Where in the table were Newcastle?": a place in an order
    (r"\bwhere\b[^?]*\b(?:table|list|rankings?|standings|chart|pecking order|box office)\b", RANK),
    (r"^where\b|\bwhere (?:did|does|do|was|were|is|will|has|had|are)\b|\bfrom where\b", PLACE),
    (r"^(?:\w+ )?(?:who|whom|whose)\b", PERSON),
    # "What did Primer cost to make?", "What was it rumoured to have cost to make?", "What is the dam costing?"
    (r"^what (?:did|does|do|will|would|is|was|were|are|has|had) .+ cost(?:ing)?(?: (?:to|for) \w+)?\W*$", MONEY),
    (r"^what (?:does|do|did) .+ (?:think|say|expect|estimate)s? .+ (?:will|would) cost\b", MONEY),  # "… think it will
    # cost the country?"
    # "What will visitors pay for an hour of it?", "What did the guitar fetch?": a sum, whatever follows the verb
    (r"^what (?:did|does|do|will|would|could|has|have|had) .+ (?:pay|earn|fetch|spend|spent|paid|earned|go for"
     r"|sell for)\b"
     r"(?! tribute)", MONEY),  # "What did the poem go for?"
    # "Which German did Andy Roddick beat?", "Which Briton won?": a nationality standing alone names a person
    (r"^which (?:[a-z]+(?:an|ese|ish)|briton|scot|dane|swede|pole|finn|dutchman|frenchman|englishman|welshman"
     r"|irishman|scotsman) (?:did|does|was|is|has|had|will|won|beat|lost|scored|finished)\b", PERSON),
    (WHICH_PHRASE, "which"),
)
OUTCOME = re.compile(r"\b(?:finally|eventually|ultimately|in the end|at last|end(?:ed)? up|completed"
                     r"|(?:final|winning|eventual|closing)\s+(?:[a-z]+\s+)?(?:sentence|verdict|price|score|result"
                     r"|figure|cost|amount|total|bill|bid|tally|decision|ruling|fee|settlement|offer|sum))\b")
ASKS_DAY = re.compile(r"\b(?:what|which)\s+(?:dates?|days?)\b", re.IGNORECASE)
WON = r"won(?!['’]t)"  # "won't" is no win
PAST_QUESTION = re.compile(rf"\b(?:did|was|were|had|{WON}|elected)\b")
# An outcome question ("Who won …?", "Who was elected …?") is answered only by a sentence that reports an outcome
# of that kind: a preview ("Bez … competes in Sunday's final") or a remark by the candidate shares the question's
# words but not its result. (question's predicate, what a sentence reporting that outcome says)
OUTCOMES = (
    # "win" is the verb only after its subject or an auxiliary: "in the 2-0 win", "their FA Cup win" report a match
    (re.compile(rf"\b(?:{WON}|winners?)\b|\b(?:who|which|what|to|will|would|did|does|do|could|can|might|must|should)"
                r"(?:\s+[\w'-]+){0,3}?\s+wins?\b", re.IGNORECASE),
     re.compile(rf"\b(?:{WON}|wins?|winning|winners?|victor\w*|beat(?:en|s|ing)?|defeat\w*|triumph\w*|champions?"
                r"|clinch\w*|claim(?:ed|s)|took|taken|scoop\w*|lift(?:ed|s)|retain\w*|crowned|awarded|gold|title"
                r"|collect(?:ed|s)|picked\s+up|bag(?:ged|s)|land(?:ed|s)|earn(?:ed|s)|secur(?:ed|es)|pip(?:ped|s)"
                r"|edged|honours)\b",
                re.IGNORECASE)),
    # "Which blog was voted blog of the year?" asks for the result of a vote, as "elected" does: not a nomination
    (re.compile(r"\belected\b|\b(?:was|were|been|being|is|are)\s+voted\b", re.IGNORECASE),
     re.compile(r"\b(?:elect\w*|vot\w*|won|chosen|appointed|picked|named)\b", re.IGNORECASE)),
)
ASKS_PLAN = re.compile(
    rf"\b(?:(?:expect|plan|intend|aim|hope|want|forecast|predict|estimat|target)\w*|could|might|{MAY}|would)\b")
# A penalty or sum someone may get, not what they got: "faces up to 20 years", "the charges carry a maximum of …";
# not "Ireland face the Faroe Islands in Dublin".
POSSIBLE = (r"(?:fac(?:e|es|ing)|carr(?:y|ies|ying))\s+(?:up\s+to|an?\s+(?:maximum|possible|fine|ban|jail|prison"
            r"|sentence|penalty)|maximum|jail|prison|life|fines?|sentences?|penalt)|maximum\b")
# "could not" ("the jury could not choose") reports what did not happen: a fact, not a guess
EPISTEMIC = re.compile(rf"\b(?:could(?!\s+not\b|n['’]t)|might|{MAY})\b|\b(?:{INTENT})|\b(?:{POSSIBLE})", re.IGNORECASE)
# A rate in the question ("how much a week", "what price per share") and the unit it is counted in.
# "Per" makes a rate of any common noun after it, a figure between them or not ("per million tokens", "per-plane
# price", "per 100 people"); "per O'Sullivan" and "per the chairman" say who said it, and "per cent" is a percentage.
RATE = re.compile(rf"\b(?:(?:a|an|per|each|every)\s+(?P<unit>{'|'.join(RATE_UNITS)})\b"
                  rf"|per[\s-]+(?:{RATE_FIGURE}[\s-]+)?(?P<noun>(?-i:(?!(?:cent|the|a|an)\b)[a-z]+)))", re.IGNORECASE)
PENALTY = re.compile(r"\b(?:jail|prison|sentenc|ban|suspen|imprison|term|detain|life)\w*", re.IGNORECASE)
# "Where did Siemens threaten to move its factory?": a question about a move is answered by where to ("to Hungary")
MOVE_QUESTION = re.compile(r"\bwhere\b.*\b(?:mov(?:e|ed|ing)|relocat\w*|transferr?\w*|sen[dt]|sending|travel\w*"
                           r"|fle[ed]|fleeing|emigrat\w*|deport\w*|shift\w*|switch\w*)\b", re.IGNORECASE)
# A question about what will happen or is planned ("When will Johnson play his last match?", "How many chips does
# Huawei plan to make?") is not answered by what was already done ("Johnson, who captained England to glory in 2003,
# will play …"; the 1,000 chips a cluster employed): an instance whose clause holds a past verb and nothing ahead.
FUTURE_QUESTION = re.compile(r"\b(?:will|shall|(?:is|are)\s+(?:\w+\s+){0,4}?(?:due|set|going|expected|scheduled)\s+"
                             r"(?:to|for)|(?:do|does)\s+(?:\S+\s+){1,5}?(?:plan|intend|aim)\s+to)\b")
# A future inside a relative or reported clause ("…, who warned that games will cost …") is not the question's.
SUBORDINATE = re.compile(r"(?:,\s*|\b)(?:who|which|that|whom)\b")
IMPERATIVE = re.compile(r"^(?:please\s+)?(?:name|list|identify)\s+(?:(?:one|two|three|some|any|all)\s+(?:of\s+)?)?"
                        r"(?:the\s+)?")
NEGATED = re.compile(r"^(?:what|which|who|whom)\b.*\b(?:not|never|n't)\b")
NEGATION = re.compile(r"\b(?:not|never)\b|n['’]t\b")  # lower case: "Never" in a title negates nothing
# Where the wh-clause ends: a relative or subordinate clause, reported speech or an infinitive follows. A negation
# beyond it is what someone said or was urged, not the question's: "Which secretary said the public was not to blame?"
CLAUSE_END = re.compile(
    r"\b(?:that|who|whom|whose|which|where|when|because|while|although|after|before|if|whether|as|to"
    r"|said|says|say|told|tells|tell|claimed|claims|argued|argues|believes?|thinks?|thought|testified|insisted"
    r"|warned|urged|urges|admitted|denied|added|suggested|felt|feels|ruled|found|decided)\b")
REASON_QUESTION = re.compile(r"\bwhy\b|\b(?:what|which)\s+reasons?\b|\bfor\s+what\s+reason\b", re.IGNORECASE)
YES_NO = re.compile(r"^(?:is|are|was|were|do|does|did|can|could|will|would|has|have|had|should|may|might|must)\b",
                    re.IGNORECASE)


@dataclass(frozen=True)
class Asked:
    """What answer_spans needs from the question, read once per question rather than once per instance."""

    words: frozenset[str]
    markers: re.Pattern[str] | None  # what makes a figure unrealised for this question (unrealised_markers)
    rate: str | None  # the unit of a rate question ("a week" -> week)
    future: bool  # the question is about what will happen
    penalty: bool  # the question is about a penalty ("jailed", "ban"), so "life" can be a length
    acronyms: frozenset[str]
    capitals: tuple[str, ...]  # the question's capitalised words, linking words left out
    outcome: re.Pattern[str] | None  # what a sentence must say to report the asked-for outcome (OUTCOMES)
    day: bool  # "on what date", "which day": a year alone does not answer
    counted: str | None  # the head noun of "how many X"
    years: frozenset[str]  # the years the question names ("for 2003", "in October 2005")
    moved: bool  # "where did it move": a place after "to" answers


@functools.lru_cache(maxsize=256)
def asked_of(question: str) -> Asked:
    """The question's facts that every candidate sentence is tested against."""
    rate = RATE.search(question)
    capitals = tuple(w for w in capitalised_words(question) if w.lower() not in LINKING_WORDS)
    return Asked(frozenset(words_of(question)), unrealised_markers(question), rate_unit(rate),
                 future_question(question), PENALTY.search(question) is not None,
                 frozenset(ACRONYM.findall(question)), capitals, outcome_asked(question),
                 ASKS_DAY.search(question) is not None, counted_noun(question), frozenset(YEAR.findall(question)),
                 MOVE_QUESTION.search(question) is not None)
NAMED_WILL = re.compile(r"(?<=\w )Will\b")  # a capitalised "Will" inside a question is a name ("the Will Smith film")


def future_question(question: str) -> bool:
    """True when the question asks what will happen or is planned, in its own clause rather than a relative one."""
    lowered = NAMED_WILL.sub("someone", question).lower()
    future = FUTURE_QUESTION.search(lowered)
    return future is not None and SUBORDINATE.search(lowered, 1, future.start()) is None


def rate_unit(rate: re.Match[str] | None) -> str | None:
    """The unit a rate question counts in, in the singular ("per million tokens" -> token), or None."""
    if rate is None:
        return None
    return folded(rate.group("unit") or rate.group("noun"))


# A clause after the main one that sets the scene: "Which model was singled out when Sony won the prize?" asks about
# the model, not the win (not a question's own "When …", nor "where and when had she won …").
SCENE_CLAUSE = re.compile(r"(?<=\w\s)(?<!\band\s)(?<!\bor\s)\b(?:when|after|before|since|while|because|although"
                          r"|once|until)\b[^,?]*", re.IGNORECASE)


def outcome_asked(question: str) -> re.Pattern[str] | None:
    """What an answering sentence must say when the question asks for an outcome (OUTCOMES), else None."""
    asked = SCENE_CLAUSE.sub("", question)
    return next((reports for asks, reports in OUTCOMES if asks.search(asked)), None)


def counted_noun(question: str) -> str | None:
    """The head of "how many X" ("how many international caps did" -> caps), lower-cased; None without one."""
    found = re.search(r"\bhow many\s+((?:[\w'-]+\s+){0,4})", question.lower())
    words = found.group(1).split() if found else []
    head = next((words[:i] for i, w in enumerate(words)
                 if w in AUXILIARIES or w in PREPOSITIONS or w in RATE_WORDS or w in ("of", "the")
                 or w.endswith(("ed", "ing"))), words)
    plural = next((w for w in head if w in HUMANS or (len(w) > 3 and w.endswith("s"))), None)  # "american adults own"
    return plural or (head[-1] if head else None)


def unrealised_markers(question: str) -> re.Pattern[str] | None:
    """What makes a sentence's figure unrealised for this question: None when the question allows plans.

    A question about the outcome ("finally", "eventually", "in the end") presupposes the event happened, so a plan,
    arrangement or forecast ("are to be married on 8 April", "is due to appear in 2006") does not answer it; a plain
    past question ("did", "was") is not answered by a guess ("could", "may"), though it may be by an arrangement
    reported as settled ("GM is to pay Fiat $2bn"). A question about the plan or forecast itself ("How many
    visitors were expected …?") is answered by one.
    """
    if ASKS_PLAN.search(question):
        return None
    q = question.lower()
    if OUTCOME.search(q):
        return IRREALIS
    return EPISTEMIC if PAST_QUESTION.search(q) else None


def asked_phrase(question: str, expected: Expected) -> frozenset[str]:
    """The common words of a "which X" phrase up to its head noun ("which cruise ship" -> cruise, ship).

    Names in the phrase are the question's own ("which Nvidia GPU": Nvidia introduces no answer).
    """
    if expected.noun is None and expected.kind == PERSON:
        return agent_nouns(question)
    if expected.noun is None or expected.kind not in (PERSON, NAME, PLACE):
        return frozenset()
    if expected.noun in NAMING_NOUNS:
        return named_phrase(question) or frozenset({expected.noun})
    found = re.search(WHICH_PHRASE, " ".join(question.replace("’", "'").split()), re.IGNORECASE)  # as expected_type
    phrase = found.group("noun").split() if found else []
    ends = [k for k, w in enumerate(phrase) if re.sub(r"['’]s$", "", w.lower()) == expected.noun]
    words = [w for w in phrase[: ends[0] + 1] if not w[0].isupper()] if ends else []
    return frozenset(folded(w) for w in words if w not in STOP_CAPS and w not in MODIFIERS)


# "Who directed Sins?": the verb right after "who", in the past, whose doer news copy names by its agent noun.
WHO_DID = re.compile(r"^\s*who\s+(?:first\s+|originally\s+)?(?P<verb>[a-z]+?)(?:ed|d)\b")


def agent_nouns(question: str) -> frozenset[str]:
    """The nouns for whoever did what a bare who-question asks ("directed": director; "founded": founder).

    "The director of the film, Vinod Pande, says …" names who directed it without the verb.
    """
    found = WHO_DID.match(question.lower())
    if not found or found.group("verb") in AUXILIARIES:
        return frozenset()
    stem = found.group("verb")
    return frozenset({stem + "or", stem + "er", stem})  # "manag" + "er", "direct" + "or", "coach"


# "What is the name of the trojan …?": the thing named is the trojan, the noun after "of".
NAMING_NOUNS = frozenset({"name", "title"})
NAMED = re.compile(r"\b(?:name|title)\s+of\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|its\s+|their\s+)?(?P<phrase>[^?,.]*)",
                   re.IGNORECASE)


def named_phrase(question: str) -> frozenset[str]:
    """The common words after "the name of" / "the title of", up to a preposition ("Beverly Hillbillies theme tune")."""
    found = NAMED.search(question)
    words = found.group("phrase").split() if found else []
    upto = next((i for i, w in enumerate(words) if w.lower() in PREPOSITIONS), len(words))
    return frozenset(folded(w.lower()) for w in words[:upto] if not w[0].isupper() and w.lower() not in STOP_CAPS)


# Words of a "which X" phrase that describe the thing without naming its kind ("which former spin doctor").
MODIFIERS = frozenset("former new old big main first last other two three".split())
