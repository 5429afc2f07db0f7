"""spatio-temporal index of events (SQLite R*Tree over lon, lat and days)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 13:00:00

A map query (bbox + date range) matches a small corner of a large store, but every B-tree can only range-scan
one of its dimensions: with a million events the date index still walks 2% of the table for a 30-day window.
An R*Tree keyed by the events' rowid answers all three ranges at once and hands back only candidates; the
listing re-checks every filter on the row, so the float32 boxes of the R*Tree never change a result.
Triggers keep it in step with every write path (ORM, bulk loads, other clients).

PostgreSQL gets nothing here: at a million events its planner runs the same query on ix_events_cover_time in
about 2 ms, and neither a GiST index over box(point) + daterange (17 ms) nor one over a 3-D `cube` (needs an
extension; the planner kept the B-tree) did better.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Day numbers are Julian days (SQLite's julianday); undated events span every day, so a date range never
# drops them as candidates (the exact date filter then does).
_ROW = (
    "{r}.rowid, {r}.lon, {r}.lon, {r}.lat, {r}.lat, "
    "coalesce(julianday({r}.date_start), -1e7), coalesce(julianday({r}.date_end), 1e7)"
)
_LOCATED = "{r}.lat IS NOT NULL AND {r}.lon IS NOT NULL"

SQLITE_UP = [
    "CREATE VIRTUAL TABLE events_geo USING rtree(id, min_lon, max_lon, min_lat, max_lat, min_day, max_day)",
    f"INSERT INTO events_geo SELECT {_ROW.format(r='events')} FROM events WHERE {_LOCATED.format(r='events')}",
    f"""CREATE TRIGGER events_geo_insert AFTER INSERT ON events WHEN {_LOCATED.format(r="new")}
        BEGIN INSERT INTO events_geo VALUES ({_ROW.format(r="new")}); END""",
    "CREATE TRIGGER events_geo_delete AFTER DELETE ON events BEGIN DELETE FROM events_geo WHERE id = old.rowid; END",
    f"""CREATE TRIGGER events_geo_update AFTER UPDATE OF lat, lon, date_start, date_end ON events
        BEGIN
          DELETE FROM events_geo WHERE id = old.rowid;
          INSERT INTO events_geo SELECT {_ROW.format(r="new")} WHERE {_LOCATED.format(r="new")};
        END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS events_geo_update",
    "DROP TRIGGER IF EXISTS events_geo_delete",
    "DROP TRIGGER IF EXISTS events_geo_insert",
    "DROP TABLE IF EXISTS events_geo",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(sa.text(statement))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(sa.text(statement))
