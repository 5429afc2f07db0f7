"""Tests for sitreps.when.phrases and find: which time phrases are found, with offsets."""

from __future__ import annotations

from datetime import date

import pytest

from sitreps.when import find_and_normalise, find_time_expressions, timex_value


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Fighting broke out on January 14, 2017 near Palmyra.", "January 14, 2017"),
        ("Fighting broke out on 14 January 2017 near Palmyra.", "14 January 2017"),
        ("Shelling resumed on Jan. 14 in Aleppo.", "Jan. 14"),
        ("Shelling resumed on 14 Jan in Aleppo.", "14 Jan"),
        ("The report is dated 2017-01-14.", "2017-01-14"),
        ("Rebels took the town in September.", "September"),
        ("Rebels took the town in December 2016.", "December 2016"),
        ("Rebels took the town last December.", "last December"),
        ("The siege has lasted since March.", "March"),
        ("Clashes were reported in May, officials said.", "May"),
        ("An air strike hit the market on Friday.", "Friday"),
        ("Gunmen attacked the checkpoint last Sunday.", "last Sunday"),
        ("Gunmen attacked the checkpoint on Sunday night.", "Sunday night"),
        ("Troops advanced on Thursday morning.", "Thursday morning"),
        ("A car bomb exploded yesterday.", "yesterday"),
        ("Two soldiers were killed overnight.", "overnight"),
        ("Aid reached the town earlier this month.", "earlier this month"),
        ("The group lost the town late last year.", "late last year"),
        ("The bridge was destroyed two days ago.", "two days ago"),
        ("Dozens have fled in recent weeks.", "recent weeks"),
        ("Fighting has intensified in recent days.", "recent days"),
        ("The army retook it eight months earlier.", "eight months earlier"),
        ("The rebels have held the area since 2014.", "2014"),
        ("Strikes peaked in mid-December.", "mid-December"),
        ("Talks are due in early January.", "early January"),
        ("The ceasefire held until the end of December.", "the end of December"),
        ("Fighting resumed last spring.", "last spring"),
        ("Fighting resumed in the spring.", "the spring"),
        ("A year ago the town was quiet.", "A year ago"),
    ],
)
def test_find_time_expressions_finds_phrase(sentence: str, phrase: str) -> None:
    spans = find_time_expressions(sentence)
    assert [s.text for s in spans] == [phrase]
    assert sentence[spans[0].start : spans[0].end] == phrase


@pytest.mark.parametrize(
    "sentence",
    [
        "Civilians may have been killed in the strike.",
        "May God protect them, he said.",
        "Thousands joined a march through the capital.",
        "Protesters march on the ministry.",
        "Prime Minister Theresa May said the attack was cowardly.",
        "The Syrian army said on its website that it advanced.",
        "Some 2,000 fighters and 1500 civilians remain.",
        "About 2000 fighters remain in the city.",
        "Sat Sun Mon are abbreviations.",
        "The spring offensive of the militia.",
    ],
)
def test_find_time_expressions_ignores_false_positives(sentence: str) -> None:
    assert find_time_expressions(sentence) == []


def test_find_time_expressions_prefers_the_longest_phrase() -> None:
    spans = find_time_expressions("It happened on Friday, January 20, 2017, at dawn.")
    assert [s.text for s in spans] == ["Friday, January 20, 2017"]


def test_find_time_expressions_durations_only_when_asked() -> None:
    text = "The siege lasted for two years."
    assert find_time_expressions(text) == []
    assert [s.text for s in find_time_expressions(text, durations=True)] == ["two years"]


def test_find_and_normalise_anchors_relative_phrase_on_sentence_date() -> None:
    text = "The town fell on 14 December 2016. Government forces had lost it eight months earlier."
    got = find_and_normalise(text, published=date(2017, 1, 23))
    assert [(s.text, i.start, i.precision) for s, i in got] == [
        ("14 December 2016", date(2016, 12, 14), 1),
        ("eight months earlier", date(2016, 4, 1), 3),
    ]


