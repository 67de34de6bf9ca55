"""The period a question asks about ("this week", "in January 2025", "since Monday", "latest"), as a Window.

News questions are about time, and a question's own words say when: this module reads them, counted from a
given today (the front ends pass `NEWSDESK_NOW` or the real date). A phrase sets a window only when it names a
period of reporting, never when it dates an event the articles report on:

- relative periods (this week, last month, the past 3 days, today, yesterday, since Monday) count from today;
- a month needs its year ("in January 2025", "the last week of January 2025"), a day its month and year;
- a bare year ("won in 2005", "since 2002") and a month without a year ("sales fell in December") date the event,
  not the article, and set nothing; neither does a possessive ("this year's awards", "its latest restructuring");
- a calendar date ("in April 1995", "on 28 January 2025") sets a window only in a question about what was
  reported, said or happened then; in any other question it dates the event asked about ("Which firm backed
  Yahoo with its first funding in April 1995?", "the record set in late October 2004").

`--since` / `--until` take the same expressions and also a bare year, because there the person says it is a period.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.answering.asked import CHANGE_VERB
from index.errors import NewsdeskError
from index.window import Window

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
ORDINAL_WEEKS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 0, "final": 0}
ROLLING_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
NUMBER_WORDS = dict(zip("two three four five six seven eight nine ten".split(), range(2, 11), strict=True))

MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
UNIT = r"(?P<unit>day|week|fortnight|month|year)s?"
COUNT = r"(?P<count>\d{1,3}|" + "|".join(NUMBER_WORDS) + r")"

# Date expressions, most specific first; each names one period (a day, a week, a month, a year, a span to today).
EXPRESSIONS: list[tuple[str, str]] = [
    ("iso_day", r"(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)"),
    ("day_month_year", DAY + r"\s+(?:of\s+)?" + MONTH + r",?\s+" + YEAR),
    ("month_day_year", MONTH + r"\s+" + DAY + r",?\s+" + YEAR),
    ("week_of_month", r"(?:the\s+)?(?P<nth>first|second|third|fourth|last|final)\s+week\s+of\s+" + MONTH
     + r",?\s+" + YEAR),
    ("month_year", MONTH + r",?\s+(?:of\s+)?" + YEAR),
    ("rolling", r"(?:the\s+)?(?:past|last|previous)\s+" + COUNT + r"\s+" + UNIT),
    ("past_unit", r"(?:the\s+)?past\s+(?P<unit>day|week|fortnight|month|year)"),
    ("calendar", r"(?P<which>this|last|previous)\s+(?P<unit>week|month|year)"),
    ("today", r"(?P<word>today|yesterday)"),
]
# Only after "since", "before", "after", "until" or in flags: ambiguous on their own in a question.
LOOSE_EXPRESSIONS: list[tuple[str, str]] = [
    ("weekday", WEEKDAY),
    ("month_only", MONTH),
    ("year_only", YEAR),
    ("iso_month", r"(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)"),
]
LOOSE_KINDS = frozenset(kind for kind, _ in LOOSE_EXPRESSIONS)
CALENDAR_KINDS = frozenset({"iso_day", "day_month_year", "month_day_year", "week_of_month", "month_year"})
# A question about the reporting of a period, not about an event dated in it.
ABOUT_REPORTING = re.compile(r"\b(?:report(?:ed|s|ing)?|sa(?:y|id|ys)|happen(?:ed|s|ing)?|announc(?:e|ed|es|ing)"
                             r"|publish(?:ed)?|wr(?:ite|itten|ote)|news|cover(?:ed|age)|articles?|stor(?:y|ies)"
                             r"|headlines?|chang(?:e|ed|es)|going\s+on)\b", re.IGNORECASE)
SPAN_OPENS = re.compile(r"(?:over|during|throughout)\b", re.IGNORECASE)  # "over the past year": a change's span
SPAN_BEFORE = re.compile(r"\b(?:over|during|throughout)\s+$", re.IGNORECASE)
LATEST = re.compile(r"\b(?P<lead>\S+\s+)?(?P<word>latest|newest|most\s+recent)\b", re.I)
POSSESSIVE = re.compile(r"(?:'s|’s|s'|s’|\bits|\bhis|\bher|\btheir|\bour|\bmy|\byour)\s+$", re.I)
NOT_AFTER = r"(?!\s*(?:'s|’s|-))"  # "this year's awards", "last-minute": a modifier, not a period


@dataclass(frozen=True)
class Found:
    """A period read from a question: the window and the question's words with the period phrase taken out."""

    window: Window | None
    text: str


def combined(pairs: list[tuple[str, str]]) -> str:
    """One alternation of named expressions (group names made unique per expression)."""
    parts = []
    for kind, pattern in pairs:
        unique = re.sub(r"\(\?P<(\w+)>", lambda m, kind=kind: f"(?P<{kind}__{m.group(1)}>", pattern)
        parts.append(f"(?P<{kind}>{unique})")
    return "|".join(parts)


