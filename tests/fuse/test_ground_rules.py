"""A cut-off told as ground taken and a capture of the same push (issue #5, third round)."""

from __future__ import annotations

from sitreps.fuse import fuse

from .builders import doc, mention

DOCS = {d: doc(d, f"outlet-{d}") for d in ("a", "b", "c")}
AIRPORT = ("geonames:airport", "Deir ez-Zor Airport", 35.285, 40.176)
OVERTAKES = "Non-state actor overtakes territory"


def test_fuse_cut_off_and_capture_of_the_ground_between_on_one_day_are_one_happening() -> None:
    """ "Cut the airport off from the city" and "seized the ground between the city and the airport"."""
    ms = [
        mention("a", sub=OVERTAKES, action="siege", place=AIRPORT, day="2017-01-16"),
        mention("b", sub=OVERTAKES, action="capture", day="2017-01-16"),
    ]
    assert len(fuse(ms, DOCS)) == 1


def test_fuse_capture_two_days_before_a_cut_off_stays_another_happening() -> None:
    """The guard on days: a capture reported for Saturday is not Monday's cut-off."""
    ms = [
        mention("a", sub=OVERTAKES, action="siege", place=AIRPORT, day="2017-01-16"),
        mention("b", sub=OVERTAKES, action="capture", day="2017-01-14"),
    ]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_encirclement_coded_as_a_clash_stays_apart_from_a_capture_of_the_same_day() -> None:
    """The guard on coding: a siege told as a lasting encirclement (Armed clash) is a state, not ground taken."""
    ms = [
        mention("a", sub="Armed clash", action="siege", place=AIRPORT, day="2017-01-16"),
        mention("b", sub=OVERTAKES, action="capture", day="2017-01-16"),
    ]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_cut_off_and_capture_by_two_sides_on_one_day_stay_apart() -> None:
    ms = [
        mention("a", sub=OVERTAKES, action="siege", place=AIRPORT, day="2017-01-16"),
        mention("b", sub=OVERTAKES, action="capture", a1="syrian-democratic-forces", day="2017-01-16"),
    ]
    assert len(fuse(ms, DOCS)) == 2
