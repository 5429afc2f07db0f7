"""Property tests: readers, extractor, dates and places never crash on generated input (bench/fuzz.py, fewer runs)."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest
from bench import fuzz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitreps.errors import InputError
from sitreps.ingest import iter_bytes

EXAMPLES = int(os.environ.get("SITREPS_FUZZ_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize("fmt", sorted(fuzz.READER_INPUTS))
def test_readers_never_crash_on_generated_bytes(fmt: str) -> None:
    @FUZZ
    @given(fuzz.READER_INPUTS[fmt])
    def check(data: bytes) -> None:
        fuzz.check_reader(data, None if fmt == "sniffed" else fmt)

    check()


@pytest.mark.parametrize("attack", fuzz._ENTITY_ATTACKS)
def test_feed_reader_refuses_entity_expansion_and_xxe(attack: str) -> None:
    items = list(iter_bytes(attack.encode(), source="evil.xml", options=fuzz.FUZZ_OPTIONS, fmt="feed"))
    assert items, "the attack vanished without a reason"
    for item in items:
        if isinstance(item, InputError):
            assert item.source == "evil.xml" and item.reason
        else:  # inert: parsed without expanding anything from the file system or the DTD
            assert "root:x:0" not in item.text and "lollol" not in item.text


def test_feed_reader_entry_with_control_characters_is_refused_not_crashed() -> None:
    data = b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title>'
    data += b'<content type="html">&lt;p&gt;a&lt;/p&gt;\x01&lt;p&gt;b&lt;/p&gt;</content></entry></feed>'
    items = list(iter_bytes(data, source="f.xml", options=fuzz.FUZZ_OPTIONS, fmt="feed"))
    assert items


def test_when_normalise_impossible_iso_month_is_invalid_not_crash() -> None:
    from sitreps.when import normalise

    res = normalise("2017-13-45", published=date(2017, 1, 1))
    assert res is None or not res.resolved


@FUZZ
@given(fuzz.time_phrases, fuzz.published_dates)
def test_when_normalise_never_crashes(phrase: str, published: date | None) -> None:
    fuzz.check_normalise(phrase, published)


@FUZZ
@given(fuzz.sentences, fuzz.published_dates)
def test_when_find_spans_are_slices_of_the_text(text: str, published: date | None) -> None:
    fuzz.check_find(text, published)


@FUZZ
@given(fuzz.geo_names, fuzz.geo_countries)
def test_geo_resolve_never_crashes(name: str, country: str | None) -> None:
    pytest.importorskip("sitreps.geo.resolve", reason="geo room not importable")
    fuzz.check_geo(name, country)


@settings(max_examples=max(10, EXAMPLES // 2), deadline=None, derandomize=True, database=None)
@given(text=fuzz.sentences, published=fuzz.published_dates)
def test_extract_text_never_crashes_and_keeps_offsets_in_text(nlp: Any, text: str, published: date | None) -> None:
    fuzz.check_extract(text, published, nlp)


def test_extract_text_survives_a_very_long_token(nlp: Any) -> None:
    text = "Islamic State attacked Palmyra on Saturday. " + "x" * 200_000 + " Twelve soldiers were killed."
    assert fuzz.check_extract(text, date(2017, 1, 15), nlp) in ("ok", "rejected")


@FUZZ
@given(st.binary(max_size=3000))
def test_sniffer_reads_any_bytes(data: bytes) -> None:
    fuzz.check_reader(data, None)
