"""The periods a question's own words name, counted from NEWSDESK_NOW, and the --since/--until values."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answering.period import find_period, flag_window, parse_bound
from bot.config import load_settings
from index.errors import NewsdeskError
from index.window import Window, coverage

NOW = date(2025, 2, 5)  # a Wednesday


def span(question: str, today: date = NOW) -> tuple[date | None, date | None]:
    """The window's first and last day for a question (fails when it names no period)."""
    window = find_period(question, today).window
    assert window is not None and window.bounded, question
    return window.since, window.until


@pytest.mark.parametrize(("question", "since", "until"), [
    ("What happened with Yukos this week?", date(2025, 2, 3), NOW),
    ("What happened with Yukos last week?", date(2025, 1, 27), date(2025, 2, 2)),
    ("What did Huawei announce last month?", date(2025, 1, 1), date(2025, 1, 31)),
    ("What was reported about DeepSeek in January 2025?", date(2025, 1, 1), date(2025, 1, 31)),
    ("What has Huawei said since Monday?", date(2025, 2, 3), NOW),
    ("What was reported about DeepSeek and Huawei in the last week of January 2025?",
     date(2025, 1, 25), date(2025, 1, 31)),
    ("What happened in the first week of February 2025?", date(2025, 2, 1), date(2025, 2, 7)),
    ("What was said today?", NOW, NOW),
    ("What was said yesterday?", date(2025, 2, 4), date(2025, 2, 4)),
    ("What happened in the past 3 days?", date(2025, 2, 3), NOW),
    ("What happened over the past week?", date(2025, 1, 30), NOW),
    ("What was reported this month?", date(2025, 2, 1), NOW),
    ("What changed this year?", date(2025, 1, 1), NOW),
    ("What happened last year?", date(2024, 1, 1), date(2024, 12, 31)),
    ("What was said on 28 January 2025?", date(2025, 1, 28), date(2025, 1, 28)),
    ("What was said on January 28, 2025?", date(2025, 1, 28), date(2025, 1, 28)),
    ("What was reported on 2025-01-28?", date(2025, 1, 28), date(2025, 1, 28)),
    ("What happened since 28 January 2025?", date(2025, 1, 28), NOW),
    ("What was reported before January 2025?", None, date(2024, 12, 31)),
    ("What happened between January 2025 and February 2025?", date(2025, 1, 1), date(2025, 2, 28)),
    ("What has happened since January?", date(2025, 1, 1), NOW),
    ("What has happened since March?", date(2024, 3, 1), NOW),  # the last March before today
])
def test_each_phrase_sets_its_window_from_now(question: str, since: date | None, until: date) -> None:
    assert span(question) == (since, until)


def test_since_a_weekday_means_the_last_one_before_today() -> None:
    monday = date(2025, 2, 3)
    assert span("What happened since Monday?", monday) == (date(2025, 1, 27), monday)
    assert span("What happened since Sunday?", monday) == (date(2025, 2, 2), monday)


@pytest.mark.parametrize("question", [
    "Who won the women's singles at Wimbledon in 2005?",  # a bare year dates the event
    "How many chart-toppers have they had since 2002?",
    "Which drama came top among new plays at this year's Critics' Circle awards?",  # a possessive modifier
    "How much did retail sales rise in December?",  # a month without its year
    "Who presents the Today programme on Radio 4?",  # a name, not a day
    "How long will the plant stay closed until March?",
    "What did the chancellor say on Friday?",  # a weekday alone
    "Which venture capital firm backed Yahoo with its first funding in April 1995?",  # a calendar date of the event
    "What was the record peak for oil prices that was set in late October 2004?",
    "By how much have Mitsubishi Motors' sales slid over the past year?",  # the span of the change measured
    "By how much did sales of security software grow each year between 2002 and 2004?",
])
def test_event_times_and_names_set_no_window(question: str) -> None:
    found = find_period(question, NOW)
    assert found.window is None and found.text == question


