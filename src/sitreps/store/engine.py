"""make_engine(url): SQLite (WAL, foreign keys, busy timeout) or PostgreSQL, migrated to the latest schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sitreps.errors import StoreError

_MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL lets the API read while ingest writes; foreign keys keep mentions tied to documents."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def normalise_url(db: str) -> str:
    """Accept a bare file path or a URL; plain `postgresql://` means psycopg 3."""
    if "://" not in db:
        return f"sqlite:///{db}"
    if db.startswith("postgresql://") or db.startswith("postgres://"):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


PG_CONNECT_TIMEOUT_S = 8
"""Seconds PostgreSQL gets to complete a connection unless the URL sets `?connect_timeout=`."""


def make_engine(db: str, *, migrate: bool = True) -> Engine:
    """Open the store at `db` and bring its schema up to date.

    Args:
        db: a SQLAlchemy URL (`sqlite:///file.db`, `postgresql+psycopg://…`) or a file path.
        migrate: run Alembic migrations to head (on by default; idempotent).

    Raises:
        StoreError: the URL is invalid or the database cannot be opened.
    """
    url = normalise_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise StoreError(
            db, "not a database URL", "use a file path, sqlite:///file.db or postgresql+psycopg://user@host/db"
        ) from e
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            parent = Path(parsed.database).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(
                    db, f"folder {parent} does not exist", "create it or point --db / SITREPS_DB elsewhere"
                )
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
        if "connect_timeout" not in parsed.query:
            # a server that accepts TCP and never answers (dead proxy, firewall) must fail the command, not hang it
            kwargs["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate:
        try:
            upgrade(engine)
        except OperationalError as e:
            raise StoreError(
                db, f"cannot open the database: {e.orig}", "check the path/URL, permissions and that the server runs"
            ) from e
    return engine


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Migrate the schema to head; a no-op when it is current."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(engine)
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != head:
        command.upgrade(cfg, "head")


def table_names(engine: Engine) -> list[str]:
    """Tables present in the store (for `sitreps db stats` and tests)."""
    return sorted(inspect(engine).get_table_names())


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
