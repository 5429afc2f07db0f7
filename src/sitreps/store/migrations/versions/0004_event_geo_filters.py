"""R*Tree carries the map filters: event type, rejected, exact lon/lat, dates and sort key as auxiliary columns

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 16:00:00

With 0003 the R*Tree narrowed a bbox + date query to a few hundred candidates, but each candidate was still
checked (type, rejected, exact box and dates) and ordered on its wide events row: a random read of about a
page per candidate, twice per listing (page and count) and once more for the timeline. Auxiliary columns hold
exactly those values (copied, not rounded), so a filter made only of bbox, dates, types and rejected is
answered from the R*Tree alone and only the page's own rows are read. The box and day columns are unchanged.
Triggers keep it in step as before; the update trigger now also follows the auxiliary columns' sources.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ROW = (
    "{r}.rowid, {r}.lon, {r}.lon, {r}.lat, {r}.lat, "
    "coalesce(julianday({r}.date_start), -1e7), coalesce(julianday({r}.date_end), 1e7), "
    "{r}.rejected, {r}.event_type, {r}.lat, {r}.lon, {r}.date_start, {r}.date_end, {r}.sort_key"
)
_LOCATED = "{r}.lat IS NOT NULL AND {r}.lon IS NOT NULL"
_SOURCES = "lat, lon, date_start, date_end, rejected, event_type, sort_key"

SQLITE_UP = [
    "DROP TRIGGER IF EXISTS events_geo_update",
    "DROP TRIGGER IF EXISTS events_geo_delete",
    "DROP TRIGGER IF EXISTS events_geo_insert",
    "DROP TABLE IF EXISTS events_geo",
    "CREATE VIRTUAL TABLE events_geo USING rtree(id, min_lon, max_lon, min_lat, max_lat, min_day, max_day, "
    "+rejected, +event_type, +lat, +lon, +date_start, +date_end, +sort_key)",
    f"INSERT INTO events_geo SELECT {_ROW.format(r='events')} FROM events WHERE {_LOCATED.format(r='events')}",
    f"""CREATE TRIGGER events_geo_insert AFTER INSERT ON events WHEN {_LOCATED.format(r="new")}
        BEGIN INSERT INTO events_geo VALUES ({_ROW.format(r="new")}); END""",
    "CREATE TRIGGER events_geo_delete AFTER DELETE ON events BEGIN DELETE FROM events_geo WHERE id = old.rowid; END",
    f"""CREATE TRIGGER events_geo_update AFTER UPDATE OF {_SOURCES} ON events
        BEGIN
          DELETE FROM events_geo WHERE id = old.rowid;
          INSERT INTO events_geo SELECT {_ROW.format(r="new")} WHERE {_LOCATED.format(r="new")};
        END""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(sa.text(statement))


def downgrade() -> None:
    """Back to 0003's R*Tree (boxes only)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "_migration_0003", Path(__file__).with_name("0003_event_geo_index.py")
    )
    assert spec is not None and spec.loader is not None
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    for statement in old.SQLITE_DOWN + old.SQLITE_UP:
        op.execute(sa.text(statement))
