"""Which date a mention takes: anchored clauses, conjoined verbs and dates inherited by undated sentences."""

from __future__ import annotations

from datetime import date
from typing import Any

from sitreps.model import Mention
from sitreps.nlp import extract_text

MON = date(2016, 12, 12)  # a Monday


def _by_trigger(nlp: Any, text: str, published: date = MON) -> dict[str, Mention]:
    return {m.trigger.text: m for m in extract_text(text, published=published, nlp=nlp)}


TADMUR = (
    "Daesh fighters took Tadmur on Sunday after a renewed assault, a day after Russian bombing had forced them "
    "out of the city, activists said. Militants shelled the airport."
)


def test_timing_a_day_after_dates_the_clause_a_day_before_the_sentence_date(nlp: Any) -> None:
    got = _by_trigger(nlp, TADMUR)
    assert got["took"].date is not None and got["took"].date.start == date(2016, 12, 11)
    bombing = got["bombing"].date
    assert bombing is not None and (bombing.start, bombing.end, bombing.precision) == (
        date(2016, 12, 10),
        date(2016, 12, 10),
        1,
    )


def test_timing_undated_sentence_inherits_the_story_date_not_an_anchored_one(nlp: Any) -> None:
    shelled = _by_trigger(nlp, TADMUR)["shelled"].date
    assert shelled is not None and shelled.start == date(2016, 12, 11)
    assert shelled.rule == "inherited from 'Sunday'"


def test_timing_time_on_a_conjoined_verb_dates_their_shared_subject(nlp: Any) -> None:
    text = (
        "A Russian air strike killed three Turkish soldiers and wounded 11 near the town of Al Bab on Thursday, "
        "the Turkish military said."
    )
    strike = _by_trigger(nlp, text, published=date(2017, 2, 10))["air strike"].date
    assert strike is not None and (strike.start, strike.precision) == (date(2017, 2, 9), 1)


LEAD = (
    "Islamic State launched one of its fiercest attacks on the government-held part of Deir ez-Zor on Saturday, "
    "and fighting with the Syrian army continued on Sunday, a monitor said. "
    "At least 12 soldiers were killed in the first day of the assault, the Observatory said."
)


def test_timing_time_on_the_verb_of_its_subject_beats_a_nearer_time(nlp: Any) -> None:
    got = _by_trigger(nlp, LEAD, published=date(2017, 1, 15))
    attacks, fighting = got["attacks"].date, got["fighting"].date
    assert attacks is not None and attacks.start == date(2017, 1, 14)
    assert fighting is not None and fighting.start == date(2017, 1, 15)


def test_timing_undated_sentence_inherits_the_lead_clause_date(nlp: Any) -> None:
    killed = _by_trigger(nlp, LEAD, published=date(2017, 1, 15))["killed"].date
    assert killed is not None and (killed.start, killed.rule) == (date(2017, 1, 14), "inherited from 'Saturday'")


def test_timing_undated_sentence_does_not_inherit_a_quoted_now_or_a_plan(nlp: Any) -> None:
    text = (
        '"We will storm the town right now," a rebel commander said. '
        "Government aircraft have bombed rebel positions in the valley."
    )
    got = _by_trigger(nlp, text)
    bombed = got["bombed"].date
    assert bombed is not None and not (bombed.rule or "").startswith("inherited")
    assert bombed.precision == 2


PLANS = (
    "Islamic State fighters attacked army posts in Deir ez-Zor last week. The group plans to storm the airport. "
    '"We want to seize the base now," a commander of the group said. '
    "The group will assault the garrison next week, a commander of the group said."
)


def test_a_plan_without_a_time_of_its_own_has_no_date(nlp: Any) -> None:
    """docs/annotation.md: plans and threats have a null date unless a time is given; neither the story's date
    nor the 'now' of the speaking is one."""
    got = _by_trigger(nlp, PLANS)
    assert got["storm"].modality == "planned" and got["storm"].date is None
    assert got["seize"].modality == "planned" and got["seize"].date is None


def test_a_plan_keeps_the_time_the_text_gives_it(nlp: Any) -> None:
    got = _by_trigger(nlp, PLANS)["assault"]
    assert got.modality == "planned" and got.date is not None and got.date.start is not None
    assert got.date.start > MON


def test_timing_a_vague_time_phrase_gives_no_date_and_the_mention_keeps_the_story_date(nlp: Any) -> None:
    got = _by_trigger(nlp, "Militants shelled the town on Sunday. Rebels have attacked the base in the past.")
    attacked = got["attacked"].date
    assert attacked is not None and attacked.start is not None
    assert "the past" not in (attacked.text or "")
