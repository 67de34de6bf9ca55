"""The vocabulary both halves of answer typing share, so a word list is written once.

The answer kinds, the nouns that name people, places and firms, number words and month names, and a few word
helpers (folded forms, capitalised words): bot.answering.asked reads questions with them, answer_types sentences.
"""

from __future__ import annotations

import re

# The kinds an answer can be; OTHER places no constraint (what offence, why, what does X say).
MONEY, COUNT, NUMBER, PERCENT, DATE, DURATION, AGE, MEASURE = (
    "money", "count", "number", "percent", "date", "duration", "age", "measure")
RANK = "rank"  # a place in a table or list: "14th", "407th"
PHYSICAL = "physical"  # a distance, speed, weight, height, width or depth: a quantity with its unit
PERSON, PLACE, NAME, SCORE, OTHER = "person", "place", "name", "score", "other"
ABSENT = "absent"  # a negated what/which/who question: nothing in the articles can be quoted as its answer
NUMERIC = frozenset({MONEY, COUNT, NUMBER, PERCENT, DATE, DURATION, AGE, MEASURE, PHYSICAL, SCORE, RANK})
NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
                "thousand million billion trillion dozen dozens hundreds thousands millions half quarter third "
                "tenth").split()
MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
STOP_CAPS = frozenset(
    "the a an he she it they we i you his her its their our this that these those there here but and or so if "
    "in on at for with by from as after before when while however meanwhile mr mrs ms dr sir lord lady "
    "monday tuesday wednesday thursday friday saturday sunday".split()) | frozenset(MONTHS)
PERSON_NOUNS = frozenset(
    "person man woman men women player players minister ministers secretary chancellor leader leaders chief boss "
    "coach manager director executive chairman chairwoman president actor actress singer star stars dj djs "
    "presenter host judge lecturer author novelist writer founder member members captain striker winner finalist "
    "champion spokesman spokeswoman mp mps peer lawyer officer official officials candidate premier king queen "
    "prince princess producer frontman musician comedian artist designer analyst economist governor mayor "
    "inventor creator owner head heads figure deputy rival opponent keeper goalkeeper athlete sprinter runner doctor "
    "scientist researcher professor pope ambassador envoy commissioner spin doctor prop hooker flanker winger "
    "fly-half scrum-half full-back centre midfielder defender forward batsman bowler jockey trainer "
    "referee associate friend lord msp msps aide adviser advisor colleague relative brother sister son daughter "
    "wife husband father mother boyfriend girlfriend suspect victim witness journalist reporter editor "
    "photographer rapper guitarist drummer bassist vocalist composer conductor dancer chef banker investor "
    "billionaire tycoon entrepreneur businessman businesswoman politician senator congressman councillor "
    "cleric commander soldier detective prosecutor solicitor barrister defendant boxer landowner employee "
    "golfer cyclist swimmer rider driver teammate team-mate compatriot successor predecessor nominee contender "
    "challenger medallist runner-up villain hero heroine youngster youngsters teenager teenagers boy boys girl "
    "girls".split())
# Buildings and grounds are places ("Which Athens hospital …", "Which church …"), each inside a country.
GROUNDS = frozenset("hospital clinic prison jail church cathedral mosque temple zoo park arena racecourse".split())
# What a question for a label asks is often a phrase the article puts in quotation marks ("Chinese Nvidia", "vote now,
# pay later"), which no name rule takes whole (a demonym is cut, a lower-case phrase is no name).
LABEL_NOUNS = frozenset("nickname slogan phrase motto catchphrase moniker".split())
# What makes or regulates things is a firm or a public body, named ("Which food manufacturer …?": Kraft), never a person
BODIES = ("manufacturer maker carmaker chipmaker supplier provider insurer lender brewer distributor conglomerate "
          "watchdog regulator union council authority ministry department committee commission institute "
          "association federation trust foundation society").split()
LINKING_WORDS = frozenset("of the and de da van von du le la di al &".split())  # as LINKERS


STORED = frozenset("data storage memory space".split())  # measured in bytes ("50GB"), not money
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# What has not happened yet: a guess ("could", "is likely to"), an intention or an expectation ("intends to ship",
# "wants £6m").
INTENT = (r"(?:plan(?:s|ned|ning)?|aim(?:s|ed|ing)?|hop(?:e|es|ed|ing)|intend(?:s|ed|ing)?|want(?:s|ed|ing)?"
          r"|expect(?:s|ed|ing)?|seek(?:s|ing)?|sought)\s+to|likely\s+to|wants?\b|wanted\b")
# The modal "may" in lower case only: "May" is a month or a name ("May Department Stores").
MAY = "(?-i:may)"
IRREALIS = re.compile(
    rf"\b(?:will|would|could|might|{MAY}|shall|(?:is|are|was|were|be)\s+(?:due\s+|set\s+|expected\s+|likely\s+|going\s+)?to"
    r"|(?:is|are|was|were|be)\s+(?:due|set|scheduled|slated)\s+for"
    rf"|plan(?:s|ned)?\s+to|{INTENT}|propos(?:e|es|ed)|so\s+far|currently|to\s+date|at\s+the\s+moment)\b",
    re.IGNORECASE)
RATE_FIGURE = r"(?:\d[\d,.]*[kmbn]*|hundred|thousand|million|billion)"  # "per 1,000", "per million"
RATE_UNITS = ("week", "month", "year", "day", "hour", "share", "head", "game", "match", "night")  # "a week" only
ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
PREPOSITIONS = frozenset("in at on for from with by to into about among per".split())  # not "of": "length of ban"
AUXILIARIES = frozenset("is was were are be been did does do has have had will would can could should may might "
                        "must shall".split())


def words_of(text: str) -> set[str]:
    """Lower-cased word forms, for comparing an instance with the question."""
    return {w.lower().strip("'’") for w in re.findall(r"[\w'’]+", text.replace("’s", "").replace("'s", ""))}


def folded(word: str) -> str:
    """A word without its plural "s" ("awards" -> "award"); short words and "-ss" stay ("bus", "Ross")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


# People and posts: a how-many question about either is answered by a count of the other ("120,000 people are
# expected" for "how many visitors", "200 new jobs" for "how many extra posts").
HUMANS = frozenset(
    "people persons staff workers employees jobs posts job post workforce personnel members miners visitors fans "
    "spectators attendees delegates customers users subscribers residents voters pupils students children adults "
    "players mps peers councillors officers troops soldiers police victims men women britons americans "
    "sufferers patients viewers listeners audience audiences tourists passengers travellers shoppers".split())


def capitalised_words(text: str) -> list[str]:
    """The words that start with a capital, in order (the question's first word left out)."""
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    return [w for i, w in enumerate(words) if w[0].isupper() and (i or len(words) == 1)]
