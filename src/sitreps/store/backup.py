"""Online backup and restore of a store: SQLite's backup API, pg_dump/pg_restore for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from sitreps.errors import StoreError
from sitreps.store.engine import normalise_url

COUNTED_TABLES: tuple[str, ...] = ("documents", "mentions", "events", "reviews")
_SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class BackupResult:
    """Where a backup or restore went and how many rows of each main table it carried."""

    path: Path
    backend: str
    counts: dict[str, int]


def _libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as libpq tools (pg_dump, pg_restore, psql) accept it."""
    return "postgresql://" + url.split("://", 1)[1]


def _pg_tool(name: str) -> str | None:
    """pg_dump / pg_restore on PATH, else Debian's versioned server folder."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


def pg_dump_command(url: str, dest: Path) -> list[str]:
    """The exact pg_dump call a PostgreSQL store is backed up with (custom format, restorable with pg_restore)."""
    return ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dest}", _libpq_url(url)]


def pg_restore_command(src: Path, url: str) -> list[str]:
    """The exact pg_restore call that loads a pg_dump backup into a PostgreSQL store, replacing its tables."""
    return [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        f"--dbname={_libpq_url(url)}",
        str(src),
    ]


def _run_pg_tool(cmd: list[str], source: str) -> None:
    """Run pg_dump/pg_restore, or explain how to when they are missing or fail."""
    tool = _pg_tool(cmd[0])
    shown = " ".join(cmd)
    if tool is None:
        raise StoreError(
            source,
            f"{cmd[0]} is not installed, and PostgreSQL stores are backed up with it",
            f"install the PostgreSQL client (apt-get install postgresql-client) and run: {shown}",
        )
    try:
        out = subprocess.run([tool, *cmd[1:]], capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise StoreError(source, f"{cmd[0]} could not run ({e})", f"run it yourself: {shown}") from e
    if out.returncode != 0:
        raise StoreError(
            source, f"{cmd[0]} failed: {out.stderr.strip()[-500:]}", f"check the server and run it yourself: {shown}"
        )


def count_rows(engine: Engine) -> dict[str, int]:
    """Rows in the main tables, for `sitreps backup` output and the emptiness check before a restore."""
    from sqlalchemy import inspect

    present = set(inspect(engine).get_table_names())
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for name in COUNTED_TABLES:
            if name in present:
                counts[name] = int(conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one())
    return counts


def backup(engine: Engine, dest: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy a live store to `dest` without stopping writers.

    Why SQLite's online backup API and not a file copy: copying `sitreps.db` while ingest runs can
    capture a half-applied WAL and give a corrupt file; `Connection.backup` copies a consistent
    snapshot page by page. The copy is written to a temporary file beside `dest` and renamed into
    place, so a crash mid-backup never leaves a truncated backup under the real name.
    For PostgreSQL, `pg_dump --format=custom` does the same job (it runs in one snapshot).

    Raises:
        StoreError: `dest` exists (unless overwrite), its folder is missing, or the copy fails.
    """
    dest = Path(dest)
    backend = engine.url.get_backend_name()
    if dest.exists() and not overwrite:
        raise StoreError(str(dest), "backup file already exists", "choose another name or pass --force to replace it")
    if not dest.parent.is_dir():
        raise StoreError(str(dest), f"folder {dest.parent} does not exist", "create it first")
    counts = count_rows(engine)
    if backend == "postgresql":
        _run_pg_tool(pg_dump_command(engine.url.render_as_string(hide_password=False), dest), str(dest))
        return BackupResult(dest, backend, counts)
    if backend != "sqlite":
        raise StoreError(str(engine.url), f"backups of {backend} stores are not supported", "use SQLite or PostgreSQL")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        if not isinstance(source, sqlite3.Connection):
            raise StoreError(str(engine.url), "not a sqlite3 connection", "open the store with make_engine")
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            target.close()
        tmp.replace(dest)
    except sqlite3.Error as e:
        raise StoreError(str(dest), f"backup failed ({e})", "check free disk space and permissions") from e
    finally:
        raw.close()
        tmp.unlink(missing_ok=True)
    return BackupResult(dest, backend, counts)


def _check_sqlite_backup(src: Path) -> None:
    """Refuse anything that is not a readable SQLite sitreps store before touching the target."""
    try:
        with src.open("rb") as fh:
            magic = fh.read(len(_SQLITE_MAGIC))
    except OSError as e:
        raise StoreError(str(src), f"cannot read the backup ({e.strerror or e})", "check the path") from e
    if magic != _SQLITE_MAGIC:
        raise StoreError(
            str(src),
            "not a SQLite backup",
            "restore files written by `sitreps backup` on a SQLite store; PostgreSQL dumps go to a PostgreSQL --db",
        )
    conn = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as e:
        raise StoreError(
            str(src), f"the backup cannot be read ({e})", "the file is damaged; use an older backup"
        ) from e
    finally:
        conn.close()
    if not {"documents", "mentions", "events"} <= names:
        raise StoreError(str(src), "not a sitreps store (no documents/mentions/events tables)", "check the file")
    if check != "ok":
        raise StoreError(str(src), f"the backup is damaged ({check})", "use an older backup")


def restore(src: Path, db_url: str, *, force: bool = False) -> BackupResult:
    """Load a backup into the store at `db_url`, replacing it.

    Why refuse a non-empty store: a restore discards everything stored since the backup; an analyst
    must say so (`force`). The SQLite copy goes through the backup API into the live file, so open
    readers see either the old store or the restored one; the schema is then migrated to head.

    Raises:
        StoreError: the backup is missing or not a store, the target holds data (without force),
            or the copy fails.
    """
    from sitreps.store.engine import make_engine

    src = Path(src)
    if not src.is_file():
        raise StoreError(str(src), "no such backup file", "check the path")
    url = normalise_url(db_url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        _check_sqlite_backup(src)
    engine = make_engine(url)
    try:
        counts = count_rows(engine)
        if any(counts.values()) and not force:
            held = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
            raise StoreError(
                db_url,
                f"the store is not empty ({held}); restoring would replace it",
                "restore into a new --db, or pass --force to replace this store",
            )
        if backend == "postgresql":
            _run_pg_tool(pg_restore_command(src, engine.url.render_as_string(hide_password=False)), str(src))
        elif backend == "sqlite":
            source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
            raw = engine.raw_connection()
            try:
                target = raw.driver_connection
                if not isinstance(target, sqlite3.Connection):
                    raise StoreError(db_url, "not a sqlite3 connection", "open the store with make_engine")
                source.backup(target)
            except sqlite3.Error as e:
                raise StoreError(db_url, f"restore failed ({e})", "check free disk space and permissions") from e
            finally:
                raw.close()
                source.close()
        else:
            raise StoreError(db_url, f"restores into {backend} stores are not supported", "use SQLite or PostgreSQL")
    finally:
        engine.dispose()
    engine = make_engine(url)  # migrate a backup taken by an older sitreps to the current schema
    try:
        return BackupResult(src, backend, count_rows(engine))
    finally:
        engine.dispose()
