"""Incremental fusing equals a rebuild, whatever the order and batches; resuming from stored assignments."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sitreps.fuse import Fuser, fuse
from sitreps.model import Event

from .builders import doc, mention, random_world


def _dump(events: list[Event]) -> list[dict[str, Any]]:
    return [{**e.to_json(), "by_mention": e.fatalities.by_mention} for e in events]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), data=st.data())
def test_fuse_any_input_order_gives_same_events(seed: int, data: st.DataObject) -> None:
    ms, docs = random_world(seed)
    shuffled = data.draw(st.permutations(ms))
    assert _dump(fuse(shuffled, docs)) == _dump(fuse(ms, docs))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), data=st.data())
def test_fuser_incremental_batches_equal_rebuild(seed: int, data: st.DataObject) -> None:
    ms, docs = random_world(seed, n=30)
    order = data.draw(st.permutations(ms))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(order)), max_size=6)))
    f = Fuser()
    seen: set[str] = set()
    for lo, hi in zip([0, *cuts], [*cuts, len(order)], strict=True):
        delta = f.add(order[lo:hi], docs)
        seen |= set(delta.new)
        seen -= set(delta.removed)
    expected = fuse(ms, docs)
    assert _dump(f.events()) == _dump(expected)
    assert seen == {e.id for e in expected}


def test_fuser_add_reports_new_and_changed() -> None:
    docs = {"a": doc("a", "x"), "b": doc("b", "y"), "c": doc("c", "z")}
    f = Fuser()
    d1 = f.add([mention("a")], docs)
    assert len(d1.new) == 1 and not d1.changed
    d2 = f.add([mention("b")], docs)
    assert d2.changed == d1.new and not d2.new
    d3 = f.add([mention("c", day="2017-01-13")], docs)  # sorts first: the event id moves to it
    assert len(d3.new) == 1 and d3.removed == d1.new
    (ev,) = f.events()
    assert ev.id == d3.new[0] and ev.n_outlets == 3


def test_fuser_from_assignments_resumes_like_rebuild() -> None:
    ms, docs = random_world(7, n=30)
    first, rest = ms[:18], ms[18:]
    f = Fuser()
    f.add(first, docs)
    stored = f.assignments()
    g = Fuser.from_assignments(first, docs, stored)
    assert _dump(g.events()) == _dump(f.events())
    g.add(rest, docs)
    assert _dump(g.events()) == _dump(fuse(ms, docs))


def test_fuser_readding_known_mentions_is_noop() -> None:
    docs = {"a": doc("a", "x")}
    f = Fuser()
    f.add([mention("a")], docs)
    delta = f.add([mention("a")], docs)
    assert not delta.new and not delta.changed and not delta.removed
