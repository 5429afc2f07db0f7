"""Odd input never raises: impossible dates come back unresolved with the phrase and the reason, and the
finder stays linear on texts packed with dates."""

from __future__ import annotations

import random
import time
from datetime import date

import pytest

from sitreps.when import duration_value, find_and_normalise, find_time_expressions, normalise, timex_value

PUB = date(2017, 1, 23)
ODD = ["", " ", "\n\n", "\x00", "2017\u200b-01-01", "\u202e2017\u202c", "\u0662\u0660\u0661\u0667", "\uff12\uff10\uff11\uff17",
       "Jan \uff13, 2017", "\u041c\u0430\u0440\u0442 2017", "the 32nd", "year 0", "in 0", "in 99999", "99999", "9999-99-99",
       "00/00/0000", "1 January 0001", "31 December 9999", "the 0th century", "the 99th century", "fiscal 0", "FY9999",
       "999 decades ago", "10000 years ago", "1000000 days ago", "from 2019 to 2017", "between 9999 and 10000", "-5 days ago",
       "1e9 years ago", "25:00", "99:99 p.m.", "12:60", "May May May", "a" * 20000, "January " * 2000]  # fmt: skip


@pytest.mark.parametrize("phrase", ODD)
@pytest.mark.parametrize("published", [PUB, date(1, 1, 1), date(9999, 12, 31), None])
def test_odd_input_never_raises(phrase: str, published: date | None) -> None:
    for context in (None, phrase, f"They will meet {phrase[:80]}."):
        got = normalise(phrase, published=published, context=context)
        timex_value(phrase, published=published, context=context)
        if got is not None and got.start is not None:
            assert got.end is not None and got.start <= got.end
    duration_value(phrase)
    find_time_expressions(phrase, durations=True)
    find_and_normalise(f"On {phrase} troops left.", published=published)


def test_random_date_shaped_strings_never_raise() -> None:
    rng = random.Random(7)
    parts = [*"0123456789 /-.,:'", "January", "Feb", " last ", " next ", " ago", " days", " years", "th", "31", "29",
             "9999", "Q", "p.m.", "fiscal "]  # fmt: skip
    for _ in range(3000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(1, 10)))
        normalise(text, published=rng.choice([PUB, date(1, 1, 1), date(9999, 12, 31), None]))
        find_and_normalise(text, published=PUB)


@pytest.mark.parametrize(
    ("phrase", "reason"),
    [
        ("2017-13-45", "invalid: 2017-13-45 names month 13; months run 1-12"),
        ("29 February 2017", "invalid: 29 February does not exist"),
        ("Sept. 31", "invalid: 31 September does not exist"),
        ("13/13/2017", "invalid: 13/13/2017 is not a date in day/month or month/day order"),
        ("13 p.m.", "invalid: 13 p.m is not a clock time (a.m./p.m. hours run 1-12)"),
        ("Q5 2017", "invalid: Q5 2017 names quarter 5; a year has quarters 1-4"),
        ("10000 years ago", "invalid: 10000 years ago falls outside the years 1-9999"),
    ],
)
def test_impossible_date_is_kept_unresolved_with_its_reason(phrase: str, reason: str) -> None:
    got = normalise(phrase, published=PUB)
    assert got is not None
    assert (got.start, got.end, got.resolved, got.text, got.rule) == (None, None, False, phrase, reason)


def test_impossible_date_found_in_text_is_kept() -> None:
    got = find_and_normalise("Rebels say the town fell on 30 February 2017.", published=PUB)
    assert [(s.text, i.resolved, i.rule) for s, i in got] == [
        ("30 February 2017", False, "invalid: 30 February does not exist")
    ]


def test_finder_stays_linear_on_a_text_packed_with_dates() -> None:
    """Thousands of dates in one text: resolving overlaps must not compare every pair."""
    text = "On Monday, 2017 and 2016. " * 6000
    t0 = time.process_time()
    spans = find_time_expressions(text)
    assert len(spans) == 18000
    assert time.process_time() - t0 < 3.0
