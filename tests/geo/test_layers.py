"""Tests for user features (YAML/CSV) and the GeoNames dump loader, on an empty index so they stay small."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sitreps.errors import ConfigError, InputError
from sitreps.geo import Gazetteer, GeoContext, load_features, load_geonames_dump
from sitreps.geo.dump import feature_kind
from sitreps.geo.index import GeoIndex

DATA = Path(__file__).parent.parent / "data" / "geo"


def _empty() -> Gazetteer:
    return Gazetteer(GeoIndex())


def test_load_features_yaml_adds_resolvable_sites() -> None:
    gaz = _empty()
    for feat in load_features(DATA / "features_user.yaml"):
        gaz.add_feature_entry(feat.add_to(gaz.index))
    p = gaz.resolve("FOB Testudo")
    assert p is not None and p.id == "feature:sy:camp-testudo" and p.kind == "base" and p.reason == "exact alias"
    r = gaz.resolve("Wadi Exemplum")
    assert r is not None and r.geo_precision == 3


def test_load_features_csv_splits_aliases() -> None:
    feats = load_features(DATA / "features_user.csv")
    assert feats[0].aliases == ["CP4", "Quattro checkpoint"] and feats[0].kind == "checkpoint"


def test_load_features_bad_coordinates_name_file_and_line() -> None:
    with pytest.raises(ConfigError) as err:
        load_features(DATA / "features_bad.yaml")
    assert err.value.source == f"{DATA / 'features_bad.yaml'}:3"
    assert "out of range" in err.value.reason and err.value.hint


def test_load_features_missing_file_is_config_error() -> None:
    with pytest.raises(ConfigError):
        load_features(DATA / "no_such_features.yaml")


def test_load_geonames_dump_skips_malformed_lines_and_goes_on() -> None:
    gaz = _empty()
    report = load_geonames_dump(DATA / "SY_sample.txt", into=gaz)
    assert report.added == 3
    assert len(report.errors) == 3
    path = DATA / "SY_sample.txt"
    assert report.errors[0] == f"{path}:2: expected 19 tab-separated columns, got 3"
    assert report.errors[1].startswith(f"{path}:5: latitude/longitude")
    assert report.errors[2].startswith(f"{path}:6: geonameid")
    p = gaz.resolve("Khirbet et-Tajribeh")
    assert p is not None and p.id == "geonames:9900001" and p.admin1 == "Muhafazat at-Tajriba"
    base = gaz.resolve_phrase("Tajriba Military Airport", context=GeoContext(countries=Counter({"SY": 1})))
    assert base is not None and base.kind == "base"


def test_load_geonames_dump_alternate_names() -> None:
    gaz = _empty()
    report = load_geonames_dump(DATA / "SY_sample.txt", DATA / "SY_alternates.txt", into=gaz)
    assert report.aliases == 2
    assert any("12345678901 is in neither" in e for e in report.errors)
    assert any("expected 10 tab-separated columns" in e for e in report.errors)
    p = gaz.resolve("Tajriba Ruins")
    assert p is not None and p.id == "geonames:9900001"


def test_load_geonames_dump_missing_file_is_input_error() -> None:
    with pytest.raises(InputError):
        load_geonames_dump(DATA / "nope.txt", into=_empty())


def test_feature_kind_maps_geonames_codes() -> None:
    assert feature_kind("S", "AIRB", 0) == "base"
    assert feature_kind("P", "PPLC", 5) == "capital"
    assert feature_kind("P", "PPL", 150_000) == "city"


def test_prominence_is_known_for_entries_added_after_look_ups() -> None:
    gaz = _empty()
    town = gaz.index.add("test:1", "Exampletown", 35.0, 38.0, "SY", "01", "village", 500)
    gaz.add_feature_entry(town)
    assert gaz.big(town) is False
    city = gaz.index.add("test:2", "Examplecity", 35.5, 38.5, "SY", "01", "city", 250_000)
    gaz.add_feature_entry(city)
    assert gaz.big(city) is True and gaz.big(town) is False


def test_variant_name_loses_at_home_to_a_town_officially_so_called() -> None:
    gaz = _empty()
    ix = gaz.index
    own = ix.add("test:own", "Riverdell", 40.0, -75.0, "US", "NJ", "town", 15_000)
    ix.add("test:alias", "Glenvale", 34.0, -118.0, "US", "CA", "city", 190_000, aliases=["Riverdell"])
    for i in range(len(ix)):
        gaz.add_feature_entry(i)
    got = gaz.resolve("Riverdell", context=GeoContext(countries=Counter({"US": 4})))
    assert got is not None and got.id == ix.ids[own]


def test_exonym_abroad_still_beats_a_village_named_so() -> None:
    gaz = _empty()
    ix = gaz.index
    ix.add("test:village", "Palmyrville", 40.0, -75.0, "US", "PA", "village", 3_000)
    exo = ix.add("test:city", "Tadmurville", 34.5, 38.3, "SY", "04", "town", 50_000, aliases=["Palmyrville"])
    for i in range(len(ix)):
        gaz.add_feature_entry(i)
    got = gaz.resolve("Palmyrville")
    assert got is not None and got.id == ix.ids[exo]
