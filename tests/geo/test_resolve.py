"""Tests for toponym resolution against the bundled gazetteer: spellings, context, phrases, places in text."""

from __future__ import annotations

from collections import Counter

import pytest

from sitreps.geo import GeoContext, find_places, known, resolve, resolve_phrase
from sitreps.geo.index import distance_km

SYRIA = GeoContext(countries=Counter({"SY": 2}))


@pytest.mark.parametrize("name", ["Deir ez-Zor", "Deir Ezzor", "Deir al-Zor", "Dayr az Zawr", "Deir al-Zour"])
def test_resolve_deir_ez_zor_spellings(name: str) -> None:
    p = resolve(name)
    assert p is not None
    assert p.id == "geonames:170794"
    assert distance_km(p.lat or 0, p.lon or 0, 35.336, 40.141) < 2
    assert p.country == "SY" and p.admin1 == "Deir ez-Zor" and p.geo_precision == 1
    assert p.text == name


@pytest.mark.parametrize("name", ["Raqqa", "Raqa", "Rakka", "Raqqah"])
def test_resolve_raqqa_spellings(name: str) -> None:
    p = resolve(name, context=SYRIA)
    assert p is not None and p.id == "geonames:172955"


@pytest.mark.parametrize("name", ["al-Bab", "Al Bab", "el-Bab"])
def test_resolve_al_bab_in_syria_context(name: str) -> None:
    p = resolve(name, context=SYRIA)
    assert p is not None and p.country == "SY"
    assert distance_km(p.lat or 0, p.lon or 0, 36.37, 37.52) < 5


def test_resolve_tadmur_and_palmyra_are_syria_not_us() -> None:
    for name in ("Tadmur", "Palmyra"):
        p = resolve(name, context=SYRIA)
        assert p is not None and p.id == "geonames:163808", name


def test_resolve_context_country_beats_population() -> None:
    us = GeoContext(countries=Counter({"US": 3}))
    p = resolve("Palmyra", context=us)
    assert p is not None and p.country == "US"


def test_resolve_country_hint_restricts_candidates() -> None:
    p = resolve("Palmyra", country="US")
    assert p is not None and p.country == "US"


def test_resolve_exact_capital_beats_loose_match_in_context() -> None:
    p = resolve("Sanaa", context=SYRIA)
    assert p is not None and p.country == "YE"


def test_resolve_fuzzy_keeps_reason() -> None:
    p = resolve("Dair Alzour", context=SYRIA)
    assert p is not None and p.id == "geonames:170794"
    assert p.reason.startswith("fuzzy ")


def test_resolve_reason_names_match_kind() -> None:
    p = resolve("Deir Ezzor")
    assert p is not None and p.reason.startswith("normalised alias")
    q = resolve("Deir ez-Zor")
    assert q is not None and q.reason.startswith("exact name")


def test_resolve_unknown_place_is_none() -> None:
    assert resolve("Qxzvbtown Nowhereville") is None


def test_resolve_country_and_demonym_have_region_precision() -> None:
    p = resolve("Syria")
    assert p is not None and p.kind == "country" and p.geo_precision == 3
    d = resolve("Syrian")
    assert d is not None and d.country == "SY" and d.reason.startswith("demonym")


def test_known_is_transliteration_proof() -> None:
    assert known("Deir Ezzor") and known("Raqqa") and not known("Qxzvbtown")


@pytest.mark.parametrize(
    ("phrase", "kind", "precision", "reason_start"),
    [
        ("Deir ez-Zor province", "admin1", 3, ""),
        ("Deir ez-Zor governorate", "admin1", 3, ""),
        ("the province of Raqqa", "admin1", 3, ""),
        ("Raqqa province", "admin1", 3, ""),
        ("the outskirts of Aleppo", "city", 2, "near:"),
        ("near Palmyra", "town", 2, "near:"),
        ("west of Palmyra", "town", 2, "near: west of Palmyra"),
        ("eastern Syria", "region", 3, ""),
        ("northern Syria", "region", 3, ""),
        ("southern Iraq", "region", 3, "region:"),
        ("the city of Homs", "city", 1, ""),
        ("the town of al-Bab", "city", 1, ""),
        ("Deir ez-Zor airport", "airport", 1, ""),
        ("Tiyas airbase", "base", 1, ""),
    ],
)
def test_resolve_phrase_modifiers(phrase: str, kind: str, precision: int, reason_start: str) -> None:
    p = resolve_phrase(phrase, context=SYRIA)
    assert p is not None, phrase
    assert (p.kind, p.geo_precision) == (kind, precision), (phrase, p)
    assert p.reason.startswith(reason_start)
    assert p.text == phrase


