"""The public Python API: `sitreps.extract` and honest `__all__` lists."""

from __future__ import annotations

import importlib
from datetime import date

import pytest

import sitreps

PACKAGES = ["sitreps", "sitreps.ingest", "sitreps.geo", "sitreps.when", "sitreps.fuse", "sitreps.nlp", "sitreps.store"]


@pytest.mark.parametrize("name", PACKAGES)
def test_public_api_all_is_complete_and_importable(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert len(set(exported)) == len(exported)
    for symbol in exported:
        assert hasattr(module, symbol), f"{name}.__all__ names missing {symbol}"


def test_extract_finds_a_dated_geolocated_capture() -> None:
    mentions = sitreps.extract("Islamic State fighters seized Palmyra on Sunday.", published=date(2016, 12, 12))
    captures = [m for m in mentions if m.sub_event_type == "Non-state actor overtakes territory"]
    assert captures, [m.to_json() for m in mentions]
    m = captures[0]
    assert m.actor1 is not None and m.actor1.id == "islamic-state"
    assert m.place is not None and m.place.lat is not None and abs(m.place.lat - 34.56) < 0.1
    assert m.date is not None and m.date.start == date(2016, 12, 11)
