"""ACLED reference layer: loading (bad rows reported, idempotent) and comparison (recall/precision by construction)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sitreps.cli import run
from sitreps.errors import InputError
from sitreps.export.compare import compare_with_reference
from sitreps.store import make_engine, session_factory
from sitreps.store.reference import count_reference, list_reference, load_acled_csv
from tests.conftest import DATA
from tests.export.builders import build_store

ACLED = DATA / "acled" / "deir_ezzor_2017.csv"
BAD = DATA / "acled" / "malformed.csv"


def test_load_acled_reports_bad_rows_and_loads_the_rest(engine: Engine) -> None:
    with session_factory(engine)() as s:
        rep = load_acled_csv(s, BAD)
        assert rep.read == 6 and rep.inserted == 2
        assert rep.errors == [
            f"{BAD}:row 3: column event_date: '2017-13-45' is not a date (expected YYYY-MM-DD or '14 January 2017')",
            f"{BAD}:row 4: column latitude: 'abc' is not a number",
            f"{BAD}:row 5: column country: missing (the row has fewer cells than the header)",
            f"{BAD}:row 7: column longitude: 240.2 is outside -180..180",
        ]
        assert {r.id for r in list_reference(s)} == {"SYR2001", "SYR2005"}


def test_load_acled_is_idempotent_by_event_id(engine: Engine) -> None:
    with session_factory(engine)() as s:
        first = load_acled_csv(s, ACLED)
        again = load_acled_csv(s, ACLED)
        assert (first.inserted, first.updated) == (4, 0)
        assert (again.inserted, again.updated) == (0, 4)
        assert count_reference(s) == 4
        r4 = next(r for r in list_reference(s) if r.id == "SYR1004")
        assert r4.event_date == date(2017, 1, 17) and r4.country_code == "SY"


def test_load_acled_rejects_a_file_without_acled_columns(tmp_path: Path, engine: Engine) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n")
    with session_factory(engine)() as s, pytest.raises(InputError, match="header lacks event_id_cnty"):
        load_acled_csv(s, f)


def test_compare_recall_and_precision_by_construction(engine: Engine) -> None:
    build_store(engine)
    with session_factory(engine)() as s:
        load_acled_csv(s, ACLED)
        cmp = compare_with_reference(s, since=date(2017, 1, 14), until=date(2017, 1, 20), km=25)
    # 4 reference events: 3 found (clash, strike, Raqqa clash); Al Mayadin is 45 km away → missed.
    # 5 sitreps events in the period: the civilian attack and the reinforcement are not in the reference.
    assert {(m.reference_id, m.event_id) for m in cmp.matches} == {
        ("SYR1001", "e1battle"),
        ("SYR1002", "e2strike"),
        ("SYR1004", "e5raqqa"),
    }
    assert [r.id for r in cmp.misses] == ["SYR1003"]
    assert {e.id for e in cmp.extras} == {"e3civil", "e4reinf"}
    assert cmp.recall == pytest.approx(0.75) and cmp.precision == pytest.approx(0.6)


def test_compare_cli_json_and_table(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    eng = make_engine(sqlite_url)
    build_store(eng)
    eng.dispose()
    assert run(["--db", sqlite_url, "compare", "--json"]) == 2  # empty reference layer: told how to load one
    assert "import-acled" in capsys.readouterr().err
    assert run(["--db", sqlite_url, "import-acled", str(ACLED)]) == 0
    capsys.readouterr()
    args = ["--db", sqlite_url, "compare", "--since", "2017-01-14", "--until", "2017-01-20", "--country", "SY"]
    assert run([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["recall"], data["precision"], data["matched"]) == (0.75, 0.6, 3)
    assert [m["id"] for m in data["misses"]] == ["SYR1003"]
    assert run(args) == 0
    table = capsys.readouterr().out
    assert "recall 75.0%" in table and "SYR1003" in table


def test_import_acled_cli_exit_1_on_bad_rows(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--db", sqlite_url, "import-acled", str(BAD)]) == 1
    captured = capsys.readouterr()
    assert "row 3: column event_date" in captured.err
    assert "6 row(s) read: 2 new, 0 updated, 4 failed" in captured.out
