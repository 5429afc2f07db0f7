"""Tests for anchored phrases (counted from dates the narrative named), clock times, ranges and TimeML spans."""

from __future__ import annotations

from datetime import date

import pytest

from sitreps.model import DateInterval
from sitreps.when import find_and_normalise, normalise, timex_value

SUN = date(2016, 12, 11)  # a Sunday
WED = date(2017, 1, 18)  # a Wednesday


def _iv(start: str, end: str, precision: int) -> DateInterval:
    return DateInterval(date.fromisoformat(start), date.fromisoformat(end), precision, "x", "test anchor")


def _span(phrase: str, published: date, **kw: object) -> tuple[date | None, date | None, int]:
    got = normalise(phrase, published=published, **kw)  # type: ignore[arg-type]
    assert got is not None, phrase
    return got.start, got.end, got.precision


def test_clock_time_takes_the_day_named_in_its_sentence() -> None:
    context = "The jet made its first flight on Tuesday in Everett at 18:00 UTC."
    assert timex_value("18:00 UTC", published=WED, context=context) == "2017-01-17T18:00Z"


def test_clock_time_takes_a_day_named_after_it() -> None:
    context = "At 16:15 UTC, January 12, the chief executive outlined the plan."
    assert _span("16:15 UTC", WED, context=context)[0] == date(2017, 1, 12)


def test_clock_time_without_a_day_named_is_the_publication_day() -> None:
    context = "As of 14:48 UTC the index had dropped by 6.5 %."
    assert timex_value("14:48 UTC", published=WED, context=context) == "2017-01-18T14:48Z"


def test_year_range_is_one_interval_and_a_timeml_duration() -> None:
    assert _span("from 2009 to 2011", WED) == (date(2009, 1, 1), date(2011, 12, 31), 4)
    assert timex_value("between 2014 and 2016", published=WED) == "P2Y"
    assert timex_value("2014-16", published=WED) == "P2Y"


def test_two_years_joined_by_and_are_not_a_range() -> None:
    got = normalise("2009 and 2011", published=WED)
    assert got is None or got.rule != "range of years"


def test_month_range_without_year_ends_in_the_latest_such_month() -> None:
    assert _span("from March to May", WED) == (date(2016, 3, 1), date(2016, 5, 31), 3)
    assert timex_value("between November and January", published=WED) == "P2M"
    assert _span("between November and January", WED)[0] == date(2016, 11, 1)


def test_the_past_week_is_the_seven_days_up_to_publication() -> None:
    assert _span("the past week", WED) == (date(2017, 1, 12), WED, 2)
    assert timex_value("the past week", published=WED) == "P1W"
    assert timex_value("the past decade", published=WED) == "P10Y"


def test_last_week_stays_the_calendar_week_before() -> None:
    assert timex_value("last week", published=WED) == "2017-W02"
    assert timex_value("the last year", published=WED) == "2016"


def test_nth_week_of_a_month_is_the_iso_week_whose_thursday_is_in_it() -> None:
    assert timex_value("the last week of March", published=date(2009, 4, 1)) == "2009-W13"
    assert _span("the first week of December", WED) == (date(2016, 11, 28), date(2016, 12, 4), 2)


def test_month_of_next_year_reads_the_year_phrase() -> None:
    assert timex_value("October of next year", published=date(2009, 5, 15)) == "2010-10"
    context = "Dealers whose franchises won't be renewed after October of next year will get a letter."
    assert timex_value("October", published=date(2009, 5, 15), context=context) == "2010-10"


def test_the_day_counts_from_the_latest_day_named_not_a_month() -> None:
    anchors = [_iv("2017-01-13", "2017-01-13", 1), _iv("2016-12-01", "2016-12-31", 3)]
    assert _span("the day", WED, anchor=anchors) == (date(2017, 1, 13), date(2017, 1, 13), 1)


def test_the_day_without_an_anchor_is_the_publication_day() -> None:
    assert _span("the day", WED) == (WED, WED, 1)


def test_bare_part_of_day_is_that_part_of_the_last_day_named() -> None:
    anchors = [_iv("2017-01-17", "2017-01-17", 1)]
    assert timex_value("morning", published=WED, anchor=anchors) == "2017-01-17TMO"
    assert timex_value("late in the day", published=WED, anchor=anchors) == "2017-01-17"


def test_the_year_previous_counts_from_a_year_anchor() -> None:
    anchors = [_iv("2016-01-01", "2016-12-31", 4)]
    assert timex_value("the year previous", published=WED, anchor=anchors) == "2015"
    assert timex_value("the previous year", published=WED, anchor=anchors) == "2015"
    assert timex_value("the previous year", published=WED) == "2016"


def test_counted_days_ignore_an_anchor_known_only_to_the_year() -> None:
    anchors = [_iv("2009-01-01", "2009-12-31", 4)]
    assert _span("two days later", WED, anchor=anchors)[0] == date(2017, 1, 20)


@pytest.mark.parametrize(
    ("phrase", "anchor", "value"),
    [
        ("the same period last year", _iv("2016-12-01", "2016-12-31", 3), "2015-12"),
        ("the same period a year earlier", _iv("2016-07-01", "2016-09-30", 3), "2015-Q3"),
        ("the same month a year ago", _iv("2016-12-01", "2016-12-31", 3), "2015-12"),
        ("the same day last year", _iv("2017-01-17", "2017-01-17", 1), "2016-01-17"),
    ],
)
def test_same_period_a_year_back_keeps_the_anchor_grain(phrase: str, anchor: DateInterval, value: str) -> None:
    assert timex_value(phrase, published=WED, anchor=[anchor]) == value


def test_same_period_without_anchor_is_publication_month_a_year_back() -> None:
    assert timex_value("the same period last year", published=WED) == "2016-01"


def test_the_entire_year_is_the_year_last_named() -> None:
    anchors = [_iv("2005-10-01", "2005-12-31", 3)]
    assert timex_value("the entire year", published=date(2006, 1, 27), anchor=anchors) == "2005"


def test_earlier_in_the_week_ends_the_day_before_publication() -> None:
    assert _span("earlier in the week", SUN) == (date(2016, 12, 5), date(2016, 12, 10), 2)
    assert _span("earlier this week", date(2016, 12, 5)) == (date(2016, 12, 5), date(2016, 12, 5), 2)


def test_find_and_normalise_anchors_that_day_on_the_last_day_named_sentences_back() -> None:
    text = "Stocks rose on Friday. A report showed jobs were lost in March. Markets had closed early that day."
    got = {s.text: i for s, i in find_and_normalise(text, published=date(2009, 4, 6))}
    assert got["that day"].start == date(2009, 4, 3)


def test_a_year_earlier_keeps_the_grain_of_a_quarter_or_year_anchor() -> None:
    quarter = [_iv("1989-07-01", "1989-09-30", 3)]
    assert timex_value("a year earlier", published=date(1989, 10, 26), anchor=quarter) == "1988-Q3"
    year = [_iv("1989-01-01", "1989-12-31", 4)]
    assert timex_value("two years earlier", published=date(1989, 10, 26), anchor=year) == "1987"


def test_a_year_earlier_than_a_day_is_about_that_month() -> None:
    day = [_iv("1989-10-03", "1989-10-03", 1)]
    got = normalise("a year earlier", published=date(1989, 10, 26), anchor=day)
    assert got is not None and (got.start, got.end, got.precision) == (date(1988, 10, 1), date(1988, 10, 31), 3)
