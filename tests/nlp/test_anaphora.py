"""Anaphors ('this attack', 'that strike') against mentions built by hand: which parties and date they take."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sitreps.model import ActorRef, DateInterval, Mention, Span
from sitreps.nlp.actors import anaphoric
from sitreps.nlp.timing import inherit_dates
from tests.factories import make_document, make_mention

PUBLISHED = date(2021, 6, 10)
TEXT = (
    "Rebels attacked a checkpoint on Tuesday. Jets had bombed the army's hilltop bunkers in February. "
    "Nobody answered for this attack."
)
REBELS = ActorRef("rebels-x", "Rebel Group X", "Rebels", "rebel-group")
ARMY = ActorRef("syria-military", "Military Forces of Syria", "the army", "state-forces")
JETS = ActorRef("turkey-military", "Military Forces of Turkey", "Jets", "state-forces")


def _story(anaphor_target: ActorRef | None) -> list[Mention]:
    doc = make_document(TEXT, published=PUBLISHED)
    strike = make_mention(
        doc,
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        trigger=Span("bombed", 50, 56),
        evidence=Span(TEXT[41:96], 41, 96),
        actor1=JETS,
        actor2=ARMY,
        date=DateInterval(date(2021, 2, 1), date(2021, 2, 28), 3, "in February", "month"),
        id="strike",
    )
    clash = make_mention(
        doc,
        trigger=Span("attacked", 7, 15),
        evidence=Span(TEXT[:40], 0, 40),
        actor1=REBELS,
        actor2=ARMY,
        date=DateInterval(date(2021, 6, 8), date(2021, 6, 8), 1, "on Tuesday", "weekday"),
        id="clash",
    )
    this = make_mention(
        doc,
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        trigger=Span("attack", 122, 128),
        evidence=Span(TEXT[97:], 97, len(TEXT)),
        actor1=None,
        actor2=anaphor_target,
        date=DateInterval(date(2021, 6, 3), date(2021, 6, 10), 2, None, "reported within days of publication"),
        id="this",
    )
    return [clash, strike, this]


def test_this_attack_takes_its_antecedents_date_and_not_the_storys() -> None:
    """The antecedent is the last happening told before; its February date holds against the Tuesday story."""
    story = _story(anaphor_target=REBELS)
    out = inherit_dates(anaphoric(story, {"this"}, own_target=set()), PUBLISHED)
    this = out[-1]
    assert this.actor1 == JETS
    assert this.actor2 == ARMY  # a target only guessed for the anaphor gives way to the antecedent's
    assert this.date is not None and (this.date.start, this.date.end) == (date(2021, 2, 1), date(2021, 2, 28))
    assert this.date.text is None and (this.date.rule or "").startswith("refers back")


def test_a_target_the_text_gives_the_anaphor_stays() -> None:
    story = _story(anaphor_target=REBELS)
    out = anaphoric(story, {"this"}, own_target={"this"})
    assert out[-1].actor2 == REBELS


def test_a_non_anaphor_without_a_time_inherits_the_storys_date() -> None:
    """The guard: only anaphors refer back; a plain undated sentence takes the story's recent date."""
    story = _story(anaphor_target=None)
    out = inherit_dates(anaphoric(story, set()), PUBLISHED)
    assert out[-1].date is not None and out[-1].date.start == date(2021, 6, 8)


def test_a_plan_inherits_no_date() -> None:
    story = _story(anaphor_target=None)
    story[-1] = replace(story[-1], modality="planned")
    out = inherit_dates(story, PUBLISHED)
    assert out[-1].date is None
