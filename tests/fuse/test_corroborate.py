"""Independence: syndicated copies, repeated outlets, one monitor quoted by many, denials."""

from __future__ import annotations

from sitreps.fuse import fuse
from sitreps.fuse.corroborate import normalise_sources, origin

from .builders import doc, mention


def test_fuse_syndicated_copy_does_not_raise_outlets() -> None:
    docs = {"a": doc("a", "wire"), "b": doc("b", "paper", duplicate_of="a"), "c": doc("c", "wire")}
    (ev,) = fuse([mention("a"), mention("b"), mention("c", day="2017-01-15")], docs)
    assert ev.n_mentions == 3
    assert ev.n_outlets == 1
    assert ev.status == "single-source"


def test_fuse_five_outlets_quoting_one_monitor_is_one_source() -> None:
    names = [
        "the Syrian Observatory for Human Rights",
        "SOHR",
        "the Observatory",
        "Syrian Observatory for Human Rights",
        "the Syrian Observatory",
    ]
    docs = {f"d{i}": doc(f"d{i}", f"outlet{i}") for i in range(5)}
    ms = [mention(f"d{i}", attribution=a) for i, a in enumerate(names)]
    (ev,) = fuse(ms, docs)
    assert ev.n_outlets == 5
    assert ev.n_sources == 1
    assert ev.attribution == "the Syrian Observatory for Human Rights"


def test_fuse_unattributed_mentions_count_their_outlets_as_sources() -> None:
    docs = {"a": doc("a", "x"), "b": doc("b", "y")}
    (ev,) = fuse([mention("a"), mention("b")], docs)
    assert ev.n_sources == 2


def test_fuse_denial_makes_event_disputed() -> None:
    docs = {"a": doc("a", "x"), "b": doc("b", "y"), "c": doc("c", "z")}
    ms = [mention("a"), mention("b"), mention("c", modality="negated", text="The army denied any attack on the city.")]
    (ev,) = fuse(ms, docs)
    assert ev.status == "disputed"
    assert ev.n_outlets == 2
    assert ev.modality == "asserted"
    assert "denied by: z" in ev.disagreements


def test_normalise_sources_keeps_unrelated_names_apart() -> None:
    canon = normalise_sources(["Amaq", "the Syrian Observatory for Human Rights", "SOHR", "Russian defence ministry"])
    assert canon["SOHR"] == canon["the Syrian Observatory for Human Rights"]
    assert len(set(canon.values())) == 3


def test_origin_stops_on_cycles() -> None:
    docs = {"a": doc("a", "x", duplicate_of="b"), "b": doc("b", "y", duplicate_of="a")}
    assert origin("a", docs) in {"a", "b"}