def test_resolve_phrase_unknown_airbase_falls_back_to_town() -> None:
    p = resolve_phrase("Kafr Nabl airbase", context=SYRIA)
    assert p is not None and p.geo_precision == 2 and p.country == "SY"


def test_resolve_phrase_admin1_centroid_is_inside_country() -> None:
    p = resolve_phrase("Deir ez-Zor province")
    assert p is not None and p.id == "admin1:SY.07"
    assert 34 < (p.lat or 0) < 36.5 and 39 < (p.lon or 0) < 42


TEXT = (
    "Syrian government forces pushed into Deir Ezzor on Saturday, while Islamic State fighters shelled al-Bab "
    "and the outskirts of Palmyra. President Bashar al-Assad met officials in Damascus. In May, Mark said the "
    "Tabqa Dam was hit near Qasr Ibn Wardan in Hama province."
)


def test_find_places_spans_offsets_and_modifiers() -> None:
    places = find_places(TEXT)
    found = {p.text: p for p in places}
    assert set(found) == {
        "Deir Ezzor", "al-Bab", "the outskirts of Palmyra", "Damascus", "Tabqa Dam", "Qasr Ibn Wardan", "Hama province",
    }  # fmt: skip
    for p in places:
        assert p.start is not None and p.end is not None and TEXT[p.start : p.end] == p.text
    assert found["the outskirts of Palmyra"].geo_precision == 2
    assert found["Hama province"].kind == "admin1"


def test_find_places_lists_unknown_place_after_cue_with_no_id() -> None:
    places = find_places(TEXT)
    unknown = [p for p in places if p.id is None]
    assert [p.text for p in unknown] == ["Qasr Ibn Wardan"]
    assert unknown[0].reason == "not in gazetteer"


def test_find_places_rejects_words_and_person_names() -> None:
    texts = [p.text for p in find_places("On Monday Mark Will met Bashar al-Assad and President Trump in May.")]
    assert texts == []


SYRIAN_WAR = (
    "The US said on Monday that US Defense Secretary Jim Mattis had met commanders in Raqqa. "
    "The US-led coalition struck positions near Deir Ezzor, US Defense officials said."
)


def test_find_places_english_phrases_are_not_far_fetched_places() -> None:
    found = find_places(SYRIAN_WAR)
    assert {p.country for p in found if p.id} <= {"US", "SY"}, found
    assert all(p.name not in ("Tea", "La Defensa", "Daqing") for p in found)
    assert {p.text for p in found} >= {"Raqqa", "near Deir Ezzor"}


@pytest.mark.parametrize("phrase", ["The US", "US Defense", "the US-led"])
def test_resolve_determiner_or_acronym_phrase_matches_only_as_written(phrase: str) -> None:
    p = resolve(phrase, context=SYRIA)
    assert p is None or p.country == "US", p


def test_resolve_acronym_never_means_a_village() -> None:
    p = resolve("EU")
    assert p is None or p.kind in ("country", "region", "admin1", "capital"), p


def test_resolve_fuzzy_needs_the_same_initial() -> None:
    france = GeoContext(countries=Counter({"FR": 2}))
    p = resolve("Almonaster", context=france)
    assert p is None or p.name[:1] == "A", p


def test_resolve_fuzzy_skips_building_names() -> None:
    assert resolve("Christopher Inn", context=GeoContext(countries=Counter({"US": 2}))) is None


def _aleppo_context() -> GeoContext:
    text = "Shelling hit Aleppo on Sunday. Residents of Aleppo fled north to Azaz."
    ctx = GeoContext.from_text(text)
    find_places(text, context=ctx)
    return ctx


def test_resolve_phrase_unlisted_site_falls_back_to_document_focus_as_near_it() -> None:
    p = resolve_phrase("Royal Street", context=_aleppo_context())
    assert p is not None and p.name == "Aleppo"
    assert p.reason == "document focus" and p.geo_precision == 2 and p.text == "Royal Street"


