"""Argument phrases from the parse (nlp/roles.py): the place phrase of 'the city of X'."""

from __future__ import annotations

from datetime import date
from typing import Any

from sitreps.nlp import extract_text


def _place_text(nlp: Any, text: str, trigger: str) -> str | None:
    found = [m for m in extract_text(text, published=date(2024, 3, 1), nlp=nlp) if m.trigger.text == trigger]
    assert found, f"no mention with trigger {trigger!r}"
    return found[0].place_text


def test_city_of_name_gives_the_toponym_as_place(nlp: Any) -> None:
    text = "RSF fighters stormed the besieged city of El Fasher on Friday."
    assert _place_text(nlp, text, "stormed") == "El Fasher"


def test_town_of_name_with_adjective_gives_the_toponym(nlp: Any) -> None:
    text = "Russian jets struck the eastern town of Kupiansk overnight."
    assert _place_text(nlp, text, "struck") == "Kupiansk"


def test_plural_towns_of_several_names_is_not_narrowed_to_the_first(nlp: Any) -> None:
    text = "Jihadist fighters attacked the towns of Djibo and Arbinda on Monday."
    assert _place_text(nlp, text, "attacked") != "Djibo"
