"""Exports round-trip: JSON Lines, GeoJSON, Parquet and ACLED CSV read back with the same ids and fields."""

from __future__ import annotations

import io
import json
import os
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine

from sitreps.cli import run
from sitreps.errors import UsageError
from sitreps.export import export_events
from sitreps.export.acled_csv import COLUMNS, interaction
from sitreps.model import Event, event_from_json
from sitreps.store import EventFilter, make_engine, session_factory
from tests.export.builders import ALL_IDS, build_store


@pytest.fixture
def events(engine: Engine) -> list[Event]:
    return build_store(engine)


def by_id(events: list[Event]) -> dict[str, Event]:
    return {e.id: e for e in events}


def test_export_jsonl_round_trips_every_event(engine: Engine, events: list[Event]) -> None:
    buf = io.StringIO()
    with session_factory(engine)() as s:
        res = export_events(s, "jsonl", stream=buf, page_size=2)  # several pages through the cursor
    back = [event_from_json(json.loads(line)) for line in buf.getvalue().splitlines()]
    assert res.written == len(events)
    assert {e.id for e in back} == ALL_IDS
    orig = by_id(events)
    for e in back:
        assert e.to_json() == orig[e.id].to_json()


def test_export_geojson_omits_events_without_coordinates(engine: Engine, events: list[Event], tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    with session_factory(engine)() as s:
        res = export_events(s, "geojson", path=out, page_size=3)
    fc = json.loads(out.read_text())
    assert fc["type"] == "FeatureCollection"
    ids = {f["id"] for f in fc["features"]}
    assert ids == ALL_IDS - {"e7nocoord"}
    assert res.skipped == 1 and fc["sitreps"]["omitted_without_coordinates"] == 1
    orig = by_id(events)
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        props = dict(f["properties"])
        props["place"] = {**props["place"], "lat": lat, "lon": lon}
        assert event_from_json(props).to_json() == orig[f["id"]].to_json()


def test_export_parquet_has_typed_flat_columns(engine: Engine, events: list[Event], tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    with session_factory(engine)() as s:
        export_events(s, "parquet", path=out)
    table = pq.read_table(out)
    assert str(table.schema.field("date_start").type) == "date32[day]"
    assert str(table.schema.field("fatalities_best").type) == "int32"
    assert str(table.schema.field("outlets").type) == "list<element: string>"
    df = table.to_pandas()
    assert set(df["id"]) == ALL_IDS
    orig = by_id(events)
    for rec in df.to_dict("records"):
        e = orig[rec["id"]]
        assert rec["event_type"] == e.event_type
        assert rec["date_start"] == e.date.start  # type: ignore[union-attr]
        assert list(rec["outlets"]) == e.outlets
        assert list(rec["mentions"]) == e.mentions
        if e.fatalities.best is None:
            assert pd.isna(rec["fatalities_best"])
        else:
            assert rec["fatalities_best"] == e.fatalities.best


def test_export_acled_csv_reads_with_acled_dtypes(engine: Engine, events: list[Event], tmp_path: Path) -> None:
    out = tmp_path / "acled.csv"
    with session_factory(engine)() as s:
        res = export_events(s, "acled-csv", path=out)
    df = pd.read_csv(
        out,
        parse_dates=["event_date"],
        dtype={"year": "int64", "fatalities": "int64", "inter1": "int64", "inter2": "int64", "interaction": "int64"},
    )
    assert tuple(df.columns) == COLUMNS
    assert res.written == len(events) == len(df)
    assert str(df["event_date"].dtype).startswith("datetime64")
    assert df["latitude"].dtype == float and df["longitude"].dtype == float
    row = df[df["notes"].str.contains("Islamic State fighters clashed")].iloc[0]
    assert row["event_date"].date() == date(2017, 1, 14)
    assert (row["inter1"], row["inter2"], row["interaction"]) == (2, 1, 12)
    assert row["iso"] == 760 and row["region"] == "Middle East" and row["country"] == "Syria"
    assert row["event_id_cnty"].startswith("SYR")
    assert row["disorder_type"] == "Political violence"
    assert row["source"] == "Levant Wire; Middle East Desk; DNA"
    assert row["notes"].endswith("12–20 killed (best estimate 12).")
    civ = df[df["event_type"] == "Violence against civilians"].iloc[0]
    assert civ["civilian_targeting"] == "Civilian targeting" and civ["inter2"] == 7
    # the same event exports under the same id every time
    with session_factory(engine)() as s:
        export_events(s, "acled-csv", path=tmp_path / "again.csv")
    assert list(pd.read_csv(tmp_path / "again.csv")["event_id_cnty"]) == list(df["event_id_cnty"])


def test_export_filters_apply(engine: Engine, events: list[Event]) -> None:
    buf = io.StringIO()
    with session_factory(engine)() as s:
        export_events(s, "jsonl", stream=buf, flt=EventFilter(event_type=["Battles"], since=date(2017, 1, 12)))
    assert {json.loads(x)["id"] for x in buf.getvalue().splitlines()} == {"e1battle", "e5raqqa"}


def test_interaction_codes_follow_acled() -> None:
    assert interaction(2, 1) == 12
    assert interaction(1, 0) == 10
    assert interaction(8, 2) == 28
    assert interaction(7, 7) == 77


def test_export_unknown_format_lists_choices(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--db", sqlite_url, "export", "--format", "xlsx"]) == 2
    msg = capsys.readouterr().err
    assert "xlsx" in msg and "acled-csv, geojson, jsonl, parquet" in msg


def test_export_unwritable_path_names_it(sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "dir" / "out.csv"
    assert run(["--db", sqlite_url, "export", "--format", "acled-csv", "-o", str(target)]) == 2
    assert str(target) in capsys.readouterr().err
    if os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        assert run(["--db", sqlite_url, "export", "-o", str(ro / "x.jsonl")]) == 2
        assert "permission denied" in capsys.readouterr().err


def test_export_parquet_to_stdout_is_refused(sqlite_url: str) -> None:
    eng = make_engine(sqlite_url)
    with session_factory(eng)() as s, pytest.raises(UsageError, match="needs a file"):
        export_events(s, "parquet")
    eng.dispose()


def test_export_cli_writes_file_and_reports(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eng = make_engine(sqlite_url)
    build_store(eng)
    eng.dispose()
    out = tmp_path / "e.geojson"
    code = run(
        ["--db", sqlite_url, "export", "--format", "geojson", "-o", str(out), "--country", "SY", "--min-outlets", "2"]
    )
    assert code == 0
    assert {f["id"] for f in json.loads(out.read_text())["features"]} == {
        "e1battle",
        "e3civil",
        "e4reinf",
        "e5raqqa",
        "e6before",
    }
    assert "exported 5 event(s)" in capsys.readouterr().err
