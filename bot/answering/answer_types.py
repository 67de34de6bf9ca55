"""Where a sentence holds an instance of the asked-for kind that the question does not already name.

A sentence that repeats the question's words is not an answer; one that holds an instance of the asked-for kind
(a name for who/which, an amount for how much, a date for when, a count for how many, a place for where) that
the question itself does not contain is. What kind is asked comes from bot.answering.asked.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from bot.answering import entity_kind, name_cues
from bot.answering.asked import Asked, Expected, asked_of, singular
from bot.answering.lexicon import (
    ACRONYM,
    AGE,
    AUXILIARIES,
    BODIES,
    COUNT,
    DATE,
    DURATION,
    GROUNDS,
    HUMANS,
    IRREALIS,
    LABEL_NOUNS,
    LINKING_WORDS,
    MEASURE,
    MONEY,
    MONTHS,
    NAME,
    NUMBER,
    NUMBER_WORDS,
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
    folded,
    words_of,
)
from bot.answering.zipf import zipf

ORDINAL_RE = re.compile(r"(?<![\w,])(?:\d{1,3}(?:,\d{3})+(?:st|nd|rd|th)|\d{1,4}(?:st|nd|rd|th))\b"  # "the 2,277th"
                        r"|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
                        r"|tenth|eleventh|twelfth|top|bottom"
                        r"|(?:number|No\.?)\s+(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten))\b",
                        re.IGNORECASE)  # a chart's "number two", "No 1" too
SCORE_RE = re.compile(r"\b\d{1,3}\s?-\s?\d{1,3}\b(?!\s?(?:year|month|day|week))")

SCALE = r"(?:bn|m|k|billion|million|thousand|trillion|mn)\b"
NUM = r"(?:\d[\d,]*(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")"
FRACTIONS = frozenset("half quarter third tenth".split())  # a share or a rank, never how many things
QUANTITY = rf"{NUM}(?:[\s-]+{NUM})*"
MONEY_RE = re.compile(
    rf"(?:[£$€¥]|\b(?:US|A|C|HK|NZ)\$|\bRs\.?\s?)\s?\d[\d,]*(?:\.\d+)?(?:\s?{SCALE})?"
    rf"|\b(?-i:R|Y)\s?\d[\d,]*(?:\.\d+)?\s?{SCALE}"  # rand or yen only with a scale: "R1" and "Y2" are models
    rf"|\b{QUANTITY}(?:\s?{SCALE})?\s+(?:dollars|pounds|euros|yuan|yen|rupees|roubles|francs|pence|cents|dinars"
    rf"|rand|pesos|lira|lire|shekels|kronor|kroner|krona|zlotys?|baht|rupiah|naira|dirhams|riyals|ringgit)\b"
    rf"|\b{QUANTITY}\s?(?-i:p|c)\b(?![\w'])"  # "50p", "20c"; "910C" is a chip
    rf"|\b{QUANTITY}-(?:cent|pence|penny|dollar|pound|euro)\b(?!-)",  # "a five-cent cut", not "five-pound-note"
    re.IGNORECASE)
AMOUNT = MONEY_RE.pattern
APPROXIMATELY = r"(?:(?:about|around|roughly|approximately|some|nearly|almost|or)\s+)?"
CONVERSIONS = re.compile(rf"\s*\({APPROXIMATELY}(?:{AMOUNT})(?:\s*[;,/]\s*{APPROXIMATELY}(?:{AMOUNT}))*\)",
                         re.IGNORECASE)
# A share: "12%", "a quarter", and a proportion in words ("one in eight households", not "2 in 2004")
PERCENT_RE = re.compile(
    rf"\b{QUANTITY}\s?(?:%|per\s?cent|percent|percentage points?)|\ba (?:tenth|quarter|third|half)\b"
    rf"|\b{NUM}\s+in\s+(?:every\s+)?(?!(?:19|20)\d\d\b){NUM}\b(?!\s*(?:%|per\s?cent|percent))",
    re.IGNORECASE)
# A month, its abbreviation taking a full stop ("Sept."), a full name not ("on 3 March." ends a sentence).
MONTH = rf"(?:(?:{'|'.join(MONTHS[:12])})\b|(?:{'|'.join(MONTHS[12:])})\b\.?)"
DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
DATE_RE = re.compile(
    r"\b(?:(?:early|mid|late)-)?(?:1[5-9]\d\d|20\d\d)s?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}"
    rf"|\b(?:(?:early|mid|late)-)?{MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?\b"
    rf"|\b(?:{'|'.join(DAYS)})\b|\b(?:next|last|this)\s+(?:week|month|year|season|spring|summer|autumn|winter)\b"
    r"|\b(?:yesterday|today|tomorrow|christmas|easter)\b",
    re.IGNORECASE)
TIME_UNITS = "years? months? weeks? days? hours? minutes? seconds? decades? centuries".split()  # lengths of time
UNITS = [*TIME_UNITS, *"seasons? games? matches? sentences? secs? mins?".split()]  # what a duration may count in
# A race time may be written bare ("a time of 12.37 in winning the 100m"): a figure only a race-time question takes
RACE_FIGURE_RE = re.compile(r"(?<![£$€\d.,])\b\d{1,3}\.\d{2}\b(?!\s?(?:%|per\b|bn\b|m\b|p\b|pence\b|cents?\b))")
LENGTH = rf"{QUANTITY}[\s-]+(?:{'|'.join(UNITS)})\b"
# A length, whole ("two hours, 23 minutes and 10 seconds"), or a race time ("14:39.29", "2:17:42": not "14:30")
# "33-year-old" is an age, and "19 years his junior", "ten years older" the gap between two ages: no length of time
AGE_GAP = r"(?![\s-]+old\b|\s+(?:his|her|their|my|your)\s+(?:junior|senior)\b|\s+(?:younger|older)\b)"
DURATION_RE = re.compile(rf"\b{LENGTH}(?:,?\s+(?:and\s+)?{LENGTH})*{AGE_GAP}"
                         r"|\b(?:life|a year|a decade|a month|a week)\b|\b\d{1,2}:\d{2}(?:\.\d{1,2}|:\d{2})\b",
                         re.IGNORECASE)
TIME_SPAN_RE = re.compile(rf"\b{QUANTITY}[\s-]+(?:{'|'.join(TIME_UNITS)})\b",
                          re.IGNORECASE)  # "24 hours" is a length of time, never a count of things
AGE_RE = re.compile(rf"\b(?:(?:aged?|at)\s+)?{NUM}\s+years?\s+and\s+{NUM}\s+days\b"  # the fuller reading first
                    rf"|\b(?:aged?|at)\s+{NUM}\b|\bage\s+of\s+{NUM}\b|\b{QUANTITY}[\s-]+years?[\s-]+old\b|\bteenager\b"
                    r"|\b(?:is|was|turned|turns)\s+\d{1,3}(?=\s*[,.;]|\s+(?:when|and|at|in|on)\b)"  # "He was 84, …"
                    r"|(?<=[A-Za-z], )\d{1,3}(?=,)", re.IGNORECASE)  # "Sir Anthony Meyer, 84, died"
MEASURE_UNITS = (r"hectares?|acres?|square|sq|km/h|km|kilometres?|kilometers?|miles?|metres?|meters?|m|ft|feet"
                 r"|inches|cm|mm|kg|kilograms?|tonnes?|tons?|pounds|lb|mph|seats?|seater|capacity|people|gb|mb|tb|ghz"
                 r"|mhz|megapixels?|inch|yards?|yds|knots|grams?|ounces|oz|stone|teraflops|gigaflops|flops"
                 r"|[kmg]bps|(?:kilo|mega|giga)bits?(?:\s+(?:a|per)\s+second)?|(?:kilo|mega|giga|tera)bytes")
MEASURE_RE = re.compile(rf"\b{QUANTITY}[\s-]*(?:{MEASURE_UNITS})\b", re.IGNORECASE)
NUMBER_RE = re.compile(rf"(?<![\w.])(?!(?:19|20)\d\d\b){QUANTITY}(?![\w])", re.IGNORECASE)
# "traffic increased fourfold", "sales doubled": a multiple answers "by how much" as a figure does
MULTIPLE_RE = re.compile(r"\b(?:(?:two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|\d+)-?fold"
                         r"|doubled|tripled|trebled|quadrupled|halved)\b", re.IGNORECASE)

# Capitalised runs: a name of one or more capitalised words, joined by short linkers ("Bank of England").
LINKERS = r"(?:of|the|and|de|da|van|von|du|le|la|di|al|&)"
NAME_RE = re.compile(rf"\b(?:[A-Z]|[a-z]+[A-Z])[\w'’&.-]*(?:\s+(?:{LINKERS}\s+)*[A-Z0-9][\w'’&.-]*)*")  # and "iDefence"

CALENDAR_WORDS = frozenset(MONTHS) | frozenset(DAYS)

DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ish|ese|ian|ean|ican|ern)$")
QUOTED = re.compile(r"(?<!\w)[“\"‘']((?:[^“”\"‘’'\n]|(?<=\w)['’](?=\w)){2,80}?)[,.;:!?]?[”\"’'](?!\w)")
MAX_QUOTED_WORDS = 8
# Words that make a capitalised run an institution, a party or a place, never a person ("Welsh Rugby Union",
# "Bay Area Laboratory Cooperative", "Conservative Party", "San Francisco Police Department").
INSTITUTION_WORDS = frozenset(
    "union party parties department laboratory laboratories cooperative council committee office ministry agency "
    "service services association federation league club group bank studios studio company corporation corp inc "
    "ltd plc llc university college school hospital court parliament police revenue authority commission board "
    "institute foundation trust fund society network channel airlines airways motors records labour tory tories "
    "conservative conservatives liberal democrats democrat republican republicans government assembly senate "
    "congress cabinet army navy force forces fc united city rovers athletic stadium cup awards festival street "
    "road square house hall centre center theatre museum station airport olympics games championship "
    "championships tournament marathon open prix trophy prize award rally".split())  # "Heineken Open"
# Capitalised words that come before a person's name without being part of it.
PERSON_TITLES = PERSON_NOUNS | frozenset(
    "prime former shadow home foreign deputy vice chief general attorney junior senior mr mrs ms dr sir lord lady "
    "dame rev reverend st saint professor prof".split())
TRAILING_WORDS = PERSON_TITLES | LINKING_WORDS  # what a run may end with after the person's name
# Name nouns a country can be: a national side.
FIELDED_BY_COUNTRIES = frozenset("team teams side sides squad squads".split())
NOT_A_RACE_TIME = re.compile(r"\b(?:days?|weeks?|months?|years?|decades?|centuries|seasons?|games?|matches?|life)\b",
                             re.IGNORECASE)  # a race is timed in hours, minutes and seconds


def in_words(span: str) -> bool:
    """True when a span says something in words of its own, not only a name, a code or a figure ("H800", "90%")."""
    return any(w not in SAYS_NOTHING for w in re.findall(r"\b[a-z]{3,}\b", span))
BYTE_UNITS = r"[kmgtp]b|(?:kilo|mega|giga|tera|peta)?bytes?"  # "64GB", "1 TB", "50 gigabytes"
BYTES = re.compile(rf"(?:\d|\b)(?:{BYTE_UNITS})\b", re.IGNORECASE)
UNIT_REACH = 12  # characters after a figure in which its unit is written ("50 gigabytes")
# A where-question's answer is a place something happens in, at, near or from ("his testimonial at Twickenham",
# "died at home in East Sussex"), not any capitalised words in the sentence ("Former England captain …").
PLACE_WORDS = "in|at|near|outside|inside|across|throughout|around"  # a place phrase's opening word
LOCATIVE = re.compile(rf"\b(?:{PLACE_WORDS}|from)\s+(?:the\s+)?$", re.IGNORECASE)
RELATIVE_YEAR = re.compile(r"\b(?:last|this|next|previous|past|coming)\s+(?:year|season)\b"
                           r"|\ba\s+year\s+(?:earlier|ago|before)\b", re.IGNORECASE)
# A year the asked figure is compared with: "up from $66m during the same period in 2003", "than in 2003"
COMPARED_YEAR = re.compile(r"\b(?:from|than|compared\s+(?:with|to)|against)\b[^.;]{0,60}?\b(?:19|20)\d\d\b",
                           re.IGNORECASE)
MONTH_OR_YEAR = re.compile(rf"(?:in\s+)?(?:(?:early|mid|late)-)?(?:{MONTH}(?:,?\s+\d{{4}})?|(?:19|20)\d\d)",
                           re.IGNORECASE)
# A date that lies ahead of the article ("goes on sale … next year") does not answer what did or finally happened.
AHEAD_DATE = re.compile(r"\b(?:next|coming|later|tomorrow)\b", re.IGNORECASE)
# A name in a place phrase ("in Bute Park", "at Twickenham") is where something happened, not who did it.
PLACE_PHRASE = re.compile(rf"\b(?:{PLACE_WORDS})\s+(?:the\s+)?$", re.IGNORECASE)
TO_BEFORE = re.compile(r"\b(?:to|into)\s+(?:the\s+)?$", re.IGNORECASE)
# "the London-based firm", "the Jacksonville, Florida-based firm": where something is based, said before it
BASED_AFTER = re.compile(r"(?:,\s+[A-Z][\w'’.]*)*-based\b")  # what follows the place: ", Florida-based"
BASED = re.compile(rf"\b(?:[A-Z][\w'’.]*\s+){{0,2}}[A-Z][\w'’.]*(?={BASED_AFTER.pattern})")
PAST_VERB = re.compile(r"\b(?:was|were|had|did|won|led|took|made|came|went|left|became|began|beat|gave|got|held|lost"
                       r"|ran|sold|bought|brought|told|wrote|quit|saw|[a-z]{3,}ed)\b", re.IGNORECASE)
PARTICIPLE_BY = re.compile(r"\s+by\b")  # "information held by 100,000 bodies": a participle, nothing done
AHEAD = re.compile(IRREALIS.pattern + r"|\b(?:scheduled|planned|slated|due|upcoming|next|expected|agree[sd]?\s+to)\b",
                   re.IGNORECASE)  # "agreed to three years' close monitoring": a commitment looks ahead
CLAUSE_BREAK = re.compile(r"[;:,—–]\s|\s-\s|\b(?:but|while|which|who|after|before|when|because|although)\b",
                          re.IGNORECASE)
SAYS_NOTHING = LINKING_WORDS | frozenset("for from with and but its his her their".split())  # not words of a reason


def finders(kind: str) -> tuple[re.Pattern[str], ...]:
    """The patterns whose matches are instances of a kind."""
    return {
        MONEY: (MONEY_RE,), PERCENT: (PERCENT_RE,), DATE: (DATE_RE,), DURATION: (DURATION_RE,),
        AGE: (AGE_RE,), MEASURE: (MEASURE_RE, MONEY_RE, PERCENT_RE, NUMBER_RE), PHYSICAL: (MEASURE_RE,),
        COUNT: (NUMBER_RE,), NUMBER: (MONEY_RE, PERCENT_RE, NUMBER_RE, MULTIPLE_RE), SCORE: (SCORE_RE,),
        RANK: (ORDINAL_RE,),
    }.get(kind, ())


def instances(sentence: str, kind: str, race: bool = False) -> list[tuple[int, int]]:
    """Spans of the sentence that are instances of the kind (names for person/place/name); race: a race time's too."""
    if kind == PLACE:
        return overlaps_joined([*names(sentence, kind), *based_places(sentence)])
    if kind in (PERSON, NAME):
        return names(sentence, kind)
    found = (*finders(kind), RACE_FIGURE_RE) if race else finders(kind)
    spans = [m.span() for pattern in found for m in pattern.finditer(sentence) if m.group(0).strip()]
    if kind == DATE:  # "in 1999 and 2001": the years asked for together
        return listed(sentence, overlaps_joined(spans))
    if kind in (MONEY, NUMBER, MEASURE):  # the kinds whose finders include amounts of money
        spans = with_conversions(sentence, spans)
    if kind == COUNT:  # a count is not part of an amount of money, a percentage, a date or a length of time
        taken = [m.span() for p in (MONEY_RE, PERCENT_RE, DATE_RE, TIME_SPAN_RE) for m in p.finditer(sentence)]
        spans = [s for s in spans if not any(a <= s[0] < b for a, b in taken)]
    return overlaps_joined(spans)