def test_find_and_normalise_keeps_offsets_and_rules() -> None:
    text = "Rebels shelled the base on Friday and again last week."
    got = find_and_normalise(text, published=date(2017, 1, 23))
    assert [(text[s.start : s.end], i.start) for s, i in got] == [
        ("Friday", date(2017, 1, 20)),
        ("last week", date(2017, 1, 16)),
    ]
    assert all(i.rule for _, i in got)


@pytest.mark.parametrize(
    ("sentence", "phrases"),
    [
        ("The 1994 accord between the two factions collapsed.", ["1994"]),
        ("Militias rejected its 2015 charter outright.", ["2015"]),
        ("Shares of the arms maker ended the day 3 % lower.", ["the day"]),
        ("For the day, the index lost 40 points.", ["the day"]),
        ("The convoy came under fire late in the day.", ["late in the day"]),
        ("Aid losses for the entire year reached $3m.", ["the entire year"]),
        ("Casualties were twice those of the year prior.", ["the year prior"]),
        ("Rebels have held the pass since '98, locals say.", ["'98"]),
        ("Refugees may return in the near future, the envoy said.", ["the near future"]),
        ("The corridor will stay shut for the time being.", ["the time being"]),
        ("The talks could secure calm for the long term.", ["the long term"]),
        ("Such sieges belong to the past, he said.", ["the past"]),
        ("More aid could arrive in the future.", ["the future"]),
        ("The town was quiet, and more recently saw shelling.", ["more recently"]),
        ("Shelling eased in the last week of March.", ["the last week of March"]),
        ("Border crossings closed until Friday\nMarch 3, 2017", ["Friday", "March 3, 2017"]),
    ],
)
def test_find_time_expressions_timeml_extents(sentence: str, phrases: list[str]) -> None:
    """Extents a TimeML annotator marks: years naming a singular noun, 'the day' a market ends, vague
    references, a week of a month, and a headline weekday kept apart from the dateline below it."""
    assert [s.text for s in find_time_expressions(sentence)] == phrases


@pytest.mark.parametrize(
    "sentence",
    [
        "The 2000 fighters who surrendered were bussed north.",
        "Their 1500 km supply line was cut.",
        "The index broke through the 2000 mark.",
        "The Russell 2000 Index slid.",
        "Analysts discussed the future of the ceasefire.",
        "In the past five days the front barely moved.",
        "A long-term truce is not in sight.",
        "The day of the attack was overcast.",
    ],
)
def test_find_time_expressions_leaves_lookalikes(sentence: str) -> None:
    found = [s.text for s in find_time_expressions(sentence)]
    assert not any(w in found for w in ("2000", "1500", "the future", "the past", "long-term", "the day")), found


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("The worst shelling in years hit the port.", "years", "PXY"),
        ("The front collapsed in minutes.", "minutes", "PTXM"),
        ("Residents have queued for bread for weeks.", "weeks", "PXW"),
        ("The annual donor conference opened.", "annual", "P1Y"),
        ("Monitors publish weekly casualty counts.", "weekly", "P1W"),
        ("The convoy waited for more than a week.", "more than a week", "P1W"),
    ],
)
def test_find_durations_and_frequencies_on_request(sentence: str, phrase: str, value: str) -> None:
    """Bare plural units after 'for/in/over' and frequency adjectives are TimeML durations and sets; the
    preposition stays outside the extent, as in TimeML."""
    assert phrase not in [s.text for s in find_time_expressions(sentence)]
    assert phrase in [s.text for s in find_time_expressions(sentence, durations=True)]
    assert timex_value(phrase, published=date(2017, 1, 23)) == value


def test_bare_units_counted_from_elsewhere_are_no_durations() -> None:
    found = [s.text for s in find_time_expressions("In days of old and for months-long sieges.", durations=True)]
    assert found == []
