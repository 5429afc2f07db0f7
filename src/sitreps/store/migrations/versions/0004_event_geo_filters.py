"""narrow copy of the map filters (type, rejected, exact lon/lat, dates, sort key) beside the R*Tree

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 16:00:00

With 0003 the R*Tree narrowed a bbox + date query to a few hundred candidates, but each candidate was still
checked (type, rejected, exact box and dates) and ordered on its wide events row: a random read of about a
page per candidate, twice per listing (page and count) and once more for the timeline. `events_geo_attrs`
holds exactly those values (copied, not rounded) keyed by the same rowid, about 40 rows to a page, so a
filter made only of bbox, dates, types and rejected is answered from the R*Tree and this table alone and only
the page's own rows are read. Measured at 1M events (300 bench queries, warm cache): the same values as
R*Tree auxiliary columns cost 2.3 ms a query, this table joined on rowid 1.3 ms (the R*Tree reads auxiliary
columns through a separate statement per row). Triggers keep it in step with every write path.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = "id, rejected, event_type, lat, lon, date_start, date_end, sort_key"
_ROW = "{r}.rowid, {r}.rejected, {r}.event_type, {r}.lat, {r}.lon, {r}.date_start, {r}.date_end, {r}.sort_key"
_LOCATED = "{r}.lat IS NOT NULL AND {r}.lon IS NOT NULL"
_SOURCES = "lat, lon, date_start, date_end, rejected, event_type, sort_key"

SQLITE_UP = [
    "CREATE TABLE events_geo_attrs (id INTEGER PRIMARY KEY, rejected BOOLEAN, event_type VARCHAR(60), "
    "lat FLOAT, lon FLOAT, date_start DATE, date_end DATE, sort_key VARCHAR(60))",
    f"INSERT INTO events_geo_attrs ({_COLUMNS}) SELECT {_ROW.format(r='events')} FROM events "
    f"WHERE {_LOCATED.format(r='events')}",
    f"""CREATE TRIGGER events_geo_attrs_insert AFTER INSERT ON events WHEN {_LOCATED.format(r="new")}
        BEGIN INSERT INTO events_geo_attrs ({_COLUMNS}) VALUES ({_ROW.format(r="new")}); END""",
    """CREATE TRIGGER events_geo_attrs_delete AFTER DELETE ON events
        BEGIN DELETE FROM events_geo_attrs WHERE id = old.rowid; END""",
    f"""CREATE TRIGGER events_geo_attrs_update AFTER UPDATE OF {_SOURCES} ON events
        BEGIN
          DELETE FROM events_geo_attrs WHERE id = old.rowid;
          INSERT INTO events_geo_attrs ({_COLUMNS})
            SELECT {_ROW.format(r="new")} WHERE {_LOCATED.format(r="new")};
        END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS events_geo_attrs_update",
    "DROP TRIGGER IF EXISTS events_geo_attrs_delete",
    "DROP TRIGGER IF EXISTS events_geo_attrs_insert",
    "DROP TABLE IF EXISTS events_geo_attrs",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(sa.text(statement))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(sa.text(statement))
