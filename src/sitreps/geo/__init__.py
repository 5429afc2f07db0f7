"""Offline gazetteer and transliteration-proof toponym resolution (sitreps.geo room)."""

from sitreps.geo.dump import LoadReport, load_geonames_dump
from sitreps.geo.features import Feature, load_features
from sitreps.geo.gazetteer import Gazetteer, GeoContext
from sitreps.geo.resolve import default_gazetteer, find_places, known, resolve, resolve_phrase, set_default_gazetteer

__all__ = [
    "Feature",
    "Gazetteer",
    "GeoContext",
    "LoadReport",
    "default_gazetteer",
    "find_places",
    "known",
    "load_features",
    "load_geonames_dump",
    "resolve",
    "resolve_phrase",
    "set_default_gazetteer",
]
