"""Tests for sitreps.when.normalise: phrase -> interval, precision and rule against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from sitreps.when import NEEDS_PUBLISHED, default_date, normalise, timex_value
from sitreps.when.timex import duration_value

MON = date(2017, 1, 23)  # a Monday
THU = date(2017, 1, 19)  # a Thursday


@pytest.mark.parametrize(
    ("phrase", "published", "start", "end", "precision"),
    [
        ("in September", MON, "2016-09-01", "2016-09-30", 3),
        ("in December", MON, "2016-12-01", "2016-12-31", 3),
        ("in January", MON, "2017-01-01", "2017-01-31", 3),
        ("last December", MON, "2016-12-01", "2016-12-31", 3),
        ("since March", MON, "2016-03-01", "2016-03-31", 3),
        ("in December 2016", MON, "2016-12-01", "2016-12-31", 3),
        ("last week", MON, "2017-01-16", "2017-01-22", 2),
        ("last week", THU, "2017-01-09", "2017-01-15", 2),
        ("this week", MON, "2017-01-23", "2017-01-23", 2),
        ("this week", THU, "2017-01-16", "2017-01-19", 2),
        ("on Friday", MON, "2017-01-20", "2017-01-20", 1),
        ("on Friday", THU, "2017-01-13", "2017-01-13", 1),
        ("on Thursday", THU, "2017-01-19", "2017-01-19", 1),
        ("last Thursday", THU, "2017-01-12", "2017-01-12", 1),
        ("Sunday night", MON, "2017-01-22", "2017-01-22", 1),
        ("on Thursday morning", MON, "2017-01-19", "2017-01-19", 1),
        ("yesterday", MON, "2017-01-22", "2017-01-22", 1),
        ("today", THU, "2017-01-19", "2017-01-19", 1),
        ("overnight", MON, "2017-01-22", "2017-01-22", 1),
        ("earlier this month", MON, "2017-01-01", "2017-01-23", 3),
        ("earlier this month", date(2017, 1, 5), "2017-01-01", "2017-01-05", 2),
        ("last month", MON, "2016-12-01", "2016-12-31", 3),
        ("earlier this year", MON, "2017-01-01", "2017-01-23", 3),
        ("last year", MON, "2016-01-01", "2016-12-31", 4),
        ("late last year", MON, "2016-10-01", "2016-12-31", 3),
        ("a year ago", MON, "2016-01-01", "2016-01-31", 3),
        ("two days ago", MON, "2017-01-21", "2017-01-21", 1),
        ("three weeks ago", MON, "2016-12-30", "2017-01-05", 2),
        ("in recent weeks", MON, "2016-12-24", "2017-01-23", 3),
        ("recent days", MON, "2017-01-17", "2017-01-23", 2),
        ("in 2016", MON, "2016-01-01", "2016-12-31", 4),
        ("since 2014", MON, "2014-01-01", "2014-12-31", 4),
        ("early January", MON, "2017-01-01", "2017-01-10", 2),
        ("mid-December", MON, "2016-12-11", "2016-12-20", 2),
        ("the end of December", MON, "2016-12-21", "2016-12-31", 2),
        ("last spring", MON, "2016-03-01", "2016-05-31", 3),
        ("in the spring", MON, "2016-03-01", "2016-05-31", 3),
        ("January 14, 2017", MON, "2017-01-14", "2017-01-14", 1),
        ("14 January 2017", MON, "2017-01-14", "2017-01-14", 1),
        ("Jan. 14", MON, "2017-01-14", "2017-01-14", 1),
        ("14 Jan", MON, "2017-01-14", "2017-01-14", 1),
        ("December 30", MON, "2016-12-30", "2016-12-30", 1),
        ("2017-01-14", MON, "2017-01-14", "2017-01-14", 1),
        ("on 14/01/2017", MON, "2017-01-14", "2017-01-14", 1),
        ("the first quarter of 2016", MON, "2016-01-01", "2016-03-31", 3),
    ],
)
def test_normalise_resolves_against_publication(
    phrase: str, published: date, start: str, end: str, precision: int
) -> None:
    got = normalise(phrase, published=published)
    assert got is not None, phrase
    assert (got.start, got.end, got.precision) == (date.fromisoformat(start), date.fromisoformat(end), precision)
    assert got.resolved and got.rule and got.text == phrase


def test_normalise_anchored_phrase_counts_from_anchor() -> None:
    got = normalise("eight months earlier", published=MON, anchor=date(2016, 12, 1))
    assert got is not None
    assert (got.start, got.end, got.precision) == (date(2016, 4, 1), date(2016, 4, 30), 3)
    assert "anchor" in got.rule


def test_normalise_anchored_phrase_falls_back_to_publication() -> None:
    got = normalise("two days later", published=THU)
    assert got is not None and got.start == date(2017, 1, 21)


def test_normalise_future_context_searches_forwards() -> None:
    got = normalise("on Friday", published=THU, context="Talks will resume on Friday in Astana.")
    assert got is not None and got.start == date(2017, 1, 20)
    month = normalise("in March", published=MON, context="The offensive is expected to start in March.")
    assert month is not None and month.start == date(2017, 3, 1)


def test_normalise_without_publication_leaves_relative_unresolved() -> None:
    got = normalise("last week", published=None)
    assert got is not None
    assert (got.start, got.end, got.resolved, got.rule, got.precision) == (None, None, False, NEEDS_PUBLISHED, 2)
    month = normalise("in September", published=None)
    assert month is not None and not month.resolved and month.precision == 3


def test_normalise_without_publication_resolves_absolute_dates() -> None:
    got = normalise("January 14, 2017", published=None)
    assert got is not None and got.resolved and got.start == date(2017, 1, 14)
    year = normalise("in 2016", published=None)
    assert year is not None and year.resolved and year.precision == 4


@pytest.mark.parametrize(("phrase", "reason"), [("31 February", "31 February"), ("February 30", "30 February")])
def test_normalise_impossible_date_rejected_with_phrase_kept(phrase: str, reason: str) -> None:
    got = normalise(phrase, published=MON)
    assert got is not None
    assert (got.start, got.end, got.resolved, got.text) == (None, None, False, phrase)
    assert got.rule == f"invalid: {reason} does not exist"


def test_normalise_leap_day_without_year_takes_a_leap_year() -> None:
    got = normalise("February 29", published=date(2017, 1, 23))
    assert got is not None and got.start == date(2016, 2, 29)


def test_normalise_not_a_time_phrase_returns_none() -> None:
    assert normalise("the Syrian army", published=MON) is None


def test_normalise_dateparser_fallback_reads_other_absolute_forms() -> None:
    got = normalise("14.01.2017", published=MON)
    assert got is not None and got.start == date(2017, 1, 14) and got.rule == "dateparser fallback"


def test_normalise_ambiguous_numeric_date_prefers_reading_before_publication() -> None:
    got = normalise("7/8/07", published=date(2007, 7, 9))
    assert got is not None and got.start == date(2007, 7, 8)


def test_default_date_is_the_week_up_to_publication() -> None:
    got = default_date(MON)
    assert (got.start, got.end, got.precision, got.rule) == (
        date(2017, 1, 17),
        MON,
        2,
        "reported within days of publication",
    )
    assert not default_date(None).resolved


@pytest.mark.parametrize(
    ("phrase", "published", "value"),
    [
        ("last week", date(2004, 11, 24), "2004-W47"),
        ("October", date(2004, 11, 24), "2004-10"),
        ("Friday morning", date(2010, 7, 17), "2010-07-16TMO"),
        ("currently", MON, "PRESENT_REF"),
        ("the future", MON, "FUTURE_REF"),
        ("two years", MON, "P2Y"),
        ("several years", MON, "PXY"),
        ("annual", MON, "P1Y"),
        ("the 1990s", MON, "199"),
    ],
)
def test_timex_value_matches_timeml(phrase: str, published: date, value: str) -> None:
    assert timex_value(phrase, published=published) == value


def test_duration_value_rejects_non_durations() -> None:
    assert duration_value("the army") is None


@pytest.mark.parametrize(
    ("sentence", "phrase", "expected"),
    [
        ("On Monday, the envoy will arrive in the capital.", "Monday", date(2017, 1, 30)),
        ("In March the monitors are expected to return.", "March", date(2017, 3, 1)),
        ("On Monday, officials said the envoy will arrive.", "Monday", date(2017, 1, 23)),
        ("On Friday the convoy reached the town.", "Friday", date(2017, 1, 20)),
    ],
)
def test_phrase_opening_its_clause_takes_the_tense_of_the_verb_after_it(
    sentence: str, phrase: str, expected: date
) -> None:
    """Future wording after a fronted date ('On Monday, X will') turns it forwards; a past verb first
    ('officials said') keeps it in the past."""
    got = normalise(phrase, published=date(2017, 1, 24), context=sentence)
    assert got is not None and got.start == expected
