"""Fusion rules added for issue #5's second round: weak triggers across violent families, a town in its province,
action-less strategic triggers."""

from __future__ import annotations

from sitreps.fuse import fuse
from sitreps.fuse.cluster import Rec, reach
from sitreps.model import Mention

from .builders import doc, mention

DOCS = {d: doc(d, f"outlet-{d}") for d in ("a", "b", "c")}
STRIKE = {"etype": "Explosions/Remote violence", "sub": "Air/drone strike"}
DEIR_PROVINCE = ("admin1:SY.07", "Deir ez-Zor", 34.935, 40.380)
"""The province's centroid lies about 50 km from the city: beyond a town's 25 km, within its 150 km."""
RAQQA_PROVINCE = ("admin1:SY.04", "Raqqa", 35.60, 39.80)


def _admin(m: Mention, admin1: str, kind: str) -> Mention:
    assert m.place is not None
    m.place.admin1, m.place.kind = admin1, kind
    return m


def test_fuse_weak_battle_trigger_joins_air_strike_of_same_perpetrator_day_and_place_from_another_report() -> None:
    """ "Russian warplanes pushed IS fighters back" (a clash) in one report, the air strikes in another."""
    ms = [
        mention("a", a1="russia-military", a2="islamic-state", **STRIKE),
        mention("b", a1="russia-military", a2="islamic-state"),
    ]
    assert len(fuse(ms, DOCS)) == 1


def test_fuse_weak_violence_against_civilians_trigger_joins_shelling_of_same_perpetrator() -> None:
    ms = [
        mention("a", etype="Explosions/Remote violence", sub="Shelling/artillery/missile attack", a2="civilians"),
        mention("b", etype="Violence against civilians", sub="Attack", a2="civilians"),
    ]
    assert len(fuse(ms, DOCS)) == 1


def test_fuse_weak_trigger_and_air_strike_in_one_report_stay_apart() -> None:
    """One writer naming a strike and "fighting" separately means two happenings."""
    ms = [
        mention("a", a1="russia-military", a2="islamic-state", **STRIKE),
        mention("a", start=200, a1="russia-military", a2="islamic-state"),
    ]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_specific_types_of_two_violent_families_stay_apart() -> None:
    """A capture and an air strike are both specific: neither is a loose retelling of the other."""
    ms = [
        mention("a", a1="russia-military", a2="islamic-state", **STRIKE),
        mention("b", a1="russia-military", a2="islamic-state", sub="Government regains territory", action="capture"),
    ]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_weak_trigger_with_another_perpetrator_stays_apart_from_air_strike() -> None:
    ms = [
        mention("a", a1="russia-military", a2="islamic-state", **STRIKE),
        mention("b", a1="islamic-state", a2="syria-military"),
    ]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_weak_trigger_a_day_off_joins_air_strike_but_two_days_off_stays_apart() -> None:
    for day, n in (("2017-01-15", 1), ("2017-01-16", 2)):
        ms = [
            mention("a", a1="russia-military", a2="islamic-state", **STRIKE),
            mention("b", a1="russia-military", a2="islamic-state", day=day),
        ]
        assert len(fuse(ms, DOCS)) == n, day


def test_fuse_town_and_its_province_in_one_report_are_one_event() -> None:
    """ "Troops captured the village" and "troops reached ... in Aleppo province": one place at two precisions."""
    ms = [
        _admin(mention("a", a1="syria-military", a2="islamic-state"), "Deir ez-Zor", "city"),
        _admin(
            mention("a", start=200, a1="syria-military", a2="islamic-state", place=DEIR_PROVINCE, geo_precision=3),
            "Deir ez-Zor",
            "admin1",
        ),
    ]
    assert len(fuse(ms, DOCS)) == 1


