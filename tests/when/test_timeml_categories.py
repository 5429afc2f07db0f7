"""TIMEX3 values and intervals for categories TimeML corpora annotate: fiscal years, halves, holidays,
present references, decades with a modifier, quarters named relatively and vague counts."""

from __future__ import annotations

from datetime import date

import pytest

from sitreps.when import duration_value, find_time_expressions, normalise, timex_value

THU = date(1998, 2, 26)  # a Thursday


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("fiscal 1998", "FY1998"),
        ("fiscal year 1997", "FY1997"),
        ("the fiscal year", "FY1998"),
        ("last fiscal year", "FY1997"),
        ("the third quarter of fiscal 1997", "FY1997-Q3"),
        ("the first half of 1997", "1997-H1"),
        ("the second half", "1998-H2"),
        ("nowadays", "PRESENT_REF"),
        ("these days", "PRESENT_REF"),
        ("at the moment", "PRESENT_REF"),
        ("the late 1980s", "198"),
        ("mid-1990s", "199"),
        ("this past weekend", "1998-W08-WE"),
        ("this quarter", "1998-Q1"),
        ("next quarter", "1998-Q2"),
        ("the year-ago quarter", "1997-Q1"),
        ("a few days ago", "PAST_REF"),
        ("a couple of days ago", "1998-02-24"),
        ("Christmas", "1997-12-25"),
        ("New Year's Day", "1998-01-01"),
        ("Christmas Eve 1996", "1996-12-24"),
        ("every year", "P1Y"),
        ("every two weeks", "P2W"),
        ("quarterly", "P3M"),
        ("the first nine months", "P9M"),
        ("noon", "1998-02-26T12:00"),
        ("midnight Monday", "1998-02-23T24:00"),
        ("3 p.m.", "1998-02-26T15:00"),
        ("12 a.m.", "1998-02-26T00:00"),
        ("the 20th century", "19"),
        ("this century", "19"),
        ("the next decade", "200"),
        ("last decade", "198"),
    ],
)
def test_timex_value_follows_timeml_for_category(phrase: str, value: str) -> None:
    assert timex_value(phrase, published=THU) == value


def test_fiscal_year_interval_is_the_calendar_year_at_year_precision() -> None:
    got = normalise("fiscal 1997", published=THU)
    assert got is not None and (got.start, got.end, got.precision) == (date(1997, 1, 1), date(1997, 12, 31), 4)


def test_half_year_interval_is_six_months() -> None:
    got = normalise("the second half of 1997", published=THU)
    assert got is not None and (got.start, got.end) == (date(1997, 7, 1), date(1997, 12, 31))


def test_decade_modifier_narrows_the_interval() -> None:
    got = normalise("the late 1980s", published=THU)
    assert got is not None and (got.start, got.end) == (date(1986, 1, 1), date(1989, 12, 31))


def test_vague_count_ago_keeps_a_range_interval() -> None:
    got = normalise("several weeks ago", published=THU)
    assert got is not None and got.start is not None and got.end is not None and got.start < got.end < THU


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Profit fell in fiscal 1997, the company said.", "fiscal 1997"),
        ("Sales rose in the first half of 1998.", "the first half of 1998"),
        ("Sales doubled from the year-earlier quarter.", "the year-earlier quarter"),
        ("Sales doubled from the same period a year earlier.", "the same period a year earlier"),
        ("Shops were shut on Christmas Day.", "Christmas Day"),
        ("These days the road is closed.", "These days"),
        ("The town fell this past weekend.", "this past weekend"),
    ],
)
def test_find_time_expressions_finds_timeml_category(sentence: str, phrase: str) -> None:
    assert phrase in [s.text for s in find_time_expressions(sentence)]


def test_find_time_expressions_skips_today_in_an_outlet_name() -> None:
    assert find_time_expressions("A commander told Kurdistan Today that the enemy is retreating.") == []
    assert [s.text for s in find_time_expressions("Today the army attacked.")] == ["Today"]