def test_resolve_phrase_unlisted_site_uses_place_inside_its_name() -> None:
    p = resolve_phrase("Azaz University Hospital", context=_aleppo_context())
    assert p is not None and p.country == "SY" and p.reason == "part of name: Azaz" and p.geo_precision == 2


def test_resolve_phrase_without_fallback_is_none_for_unlisted_site() -> None:
    assert resolve_phrase("Royal Street", context=_aleppo_context(), fallback=False) is None


def test_resolve_phrase_unlisted_name_keeps_its_area_when_focus_is_elsewhere() -> None:
    p = resolve_phrase("University of Alberta", context=_aleppo_context())
    assert p is not None and p.kind == "admin1" and p.country == "CA" and p.reason == "part of name: Alberta"


def test_resolve_demonym_is_never_a_village_spelled_like_it() -> None:
    p = resolve("Salvadoran", context=GeoContext(countries=Counter({"MX": 2})))
    assert p is None or p.kind == "country", p


def test_resolve_phrase_determiner_and_generic_noun_is_no_name() -> None:
    assert resolve_phrase("the city", fallback=False) is None
    gulf = resolve_phrase("the Gulf", fallback=False)
    assert gulf is not None and gulf.kind == "region"


def test_resolve_phrase_town_qualified_by_country_is_the_town() -> None:
    from collections import Counter

    from sitreps.geo import GeoContext, resolve_phrase

    place = resolve_phrase("Palmyra, Syria", context=GeoContext(countries=Counter(), places=[], text=""))
    assert place is not None and place.country == "SY" and place.kind != "country"
    assert abs((place.lat or 0) - 34.56) < 0.1 and "in Syria" in place.reason


def test_resolve_phrase_spelling_match_abroad_is_refused_in_a_foreign_document() -> None:
    from collections import Counter

    from sitreps.geo import GeoContext, resolve_phrase

    ctx = GeoContext(countries=Counter({"SY": 3}), places=[], text="")
    got = resolve_phrase("al-Joura", context=ctx, fallback=False)
    assert got is None or got.country == "SY"


def test_resolve_english_exonym_of_a_city_beats_a_village_named_so() -> None:
    from sitreps.geo import resolve

    place = resolve("Palmyra")  # no context: Tadmur (Syria, ~50,000) over Palmyra, Pennsylvania (a village)
    assert place is not None and place.country == "SY"


@pytest.mark.parametrize("head", ["Dayr", "Deir", "Tell", "Kafr", "Jabal", "Ain", "Umm", "Khirbet"])
def test_resolve_lone_generic_head_never_loosely_means_another_town(head: str) -> None:
    from sitreps.geo.normalise import fold

    for ctx in (None, SYRIA):
        place = resolve_phrase(head, context=ctx, fallback=False)
        assert place is None or fold(place.name) == fold(head), (head, place)


def test_resolve_dayr_az_zawr_whole_is_the_city_of_deir_ez_zor() -> None:
    place = resolve_phrase("Dayr az Zawr", context=SYRIA, fallback=False)
    assert place is not None and place.country == "SY" and place.kind == "city"
    assert abs((place.lat or 0) - 35.33) < 0.1


@pytest.mark.parametrize("phrase", ["Deir ez-Zor province", "the province of Deir ez-Zor", "Dayr az Zawr governorate"])
def test_resolve_phrase_province_of_x_is_the_admin1_area_with_precision_3(phrase: str) -> None:
    place = resolve_phrase(phrase, context=SYRIA, fallback=False)
    assert place is not None and place.kind == "admin1" and place.geo_precision == 3
    assert place.country == "SY" and place.admin1 == "Deir ez-Zor"


@pytest.mark.parametrize("name", ["Bel", "Tal"])
def test_resolve_very_short_name_does_not_go_abroad_in_a_foreign_document(name: str) -> None:
    for got in (resolve(name, context=SYRIA), resolve_phrase(name, context=SYRIA, fallback=False)):
        assert got is None or got.country == "SY", got


def test_resolve_short_name_still_resolves_without_document_countries() -> None:
    assert resolve("Tal") is not None


