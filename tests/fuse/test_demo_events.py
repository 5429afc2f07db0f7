"""Issue #5 targets on the ingested demo corpus: the Palmyra capture and the Deir ez-Zor offensive are one event each."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sitreps.model import Event
from sitreps.store import make_engine, session_factory
from sitreps.store.query import list_events


@pytest.fixture(scope="module")
def demo_events(demo_store: Path) -> tuple[list[Event], dict[str, str]]:
    """Every stored event of the demo corpus, and document id -> file name."""
    eng = make_engine(f"sqlite:///{demo_store}")
    with session_factory(eng)() as s:
        events, _ = list_events(s, limit=100_000)
    eng.dispose()
    with sqlite3.connect(demo_store) as conn:
        names = {i: Path(p or "").name for i, p in conn.execute("SELECT id, path FROM documents")}
    return events, names


def _at(e: Event, *places: str) -> bool:
    return e.place is not None and any(p in (e.place.name or "") for p in places)


def _in_month(e: Event, month: str) -> bool:
    return e.date is not None and e.date.start is not None and e.date.start.isoformat().startswith(month)


def test_demo_palmyra_december_capture_is_one_event_from_several_outlets(
    demo_events: tuple[list[Event], dict[str, str]],
) -> None:
    events, names = demo_events
    captures = [
        e
        for e in events
        if _at(e, "Palmyra", "Tadmur") and _in_month(e, "2016-12") and e.action == "capture" and e.n_outlets >= 2
    ]
    assert len(captures) == 1, [(e.id, e.date, e.n_outlets) for e in captures]
    (ev,) = captures
    assert ev.n_outlets >= 5
    assert ev.date is not None and ev.date.start is not None and ev.date.start.isoformat() == "2016-12-11"
    docs = {names.get(d, d) for d in ev.documents}
    # background mentions ("ISIS's capture of Palmyra in December") from 2017 reports joined the December event
    assert any(n.startswith("2017-") for n in docs), docs


def test_demo_deir_ez_zor_january_offensive_is_one_event_from_several_outlets(
    demo_events: tuple[list[Event], dict[str, str]],
) -> None:
    events, names = demo_events
    offensives = [
        e
        for e in events
        if _at(e, "Deir ez-Zor")
        and _in_month(e, "2017-01")
        and e.event_type == "Battles"
        and e.action == "offensive"
        and e.n_outlets >= 2
    ]
    assert len(offensives) == 1, [(e.id, e.date, e.n_outlets) for e in offensives]
    (ev,) = offensives
    assert ev.n_outlets >= 5
    docs = {names.get(d, d) for d in ev.documents}
    # the syndicated copy and the undated report describe the same battle
    assert "2017-01-15-middleeastdesk-deir-ezzor-offensive.txt" in docs
    assert "syrian-troops-deir-ezzor-undated.txt" in docs, docs