def test_quarter_without_year_is_the_nearest_one_or_the_next_with_future_wording() -> None:
    assert timex_value("the third quarter", published=date(1989, 10, 26)) == "1989-Q3"
    assert timex_value("the fourth quarter", published=date(2006, 8, 19)) == "2006-Q4"
    future = "Profit will rise in the third quarter."
    assert timex_value("the third quarter", published=date(1989, 10, 26), context=future) == "1990-Q3"


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("The curfew starts at midnight on Friday.", "midnight on Friday"),
        ("Talks resumed at noon.", "noon"),
        ("The citadel has stood since the 12th century.", "the 12th century"),
        ("It was the worst flood this century.", "this century"),
    ],
)
def test_find_time_expressions_finds_clock_words_and_centuries(sentence: str, phrase: str) -> None:
    assert phrase in [s.text for s in find_time_expressions(sentence)]


def test_find_time_expressions_skips_noon_without_a_preposition() -> None:
    assert find_time_expressions("Noon Radio reported the strike.") == []


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("THREE DAYS AGO the army shelled the town.", "THREE DAYS AGO"),
        ("Output fell in Q3, 2016.", "Q3, 2016"),
        ("Fighting resumed in the 1990s.", "the 1990s"),
        ("It happened in WINTER 2015.", "WINTER 2015"),
    ],
)
def test_find_time_expressions_word_prefilter_ignores_case(sentence: str, phrase: str) -> None:
    assert phrase in [s.text for s in find_time_expressions(sentence)]


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("Militias were disarmed years ago, the mayor recalled.", "years ago", "PAST_REF"),
        ("The well ran dry many years ago.", "many years ago", "PAST_REF"),
        ("Monitors will return two weeks from now.", "two weeks from now", "1998-03-12"),
        ("The envoy reports back a week from today.", "a week from today", "1998-03-05"),
        ("Grain stocks peaked in the 1996 third quarter.", "the 1996 third quarter", "1996-Q3"),
        ("Arms sales in 1997's fourth quarter doubled.", "1997's fourth quarter", "1997-Q4"),
        ("The border war of the nineties left mines behind.", "the nineties", "199"),
        ("Refugee numbers were lower in the late eighties.", "the late eighties", "198"),
        ("Aid stocks at year-end covered two months.", "year-end", "1997"),
        ("Donors pledged more than in the prior year.", "the prior year", "1997"),
        ("Relief flights resume this spring, officials say.", "this spring", "1998-SP"),
        ("Cholera cases rose this winter in the camps.", "this winter", "1997-WI"),
        ("Attacks have doubled over the last decade.", "the last decade", "P10Y"),
    ],
)
def test_timeml_value_for_phrase_in_sentence(sentence: str, phrase: str, value: str) -> None:
    """Each phrase is found in a sentence and valued as a TimeML annotator would, published Thu 26 Feb 1998."""
    assert phrase in [s.text for s in find_time_expressions(sentence)]
    assert timex_value(phrase, published=THU, context=sentence) == value


def test_unit_after_a_word_that_is_no_count_is_no_duration() -> None:
    """'the prior year' is a date, never the vague duration PXY; a true vague count still is one."""
    assert duration_value("the prior year") is None
    assert duration_value("the same day") is None
    assert duration_value("several days") == "PXD"
    assert duration_value("the entire year") == "P1Y"


def test_years_ago_is_a_range_before_publication() -> None:
    got = normalise("years ago", published=THU)
    assert got is not None and got.start is not None and got.end is not None
    assert got.start < got.end < THU and got.precision == 4


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("The siege lasted twenty-five years.", "twenty-five years", "P25Y"),
        ("Talks broke down after thirty-one days.", "thirty-one days", "P31D"),
        ("The shelling went on for half an hour.", "half an hour", "PT30M"),
        ("A half-hour later the sirens stopped.", "A half-hour", "PT30M"),
        ("Crossing the river took an hour and a half.", "an hour and a half", "PT1.5H"),
        ("The town has been cut off for a year and a half.", "a year and a half", "P1.5Y"),
        ("The dam has stood for two centuries.", "two centuries", "P200Y"),
        ("Aid will be scaled up in the coming weeks.", "the coming weeks", "PXW"),
    ],
)
def test_durations_with_compound_numbers_halves_and_centuries(sentence: str, phrase: str, value: str) -> None:
    assert phrase in [s.text for s in find_time_expressions(sentence, durations=True)]
    assert timex_value(phrase, published=THU, context=sentence) == value