def test_fuse_town_and_another_province_in_one_report_stay_apart() -> None:
    ms = [
        _admin(mention("a", a1="syria-military", a2="islamic-state"), "Deir ez-Zor", "city"),
        _admin(
            mention("a", start=200, a1="syria-military", a2="islamic-state", place=RAQQA_PROVINCE, geo_precision=3),
            "Raqqa",
            "admin1",
        ),
    ]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_actionless_strategic_trigger_joins_same_subtype_with_action() -> None:
    """ "The arch was blown up" (no action) and "IS destroyed the Tetrapylon" (heritage destruction)."""
    kw = {"etype": "Strategic developments", "sub": "Looting/property destruction", "a2": None}
    ms = [mention("a", action="heritage-destruction", **kw), mention("b", action=None, a1=None, **kw)]
    assert len(fuse(ms, DOCS)) == 1


def test_fuse_strategic_triggers_with_two_actions_stay_apart() -> None:
    kw = {"etype": "Strategic developments", "sub": "Change to group/activity", "a2": None}
    ms = [mention("a", action="reinforcement", **kw), mention("b", action="appointment", **kw)]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_actionless_other_strategic_trigger_stays_apart_from_evacuation() -> None:
    """ "Other" is a catch-all: "left heavy weapons behind" is not the evacuation of the same day."""
    kw = {"etype": "Strategic developments", "sub": "Other", "a1": "syria-military", "a2": None}
    ms = [mention("a", action="evacuation", **kw), mention("b", action=None, **kw)]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_cross_family_event_is_the_same_in_any_input_order() -> None:
    ms = [
        mention("a", a1="russia-military", a2="islamic-state", **STRIKE),
        mention("b", a1="russia-military", a2="islamic-state"),
        mention("c", a1="russia-military", a2="islamic-state", sub="Government regains territory", action="capture"),
    ]
    one = {frozenset(e.mentions) for e in fuse(ms, DOCS)}
    assert one == {frozenset(e.mentions) for e in fuse(list(reversed(ms)), DOCS)}


def _rec(m: Mention) -> Rec:
    return Rec(m, DOCS[m.document_id], 2, 25.0)


def test_reach_happening_a_day_after_a_dated_plan_is_in_reach() -> None:
    """ "The airport could fall" on the 14th, the fighting for it on the 15th: what the plan foretold."""
    plan = _rec(mention("a", modality="threatened", day="2017-01-14"))
    later = _rec(mention("b", day="2017-01-15"))
    assert reach(plan, later) and reach(later, plan)


def test_reach_happening_a_day_before_a_dated_plan_is_out_of_reach() -> None:
    plan = _rec(mention("a", modality="threatened", day="2017-01-15"))
    earlier = _rec(mention("b", day="2017-01-14"))
    assert not reach(plan, earlier) and not reach(earlier, plan)


def test_fuse_siege_and_action_less_clash_at_one_place_are_two_events() -> None:
    """ "IS cut off the airport" and "fighting raged in the city": a lasting siege is not the clashes around it."""
    ms = [
        mention("a", sub="Non-state actor overtakes territory", action="siege"),
        mention("b"),
        mention("c", sub="Non-state actor overtakes territory", action="siege"),
    ]
    events = fuse(ms, DOCS)
    assert sorted(len(e.mentions) for e in events) == [1, 2]


def test_fuse_weak_trigger_naming_warplanes_joins_air_strike_of_its_own_report() -> None:
    """ "Russian warplanes pushed IS fighters back" and "its aircraft struck 246 targets", one wire story."""
    ms = [
        mention(
            "a",
            a1="russia-military",
            a2="islamic-state",
            text="Russian warplanes pushed Islamic State fighters back from the city overnight.",
        ),
        mention(
            "a",
            start=200,
            a1="russia-military",
            a2="islamic-state",
            text="The ministry said its aircraft flew 64 sorties and struck 246 targets.",
            **STRIKE,
        ),
    ]
    assert len(fuse(ms, DOCS)) == 1


def test_records_sort_specific_types_before_weak_ones_of_the_same_day() -> None:
    """The generic clash comes first in the text but is decided after the air strike, so it can join it."""
    weak = _rec(mention("a", a1="russia-military"))
    strike = _rec(mention("a", start=200, a1="russia-military", **STRIKE))
    assert weak.weak and not strike.weak
    assert strike.key < weak.key
