"""The blocking index finds every mention that could join, and skipping the rest never changes the events."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sitreps.fuse import DocInfo, Fuser, fuse
from sitreps.fuse.cluster import CONFLICT_CAP, THRESHOLD, Index, Rec, actor_score, pair_score, reach
from sitreps.model import ActorRef, Event, Mention

from .builders import doc, mention

_ACTORS: list[tuple[str | None, str | None, str, str | None]] = [
    ("islamic-state", "is", "armed-group", None),
    ("syria-military", "gov", "state-forces", "SY"),
    ("russia-military", "gov", "state-forces", "RU"),
    ("syria-government", "gov", "government", "SY"),
    ("sdf", "sdf", "rebel-group", None),
    ("ypg", "sdf", "rebel-group", None),
    ("fsa", "rebels", "rebel-group", None),
    (None, None, "unknown", None),
]
_TYPES = [
    ("Battles", "Armed clash", None),
    ("Battles", "Non-state actor overtakes territory", "capture"),
    ("Battles", "Government regains territory", "recapture"),
    ("Battles", "Armed clash", "siege"),
    ("Explosions/Remote violence", "Air/drone strike", None),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", None),
    ("Violence against civilians", "Attack", None),
    ("Violence against civilians", "Attack", "execution"),
    ("Strategic developments", "Change to group/activity", "reinforcement"),
    ("Strategic developments", "Change to group/activity", None),
    ("Protests", "Peaceful protest", None),
]
_PLACES: list[tuple[str | None, str, float | None, float | None]] = [
    ("p0", "A", 35.0, 40.0),
    ("p1", "B", 35.15, 40.1),
    ("p2", "C", 35.4, 40.5),
    (None, "D", 35.05, 40.25),
    ("p4", "E", 36.1, 41.2),
    (None, "F", None, None),
    ("admin1:SY-DZ", "Deir ez-Zor Governorate", 35.3, 40.6),
]


def _varied_world(seed: int, n: int) -> tuple[list[Mention], dict[str, DocInfo]]:
    """Mentions spread over types, actors (sides, state forces of two states), places, precisions and modalities."""
    rng = random.Random(seed)
    docs = {f"d{i}": doc(f"d{i}", f"o{i % 5}", "2017-01-20", "d0" if i == 7 else None) for i in range(12)}
    out = []
    for k in range(n):
        et, sub, action = rng.choice(_TYPES)
        d0 = date(2017, 1, 8) + timedelta(days=rng.randrange(10))
        prec = rng.choice([1, 1, 1, 1, 2, 3])
        end = d0 + timedelta(days=6) if prec == 2 else d0
        if prec == 3:
            d0, end = date(2017, 1, 1), date(2017, 1, 31)
        m = mention(
            f"d{rng.randrange(12)}",
            start=k * 100,
            etype=et,
            sub=sub,
            action=action,
            a1=None,
            a2=None,
            place=rng.choice([*_PLACES, None]),
            geo_precision=rng.choice([1, 1, 2, 3]),
            country=rng.choice(["SY", "SY", None]),
            day=None if rng.random() < 0.1 else d0.isoformat(),
            end=end.isoformat(),
            precision=prec,
            fatalities=rng.choice([None, 3, 5, 12]),
            modality=rng.choice(["asserted", "asserted", "hedged", "negated", "planned"]),
            text=rng.choice(["fighters attacked the town", "jets struck positions near the town", "troops seized it"]),
        )
        if m.place is not None:
            m.place.admin1 = "SY-DZ" if rng.random() < 0.5 else None
            if m.place.id == "admin1:SY-DZ":
                m.place.kind, m.place.geo_precision = "admin1", 3
        for role in ("actor1", "actor2"):
            aid, side, kind, country = rng.choice(_ACTORS)
            ref = ActorRef(id=aid, name=aid or "gunmen", text=aid or "gunmen", kind=kind, side=side, country=country)
            setattr(m, role, None if rng.random() < 0.1 else ref)
        out.append(m)
    return out, docs


class _EveryRecord(Index):
    """An index that offers every record as a candidate: the brute-force reference for the blocking."""

    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def add(self, i: int, r: Rec) -> None:
        super().add(i, r)
        self.n = max(self.n, i + 1)

    def candidates(self, r: Rec) -> set[int]:
        return set(range(self.n))


class _BruteFuser(Fuser):
    def _clear(self) -> None:
        super()._clear()
        self._index = _EveryRecord()


def _dump(events: list[Event]) -> list[dict[str, object]]:
    return [e.to_json() for e in events]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_index_candidates_hold_every_pair_that_may_join(seed: int) -> None:
    ms, docs = _varied_world(seed, 60)
    recs = [Rec(m, docs.get(m.document_id), 2, 25.0) for m in ms]
    index = Index()
    for i, r in enumerate(recs):
        index.add(i, r)
    scanned = 0
    for a in recs:
        got = index.candidates(a)
        scanned += len(got)
        for j, b in enumerate(recs):
            if b is not a and reach(a, b) and pair_score(a, b) >= THRESHOLD:
                assert j in got, (a.id, b.id)
    assert scanned < len(recs) * len(recs)  # the blocking does skip mentions


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_blocked_fusion_equals_brute_force(seed: int) -> None:
    ms, docs = _varied_world(seed, 50)
    assert _dump(fuse(ms, docs)) == _dump(_BruteFuser().rebuild(ms, docs))


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 100_000), data=st.data())
def test_blocked_incremental_equals_brute_force(seed: int, data: st.DataObject) -> None:
    ms, docs = _varied_world(seed, 40)
    order = data.draw(st.permutations(ms))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(order)), max_size=5)))
    f = Fuser()
    for lo, hi in zip([0, *cuts], [*cuts, len(order)], strict=True):
        f.add(order[lo:hi], docs)
    assert _dump(f.events()) == _dump(_BruteFuser().rebuild(ms, docs))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_actor_conflict_caps_the_pair_score(seed: int) -> None:
    """The index drops actor-conflicting pairs because they can never reach THRESHOLD: check that premise."""
    assert CONFLICT_CAP < THRESHOLD
    ms, docs = _varied_world(seed, 40)
    recs = [Rec(m, docs.get(m.document_id), 2, 25.0) for m in ms]
    conflicting = 0
    for a in recs:
        for b in recs:
            if actor_score(a, b)[1]:
                conflicting += 1
                assert pair_score(a, b) <= CONFLICT_CAP + 1e-9
    assert conflicting