def based_places(sentence: str) -> list[tuple[int, int]]:
    """Places a "-based" compound names ("London-based"): names() leaves such a word out as a description."""
    found = []
    for m in BASED.finditer(sentence):
        words = list(re.finditer(r"\S+", m.group(0)))
        while words and words[0].group(0).lower() in STOP_CAPS:  # "The London-based firm": London
            words.pop(0)
        if words:
            found.append((m.start() + words[0].start(), m.end()))
    return found


VAGUE = frozenset("dozens hundreds thousands millions billions scores several".split())


def vague(text: str) -> bool:
    """A quantity that counts nothing exactly ("thousands"): an answer only when no sentence gives the number."""
    words = re.findall(r"[a-z]+|\d+", text.lower())
    return bool(words) and all(w in VAGUE or w == "of" for w in words)


def overlaps_joined(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping matches are two readings of one phrase: "at 18" and "18 years and 187 days" are one age."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def with_conversions(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """An amount and its conversions in brackets are one amount: "1.55bn euros ($2bn; £1.1bn)".

    News copy states a foreign sum in the reader's currencies too; each alone would be a third of the answer.
    Each amount reaches over the brackets that follow it; overlaps_joined then folds in the amounts inside.
    """
    return [(start, match.end() if (match := CONVERSIONS.match(sentence, end)) else end) for start, end in spans]


COMPASS = frozenset("north south east west northern southern eastern western central".split())


def names(sentence: str, kind: str = NAME) -> list[tuple[int, int]]:
    """Capitalised runs that name something: function words, demonyms and sentence-opening words left out."""
    found = []
    for m in NAME_RE.finditer(sentence):
        words = [w for w in re.finditer(r"[^\s]+", m.group(0))]
        kept = [w for w in words if names_by_itself(w.group(0).strip(".,;:'’"), kind)]
        if kept and all(w.group(0).lower() in COMPASS for w in kept) and len(kept) < len(words):
            continue  # "South African", "North Korean": a direction before a demonym is part of the adjective
        if len(kept) > 2 and DEMONYM.search(kept[0].group(0)) and kept[0] is words[0]:
            kept = kept[1:]  # "Californian Thomas Slattery": before a full name the shape is an adjective
        if kind != PERSON and kept and not opens_sentence(sentence, m.start()):
            kept = title_words(words, kept) + kept  # "Here To Stay", "Lord of the Rings" inside a sentence
        while kept and kept[-1].group(0).lower() in LINKING_WORDS:  # "Seafarers' Identity Documents of June"
            kept.pop()
        while kept and kept[0].group(0).lower() in ("of", "and", "&"):  # no name starts "of the" ("La Manga" may)
            kept.pop(0)
        if not kept:
            continue
        if kind == NAME:
            kept += numbered(words, kept)  # "Critters 3", "Euro 2004"
        start, end = m.start() + kept[0].start(), m.start() + kept[-1].end()
        end -= 2 if sentence[start:end].endswith(("'s", "’s")) else 0
        while end > start and sentence[end - 1] in ".,;:'’-":
            end -= 1
        if kind == PERSON:
            trimmed = person_part(sentence, start, end)
            if trimmed is None or role_follows(sentence, trimmed[1]):
                continue
            start, end = trimmed
        if len(kept) > 1 or single_name(sentence, start, end, kind):
            found.append((start, end))
    return listed(sentence, found)


def listed(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Names in a list ("A, B and C") joined into one span: the list is the answer to "which DJs"."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and re.fullmatch(r",\s*|,?\s+and\s+|\s*&\s*", sentence[merged[-1][1] : start]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


# Capitalised function words that open no work's title: articles, honorifics, days and months.
NOT_TITLE_WORDS = frozenset("the a an mr mrs ms dr sir lady".split()) | frozenset(DAYS) | frozenset(MONTHS)
SENTENCE_OPENERS = ".!?:;\"“‘('"  # what may come just before a sentence's (or a quotation's) first word


def opens_sentence(sentence: str, at: int) -> bool:
    """True when the word at `at` opens the sentence, a quotation or a clause after a colon: a capital by position."""
    before = sentence[:at].rstrip()
    return not before or before[-1] in SENTENCE_OPENERS


def title_words(words: list[re.Match[str]], kept: list[re.Match[str]]) -> list[re.Match[str]]:
    """Capitalised function words just before a name inside a sentence: part of a title ("Here To Stay").

    Inside a sentence only a name gives "Here" or "Lord" a capital; an article or an honorific opens no title.
    """
    first = words.index(kept[0])
    taken: list[re.Match[str]] = []
    for word in reversed(words[:first]):
        text = word.group(0)
        if not text[:1].isupper() or text.lower() not in STOP_CAPS or text.lower() in NOT_TITLE_WORDS:
            break
        taken.insert(0, word)
    return taken


def numbered(words: list[re.Match[str]], kept: list[re.Match[str]]) -> list[re.Match[str]]:
    """A number closing a capitalised run numbers the name: a sequel, a model or an edition ("Critters 3")."""
    after = words[words.index(kept[-1]) + 1 :]
    return after[:1] if len(after) == 1 and re.fullmatch(r"\d{1,4}", after[0].group(0)) else []


def word_list(name: str) -> list[str]:
    """The entries of a packaged list file beside this module (one per line; "#" lines are its provenance)."""
    lines = Path(__file__).with_name(name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@functools.cache
def demonyms() -> frozenset[str]:
    """Adjectives of nation and language (demonyms.txt: the words of CLDR's English language names)."""
    return frozenset(word_list("demonyms.txt"))


@functools.lru_cache(maxsize=4096)
def demonym(word: str) -> bool:
    """A nation's or language's adjective ("Italian", "Zimbabwean"), not a first name shaped like one ("Lillian").

    Listed, or its stem (the word less its ending) starts a place's name: "Zimbabw-ean", "Leban-ese", "Ind-ian".
    """
    if word[:1].isupper() and word.endswith("an") and word[:-1].lower() in places():
        return True  # "Kenya-n", "Cuba-n", "Africa-n": a place ending in -a
    if not DEMONYM.search(word):
        return False
    if word in demonyms():
        return True
    stem = re.sub(r"(?:ish|ese|ian|ean|ican|ern)$", "", word).lower()
    if len(stem) == 3:  # "Ind-ian", "Syr-ian": a short stem must nearly be the place ("India")
        return any(place.startswith(stem) and len(place) <= len(stem) + 2 for place in places())
    key = stem[: max(4, len(stem) - 1)]  # "Peruv-ian" -> "Peru", "Zimbabw-ean" -> "Zimbab"
    return len(stem) > 3 and any(place.startswith(key) for place in places())


# A name joined to a lower-case word describes ("London-based", "Ascend-adapted", "Labour-run"); it names nothing itself
DERIVED = re.compile(r"[A-Z][\w'’]*-[a-z][\w'’-]*")


def names_by_itself(word: str, kind: str) -> bool:
    """A word that can be part of a name: no function word, demonym, "London-based" or (for a person) acronym."""
    lowered = word.lower()
    if lowered in STOP_CAPS or not re.search(r"[a-z]", lowered) or DERIVED.fullmatch(word) or demonym(word):
        return False
    return not (kind == PERSON and word.replace("s", "").isupper())


# After a role word these introduce no one: a title goes on to a name ("Prime Minister Tony Blair"), and "and" ends
# one ("Tote King and Manuel Millan").
NO_ONE_AFTER_A_ROLE = PERSON_TITLES | {"and", "&"}


def person_part(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """The person in a capitalised run, after any institution and title; None if none ("Welsh Rugby Union").

    "Labour MP Stephen Pound" gives "Stephen Pound", "Prime Minister Tony Blair" gives "Tony Blair".
    """
    words = list(re.finditer(r"[^\s]+", sentence[start:end]))
    last_institution = max((k for k, w in enumerate(words) if institution_word(w.group(0))), default=-1)
    # "Tottenham manager Jacques Santini": what comes before a role word names the role's team, party or place
    roles = [k for k, w in enumerate(words[:-1]) if w.group(0).lower().strip(".") in PERSON_NOUNS
             and words[k + 1].group(0).lower().strip(".") not in NO_ONE_AFTER_A_ROLE]
    rest = words[max([last_institution, *roles]) + 1 :]
    while rest and (rest[0].group(0).lower().strip(".") in PERSON_TITLES or rest[0].group(0).isupper()
                    or not rest[0].group(0)[0].isalpha()):  # "The 33-year-old" names nobody
        rest = rest[1:]
    while rest and rest[-1].group(0).lower().strip(".,") in TRAILING_WORDS:
        rest = rest[:-1]
    if not rest:
        return None
    return start + rest[0].start(), start + rest[-1].end()


@functools.cache
def places() -> frozenset[str]:
    """Country and region names (places.txt: CLDR's territories and the UK's nations), lower-cased."""
    return frozenset(entry.lower() for entry in word_list("places.txt"))


def list_parts(run: str) -> list[str]:
    """The names of a list ("A, B and C", "A & B"), or the run itself."""
    return [p for p in re.split(r",\s*|\s+and\s+|\s*&\s*", run) if p]


def places_only(run: str) -> bool:
    """True when a capitalised run is a place or a list of places ("Afghanistan and Kosovo"): no person."""
    parts = list_parts(run.lower())
    return bool(parts) and all(p in places() for p in parts)


def role_follows(sentence: str, end: int) -> bool:
    """True when a lower-case role word follows the name: "Tottenham manager …" names the manager's club."""
    after = re.match(r"\s+([a-z]+)\b", sentence[end:])
    return after is not None and after.group(1) in PERSON_NOUNS


def institution_word(word: str) -> bool:
    """A word that makes a capitalised run an institution, a party or a place rather than a person."""
    return word.lower().strip(".,;:'’()").removesuffix("'s").removesuffix("’s") in INSTITUTION_WORDS


def single_name(sentence: str, start: int, end: int, kind: str) -> bool:
    """One capitalised word names something unless it is an everyday word, or an adverb and a comma, opening it."""
    word = sentence[start:end].lower()
    opening = sentence[:start].strip() == ""
    return not (opening and (common(word) or (adverb(word) and sentence[end : end + 1] == ",")))


def adverb(word: str) -> bool:
    """An adverb made of an English adjective ("notably", "separately", "finally"), not a name ("Italy", "Kelly")."""
    if not word.endswith("ly"):
        return False
    stem = word[:-1] + "e" if word.endswith("bly") else word[:-3] + "y" if word.endswith("ily") else word[:-2]
    return len(stem) > 3 and zipf(stem) >= ADJECTIVE_ZIPF  # notab-ly: notable, happ-ily: happy, final-ly: final


ADJECTIVE_ZIPF = 3.5  # an adverb's adjective is an everyday word (wordfreq's Zipf scale: 3.5 = once in 3 million words)


def common(word: str) -> bool:
    """An everyday English word (wordfreq Zipf >= 4.5), which opens a sentence capitalised without naming anything."""
    return zipf(word) >= 4.5


def novel(sentence: str, span: tuple[int, int], question_words: set[str], kind: str = NAME) -> bool:
    """True when the instance names something the question does not already contain.

    A person whose surname the question holds is the question's own ("Prime Minister Ariel Sharon" when it asks
    whom Ariel Sharon picked, "Tony Blair" when it says "the Blair government"): the surname identifies, the
    titles and first names before it do not. (Places and lists keep the plain test: "Luton, Bedfordshire".)
    """
    text = sentence[span[0] : span[1]]
    if kind == PERSON and " of " in text:  # "Laura Brownlees of Save the Children": the person before "of"
        text = text.split(" of ")[0]
    found = {folded(w) for w in words_of(text) - STOP_CAPS}
    if kind == DATE:  # a month or a day is itself a date ("in November"), written with its capital (not "may")
        found |= {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", text)} & CALENDAR_WORDS
    asked = {folded(w) for w in question_words}  # "Brit Award" is the question's own "Brit Awards"
    if kind == PERSON and surname(text) in asked:
        return False
    return bool(found) and not found <= asked


def surname(name: str) -> str | None:
    """The last word of a single person's name, lower-cased; None for a list ("A, B and C") or no capital."""
    if re.search(r",|\band\b|&", name):
        return None
    words = re.findall(r"[\w'’]+", name.replace("’s", "").replace("'s", ""))
    return folded(words[-1].lower()) if words and words[-1][0].isupper() else None


def answer_spans(sentence: str, expected: Expected, question: str, article: str = "") -> list[tuple[int, int]]:
    """Instances of the asked-for kind in the sentence that the question does not already name.

    A question about what happened is not answered by what was planned or guessed (see unrealised()). The
    sentence's article, when given, says what its names are ("President George W Bush" is no US state).
    """
    if not expected.typed:
        return []
    asked = asked_of(question)
    if about_something_else(sentence, expected.kind, asked):
        return []
    race = expected.kind == DURATION and expected.noun == "time"
    return [span for span in labelled(sentence, expected, instances(sentence, expected.kind, race))
            if fits(sentence, span, expected, asked)
            and novel(sentence, span, {*asked.words, *abbreviated(sentence[span[0] : span[1]], asked.acronyms)},
                      expected.kind)
            and not abbreviates(sentence[span[0] : span[1]], asked.capitals)
            and not (expected.kind in (PERSON, NAME) and alias_of_asked(sentence, span[0], asked.capitals))
            and not (asked.markers and unrealised(sentence, span, asked.markers))
            and not other_than_asked(sentence, span, expected, article)]


def quoted_phrases(sentence: str) -> list[tuple[int, int]]:
    """The short phrases the writer set in quotation marks ("Chinese Nvidia"): each one unit, not speech."""
    return [m.span(1) for m in QUOTED.finditer(sentence)
            if 0 < len(m.group(1).split()) <= MAX_QUOTED_WORDS and m.group(1).strip() == m.group(1)]


def labelled(sentence: str, expected: Expected, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """For a question asking for a label, the quoted phrases as instances too, each whole (what they hold drops)."""
    if expected.kind != NAME or expected.noun is None or singular(expected.noun) not in LABEL_NOUNS:
        return found
    quoted = quoted_phrases(sentence)
    inside = [s for s in found if not any(a <= s[0] and s[1] <= b for a, b in quoted)]
    return sorted([*quoted, *inside])


# The words that give a name as another name of the one just named: "Snoop Dogg - real name Calvin Broadus",
# "Eminem (real name Marshall Mathers)", "Ali G, aka Sacha Baron Cohen".
ALIAS = re.compile(r"\b(?:(?:real|birth|full|stage)\s+names?(?:\s+is)?|aka|a\.k\.a\.|also\s+known\s+as)[\s:,]*$",
                   re.IGNORECASE)
ALIAS_REACH = 60  # characters before a name in which the other name and the alias words must stand


def fits(sentence: str, span: tuple[int, int], expected: Expected, asked: Asked) -> bool:
    """The kind-specific tests an instance must pass to answer this question (see answer_spans)."""
    text = sentence[span[0] : span[1]]
    kind = expected.kind
    return not (
        (kind == PLACE and expected.noun is None and not LOCATIVE.search(sentence, 0, span[0])  # "where …": in/at
         and not BASED_AFTER.match(sentence, span[1])  # or "Leeds-based"
         and not (asked.moved and TO_BEFORE.search(sentence, 0, span[0])))  # "where did it move": to
        or (asked.future and done_before(sentence, span))  # "what will/does it plan to …": not what was done
        or (kind == DATE and asked.markers is not None and AHEAD_DATE.search(text))  # "… next year": not yet
        or (kind == DURATION and not asked.penalty and text.lower() == "life")  # a sentence's length
        or (kind == DURATION and expected.noun == "time" and NOT_A_RACE_TIME.search(text))  # "five days" is no race's
        or (asked.rate and kind in (MONEY, NUMBER) and not at_rate(sentence, span[1], asked.rate))  # "a week"
        or (kind == PERSON and PLACE_PHRASE.search(sentence, 0, span[0]))  # "runner-up … in Bute Park"
        or (kind == PERSON and expected.noun is not None and singular(expected.noun) not in KIN_NOUNS
            and KIN_BEFORE.search(sentence, 0, span[0]) is not None)  # "his widow Deborah" is cast as no actor
        or (kind == COUNT and text.lower() in FRACTIONS)  # "Asia's third largest economy", "half the staff"
        or (kind == COUNT and text.lower() == "one" and sentence.startswith(" of ", span[1]))  # "one of its banks"
        or (kind == COUNT and measured(sentence, span[1], asked.counted))  # "100 gigabytes" counts no members
        or (kind == MEASURE and expected.noun in STORED  # memory comes in bytes, not "1,000 chips"
            and not BYTES.search(sentence, span[0], span[1] + UNIT_REACH))
        or (kind == DATE and asked.day and MONTH_OR_YEAR.fullmatch(text) is not None)  # "on what date": not "2004",
        # nor "August" or "June 2005"
    )


# Someone introduced as another's relative ("a book by Curtis's widow Deborah", "his fiancée Annabella Holmes, 47")
# is in the story for that tie, not the role a question asks for ("Which actor …", "the man he attacked"), unless
# the role asked is a tie too ("Which brother …").
KIN_NOUNS = frozenset("widow widower wife husband fiancee fiancée son daughter father mother brother sister mum dad "
                      "uncle aunt cousin nephew niece grandson granddaughter grandmother grandfather stepfather "
                      "stepmother stepson stepdaughter boyfriend girlfriend relative".split())
KIN_BEFORE = re.compile(rf"\b(?:{'|'.join(sorted(KIN_NOUNS - {'fiancee', 'fiancée', 'relative'}))}"
                        r"|sons|daughters|brothers|sisters|fianc\S{0,6}e),?\s+$", re.IGNORECASE)  # and "fianc&#233;e"


# Units a number may measure in: what it then gives is an amount of stuff or a distance, never a count of things (the
# measures' units but those that count, "seats", "people", or may mean a million, "m").
PHYSICAL_UNIT = (rf"(?:(?!(?:seats?|seater|capacity|people|m)\b)(?:{MEASURE_UNITS})|{BYTE_UNITS}"
                 r"|litres?|liters?|gallons?|barrels?|degrees|volts?|watts?|megawatts?)")
MEASURED_AFTER = re.compile(rf"(?:\s*(?:and|or|to|-|–)\s*{QUANTITY})?[\s-]*{PHYSICAL_UNIT}\b", re.IGNORECASE)


def measured(sentence: str, end: int, counted: str | None) -> bool:
    """True when the number ending at end measures in a unit ("between one and 100 gigabytes") not counted."""
    if counted is not None and re.fullmatch(PHYSICAL_UNIT, counted, re.IGNORECASE):
        return False  # "how many barrels" is answered in barrels
    return MEASURED_AFTER.match(sentence, end) is not None


def about_something_else(sentence: str, kind: str, asked: Asked) -> bool:
    """The tests that reject a whole sentence, whatever its instances: read once per sentence, not per instance."""
    return (
        (kind in (PERSON, NAME) and asked.outcome is not None and asked.outcome.search(sentence) is None)
        # who or what won: a preview of the contest, not its result ("how many caps did he win" may be)
        or (kind == COUNT and not counts_asked(sentence, asked.counted))  # "15 … mines" for "how many people"
        or (kind != DATE and other_years(sentence, asked.years))  # "the 2004 Jesse Owens Awards" for 2003's
    )


def other_years(sentence: str, years: frozenset[str]) -> bool:
    """True when the question names a year and the sentence names only other years: it is about another one.

    A year said relatively ("Twenty-seven films were made last year, compared with 45 in 2003") may be the asked one,
    and so may a figure compared with another year's ("a change from the loss of 364m euros in 2003").
    """
    named = set(YEAR.findall(sentence))
    return bool(years) and bool(named) and not named & years and RELATIVE_YEAR.search(sentence) is None \
        and COMPARED_YEAR.search(sentence) is None


# Who is killed, hurt or held is a person: "the attack, which killed five" counts people.
CASUALTIES = re.compile(r"\b(?:kill(?:ed|ing|s)?|died|dead|deaths?|injur(?:ed|ing|ies)|wounded|hurt|casualties"
                        r"|arrested|detained)\b", re.IGNORECASE)


def counts_asked(sentence: str, noun: str | None) -> bool:
    """True unless a how-many question counts people and the sentence names none ("15 … mines" for "people").

    Things are named too many ways ("missions abroad" are "embassies", "insurers" "insurance companies") for
    their noun to be required; people are named by a small set of words.
    """
    if noun not in HUMANS:
        return True
    words = {folded(w) for w in re.findall(r"[a-z]+", sentence.lower())}
    return any(folded(n) in words for n in HUMANS) or CASUALTIES.search(sentence) is not None


def counted_end(sentence: str, end: int, question: str) -> int:
    """Where a count's short answer ends once it names what it counts ("64 electrodes", "200 new jobs").

    It reaches over at most three words to the question's counted noun (for people and posts, any such word), and
    stops at punctuation; otherwise the count stays as it is.
    """
    noun = asked_of(question).counted
    following = re.match(r"(?:[ -]+[A-Za-z][\w'’-]*){1,3}", sentence[end:])
    if noun is None or following is None:
        return end
    for word in re.finditer(r"[A-Za-z][\w'’-]*", following.group(0)):
        token = word.group(0).lower()
        if folded(token) == folded(noun) or (noun in HUMANS and token in HUMANS):
            return end + word.end()
    return end


def at_rate(sentence: str, end: int, unit: str) -> bool:
    """True when the amount ending at `end` is given per the unit ("31p a share", "£3bn pounds a year").

    A unit of time or a share must be the one asked ("a year" is not "a week"); any other unit is named many
    ways ("per new home", "on every new house"), so an amount given at any rate, or in a sentence that names the
    unit ("cut by $2 per 1,000 cubic metres, to $58"), answers it.
    """
    closed = unit in RATE_UNITS
    named = rf"{unit}s?" if closed else r"[a-z]+"
    # "$76 for each Guidant share", "£11,000 on every new house"
    rate = (rf"\s*(?:\([^)]*\)\s*)?(?:(?:pounds|dollars|euros)\s+)?(?:(?:for\s+|on\s+)?(?:a|an|per|each|every|/)[\s-]*"
            rf"(?:{RATE_FIGURE}[\s-]+)?(?-i:[A-Z][\w&'’-]*\s+){{0,2}}(?:[a-z]+\s+)?{named}\b"
            r"|apiece\b|each\b)")  # "£4.50 for an hour's session", "570 rupees apiece", "$120m each"
    given = re.match(rate, sentence[end:], re.IGNORECASE) is not None
    return given or (not closed and re.search(rf"\b{unit}", sentence, re.IGNORECASE) is not None)


def initials(words: list[str]) -> str:
    """The capital initials of a run of words, linking words skipped ("Transport and General Workers Union": TGWU)."""
    return "".join(w[0] for w in words if w.lower() not in LINKING_WORDS)


def abbreviated(name: str, acronyms: frozenset[str]) -> set[str]:
    """The name's words that the question says by their acronym ("Transport and General Workers Union" for TGWU)."""
    # spelt-out words only, the first too ("United States" for US; not "UMD, Sony", whose "UMD" is an acronym itself)
    words = [w for w in re.findall(r"[A-Z][\w'’-]*", name) if w.lower() not in LINKING_WORDS and not w.isupper()]
    found: set[str] = set()
    for i in range(len(words)):
        for j in range(i + 2, len(words) + 1):
            if initials(words[i:j]) in acronyms:
                found.update(w.lower() for w in words[i:j])
    return found


def alias_of_asked(sentence: str, start: int, capitals: tuple[str, ...]) -> bool:
    """A name given as another name of one the question names is that one ("Snoop Dogg - real name Calvin Broadus")."""
    before = sentence[max(0, start - ALIAS_REACH) : start]
    return ALIAS.search(before) is not None and any(re.search(rf"\b{re.escape(c)}\b", before) for c in capitals)


def abbreviates(name: str, words: tuple[str, ...]) -> bool:
    """True when the name is the acronym of words the question spells out: it names nothing new.

    words: the question's capitalised words (Asked.capitals); "AEFA" is its own "American Express Financial Advisors".
    """
    if not ACRONYM.fullmatch(name):
        return False
    return any(initials(words[i : i + len(name)]) == name for i in range(len(words) - len(name) + 1))


def done_before(sentence: str, span: tuple[int, int]) -> bool:
    """True when the clause leading up to the instance reports something done (a past verb) and nothing ahead."""
    clause = sentence[clause_of(sentence, span)[0] : span[0]]
    done = any(not PARTICIPLE_BY.match(clause, verb.end()) for verb in PAST_VERB.finditer(clause))
    return done and AHEAD.search(clause) is None


def clause_of(sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    """Start and end of the clause holding the instance: from the last break before it to the next after it."""
    start = max([m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, span[0])], default=0)
    following = CLAUSE_BREAK.search(sentence, span[1])
    return start, following.start() if following else len(sentence)


def other_than_asked(sentence: str, span: tuple[int, int], expected: Expected, article: str = "") -> bool:
    """True when a name is not the kind of thing the head noun asks for, or owns it rather than being it.

    "Which former spin doctor …" is not answered by a country ("Australia"), though a bare "who won?" may be,
    unless the sentence uses the country as a place ("refugees from Afghanistan and Kosovo" for "Who replaced
    David Blunkett?"); nor by "Tony Blair" in "Tony Blair's former spin doctor": a name in the possessive
    followed within three words by the head noun says whose that thing is (an answer to "whose …").
    """
    if expected.kind == PERSON and places_only(sentence[span[0] : span[1]]) \
            and (expected.noun is not None or LOCATIVE.search(sentence, 0, span[0])):
        return True
    if expected.kind == NAME and expected.noun not in FIELDED_BY_COUNTRIES and places_only(sentence[span[0] : span[1]]):
        return True  # "Which film …" is not answered by "Europe"; "which team" may be by "France"
    if expected.kind == PLACE and within_a_country(expected.noun, sentence[span[0] : span[1]]):
        return True  # "In which Danish city …" is not answered by "Denmark", nor "which constituency" by "UK"
    if wrong_kind_of_name(sentence[span[0] : span[1]], expected, article):
        return True
    if expected.kind == PERSON and described(sentence, span):
        return True  # "the Dane's agent": a nationality or a role after "the", not the person's name
    if expected.noun is None or expected.kind not in (PERSON, NAME, PLACE):
        return False
    after = sentence[span[1] : span[1] + 80]
    noun = re.escape(expected.noun)
    return re.match(rf"['’]s(?:\s+[\w-]+){{0,3}}?\s+{noun}(?:s|es)?\b", after, re.IGNORECASE) is not None


# Place nouns for somewhere inside a country: a country or region never answers them, except a city-state, whose
# name is its city's (CLDR territories that are one city).
INSIDE_A_COUNTRY = frozenset(
    "town city village venue stadium ground county province constituency seat street hotel theatre cities towns "
    "district suburb port airport plant factory".split()) | GROUNDS
CITY_STATES = frozenset((
    "singapore", "monaco", "gibraltar", "vatican city", "luxembourg", "kuwait", "djibouti", "panama", "san marino"))


def within_a_country(noun: str | None, text: str) -> bool:
    """True when a place inside a country is asked for and the name is a country or region ("Denmark" for a city)."""
    return noun in INSIDE_A_COUNTRY and places_only(text) and text.lower() not in CITY_STATES


THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)  # searched up to an instance's start
OWNS_AFTER = re.compile(r"['’]s\b")  # matched at an instance's end


def described(sentence: str, span: tuple[int, int]) -> bool:
    """True for "the Dane's agent": a one-word singular name after "the" that owns something describes someone.

    A plural ("the Normans") names a people, and a name used as a modifier ("the Lagardere group") is a name.
    """
    text = sentence[span[0] : span[1]]
    one_word = " " not in text and not text.endswith("s")
    return one_word and THE_BEFORE.search(sentence, 0, span[0]) is not None \
        and OWNS_AFTER.match(sentence, span[1]) is not None


# Name nouns that ask for an organisation: a person's name never answers "which newspaper" or "which firm".
ORGANISATION_NOUNS = frozenset(
    "company firm group club band magazine newspaper paper website bank party organisation agency airline carrier "
    "broadcaster network station publisher chain retailer studio charity orchestra university college school label "
    "channel brand team nightclub restaurant pub".split()) | frozenset(BODIES)
NOBLE_TITLES = "Lord|Lady|Prince|Princess|Sheikh"
PERSONAL_TITLE = re.compile(rf"\b{name_cues.TITLES}\.?\s+[A-Z]")  # "Mr Mousa" is someone, no hotel
# A noble or royal title too makes someone no firm ("Prince Alwaleed"), though places are named after such people
# ("the Prince Edward Theatre", "Lady Margaret Hall")
TITLED = re.compile(rf"\b(?:{name_cues.TITLES}|{NOBLE_TITLES})\.?\s+[A-Z]")
NOT_A_PERSON_BELOW = 0.03  # P(person) under which a name is no one's: 0.2 % of held-out people, 50 % of the rest
SURELY_A_PERSON_ABOVE = 0.9  # P(person) over which a name is someone's: 2.5 % of held-out organisations, 62 % of
# people (bench/entity_kind_train.py's held-out names, the model fitted without them); but 2.7 % of places too, and a
# place question meets such names ("Miami" at 0.91) more often than a firm question meets firms like that


def wrong_kind_of_name(text: str, expected: Expected, article: str = "") -> bool:
    """True when the article's cues (bot.answering.name_cues) or the name model say the name is not the kind asked for.

    A "who" question is not answered by "Touching From A Distance" or "South China Morning Post"; "which
    newspaper" is not answered by "Oliver Finegold". Every name of a list must be of the wrong kind. Both
    cut-offs are read from the model's held-out names (bench/entity_kind_train.py), never from questions. A place
    ("which hotel") is not a name with a personal title ("Mr Mousa"), a firm not one with a noble title either
    ("Prince Alwaleed"), unless the name ends in an institution's word ("the Prince Edward Theatre"). Where the
    article labels every name of the list, its words decide instead of the model's guess from letters.
    """
    if expected.kind not in (PERSON, PLACE, NAME) or kinds_answering(expected) == ALL_NAME_KINDS:
        return False  # no kind of name is refused: neither the article nor the model need be read
    parts = list_parts(text)
    cues = [name_cues.cued_kind(p, article) for p in parts] if article else []
    if parts and cues and None not in cues:  # the article's own words outrank the letters' guess
        if all(cue not in kinds_answering(expected) for cue in cues):
            return True
        if expected.kind != PLACE:
            return False
    if not parts:
        return False
    if expected.kind == PLACE:  # "the Basra hotel where he was arrested" is not "Mr Mousa", a city no "… Group"
        return all(organisation(p) or (someone(p) and PERSONAL_TITLE.search(p)) for p in parts)
    if expected.kind == NAME and expected.noun is not None and singular(expected.noun) in ORGANISATION_NOUNS:
        return all(someone(p) and (TITLED.search(p) or surely_a_person(person_chance(p))) for p in parts)
    chances = [person_chance(p) for p in parts]
    if expected.kind == PERSON and None not in chances:
        return all(c < NOT_A_PERSON_BELOW for c in chances)  # type: ignore[operator]
    return False


def someone(name: str) -> bool:
    """A name that may be a person's: it does not end in an institution's word ("… Theatre", "… Hospital")."""
    return not institution_word(name.split()[-1])


def surely_a_person(chance: float | None) -> bool:
    """The name model is sure enough that this is someone (SURELY_A_PERSON_ABOVE): no firm, club or place."""
    return chance is not None and chance > SURELY_A_PERSON_ABOVE


def kinds_answering(expected: Expected) -> frozenset[str]:
    """The kinds of name (bot.answering.name_cues) that may answer: "who" a firm too, "which player" a person only.

    An organisation asked for by its noun ("which paper", "which club") is never a person the article calls "Mr …".
    """
    if expected.kind == PERSON:
        return frozenset({"person"} if expected.noun is not None else {"person", "organisation"})
    if expected.kind == PLACE:
        return frozenset({"place", "organisation"})  # a club's name is its town's ("… Group" is refused below)
    if expected.noun is not None and singular(expected.noun) in ORGANISATION_NOUNS:
        return frozenset({"organisation", "place"})  # "which team" by "France"
    return ALL_NAME_KINDS


ALL_NAME_KINDS = frozenset(name_cues.KINDS)


# Last words that make a name an organisation's ("International Steel Group", "Labour Party"), never a place's.
ORGANISATION_ENDINGS = frozenset(
    "group company corporation corp inc ltd plc llc party association federation foundation institute commission "
    "agency".split())


def organisation(name: str) -> bool:
    """True when the name ends in a word only organisations end in."""
    words = name.split()
    return bool(words) and words[-1].lower().strip(".,") in ORGANISATION_ENDINGS


def person_chance(name: str) -> float | None:
    """P(the name is a person's), read as a whole and after any possessive ("South Africa's Schalk Burger")."""
    readings = [name, *re.split(r"['’]s\s+", name)[1:]]
    named, of, place = name.partition(" of ")
    if of and (places_only(place) or place[:1].isupper()):  # "Tirunesh Dibaba of Ethiopia", "… of Save the Children"
        readings.append(named)
    found = [entity_kind.probabilities(r) for r in readings]
    return None if any(f is None for f in found) else max(f["person"] for f in found)  # type: ignore[index]


# A pronoun and a verb in the past start a clause of their own: what "he founded" is no plan of "he planned to stay".
DONE_BY_SOMEONE = re.compile(r"\b(?:he|she|it|they|we|I)\s+(?:had\s+|has\s+|have\s+)?[a-z]+ed\b")


def unrealised(sentence: str, span: tuple[int, int], markers: re.Pattern[str]) -> bool:
    """True when the instance's clause holds a marker (the figure is planned or guessed).

    Before the instance ("are to be married on 8 April") or after it, where a figure is the subject ("Up to 30
    Labour MPs could oppose the scheme"); a pronoun's own past verb in between starts another clause.
    """
    clause_start, clause_end = clause_of(sentence, span)
    for done in DONE_BY_SOMEONE.finditer(sentence, clause_start, span[0]):  # "the label he founded in 1987"
        clause_start = done.start()
    return markers.search(sentence, clause_start, span[0]) is not None \
        or markers.search(sentence, span[1], clause_end) is not None


def holds_answer(sentence: str, expected: Expected, question: str) -> bool:
    """Whether the sentence could answer: always for untyped questions, else it must hold a novel instance."""
    return not expected.typed or bool(answer_spans(sentence, expected, question))


# Words that, standing between the asked-for noun and a name, make the name something else than the thing itself.
BETWEEN_NOT = PREPOSITIONS | AUXILIARIES | frozenset("of by made and or that which who whose than as".split())


def introduced(sentence: str, span: tuple[int, int], phrase: frozenset[str]) -> bool:
    """True when the instance follows the asked-for noun phrase ("the luxury cruise liner Crystal Harmony").

    News copy names a thing right after saying what it is; an instance so introduced is the "which X" asked for.
    """
    if appositive(sentence, span, phrase):
        return True
    before = re.findall(r"[\w'-]+", sentence[max(0, span[0] - 60) : span[0]].lower())[-3:]
    for k in range(len(before) - 1, -1, -1):
        if before[k] in BETWEEN_NOT:  # "chips made by Huawei": a relation, not a name for the chips
            return False
        if folded(before[k]) in phrase:
            return True
    return False


def appositive(sentence: str, span: tuple[int, int], phrase: frozenset[str]) -> bool:
    """True when the name stands in apposition to a noun phrase headed by the asked-for noun.

    "The director of the film, Vinod Pande, says …": the phrase before the comma is headed by "director".
    """
    before = sentence[: span[0]].rstrip()
    if not before.endswith(","):
        return False
    noun_phrase = re.split(r"[,;:]", before[:-1])[-1].strip()
    head = re.split(r"\s+(?:of|for|at|in|on|to)\s+", noun_phrase, maxsplit=1)[0].lower().split()
    return bool(head) and folded(head[-1]) in phrase
