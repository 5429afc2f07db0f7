"""The place relabeler: gazetteer names become whole GPE entities where the small NER model splits or misses them."""

from __future__ import annotations

from typing import Any

import pytest


def _ents(nlp: Any, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in nlp(text).ents]


def test_places_relabel_joins_a_multiword_name_the_ner_splits(nlp: Any) -> None:
    ents = _ents(nlp, "Syrian government troops shelled positions outside Dayr az Zawr on Monday.")
    assert ("Dayr az Zawr", "GPE") in ents
    assert ("Dayr", "GPE") not in ents


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Syrian warplanes struck Deir Hafer on Friday.", "Deir Hafer"),
        ("Regime warplanes struck Deir Hafer and Maskanah on Friday.", "Maskanah"),
    ],
)
def test_places_relabel_makes_a_known_toponym_a_place_even_when_no_country_is_named(
    nlp: Any, text: str, name: str
) -> None:
    assert (name, "GPE") in _ents(nlp, text)


def test_places_relabel_leaves_a_person_whose_surname_is_a_town_abroad(nlp: Any) -> None:
    ents = _ents(nlp, "Syrian warplanes struck Deir Hafer on Friday, and John Kerry said the strikes must stop.")
    assert ("John Kerry", "PERSON") in ents


def test_places_relabel_makes_a_listed_facility_one_entity_with_the_gazetteers_name(nlp: Any) -> None:
    doc = nlp("Militants attacked the Tiyas military airport in Syria on Thursday.")
    facilities = [(e.text, e.kb_id_) for e in doc.ents if e.label_ == "FAC"]
    assert facilities == [("Tiyas military airport", "Tiyas Airbase")]
