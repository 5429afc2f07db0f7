"""Fatality figures, date choice and notes where mentions disagree."""

from __future__ import annotations

from sitreps.fuse import fuse
from sitreps.fuse.disagree import fatalities

from .builders import doc, mention


def test_fatalities_one_outlet_repeating_counts_once() -> None:
    ms = [
        mention("a", fatalities=10, start=0),
        mention("a2", fatalities=10),
        mention("b", fatalities=30),
        mention("c", fatalities=40),
    ]
    outlets = {ms[0].id: "x", ms[1].id: "x", ms[2].id: "y", ms[3].id: "z"}
    f = fatalities(ms, outlets)
    assert (f.best, f.min, f.max) == (30, 10, 40)
    assert len(f.by_mention) == 4


def test_fatalities_majority_figure_wins() -> None:
    ms = [mention("a", fatalities=12), mention("b", fatalities=12), mention("c", fatalities=50)]
    f = fatalities(ms, {m.id: m.document_id for m in ms})
    assert f.best == 12


def test_fuse_date_is_tightest_consistent_interval() -> None:
    docs = {"a": doc("a", "x"), "b": doc("b", "y")}
    ms = [mention("a", day="2017-01-09", end="2017-01-15", precision=2), mention("b", day="2017-01-14")]
    (ev,) = fuse(ms, docs)
    assert ev.date is not None
    assert (ev.date.start.isoformat() if ev.date.start else None, ev.date.precision) == ("2017-01-14", 1)


def test_fuse_date_disagreement_is_noted() -> None:
    docs = {"a": doc("a", "x"), "b": doc("b", "y")}
    (ev,) = fuse([mention("a", day="2017-01-14"), mention("b", day="2017-01-15")], docs)
    assert any(n.startswith("date: ") for n in ev.disagreements)
