"""What kind of thing a question asks for, and where a sentence holds one that the question does not already name.

A sentence that repeats the question's words is not an answer; one that holds an instance of the asked-for kind
(a name for who/which, an amount for how much, a date for when, a count for how many, a place for where) that
the question itself does not contain is. The kinds come from the question's wh-phrase and, for "which X" /
"what X", from the head noun X.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from bot.answering import entity_kind, name_cues
from bot.answering.zipf import zipf

# The kinds an answer can be; OTHER places no constraint (what offence, why, what does X say).
MONEY, COUNT, NUMBER, PERCENT, DATE, DURATION, AGE, MEASURE = (
    "money", "count", "number", "percent", "date", "duration", "age", "measure")
RANK = "rank"  # a place in a table or list: "14th", "407th"
PHYSICAL = "physical"  # a distance, speed, weight, height, width or depth: a quantity with its unit
PERSON, PLACE, NAME, SCORE, OTHER = "person", "place", "name", "score", "other"
ABSENT = "absent"  # a negated what/which/who question: nothing in the articles can be quoted as its answer
NUMERIC = frozenset({MONEY, COUNT, NUMBER, PERCENT, DATE, DURATION, AGE, MEASURE, PHYSICAL, SCORE, RANK})
ORDINAL_RE = re.compile(r"\b(?:\d{1,4}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
                        r"|tenth|eleventh|twelfth|top|bottom"
                        r"|(?:number|No\.?)\s+(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten))\b",
                        re.IGNORECASE)  # a chart's "number two", "No 1" too
SCORE_RE = re.compile(r"\b\d{1,3}\s?-\s?\d{1,3}\b(?!\s?(?:year|month|day|week))")

SCALE = r"(?:bn|m|k|billion|million|thousand|trillion|mn)\b"
NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
                "thousand million billion trillion dozen dozens hundreds thousands millions half quarter third "
                "tenth").split()
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
MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
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
STOP_CAPS = frozenset(
    "the a an he she it they we i you his her its their our this that these those there here but and or so if "
    "in on at for with by from as after before when while however meanwhile mr mrs ms dr sir lord lady "
    "monday tuesday wednesday thursday friday saturday sunday".split()) | frozenset(MONTHS)

CALENDAR_WORDS = frozenset(MONTHS) | frozenset(DAYS)

DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ish|ese|ian|ean|ican|ern)$")
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
PLACE_NOUNS = frozenset(
    "town city country nation village venue stadium ground island region county state province capital place "
    "constituency seat area location street hotel theatre site countries cities towns river lake sea coast "
    "mountain valley district suburb port airport airbase border plant factory".split()) | GROUNDS
# What a question for a label asks is often a phrase the article puts in quotation marks ("Chinese Nvidia", "vote now,
# pay later"), which no name rule takes whole (a demonym is cut, a lower-case phrase is no name).
LABEL_NOUNS = frozenset("nickname slogan phrase motto catchphrase moniker".split())
# What makes or regulates things is a firm or a public body, named ("Which food manufacturer …?": Kraft), never a person
BODIES = ("manufacturer maker carmaker chipmaker supplier provider insurer lender brewer distributor conglomerate "
          "watchdog regulator union council authority ministry department committee commission institute "
          "association federation trust foundation society").split()
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
LINKING_WORDS = frozenset("of the and de da van von du le la di al &".split())  # as LINKERS
# Capitalised words that come before a person's name without being part of it.
PERSON_TITLES = PERSON_NOUNS | frozenset(
    "prime former shadow home foreign deputy vice chief general attorney junior senior mr mrs ms dr sir lord lady "
    "dame rev reverend st saint professor prof".split())
TRAILING_WORDS = PERSON_TITLES | LINKING_WORDS  # what a run may end with after the person's name
# Name nouns a country can be: a national side.
FIELDED_BY_COUNTRIES = frozenset("team teams side sides squad squads".split())
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
NOT_A_RACE_TIME = re.compile(r"\b(?:days?|weeks?|months?|years?|decades?|centuries|seasons?|games?|matches?|life)\b",
                             re.IGNORECASE)  # a race is timed in hours, minutes and seconds
# "How fast did she run the 1,000m?": a race over a set distance is answered by its time, not by a speed
RACE_PACE = re.compile(r"\bhow (?:fast|quickly) (?:did|does|do|has|had|can|could|will|would)\b[^?]*"
                       r"\b(?:run|ran|swim|swam|cover|covered|complete|completed|clock|clocked)\b[^?]*"
                       r"\b\d[\d,]*\s?(?:m|km|metres|meters|miles?)\b")
CHANGE_VERB = re.compile(r"\b(?:rise|rose|risen|fall|fell|fallen|increase|grow|grew|grown|drop|decline|jump|climb"
                         r"|slump|shrink|shrank|gain|slip|slide|slid|soar|plunge|tumble)(?:s|ed|ing)?\b")
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


def in_words(span: str) -> bool:
    """True when a span says something in words of its own, not only a name, a code or a figure ("H800", "90%")."""
    return any(w not in SAYS_NOTHING for w in re.findall(r"\b[a-z]{3,}\b", span))


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


STORED = frozenset("data storage memory space".split())  # measured in bytes ("50GB"), not money
BYTE_UNITS = r"[kmgtp]b|(?:kilo|mega|giga|tera|peta)?bytes?"  # "64GB", "1 TB", "50 gigabytes"
BYTES = re.compile(rf"(?:\d|\b)(?:{BYTE_UNITS})\b", re.IGNORECASE)
UNIT_REACH = 12  # characters after a figure in which its unit is written ("50 gigabytes")
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
    if kind == "how_much":
        noun = None if noun in RATE_WORDS or noun == "of" else noun  # "how much of that (sum) covers …"
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
    (r"\bhow (?:cheap|expensive|costly)\b", MONEY),  # "How cheap are the set-top boxes?"
    # "What will it cost to rent a current release?", "What did it actually cost DeepSeek …?": a sum, whatever follows
    (r"^what (?:did|does|do|will|would) (?:it|that|this|they|one|the \w+) (?:\w+ly )?cost\b", MONEY),
    (r"\bhow far into\b", DURATION),  # "How far into the match did they first attack?": a time into it
    (r"\bhow (?:tall|far|fast|heavy|wide|deep)\b", PHYSICAL),  # a size in metres, mph, kg …, never a bare number
    (r"\bhow (?:big|large|high|small|long)\b", MEASURE),  # "how big a loss" may be money, "how high" a percentage
    (r"^when\b|\b(?:until|since|by) when\b|\bwhen (?:did|does|do|was|were|is|will|has|had)\b"
     r"|\b(?:what|which|in what|in which|on what|on which) (?:year|date|month|day|decade)s?\b", DATE),
    # "Where does Murray stand on the ATP entry list?", "Where in the table were Newcastle?": a place in an order
    (r"\bwhere\b[^?]*\b(?:table|list|rankings?|standings|chart|pecking order)\b", RANK),
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
# A where-question's answer is a place something happens in, at, near or from ("his testimonial at Twickenham",
# "died at home in East Sussex"), not any capitalised words in the sentence ("Former England captain …").
PLACE_WORDS = "in|at|near|outside|inside|across|throughout|around"  # a place phrase's opening word
LOCATIVE = re.compile(rf"\b(?:{PLACE_WORDS}|from)\s+(?:the\s+)?$", re.IGNORECASE)
OUTCOME = re.compile(r"\b(?:finally|eventually|ultimately|in the end|at last|end(?:ed)? up|completed"
                     r"|(?:final|winning|eventual|closing)\s+(?:[a-z]+\s+)?(?:sentence|verdict|price|score|result"
                     r"|figure|cost|amount|total|bill|bid|tally|decision|ruling|fee|settlement|offer|sum))\b")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
RELATIVE_YEAR = re.compile(r"\b(?:last|this|next|previous|past|coming)\s+(?:year|season)\b"
                           r"|\ba\s+year\s+(?:earlier|ago|before)\b", re.IGNORECASE)
# A year the asked figure is compared with: "up from $66m during the same period in 2003", "than in 2003"
COMPARED_YEAR = re.compile(r"\b(?:from|than|compared\s+(?:with|to)|against)\b[^.;]{0,60}?\b(?:19|20)\d\d\b",
                           re.IGNORECASE)
ASKS_DAY = re.compile(r"\b(?:what|which)\s+(?:dates?|days?)\b", re.IGNORECASE)
MONTH_OR_YEAR = re.compile(rf"(?:in\s+)?(?:(?:early|mid|late)-)?(?:{MONTH}(?:,?\s+\d{{4}})?|(?:19|20)\d\d)",
                           re.IGNORECASE)
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
# What has not happened yet: a guess ("could", "is likely to"), an intention or an expectation ("intends to ship",
# "wants £6m").
INTENT = (r"(?:plan(?:s|ned|ning)?|aim(?:s|ed|ing)?|hop(?:e|es|ed|ing)|intend(?:s|ed|ing)?|want(?:s|ed|ing)?"
          r"|expect(?:s|ed|ing)?|seek(?:s|ing)?|sought)\s+to|likely\s+to|wants?\b|wanted\b")
# The modal "may" in lower case only: "May" is a month or a name ("May Department Stores").
MAY = "(?-i:may)"
ASKS_PLAN = re.compile(
    rf"\b(?:(?:expect|plan|intend|aim|hope|want|forecast|predict|estimat|target)\w*|could|might|{MAY}|would)\b")
# A penalty or sum someone may get, not what they got: "faces up to 20 years", "the charges carry a maximum of …";
# not "Ireland face the Faroe Islands in Dublin".
POSSIBLE = (r"(?:fac(?:e|es|ing)|carr(?:y|ies|ying))\s+(?:up\s+to|an?\s+(?:maximum|possible|fine|ban|jail|prison"
            r"|sentence|penalty)|maximum|jail|prison|life|fines?|sentences?|penalt)|maximum\b")
# "could not" ("the jury could not choose") reports what did not happen: a fact, not a guess
EPISTEMIC = re.compile(rf"\b(?:could(?!\s+not\b|n['’]t)|might|{MAY})\b|\b(?:{INTENT})|\b(?:{POSSIBLE})", re.IGNORECASE)
IRREALIS = re.compile(
    rf"\b(?:will|would|could|might|{MAY}|shall|(?:is|are|was|were|be)\s+(?:due\s+|set\s+|expected\s+|likely\s+|going\s+)?to"
    r"|(?:is|are|was|were|be)\s+(?:due|set|scheduled|slated)\s+for"
    rf"|plan(?:s|ned)?\s+to|{INTENT}|propos(?:e|es|ed)|so\s+far|currently|to\s+date|at\s+the\s+moment)\b",
    re.IGNORECASE)
RATE_FIGURE = r"(?:\d[\d,.]*[kmbn]*|hundred|thousand|million|billion)"  # "per 1,000", "per million"
RATE_UNITS = ("week", "month", "year", "day", "hour", "share", "head", "game", "match", "night")  # "a week" only
# A rate in the question ("how much a week", "what price per share") and the unit it is counted in.
# "Per" makes a rate of any common noun after it, a figure between them or not ("per million tokens", "per-plane
# price", "per 100 people"); "per O'Sullivan" and "per the chairman" say who said it, and "per cent" is a percentage.
RATE = re.compile(rf"\b(?:(?:a|an|per|each|every)\s+(?P<unit>{'|'.join(RATE_UNITS)})\b"
                  rf"|per[\s-]+(?:{RATE_FIGURE}[\s-]+)?(?P<noun>(?-i:(?!(?:cent|the|a|an)\b)[a-z]+)))", re.IGNORECASE)
PENALTY = re.compile(r"\b(?:jail|prison|sentenc|ban|suspen|imprison|term|detain|life)\w*", re.IGNORECASE)
ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
# A date that lies ahead of the article ("goes on sale … next year") does not answer what did or finally happened.
AHEAD_DATE = re.compile(r"\b(?:next|coming|later|tomorrow)\b", re.IGNORECASE)
# A name in a place phrase ("in Bute Park", "at Twickenham") is where something happened, not who did it.
PLACE_PHRASE = re.compile(rf"\b(?:{PLACE_WORDS})\s+(?:the\s+)?$", re.IGNORECASE)
# "Where did Siemens threaten to move its factory?": a question about a move is answered by where to ("to Hungary")
MOVE_QUESTION = re.compile(r"\bwhere\b.*\b(?:mov(?:e|ed|ing)|relocat\w*|transferr?\w*|sen[dt]|sending|travel\w*"
                           r"|fle[ed]|fleeing|emigrat\w*|deport\w*|shift\w*|switch\w*)\b", re.IGNORECASE)
TO_BEFORE = re.compile(r"\b(?:to|into)\s+(?:the\s+)?$", re.IGNORECASE)
# A question about what will happen or is planned ("When will Johnson play his last match?", "How many chips does
# Huawei plan to make?") is not answered by what was already done ("Johnson, who captained England to glory in 2003,
# will play …"; the 1,000 chips a cluster employed): an instance whose clause holds a past verb and nothing ahead.
FUTURE_QUESTION = re.compile(r"\b(?:will|shall|(?:is|are)\s+(?:\w+\s+){0,4}?(?:due|set|going|expected|scheduled)\s+"
                             r"(?:to|for)|(?:do|does)\s+(?:\S+\s+){1,5}?(?:plan|intend|aim)\s+to)\b")
# A future inside a relative or reported clause ("…, who warned that games will cost …") is not the question's.
SUBORDINATE = re.compile(r"(?:,\s*|\b)(?:who|which|that|whom)\b")
PAST_VERB = re.compile(r"\b(?:was|were|had|did|won|led|took|made|came|went|left|became|began|beat|gave|got|held|lost"
                       r"|ran|sold|bought|brought|told|wrote|quit|saw|[a-z]{3,}ed)\b", re.IGNORECASE)
PARTICIPLE_BY = re.compile(r"\s+by\b")  # "information held by 100,000 bodies": a participle, nothing done
AHEAD = re.compile(IRREALIS.pattern + r"|\b(?:scheduled|planned|slated|due|upcoming|next|expected|agree[sd]?\s+to)\b",
                   re.IGNORECASE)  # "agreed to three years' close monitoring": a commitment looks ahead
CLAUSE_BREAK = re.compile(r"[;:,—–]\s|\s-\s|\b(?:but|while|which|who|after|before|when|because|although)\b",
                          re.IGNORECASE)
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
SAYS_NOTHING = LINKING_WORDS | frozenset("for from with and but its his her their".split())  # not words of a reason
YES_NO = re.compile(r"^(?:is|are|was|were|do|does|did|can|could|will|would|has|have|had|should|may|might|must)\b",
                    re.IGNORECASE)
PREPOSITIONS = frozenset("in at on for from with by to into about among per".split())  # not "of": "length of ban"
AUXILIARIES = frozenset("is was were are be been did does do has have had will would can could should may might "
                        "must shall".split())


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
    if kind in (PERSON, PLACE, NAME):
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


def words_of(text: str) -> set[str]:
    """Lower-cased word forms, for comparing an instance with the question."""
    return {w.lower().strip("'’") for w in re.findall(r"[\w'’]+", text.replace("’s", "").replace("'s", ""))}


def folded(word: str) -> str:
    """A word without its plural "s" ("awards" -> "award"); short words and "-ss" stay ("bus", "Ross")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


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


