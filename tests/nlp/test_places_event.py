"""The event place of a mention, end to end through the real model, on short reports the team wrote about several
wars (Syria, Ukraine, Sudan, Yemen), so the rules are checked beyond the demo corpus."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sitreps.model import Document, Mention, Place, stable_id
from sitreps.nlp import extract_mentions, extract_text

PUBLISHED = date(2024, 3, 5)

UKRAINE = (
    "Russian forces shelled the town of Kostiantynivka in the Donetsk region on Sunday, killing four civilians, "
    "regional officials said.\n\n"
    "Ukrainian troops repelled an assault on positions near the town, the general staff said. Moscow said its "
    "forces had captured the village of Ivanivske, west of Bakhmut.\n\n"
    "The governor of Kharkiv said reinforcements from Kharkiv had reached the front."
)
YEMEN = (
    "Houthi fighters attacked government positions in Marib province on Tuesday, tribal sources said.\n\n"
    "Saudi-led coalition jets struck the area overnight and killed dozens of fighters, the coalition said."
)


def _place(nlp: Any, text: str, trigger: str, title: str | None = None) -> Place:
    if title is None:
        mentions = extract_text(text, published=PUBLISHED, nlp=nlp)
    else:
        document = Document(id=stable_id(text), text=text, published=PUBLISHED, title=title)
        mentions = extract_mentions(nlp(text), document)
    found: list[Mention] = [m for m in mentions if m.trigger.text == trigger]
    assert found, f"no mention for {trigger!r} in {[m.trigger.text for m in mentions]}"
    assert found[0].place is not None, f"{trigger!r} has no place"
    return found[0].place


def test_places_description_refers_to_the_town_the_report_is_about_not_the_region_named_last(nlp: Any) -> None:
    place = _place(nlp, UKRAINE, "repelled")
    assert place.name == "Kostyantynivka"
    assert place.geo_precision == 2  # 'positions near the town'


def test_places_main_place_passes_over_sources_offices_and_capitals_that_speak(nlp: Any) -> None:
    place = _place(nlp, UKRAINE, "reinforcements")
    assert place.name == "Kostyantynivka"
    assert place.reason == "document main place"


def test_places_province_phrase_keeps_the_province_and_a_description_of_an_area_refers_to_it(nlp: Any) -> None:
    province = _place(nlp, YEMEN, "attacked")
    assert (province.kind, province.geo_precision) == ("admin1", 3)
    area = _place(nlp, YEMEN, "struck")
    assert (area.id, area.geo_precision) == (province.id, 3)


def test_places_a_name_the_ner_splits_is_read_whole(nlp: Any) -> None:
    text = "The army has flown fresh troops into the besieged city of Dayr az Zawr by helicopter, sources said."
    place = _place(nlp, text, "flown")
    assert (place.name, place.geo_precision) == ("Deir ez-Zor", 1)


def test_places_a_site_noun_reads_its_name_as_the_site_first(nlp: Any) -> None:
    text = "In 2015 the militants blew up the temple of Bel in Palmyra, Syria, a monitor said."
    place = _place(nlp, text, "blew up")
    assert place.name == "Temple of Bel"
    assert place.geo_precision == 2  # a monument inside its town


def test_places_the_airport_is_the_listed_airport_of_the_town_the_report_is_about(nlp: Any) -> None:
    text = (
        "Islamic State fighters attacked government-held districts of Deir ez-Zor on Monday. Damascus has sent "
        "more troops. By Tuesday the militants had cut off the airport, a military source said."
    )
    place = _place(nlp, text, "cut off")
    assert place.name == "Deir ez-Zor Airport"


def test_places_inner_parts_of_a_town_keep_the_towns_precision(nlp: Any) -> None:
    text = "Militants shelled the residential districts of Deir ez-Zor on Monday, the army said."
    place = _place(nlp, text, "shelled")
    assert (place.name, place.geo_precision) == ("Deir ez-Zor", 1)


def test_places_the_countryside_of_a_town_is_an_area(nlp: Any) -> None:
    text = "The Houthis seized several villages in the western countryside of Marib, Yemen, on Sunday, officials said."
    assert _place(nlp, text, "seized").geo_precision == 3


def test_places_a_wire_filed_abroad_still_places_its_sentences_in_the_town_it_reports_on(nlp: Any) -> None:
    text = (
        "MOSCOW, May 4 (Agency) - Russian warplanes struck Islamic State fighters around Palmyra overnight, "
        "Russia's defence ministry said on Saturday.\n\n"
        "The ministry said its aircraft flew 40 sorties and killed about 200 militants."
    )
    place = _place(nlp, text, "sorties")
    assert place.name == "Tadmur"


def test_places_the_road_to_a_town_places_the_happening_near_that_town(nlp: Any) -> None:
    text = (
        "The Rapid Support Forces attacked El Fasher on Friday, residents said.\n\n"
        "The fighters shelled the road to Kutum, killing at least nine people."
    )
    place = _place(nlp, text, "shelled")
    assert (place.name, place.geo_precision) == ("Kutum", 2)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Government forces push on toward Tabqa", "Al-Tabqa"),
        ("Government forces push on toward Manbij", "Manbij"),
    ],
)
def test_places_the_headline_decides_between_towns_the_body_names_as_often(nlp: Any, title: str, expected: str) -> None:
    text = (
        "Government forces advanced in the countryside between Tabqa and Manbij on Monday, a monitor said.\n\n"
        "Warplanes carried out dozens of strikes, the monitor said."
    )
    assert _place(nlp, text, "strikes", title=title).name == expected
