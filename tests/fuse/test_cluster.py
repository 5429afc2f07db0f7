"""Which mentions become one event: same happening across outlets, distance, chains, same-document guards."""

from __future__ import annotations

from sitreps.fuse import fuse
from sitreps.fuse.cluster import family
from sitreps.model import Mention

from .builders import DEIR, PALMYRA, doc, mention

DOCS = {d: doc(d, f"outlet-{d}") for d in ("a", "b", "c", "d")}


def test_fuse_same_happening_three_outlets_is_one_event() -> None:
    ms = [
        mention("a", place=DEIR, place_text="Deir Ezzor", fatalities=12, text="ISIS attacked the army in Deir Ezzor."),
        mention(
            "b",
            place=(None, "Deir al-Zor", 35.34, 40.15),
            place_text="Deir al-Zor",
            fatalities=20,
            a1=None,
            a1_text="militants",
        ),
        mention(
            "c", place=DEIR, fatalities=14, day="2017-01-15", text="Daesh assaulted army positions in Deir ez-Zor."
        ),
    ]
    (ev,) = fuse(ms, DOCS)
    assert ev.n_mentions == 3
    assert ev.n_outlets == 3
    assert ev.status == "corroborated"
    assert (ev.fatalities.best, ev.fatalities.min, ev.fatalities.max) == (14, 12, 20)
    assert ev.place is not None and ev.place.id == DEIR[0]
    assert any(
        n.startswith("actor1: islamic-state (2 mentions) vs unknown 'militants' (1 mention)") for n in ev.disagreements
    )


def test_fuse_same_day_clashes_100km_apart_are_two_events() -> None:
    far = (None, "Mayadin", 35.336, 41.24)  # about 100 km east of Deir ez-Zor
    ms = [mention("a", place=DEIR), mention("b", place=far)]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_chain_guard_does_not_glue_ends() -> None:
    """A~B (20 km) and B~C (20 km) but A and C are 40 km apart: A and C never share an event."""
    a = mention("a", place=(None, "A", 35.0, 40.0))
    b = mention("b", place=(None, "B", 35.0, 40.22))
    c = mention("c", place=(None, "C", 35.0, 40.44))
    evs = fuse([a, b, c], DOCS)
    where = {m: e.id for e in evs for m in e.mentions}
    assert where[a.id] != where[c.id]
    assert len(evs) == 2


def test_fuse_same_document_two_places_beyond_max_km_stay_apart() -> None:
    far = ("geonames:2", "Mayadin", 35.0, 40.45)  # about 45 km south-east of Deir ez-Zor
    ms = [mention("a", start=0, place=DEIR), mention("b", start=0, place=far), mention("a", start=200, place=far)]
    where = {m: e.id for e in fuse(ms, DOCS) for m in e.mentions}
    assert where[ms[0].id] != where[ms[2].id]


def test_fuse_same_document_city_and_its_airport_can_be_one_battle() -> None:
    """The Deir ez-Zor offensive: the city and its airport 6 km away, in one report, are one battle."""
    airport = ("geonames:1", "Deir ez-Zor airport", 35.285, 40.175)
    ms = [mention("a", start=0, place=DEIR), mention("a", start=200, place=airport), mention("b", place=DEIR)]
    assert len(fuse(ms, DOCS)) == 1


def test_fuse_one_sentence_two_happenings_stay_apart() -> None:
    """ "Seized Palmyra on Sunday, nine months after troops drove them out": one sentence, two events."""
    first = mention("a", start=0, sub="Non-state actor overtakes territory", action="capture")
    second = mention(
        "a",
        start=0,
        sub="Government regains territory",
        action="recapture",
        a1="syria-military",
        a2="islamic-state",
        day="2016-03-01",
        end="2016-03-31",
        precision=3,
    )
    second.id = "second-trigger"
    assert len(fuse([first, second], DOCS)) == 2


def test_fuse_one_sentence_agreeing_on_everything_is_one_event() -> None:
    """ "Launched its fiercest attacks ... as fighting went on": two triggers, same place, day, actors, type."""
    first = mention("a", start=0)
    second = mention("a", start=0, day="2017-01-15")
    second.id = "second-trigger"
    assert len(fuse([first, second], DOCS)) == 1


def test_fuse_background_month_mention_joins_december_event() -> None:
    docs = {"dec": doc("dec", "wire", "2016-12-12"), "jan": doc("jan", "daily", "2017-01-23")}

    def capture(d: str, day: str, end: str | None = None, precision: int = 1) -> Mention:
        return mention(
            d,
            day=day,
            end=end,
            precision=precision,
            sub="Non-state actor overtakes territory",
            action="capture",
            place=PALMYRA,
        )

    ms = [capture("dec", "2016-12-11"), capture("jan", "2016-12-01", "2016-12-31", precision=3)]
    (ev,) = fuse(ms, docs)
    assert ev.date is not None and ev.date.start is not None and ev.date.start.isoformat() == "2016-12-11"
    assert ev.n_outlets == 2 and ev.status == "corroborated"
    assert ev.first_reported is not None and ev.first_reported.isoformat() == "2016-12-12"


def test_fuse_conflicting_actors_split() -> None:
    ms = [mention("a", a1="islamic-state", a2="syria-military"), mention("b", a1="sdf", a2="us-military")]
    assert len(fuse(ms, DOCS)) == 2