def test_resolve_demonym_of_a_country_the_document_never_names_still_resolves() -> None:
    place = resolve_phrase("Norwegian", context=SYRIA, fallback=False)
    assert place is not None and place.country == "NO" and place.kind == "country"


def test_country_data_keys_are_iso_codes_not_yaml_booleans() -> None:
    from importlib import resources

    import yaml

    for name in ("countries.yaml", "admin1.yaml"):
        data = yaml.safe_load(resources.files("sitreps.geo").joinpath("data", name).read_text(encoding="utf-8"))
        bad = [k for k in data if not (isinstance(k, str) and len(k) == 2 and k.isupper())]
        assert not bad, (name, bad)  # an unquoted NO (Norway) reads as False


@pytest.mark.parametrize(("name", "cc"), [("Czech Republic", "CZ"), ("Korea", "KR"), ("Soviet Union", "RU")])
def test_resolve_common_country_names_missing_from_geonames(name: str, cc: str) -> None:
    place = resolve(name)
    assert place is not None and place.country == cc and place.kind == "country"


def test_resolve_world_city_beats_a_small_namesake_in_the_story_country() -> None:
    us_story = GeoContext(countries=Counter({"US": 12}))
    for name, cc in (("London", "GB"), ("Rome", "IT")):
        place = resolve(name, context=us_story)
        assert place is not None and place.country == cc, place


def test_resolve_first_level_area_named_in_document_favours_its_towns() -> None:
    florida = resolve("Florida")
    assert florida is not None and florida.kind == "admin1"
    ctx = GeoContext(countries=Counter({"US": 3}), places=[florida])
    place = resolve("Parkland", context=ctx)
    assert place is not None and place.admin1 == florida.admin1


def test_resolve_area_is_not_taken_for_a_village_inside_it_named_after_it() -> None:
    place = resolve("Montana", context=GeoContext(countries=Counter({"US": 3})))
    assert place is not None and place.kind == "admin1"


def test_resolve_lone_fragment_means_the_longer_name_the_document_writes() -> None:
    text = "Troops were flown into the besieged city of Dayr az Zawr. Earlier the group blew up the temple of Bel."
    ctx = GeoContext(countries=Counter({"SY": 2}), text=text)
    dayr = resolve("Dayr", context=ctx)
    assert dayr is not None and dayr.name == "Deir ez-Zor" and dayr.kind == "city" and dayr.text == "Dayr"
    assert dayr.reason == "part of Dayr az Zawr"
    bel = resolve_phrase("Bel", context=ctx, fallback=False)
    assert bel is not None and bel.country == "SY" and bel.name == "Temple of Bel"


def test_resolve_fragment_is_not_expanded_without_the_document_text() -> None:
    assert resolve("Dayr", context=GeoContext(countries=Counter({"SY": 2}))) is None


@pytest.mark.parametrize("name", ["Deir ez-Zor province", "the province of Deir ez-Zor", "Raqqa governorate"])
def test_resolve_name_with_area_word_is_the_admin1_area_with_precision_3(name: str) -> None:
    place = resolve(name)
    assert place is not None and place.kind == "admin1" and place.geo_precision == 3 and place.country == "SY"
    assert resolve(name, country="IQ") is None


@pytest.mark.parametrize("name", ["Islamic State", "Sinai Province", "Khorasan Province"])
def test_resolve_group_name_with_an_area_word_stays_no_place(name: str) -> None:
    assert resolve(name) is None


@pytest.mark.parametrize(
    ("name", "country", "lat", "lon"),
    [
        ("the Kremlin", "RU", 55.75, 37.62),
        ("White House", "US", 38.90, -77.04),
        ("Downing Street", "GB", 51.50, -0.13),
        ("the Pentagon", "US", 38.87, -77.06),
    ],
)
def test_seats_of_government_resolve_to_the_seat_not_a_namesake_town(
    name: str, country: str, lat: float, lon: float
) -> None:
    us_story = GeoContext(countries=Counter({"US": 4}))
    p = resolve_phrase(name, context=us_story)
    assert p is not None and p.kind == "seat" and p.country == country
    assert distance_km(p.lat or 0, p.lon or 0, lat, lon) < 5


