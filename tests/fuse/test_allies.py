"""Fusion rules for allied actors and for the two ways a strike's target is told (issue #5, third round)."""

from __future__ import annotations

from sitreps.fuse import fuse
from sitreps.fuse.cluster import allied

from .builders import doc, mention

DOCS = {d: doc(d, f"outlet-{d}") for d in ("a", "b", "c")}
ALBAB = ("geonames:170631", "al-Bab", 36.371, 37.516)
STRIKE = {"etype": "Explosions/Remote violence", "sub": "Air/drone strike"}


def test_allied_reads_patron_and_proxy_from_the_kb_both_ways() -> None:
    assert allied("turkey-military", "free-syrian-army")
    assert allied("free-syrian-army", "turkey-military")
    assert allied("ypg", "syrian-democratic-forces")  # parent
    assert not allied("free-syrian-army", "islamic-state")
    assert not allied("free-syrian-army", "syrian-democratic-forces")
    assert not allied("no-such-actor", "turkey-military")


def test_fuse_patron_and_proxy_fighting_one_enemy_on_one_day_are_one_battle() -> None:
    """One report credits the Turkish army, another the Turkish-backed rebels, for the same fight at al-Bab."""
    ms = [
        mention("a", a1="turkey-military", a2="islamic-state", place=ALBAB),
        mention("b", a1="free-syrian-army", a2="islamic-state", place=ALBAB),
    ]
    assert len(fuse(ms, DOCS)) == 1


def test_fuse_fighters_of_unallied_groups_on_one_day_stay_two_battles() -> None:
    """The guard: the SDF and the Turkish-backed rebels are not allies, so their fights are two happenings."""
    ms = [
        mention("a", a1="syrian-democratic-forces", a2="islamic-state", place=ALBAB),
        mention("b", a1="free-syrian-army", a2="islamic-state", place=ALBAB),
    ]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_strike_on_armed_target_and_on_civilians_by_one_striker_is_one_strike() -> None:
    """The striker says it hit militants, a monitor says it killed civilians: one strike, two accounts."""
    ms = [
        mention("a", a1="us-led-coalition", a2="islamic-state", **STRIKE),
        mention("b", a1="us-led-coalition", a2="civilians", **STRIKE),
    ]
    assert len(fuse(ms, DOCS)) == 1


def test_fuse_strikes_of_two_strikers_on_militants_and_civilians_stay_apart() -> None:
    """The guard: the tolerance needs the same striker; different strikers make two strikes."""
    ms = [
        mention("a", a1="us-led-coalition", a2="islamic-state", **STRIKE),
        mention("b", a1="islamic-state", a2="civilians", **STRIKE),
    ]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_clashes_with_civilians_and_with_militants_are_not_excused_outside_remote_violence() -> None:
    """Ground fighting against an armed group and an attack on civilians by one group are two happenings."""
    ms = [
        mention("a", a1="islamic-state", a2="syria-military"),
        mention(
            "b",
            a1="islamic-state",
            a2="civilians",
            etype="Violence against civilians",
            sub="Attack",
            action="execution",
        ),
    ]
    assert len(fuse(ms, DOCS)) == 2


def test_fuse_weak_killing_of_civilians_joins_the_shelling_its_perpetrator_aimed_at_soldiers() -> None:
    """Cross-family retelling ("shells ... killing civilians") tolerates the two accounts of the target too."""
    shelling = {"etype": "Explosions/Remote violence", "sub": "Shelling/artillery/missile attack"}
    ms = [
        mention("a", a1="islamic-state", a2="syria-military", **shelling),
        mention("b", a1="islamic-state", a2="civilians", etype="Violence against civilians", sub="Attack"),
    ]
    assert len(fuse(ms, DOCS)) == 1
