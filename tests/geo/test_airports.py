"""Airports from the optional `airportsdata` package: which are added, the names they answer to, and that the
cities they are named after keep their own names."""

from __future__ import annotations

import logging
import sys

import pytest

from sitreps.geo import GeoContext, resolve_phrase
from sitreps.geo.airports import _wanted, add_airports, airport_aliases, is_military
from sitreps.geo.gazetteer import Gazetteer
from sitreps.geo.index import GeoIndex, distance_km
from sitreps.geo.normalise import fold


def _towns() -> GeoIndex:
    idx = GeoIndex()
    idx.add("geonames:1", "London", 51.5085, -0.1257, "GB", "ENG", "capital", 8_961_989)
    idx.add("geonames:2", "Kabul", 34.5281, 69.1723, "AF", "13", "capital", 4_434_550)
    idx.add("geonames:3", "Donetsk", 48.023, 37.8022, "UA", "05", "city", 929_063)
    idx.add("geonames:4", "Amsterdam", 52.374, 4.8897, "NL", "07", "capital", 741_636)
    idx.add("geonames:5", "Boryspil", 50.3527, 30.9550, "UA", "13", "town", 64_117)
    idx.add("geonames:6", "Mariupol", 47.0971, 37.5434, "UA", "05", "city", 481_626)
    idx.add("geonames:7", "Heathrow", 28.7633, -81.3723, "US", "FL", "village", 5_896)
    idx.add("geonames:8", "Macedonia", 41.3137, -81.5085, "US", "OH", "town", 11_686)
    return idx


_TOWNS = 8


@pytest.fixture(scope="module")
def idx() -> GeoIndex:
    pytest.importorskip("airportsdata")
    ix = _towns()
    n = add_airports(ix)
    assert n == len(ix) - _TOWNS and n > 7000  # every IATA airport and military base, one entry each
    return ix


def _airports(ix: GeoIndex, name: str) -> list[str]:
    return [ix.ids[j] for j in ix.postings(ix.fold_keys, fold(name)) if ix.kind[j] == "airport"]


@pytest.mark.parametrize(
    ("name", "icao"),
    [
        ("Heathrow", "EGLL"),
        ("Heathrow Airport", "EGLL"),
        ("London Heathrow", "EGLL"),
        ("London Heathrow Airport", "EGLL"),
        ("Gatwick", "EGKK"),
        ("Schiphol", "EHAM"),
        ("Amsterdam airport", "EHAM"),
        ("Donetsk airport", "UKCC"),
        ("Donetsk International Airport", "UKCC"),
        ("Mariupol airport", "UKCM"),
        ("Boryspil Airport", "UKBB"),
        ("Mykolaiv airport", "UKON"),  # no IATA code (no scheduled flights in wartime), still international
        ("Kirkuk airport", "ORKK"),  # the city's only airport with flights is an air base
        ("Kirkuk air base", "ORKK"),
        ("Incirlik", "LTAG"),
    ],
)
def test_names_a_writer_uses(idx: GeoIndex, name: str, icao: str) -> None:
    assert _airports(idx, name) == [f"airport:{icao}"]


def test_airport_entry_fields(idx: GeoIndex) -> None:
    i = idx.ids.index("airport:EGLL")
    assert (idx.kind[i], idx.cc[i], idx.pop[i], idx.precision[i]) == ("airport", "GB", 0, 1)
    assert idx.admin1[i] == "ENG"  # from London, the city the package names
    assert distance_km(idx.lat[i], idx.lon[i], 51.47, -0.46) < 2


def test_cities_keep_their_own_names(idx: GeoIndex) -> None:
    for city in ("London", "Kabul", "Donetsk", "Amsterdam", "Boryspil", "Mariupol", "Macedonia"):
        assert _airports(idx, city) == [], city
    gaz = Gazetteer(idx)
    for city in ("Kabul", "London", "Boryspil"):
        got = resolve_phrase(city, gazetteer=gaz)
        assert got is not None and got.kind in ("capital", "town") and got.name == city
    london, ctx = resolve_phrase("London", gazetteer=gaz), GeoContext()
    assert london is not None
    ctx.add(london)  # a story that has named London
    got = resolve_phrase("Heathrow", context=ctx, gazetteer=gaz)
    assert got is not None and got.id == "airport:EGLL" and got.kind == "airport"  # not Heathrow, Florida
    got = resolve_phrase("Donetsk airport", gazetteer=gaz)
    assert got is not None and got.id == "airport:UKCC" and got.geo_precision == 1