def test_the_phrase_is_taken_out_of_what_is_searched() -> None:
    found = find_period("What was reported about DeepSeek and Huawei in the last week of January 2025?", NOW)
    assert found.text == "What was reported about DeepSeek and Huawei?"
    assert found.window is not None and found.window.label == "the last week of January 2025"
    assert found.window.describe() == "the last week of January 2025 (2025-01-25 to 2025-01-31)"


def test_latest_asks_for_the_newest_not_for_someones_latest_thing() -> None:
    found = find_period("What is the latest on Yukos?", NOW)
    assert found.window is not None and found.window.latest and not found.window.bounded
    assert found.text == "What is the latest on Yukos?"
    assert find_period("What were the most recent reports about Huawei?", NOW).window is not None
    assert find_period("How many staff will Marsh & McLennan cut in its latest restructuring?", NOW).window is None
    assert find_period("What is BMW's latest Mini investment?", NOW).window is None
    both = find_period("What is the latest news from last week?", NOW).window
    assert both is not None and both.latest and both.since == date(2025, 1, 27)


@pytest.mark.parametrize(("value", "first", "last"), [
    ("2025-01-28", date(2025, 1, 28), date(2025, 1, 28)),
    ("2025-01", date(2025, 1, 1), date(2025, 1, 31)),
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),  # a bare year is fine as a flag: the person says it is a period
    ("January 2025", date(2025, 1, 1), date(2025, 1, 31)),
    ("last week", date(2025, 1, 27), date(2025, 2, 2)),
    ("monday", date(2025, 2, 3), date(2025, 2, 3)),
    ("Feb 2024", date(2024, 2, 1), date(2024, 2, 29)),
])
def test_flag_values_are_days_months_years_or_phrases(value: str, first: date, last: date) -> None:
    assert parse_bound(value, NOW, end=False) == first
    assert parse_bound(value, NOW, end=True) == last


def test_bad_flags_are_refused_with_a_reason() -> None:
    with pytest.raises(NewsdeskError, match="cannot read 'next tuesdayish' as a date"):
        parse_bound("next tuesdayish", NOW, end=False)
    with pytest.raises(NewsdeskError, match="is after --until"):
        flag_window("2025-02-01", "2025-01-01", NOW)
    window = flag_window("2025-01-25", None, NOW)
    assert window == Window(date(2025, 1, 25), None, "--since 2025-01-25")
    assert flag_window(None, None, NOW) is None


def test_newsdesk_now_sets_today_and_a_bad_value_is_refused() -> None:
    assert load_settings({"NEWSDESK_NOW": "2025-02-05"}, use_dotenv=False).today() == NOW
    assert load_settings({"NEWSDESK_NOW": "2025-02-05T23:10:00"}, use_dotenv=False).today() == NOW
    assert load_settings({}, use_dotenv=False).today() == date.today()
    with pytest.raises(NewsdeskError, match="NEWSDESK_NOW must be a date"):
        load_settings({"NEWSDESK_NOW": "soon"}, use_dotenv=False)


def test_undated_articles_are_inside_no_window() -> None:
    window = Window(date(2025, 1, 25), date(2025, 1, 31))
    assert window.contains("2025-01-28") and not window.contains("2025-02-01") and not window.contains(None)
    counts = coverage(window, ["2025-01-28", "2025-01-30", None, None, "2024-12-01"])
    assert (counts.inside, counts.undated, counts.total) == (2, 2, 5)


def test_a_change_at_a_moment_or_a_question_about_reporting_keeps_its_window() -> None:
    """"this week" is when the rise happens, which the week's articles report; "what did the papers report over the
    past year" asks about the reporting itself."""
    assert find_period("By how much will Harbour Rail fares rise this week?", NOW).window is not None
    assert find_period("What did the papers report about rising prices over the past year?", NOW).window is not None