PREPOSITIONS = frozenset("in during throughout from over on for of within earlier later".split())
STRICT = combined(EXPRESSIONS)
ANY = combined(EXPRESSIONS + LOOSE_EXPRESSIONS)
STANDALONE = re.compile(
    r"(?:\b(?:" + "|".join(sorted(PREPOSITIONS)) + r")\s+)?\b(?:" + STRICT + r")\b" + NOT_AFTER,
    re.I,
)
BETWEEN = re.compile(r"\bbetween\s+(?P<a>" + ANY.replace("?P<", "?P<a_") + r")\s+and\s+(?P<b>"
                     + ANY.replace("?P<", "?P<b_") + r")\b" + NOT_AFTER, re.I)
BOUNDED = re.compile(r"\b(?P<op>since|after|before|until|till|up\s+to)\s+(?:the\s+)?(?:" + ANY + r")\b"
                     + NOT_AFTER, re.I)
WHOLE = re.compile(r"^\s*(?:" + ANY + r")\s*$", re.I)


def groups(match: re.Match[str], prefix: str = "") -> tuple[str, dict[str, str]]:
    """The matched expression's kind and its named parts (without their kind prefix)."""
    for kind, _ in EXPRESSIONS + LOOSE_EXPRESSIONS:
        if match.group(prefix + kind):
            parts = {}
            for name, value in match.groupdict().items():
                if value is not None and name.startswith(f"{prefix}{kind}__"):
                    parts[name.split("__", 1)[1]] = value.lower()
            return kind, parts
    raise AssertionError("a date expression matched without a kind")


def resolve(kind: str, parts: dict[str, str], today: date) -> tuple[date, date]:
    """The first and last day of the period an expression names, counted from today."""
    if kind == "iso_day":
        day = date.fromisoformat(parts["iso"])
        return day, day
    if kind in ("day_month_year", "month_day_year"):
        day = date(int(parts["year"]), MONTHS[parts["month"]], int(parts["day"]))
        return day, day
    if kind == "week_of_month":
        return week_of_month(parts["nth"], MONTHS[parts["month"]], int(parts["year"]))
    if kind in ("month_year", "iso_month"):
        return month_span(int(parts["year"]), int(parts["mon"]) if "mon" in parts else MONTHS[parts["month"]])
    if kind == "month_only":
        month = MONTHS[parts["month"]]
        return month_span(today.year if month <= today.month else today.year - 1, month)
    if kind == "year_only":
        return date(int(parts["year"]), 1, 1), date(int(parts["year"]), 12, 31)
    if kind == "weekday":
        back = (today.weekday() - WEEKDAYS[parts["weekday"]]) % 7 or 7  # the last such day before today
        return today - timedelta(days=back), today - timedelta(days=back)
    return relative(kind, parts, today)


def relative(kind: str, parts: dict[str, str], today: date) -> tuple[date, date]:
    """Periods counted back from today: rolling spans, calendar weeks, months and years, today and yesterday."""
    if kind == "today":
        day = today if parts["word"] == "today" else today - timedelta(days=1)
        return day, day
    if kind in ("rolling", "past_unit"):
        count = int(NUMBER_WORDS.get(parts.get("count", "1"), parts.get("count", "1")))
        return today - timedelta(days=count * ROLLING_DAYS[parts["unit"]] - 1), today
    back = parts["which"] != "this"
    if parts["unit"] == "week":
        monday = today - timedelta(days=today.weekday())
        return (monday - timedelta(days=7), monday - timedelta(days=1)) if back else (monday, today)
    if parts["unit"] == "month":
        if not back:
            return today.replace(day=1), today
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    year = today.year - 1 if back else today.year
    return date(year, 1, 1), (date(year, 12, 31) if back else today)