def test_family_strategic_is_per_sub_type_and_battles_include_territory_changes() -> None:
    assert family("Battles", "Armed clash", None) == family("Battles", "Non-state actor overtakes territory", "capture")
    assert family("Strategic developments", "Change to group/activity", "reinforcement") == family(
        "Strategic developments", "Change to group/activity", None
    )
    assert family("Strategic developments", "Other", None) != family("Strategic developments", "Arrests", None)


def test_fuse_mention_of_undated_document_joins_dated_event() -> None:
    """A report with no publication date and no date phrase still joins the battle it describes."""
    docs = {"a": doc("a", "x"), "b": doc("b", "y"), "u": doc("u", "z", None)}
    ms = [mention("a"), mention("b"), mention("u", day=None)]
    (ev,) = fuse(ms, docs)
    assert ev.n_outlets == 3


def test_fuse_mention_of_undated_document_with_other_type_stays_apart() -> None:
    docs = {"a": doc("a", "x"), "u": doc("u", "z", None)}
    ms = [mention("a"), mention("u", day=None, etype="Explosions/Remote violence", sub="Air/drone strike")]
    assert len(fuse(ms, docs)) == 2


def test_fuse_undated_mention_far_away_stays_apart() -> None:
    docs = {"a": doc("a", "x"), "u": doc("u", "z", None)}
    ms = [mention("a"), mention("u", day=None, place=PALMYRA)]
    assert len(fuse(ms, docs)) == 2


def test_fuse_territory_change_and_clash_of_one_battle_same_day_are_one_event() -> None:
    ms = [
        mention("a", sub="Non-state actor overtakes territory", action="capture"),
        mention("b", sub="Armed clash"),
        mention("c", sub="Non-state actor overtakes territory", action="withdrawal", a1="syria-military"),
    ]
    ms[2].actor2 = None
    assert len(fuse(ms, DOCS)) == 1


def test_fuse_opposite_territory_winners_are_two_events() -> None:
    """The state regains ground and a non-state group overtakes ground: different winners, different events."""
    ms = [
        mention("a", sub="Non-state actor overtakes territory", action="capture", a1=None, a2=None),
        mention("b", sub="Government regains territory", action="recapture", a1=None, a2=None),
    ]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_siege_and_offensive_at_one_place_are_two_events() -> None:
    """The airport cut off (siege) and the offensive on the city, same days and actors: conflicting actions."""
    ms = [
        mention("a", sub="Non-state actor overtakes territory", action="siege"),
        mention("b", action="offensive"),
    ]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_allied_state_air_forces_are_one_strike() -> None:
    """ "Syrian and Russian warplanes": one outlet codes syria-government, another russia-military."""
    ms = [
        mention("a", etype="Explosions/Remote violence", sub="Air/drone strike", a1="syria-government"),
        mention("b", etype="Explosions/Remote violence", sub="Air/drone strike", a1="russia-military"),
    ]
    for m, country in zip(ms, ("SY", "RU"), strict=True):
        assert m.actor1 is not None
        m.actor1.kind, m.actor1.side, m.actor1.country = "state-forces", "government", country
    assert len(fuse(ms, DOCS)) == 1


def test_fuse_threat_published_after_the_attack_stays_apart() -> None:
    """A threat published the day after an attack foretells a later happening, not that attack."""
    docs = {"a": doc("a", "x"), "b": doc("b", "y")}
    ms = [mention("a", modality="threatened", day=None, a2=None), mention("b", a2=None)]
    assert len(fuse(ms, docs)) == 2


def test_fuse_undated_plans_from_months_apart_are_one_threat() -> None:
    """ "Turkey vowed to push on to Manbij" in December and again in February: one threat."""
    docs = {"dec": doc("dec", "x", "2016-12-21"), "feb": doc("feb", "y", "2017-02-23")}
    ms = [mention("dec", modality="threatened", day=None), mention("feb", modality="planned", day=None)]
    assert len(fuse(ms, docs)) == 1


def test_fuse_month_mention_fitting_two_events_joins_the_more_reported_one() -> None:
    """ "Palmyra was captured in December" fits a capture on the 11th (one report) and on the 25th (three)."""
    docs = {d: doc(d, f"o-{d}", "2016-12-26") for d in ("a", "b", "c", "d")} | {"jan": doc("jan", "x", "2017-01-20")}

    def capture(d: str, day: str, end: str | None = None, precision: int = 1) -> Mention:
        return mention(
            d, day=day, end=end, precision=precision, sub="Non-state actor overtakes territory", action="capture"
        )

    early = capture("a", "2016-12-11")
    late = [capture(d, "2016-12-25") for d in ("b", "c", "d")]
    month = capture("jan", "2016-12-01", "2016-12-31", precision=3)
    where = {m: e.id for e in fuse([early, *late, month], docs) for m in e.mentions}
    assert where[early.id] != where[late[0].id]
    assert where[month.id] == where[late[0].id]


def test_pair_score_with_actor_conflict_never_exceeds_cap_and_stops_early_when_needing_more() -> None:
    from sitreps.fuse.cluster import CONFLICT_CAP, Rec, pair_score

    a = Rec(mention("a"), DOCS["a"], 2, 25.0)
    b = Rec(mention("b", a1="sdf", a2="syria-military"), DOCS["b"], 2, 25.0)
    full = pair_score(a, b)
    assert 0.0 < full <= CONFLICT_CAP
    assert pair_score(a, b, need=CONFLICT_CAP - 0.01) == full
    assert pair_score(a, b, need=CONFLICT_CAP + 0.01) == 0.0