def test_short_names_left_to_others(idx: GeoIndex) -> None:
    # a foreign village shares "Heathrow"; a sizeable foreign town keeps "Macedonia" (Thessaloniki Macedonia)
    assert _airports(idx, "Heathrow") == ["airport:EGLL"] and "geonames:7" in _ids(idx, "Heathrow")
    assert _airports(idx, "Macedonia") == [] and _airports(idx, "Thessaloniki Macedonia Airport") == ["airport:LGTS"]
    assert _airports(idx, "Sphinx") == []  # a civil airport's own one-word name (Sphinx International, Giza)
    assert _airports(idx, "O'Hare") == [] and _airports(idx, "O'Hare Airport") == ["airport:KORD"]  # US: people


def _ids(ix: GeoIndex, name: str) -> list[str]:
    return [ix.ids[j] for j in ix.postings(ix.fold_keys, fold(name))]


def test_generic_words_register_nothing(idx: GeoIndex) -> None:
    for word in ("International", "Airport", "Regional", "Municipal", "County", "Field", "Air Base", "Airbase",
                 "International Airport", "Regional Airport", "Intl"):  # fmt: skip
        assert fold(word) not in idx.fold_keys, word
    # words in many airfields' names ("Hawthorne Industrial", "West Branch Community") name none of them alone
    assert _airports(idx, "Industrial") == [] and _airports(idx, "Community") == []
    assert _airports(idx, "Hawthorne Industrial Airport") != []


def test_curated_feature_wins_over_the_package(idx: GeoIndex) -> None:
    # features.yaml places Kabul's airport by hand (Hamid Karzai International): the package's copy stays out
    assert "airport:OAKB" not in idx.ids
    assert _airports(idx, "Kabul airport") == []


def test_short_names_are_distinctive() -> None:
    assert "Indira Gandhi" not in airport_aliases("Indira Gandhi International Airport", "Delhi", military=False)
    got = airport_aliases("Enid Woodring Regional Airport", "Enid", military=False)
    assert "Enid Woodring" in got and "Woodring Airport" in got and "Woodring" not in got  # a person's name
    assert "Heathrow" not in airport_aliases("London Heathrow Airport", "London", military=False, taken={"heathrow"})
    assert airport_aliases("Bagram Air Base", "Bagram", military=True) == ["Bagram airbase"]
    assert airport_aliases("Kabul International Airport", "Kabul", military=False) == ["Kabul Airport"]
    assert "Heathrow" not in airport_aliases("London Heathrow Airport", "London", military=False, shared={"heathrow"})


def test_which_airports_are_added() -> None:
    row = {"icao": "XXXX", "iata": "", "country": "XX", "lat": 1.0, "lon": 1.0}
    assert _wanted({**row, "name": "Foo Air Base"}) and is_military("RAF Lakenheath")
    assert _wanted({**row, "iata": "FOO", "name": "Foo Airport"})
    assert not _wanted({**row, "name": "Foo Airport"})  # a private strip
    assert not _wanted({**row, "iata": "FOO", "name": "Foo Heliport"})
    assert not is_military("Rafina Airport")


def test_missing_package_adds_nothing(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "airportsdata", None)  # import now raises ImportError
    ix = _towns()
    with caplog.at_level(logging.WARNING, logger="sitreps.geo.airports"):
        assert add_airports(ix) == 0
    assert len(ix) == _TOWNS
    assert "airportsdata" in caplog.text and "pip install" in caplog.text


@pytest.mark.parametrize(
    ("phrase", "country"),
    [("Donetsk airport", "UA"), ("Kherson airport", "UA"), ("Sanaa airport", "YE"), ("Incirlik", "TR")],
)
def test_conflict_airports_resolve_in_the_default_gazetteer(phrase: str, country: str) -> None:
    p = resolve_phrase(phrase, fallback=False)
    assert p is not None and p.country == country and p.kind in ("airport", "base") and p.geo_precision == 1
