"""Tests for the English-phrase guard that keeps loose (normalised, fuzzy) matching to transliterations."""

from __future__ import annotations

import pytest

from sitreps.geo.words import loose_match_allowed


@pytest.mark.parametrize("name", ["Deir Ezzor", "al-Bab", "Sheikh Maqsoud", "An Nabk", "As Suwayda", "Raqqa"])
def test_loose_match_allowed_accepts_transliterations(name: str) -> None:
    assert loose_match_allowed(name)


@pytest.mark.parametrize(
    "name",
    ["The US", "the US-led", "US Defense", "An Army", "Christopher Inn", "Royal Street", "Defense", "President Assad"],
)
def test_loose_match_allowed_rejects_english_phrases(name: str) -> None:
    assert not loose_match_allowed(name)


@pytest.mark.parametrize("name", ["Hamilton County", "Gulf", "State", "Fire Island"])
def test_loose_match_allowed_rejects_generic_nouns_and_lone_common_words(name: str) -> None:
    assert not loose_match_allowed(name)


def test_loose_match_allowed_keeps_upper_and_lower_villages() -> None:
    assert loose_match_allowed("el-Khasha Upper")