def test_town_qualified_by_its_state_beats_a_namesake_in_another_state() -> None:
    town = resolve_phrase("White House, Tennessee")
    assert town is not None and town.kind == "town" and town.admin1 == "Tennessee"
    springfield = resolve_phrase("Springfield, Massachusetts")
    assert springfield is not None and springfield.admin1 == "Massachusetts"


@pytest.mark.parametrize("street", ["Azaz Road", "Manbij Street"])
def test_a_street_named_after_a_city_lies_where_the_story_is(street: str) -> None:
    p = resolve_phrase(street, context=_aleppo_context())
    assert p is not None and p.name == "Aleppo" and p.reason == "document focus"


@pytest.mark.parametrize("name", ["Embassy of the Republic of Armenia", "Embassy of Canada"])
def test_an_embassy_lies_in_the_host_city_not_in_the_country_it_stands_for(name: str) -> None:
    p = resolve_phrase(name, context=_aleppo_context())
    assert p is not None and p.country == "SY"


def test_a_name_read_again_leans_on_the_other_places_not_on_its_own_first_guess() -> None:
    # the first "Oceanside" comes before the Long Island towns that settle it: the whole story reads it again
    text = "Flooding hit Oceanside overnight. Crews came from Bellmore and Fort Salonga to help Oceanside residents."
    places = [p for p in find_places(text) if p.text == "Oceanside"]
    assert [p.admin1 for p in places] == ["New York", "New York"]
    assert "whole story" in (places[0].reason or "")


def test_a_county_named_before_its_state_is_read_again_with_the_whole_story() -> None:
    text = "Ferry service resumed; Cumberland County officials cleared the harbor in Maine."
    county = next(p for p in find_places(text) if p.text == "Cumberland County")
    assert county.admin1 == "Maine"


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("The school shooting in Parkland, Florida. Survivors marched.", "Florida"),
        ("Police in Lafayette, Ind., said the road was closed.", "Indiana"),
        ("Storms reached Paris, Texas, by noon.", "Texas"),
    ],
)
def test_a_town_followed_by_its_state_is_the_namesake_in_that_state(text: str, admin1: str) -> None:
    town = find_places(text)[0]
    assert town.admin1 == admin1 and ", in " in (town.reason or "")


def test_a_list_of_towns_is_not_read_as_town_then_its_area() -> None:
    found = find_places("Shelling hit Aleppo, Idlib and Hama.")
    assert found[0].name == "Aleppo" and "in Idlib" not in (found[0].reason or "")


@pytest.mark.parametrize(
    ("name", "country"),
    [("FATA", "PK"), ("South Waziristan Agency", "PK"), ("North Waziristan", "PK"), ("Mount Chaambi", "TN")],
)
def test_insurgent_strongholds_no_town_gazetteer_lists_resolve_as_packaged_features(name: str, country: str) -> None:
    p = resolve_phrase(name, fallback=False)
    assert p is not None and p.country == country and (p.id or "").startswith("feature:")


def test_country_abbreviation_with_an_ampersand() -> None:
    p = resolve_phrase("T&T", fallback=False)
    assert p is not None and p.country == "TT" and p.kind == "country"


def test_a_lower_case_direction_names_a_part_of_the_place_not_a_namesake_city() -> None:
    part = resolve_phrase("east London", fallback=False)
    assert part is not None and part.country == "GB" and part.geo_precision == 2
    city = resolve_phrase("East London", fallback=False)
    assert city is not None and city.country == "ZA"


def test_upstate_names_the_north_of_the_state() -> None:
    p = resolve_phrase("upstate New York", fallback=False)
    assert p is not None and p.kind == "region" and p.geo_precision == 3 and (p.lat or 0) > 42.0


def test_a_county_followed_by_its_state_is_that_state_s_county() -> None:
    county = find_places("Berlin is a city in Coos County, New Hampshire, on the Androscoggin River.")[1]
    assert county.kind == "admin2" and county.admin1 == "New Hampshire"


@pytest.mark.parametrize(("name", "country"), [("Daraa", "SY"), ("Saada", "YE"), ("Hodeidah", "YE")])
def test_a_name_spelled_as_a_place_beats_a_bigger_respelling_abroad(name: str, country: str) -> None:
    p = resolve_phrase(name, fallback=False)  # no context: the spelling alone must decide
    assert p is not None and p.country == country
