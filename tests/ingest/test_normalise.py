"""Tests for text normalisation and document ids."""

from __future__ import annotations

from sitreps.ingest import document_id, normalise_text


def test_normalise_text_unifies_quotes_dashes_and_spaces():
    raw = "\ufeff  \u201cWe will hold\u201d \u2014 he said\u00a0 it\u2019s   done \r\n\r\n\r\n Next\tline  "
    assert normalise_text(raw) == '"We will hold" - he said it\'s done\n\nNext line'


def test_normalise_text_composes_unicode():
    assert normalise_text("Ale\u0301ppo") == "Al\u00e9ppo"


def test_document_id_is_stable_across_surface_variants():
    a = "\u201cShelling resumed,\u201d residents said.\r\nMore later."
    b = '"Shelling resumed," residents said.\nMore later.  '
    assert document_id(a) == document_id(b)
    assert len(document_id(a)) == 16
    assert document_id(a) != document_id("Shelling stopped.")


def test_read_options_from_config_maps_settings_and_overrides():
    from datetime import date

    from sitreps.config import FetchConfig, IngestConfig
    from sitreps.ingest import ReadOptions

    opts = ReadOptions.from_config(
        IngestConfig(max_bytes=2_000),
        FetchConfig(timeout=3, allow_private=True),
        outlet="Desk",
        published=date(2020, 1, 2),
        glob=None,
    )
    assert (opts.max_bytes, opts.timeout, opts.allow_private, opts.user_agent) == (2_000, 3, True, "sitreps/0.1")
    assert (opts.outlet, opts.published, opts.glob) == ("Desk", date(2020, 1, 2), "**/*")