# The words that give a name as another name of the one just named: "Snoop Dogg - real name Calvin Broadus",
# "Eminem (real name Marshall Mathers)", "Ali G, aka Sacha Baron Cohen".
ALIAS = re.compile(r"\b(?:(?:real|birth|full|stage)\s+names?(?:\s+is)?|aka|a\.k\.a\.|also\s+known\s+as)[\s:,]*$",
                   re.IGNORECASE)
ALIAS_REACH = 60  # characters before a name in which the other name and the alias words must stand
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


def fits(sentence: str, span: tuple[int, int], expected: Expected, asked: Asked) -> bool:
    """The kind-specific tests an instance must pass to answer this question (see answer_spans)."""
    text = sentence[span[0] : span[1]]
    kind = expected.kind
    return not (
        (kind == PLACE and expected.noun is None and not LOCATIVE.search(sentence, 0, span[0])  # "where …": in/at
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


# People and posts: a how-many question about either is answered by a count of the other ("120,000 people are
# expected" for "how many visitors", "200 new jobs" for "how many extra posts").
HUMANS = frozenset(
    "people persons staff workers employees jobs posts job post workforce personnel members miners visitors fans "
    "spectators attendees delegates customers users subscribers residents voters pupils students children adults "
    "players mps peers councillors officers troops soldiers police victims men women britons americans "
    "sufferers patients viewers listeners audience audiences tourists passengers travellers shoppers".split())


def counted_noun(question: str) -> str | None:
    """The head of "how many X" ("how many international caps did" -> caps), lower-cased; None without one."""
    found = re.search(r"\bhow many\s+((?:[\w'-]+\s+){0,4})", question.lower())
    words = found.group(1).split() if found else []
    head = next((words[:i] for i, w in enumerate(words)
                 if w in AUXILIARIES or w in PREPOSITIONS or w in RATE_WORDS or w in ("of", "the")
                 or w.endswith(("ed", "ing"))), words)
    plural = next((w for w in head if w in HUMANS or (len(w) > 3 and w.endswith("s"))), None)  # "american adults own"
    return plural or (head[-1] if head else None)


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


def capitalised_words(text: str) -> list[str]:
    """The words that start with a capital, in order (the question's first word left out)."""
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    return [w for i, w in enumerate(words) if w[0].isupper() and (i or len(words) == 1)]


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
