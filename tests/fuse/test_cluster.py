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


def test_fuse_same_document_two_places_stay_apart() -> None:
    near = ("geonames:1", "Deir ez-Zor airport", 35.285, 40.175)
    ms = [mention("a", start=0, place=DEIR), mention("a", start=200, place=near)]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_one_sentence_gives_at_most_one_mention_per_event() -> None:
    """Two triggers of one sentence (same evidence span) are two events, never one twice counted."""
    first = mention("a", start=0)
    second = mention("a", start=0)
    second.id = "second-trigger"
    assert len(fuse([first, second], DOCS)) == 2


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


def test_family_strategic_only_with_same_action() -> None:
    assert family("Battles", "Armed clash", None) == family("Battles", "Non-state actor overtakes territory", "capture")
    assert family("Strategic developments", "Change to group/activity", "reinforcement") != family(
        "Strategic developments", "Change to group/activity", "appointment"
    )


def test_fuse_undated_without_publication_merges_only_in_document() -> None:
    docs = {"a": doc("a", "x", None), "b": doc("b", "y", None)}
    ms = [mention("a", day=None), mention("b", day=None)]
    assert len(fuse(ms, docs)) == 2
