"""Backup and restore: a round trip gives identical rows; restore refuses to replace a non-empty store."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, select
from sqlalchemy.exc import SAWarning

from sitreps.cli import run
from sitreps.errors import StoreError
from sitreps.model import Span
from sitreps.store import make_engine, save_document, session_factory
from sitreps.store.backup import backup, restore
from tests.factories import make_document, make_mention

TABLES = ("outlets", "documents", "actors", "places", "mentions", "events", "event_mentions", "reviews")


def fill(engine: Engine, n: int = 5) -> None:
    from sitreps.runner import refuse

    sessions = session_factory(engine)
    for i in range(n):
        doc = make_document(f"Report {i}: Islamic State attacked the Syrian army in Deir ez-Zor on Saturday.")
        with sessions() as s:
            save_document(
                s, doc, [make_mention(doc), make_mention(doc, trigger=Span(doc.text[9:20], 9, 20), fatalities=i)]
            )
    refuse(sessions)


def rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    meta = MetaData()
    with warnings.catch_warnings():  # the SQLite tally index is on an expression; only rows are compared here
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index", SAWarning)
        meta.reflect(engine, only=list(TABLES))
    out = {}
    with engine.connect() as conn:
        for name in TABLES:
            table = meta.tables[name]
            out[name] = sorted(tuple(r) for r in conn.execute(select(table)).all())
    return out


def test_backup_restore_sqlite_round_trip_gives_identical_rows(tmp_path: Path) -> None:
    src = make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    fill(src)
    before = rows(src)
    assert before["documents"] and before["events"]
    res = backup(src, tmp_path / "copy.db")
    assert res.counts["documents"] == 5 and not list(tmp_path.glob(".copy.db.*"))
    restored_url = f"sqlite:///{tmp_path / 'restored.db'}"
    restore(tmp_path / "copy.db", restored_url)
    dst = make_engine(restored_url)
    assert rows(dst) == before
    src.dispose()
    dst.dispose()


def test_backup_refuses_existing_file_unless_overwrite(tmp_path: Path) -> None:
    eng = make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    (tmp_path / "b.db").write_text("old")
    with pytest.raises(StoreError, match="already exists"):
        backup(eng, tmp_path / "b.db")
    backup(eng, tmp_path / "b.db", overwrite=True)
    eng.dispose()


def test_restore_refuses_non_empty_store_unless_force(tmp_path: Path) -> None:
    a = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    fill(a, 2)
    backup(a, tmp_path / "a.bak")
    b_url = f"sqlite:///{tmp_path / 'b.db'}"
    b = make_engine(b_url)
    fill(b, 3)
    b.dispose()
    with pytest.raises(StoreError, match="not empty"):
        restore(tmp_path / "a.bak", b_url)
    res = restore(tmp_path / "a.bak", b_url, force=True)
    assert res.counts["documents"] == 2
    a.dispose()


def test_restore_refuses_files_that_are_not_sqlite_stores(tmp_path: Path) -> None:
    (tmp_path / "junk.bak").write_bytes(b"not a database at all")
    with pytest.raises(StoreError, match="not a SQLite backup"):
        restore(tmp_path / "junk.bak", f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(StoreError, match="no such backup"):
        restore(tmp_path / "missing.bak", f"sqlite:///{tmp_path / 'x.db'}")


def test_backup_cli_round_trip_and_refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    live = tmp_path / "live.db"
    eng = make_engine(str(live))
    fill(eng, 2)
    eng.dispose()
    assert run(["--db", str(live), "backup", str(tmp_path / "b.db")]) == 0
    assert run(["--db", str(tmp_path / "new.db"), "restore", str(tmp_path / "b.db")]) == 0
    assert run(["--db", str(live), "restore", str(tmp_path / "b.db")]) == 1
    assert "not empty" in capsys.readouterr().err
    assert run(["--db", str(live), "restore", "--force", str(tmp_path / "b.db")]) == 0


@pytest.mark.postgres
def test_backup_restore_postgres_round_trip_gives_identical_rows(pg_url: str, tmp_path: Path) -> None:
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump not on PATH; backup() then explains the exact command instead")
    src = make_engine(pg_url)
    fill(src, 3)
    before = rows(src)
    backup(src, tmp_path / "pg.dump")
    fresh = make_engine(pg_url)
    with pytest.raises(StoreError, match="not empty"):
        restore(tmp_path / "pg.dump", pg_url)
    restore(tmp_path / "pg.dump", pg_url, force=True)
    assert rows(fresh) == before
    src.dispose()
    fresh.dispose()