def month_span(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def week_of_month(nth: str, month: int, year: int) -> tuple[date, date]:
    """The first (days 1-7), second, third or fourth week of a month, or its last seven days."""
    first, last = month_span(year, month)
    number = ORDINAL_WEEKS[nth]
    if number == 0:
        return last - timedelta(days=6), last
    start = first + timedelta(days=7 * (number - 1))
    return start, start + timedelta(days=6)


def find_period(question: str, today: date) -> Found:
    """The window a question's own words ask for (None when they name no period of reporting), and its rest."""
    latest = latest_request(question)
    for finder in (between, bounded, standalone):
        found = finder(question, today)
        if found is not None:
            window, span = found
            window = Window(window.since, window.until, window.label, latest)
            return Found(window, strip_span(question, span))
    return Found(Window(label="the newest articles first", latest=True) if latest else None, question)


def between(question: str, today: date) -> tuple[Window, tuple[int, int]] | None:
    """`between X and Y`: from the start of X to the end of Y."""
    match = BETWEEN.search(question)
    if match is None:
        return None
    first, last = groups(match, "a_"), groups(match, "b_")
    if event_date(first[0], question, match.start()) and event_date(last[0], question, match.start()):
        return None  # "the deal signed between May 2004 and June 2004": the event's time
    start, _ = resolve(*first, today)
    _, end = resolve(*last, today)
    return Window(start, end, phrase(match)), match.span()


def bounded(question: str, today: date) -> tuple[Window, tuple[int, int]] | None:
    """`since X` / `after X` (to today), `before X` / `until X` / `by X` (from any date)."""
    for match in BOUNDED.finditer(question):
        kind, parts = groups(match)
        op = " ".join(match.group("op").lower().split())
        if kind == "year_only" or (kind in LOOSE_KINDS and op not in ("since", "after")) \
                or event_date(kind, question, match.start()):
            continue  # "since 2002", "closed until March": the event's time, not the reporting's
        start, end = resolve(kind, parts, today)
        window = {
            "since": Window(start, today), "after": Window(end + timedelta(days=1), today),
            "before": Window(None, start - timedelta(days=1)),
        }.get(op, Window(None, end))
        return Window(window.since, window.until, phrase(match)), match.span()
    return None


def standalone(question: str, today: date) -> tuple[Window, tuple[int, int]] | None:
    """A period named on its own ("this week", "in January 2025", "yesterday"), not as a possessive modifier."""
    for match in STANDALONE.finditer(question):
        kind, parts = groups(match)
        if (kind == "today" and proper_noun(question, match.start(kind))) or event_date(kind, question, match.start()):
            continue  # "the Today programme"; "its first funding in April 1995"
        start, end = resolve(kind, parts, today)
        return Window(start, end, phrase(match)), match.span()
    return None


def event_date(kind: str, question: str, at: int = 0) -> bool:
    """True when the period dates the event asked about, not what was reported.

    A calendar date does; so does the span of a change the question measures, a range of years or a period
    "over" which it happened ("grow each year between 2002 and 2004", "sales slid over the past year"), though
    not the moment it happens ("How much will fares rise this week?"); never in a question about what was
    reported or said. at: where the period phrase starts.
    """
    if ABOUT_REPORTING.search(question):
        return False
    if kind in CALENDAR_KINDS:
        return True
    span = kind == "year_only" or SPAN_OPENS.match(question, at) or SPAN_BEFORE.search(question[:at])
    return bool(span) and CHANGE_VERB.search(question.lower()) is not None


def proper_noun(question: str, at: int) -> bool:
    """True for a capitalised word inside the sentence (a name such as "Today"), not at its start."""
    return question[at].isupper() and at > 0


def latest_request(question: str) -> bool:
    """True when the question asks for the latest news, not for someone's latest thing ("its latest plan")."""
    for match in LATEST.finditer(question):
        lead = match.group("lead") or ""
        if not POSSESSIVE.search(lead) and not proper_noun(question, match.start("word")):
            return True
    return False


def phrase(match: re.Match[str]) -> str:
    """The matched words as the question wrote them, whitespace collapsed, without a leading preposition."""
    words = match.group(0).split()
    return " ".join(words[1:] if words[0].lower() in PREPOSITIONS and len(words) > 1 else words)


def strip_span(question: str, span: tuple[int, int]) -> str:
    """The question without the period phrase (retrieval keeps to the window instead of matching its words)."""
    rest = question[: span[0]] + " " + question[span[1] :]
    rest = re.sub(r"\s+([?.!,;:])", r"\1", " ".join(rest.split()))
    return rest if re.search(r"\w", rest) else question


def parse_bound(text: str, today: date, end: bool) -> date:
    """A `--since` / `--until` value: a date, month or year (or any period phrase), as its first or last day."""
    match = WHOLE.match(text)
    if match is None:
        raise NewsdeskError(
            f"cannot read {text!r} as a date: use 2025-01-28, 2025-01, 2025, 'January 2025', 'last week' or a weekday"
        )
    start, stop = resolve(*groups(match), today)
    return stop if end else start


def flag_window(since: str | None, until: str | None, today: date) -> Window | None:
    """The window the --since / --until flags set, or None when neither is given."""
    if since is None and until is None:
        return None
    low = parse_bound(since, today, end=False) if since else None
    high = parse_bound(until, today, end=True) if until else None
    if low and high and low > high:
        raise NewsdeskError(f"--since {since} is after --until {until}: the window would hold no day")
    label = " ".join(x for x in (f"--since {since}" if since else "", f"--until {until}" if until else "") if x)
    return Window(low, high, label)


def window_for(question: str, today: date, given: Window | None = None) -> Found:
    """The window an answer keeps to: the flags' when given (the phrase is still taken out), else the question's."""
    found = find_period(question, today)
    if given is None:
        return found
    latest = given.latest or (found.window.latest if found.window else False)
    return Found(Window(given.since, given.until, given.label, latest), found.text)