def test_compound_number_counts_offsets() -> None:
    assert timex_value("twenty-one days ago", published=THU) == "1998-02-05"
    assert "twenty-one days ago" in [s.text for s in find_time_expressions("It fell twenty-one days ago.")]


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("The blast hit at 10 a.m. EST, police said.", "10 a.m. EST", "1998-02-26T10:00"),
        ("Polls close at 8 p.m. local time.", "8 p.m. local time", "1998-02-26T20:00"),
        ("The strike came at 3:30 p.m. EDT on Tuesday.", "3:30 p.m. EDT on Tuesday", "1998-02-24T15:30"),
    ],
)
def test_clock_time_keeps_its_zone_in_the_extent(sentence: str, phrase: str, value: str) -> None:
    """TimeML marks the zone with the clock time and values the local reading (no Z unless UTC/GMT)."""
    assert phrase in [s.text for s in find_time_expressions(sentence)]
    assert timex_value(phrase, published=THU, context=sentence) == value


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("The bridge was bombed this past Monday.", "this past Monday", "1998-02-23"),
        ("Shelling peaked the week before last.", "the week before last", "1998-W07"),
        ("The camp flooded the weekend before last.", "the weekend before last", "1998-W07-WE"),
        ("Elections are due the year after next.", "the year after next", "2000"),
        ("Prices doubled the month before last.", "the month before last", "1997-12"),
    ],
)
def test_two_units_away_and_this_past_weekday(sentence: str, phrase: str, value: str) -> None:
    assert phrase in [s.text for s in find_time_expressions(sentence)]
    assert timex_value(phrase, published=THU, context=sentence) == value


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("Protesters gather in the square every Friday.", "every Friday", "XXXX-WXX-5"),
        ("Aid trucks cross on Mondays.", "Mondays", "XXXX-WXX-1"),
        ("The curfew starts each Sunday evening.", "each Sunday evening", "XXXX-WXX-7TEV"),
    ],
)
def test_recurring_weekday_is_a_set_without_a_date(sentence: str, phrase: str, value: str) -> None:
    """TimeML SET values for weekly recurrences; the interval stays unresolved and says why."""
    assert [s.text for s in find_time_expressions(sentence)] == [phrase]
    assert timex_value(phrase, published=THU, context=sentence) == value
    got = normalise(phrase, published=THU, context=sentence)
    assert got is not None and not got.resolved and got.start is None and got.rule.startswith("recurring:")


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("Arms exports fell in the fiscal first quarter.", "the fiscal first quarter", "FY1998-Q1"),
        ("Relief spending peaked in fiscal 1997's fourth quarter.", "fiscal 1997's fourth quarter", "FY1997-Q4"),
        ("The ministry overspent in the 1996 fiscal year.", "the 1996 fiscal year", "FY1996"),
        ("Budgets shrink in the current fiscal year.", "the current fiscal year", "FY1998"),
        ("Grain imports doubled in last year's third quarter.", "last year's third quarter", "1997-Q3"),
    ],
)
def test_fiscal_and_possessive_quarters(sentence: str, phrase: str, value: str) -> None:
    """Business-news quarter and fiscal forms, each found whole and valued as TimeML writes them."""
    assert [s.text for s in find_time_expressions(sentence)] == [phrase]
    assert timex_value(phrase, published=THU, context=sentence) == value


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("The blast hit at 14:30 local time.", "14:30 local time", "1998-02-26T14:30"),
        ("Shelling began at 05:15 on Tuesday.", "05:15 on Tuesday", "1998-02-24T05:15"),
        ("The ceasefire ends at 23:59.", "23:59", "1998-02-26T23:59"),
    ],
)
def test_24_hour_clock_after_a_cue(sentence: str, phrase: str, value: str) -> None:
    assert [s.text for s in find_time_expressions(sentence)] == [phrase]
    assert timex_value(phrase, published=THU, context=sentence) == value


@pytest.mark.parametrize(
    "sentence", ["The score was 2:30 at half time.", "Mix at a ratio of 1:30.", "It came at 24:10."]
)
def test_colon_numbers_that_are_no_clock_time(sentence: str) -> None:
    assert find_time_expressions(sentence) == []


def test_a_decimal_number_is_no_date() -> None:
    """dateparser read '20.16' as a day; only a three-part numeric form reaches it now."""
    assert normalise("20.16", published=THU) is None
