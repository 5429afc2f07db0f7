"""Place phrases (nlp/roles.py) on sentences the team wrote: 'the (adjective) city of X' names X, 'the city' alone
refers back to the city named before, and a toponym the parser splits stays whole."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sitreps.model import Mention
from sitreps.nlp import extract_text


def _mention(nlp: Any, text: str, trigger: str) -> Mention:
    found = [m for m in extract_text(text, published=date(2019, 10, 20), nlp=nlp) if m.trigger.text == trigger]
    assert found, f"no mention with trigger {trigger!r} in {text!r}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "trigger", "place_text"),
    [
        ("Turkish-backed fighters shelled the desert town of Tal Abyad on Sunday.", "shelled", "Tal Abyad"),
        ("Kurdish forces withdrew after militants stormed the ancient city of Hasakah.", "stormed", "Hasakah"),
        ("Jets bombed the border town of Ras al-Ain overnight.", "bombed", "Ras al-Ain"),
        ("Rebels captured the city of Manbij on Tuesday.", "captured", "Manbij"),
        ("Heavy fighting raged around the strategic town of Tal Tamr on Monday.", "fighting", "Tal Tamr"),
    ],
)
def test_adjective_settlement_of_name_gives_the_whole_toponym(
    nlp: Any, text: str, trigger: str, place_text: str
) -> None:
    assert _mention(nlp, text, trigger).place_text == place_text


def test_the_city_alone_refers_back_to_the_city_named_before(nlp: Any) -> None:
    text = "Rebels captured Manbij on Monday. Militants shelled the city on Tuesday."
    named = _mention(nlp, text, "captured").place
    m = _mention(nlp, text, "shelled")
    assert m.place_text == "the city"
    assert named is not None and m.place is not None
    assert m.place.name == named.name
