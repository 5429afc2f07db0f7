"""covering index for the store's event tallies (by status, type and rejected) that /meta and `sitreps stats` show

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 16:30:00

`query.stats` counts live and rejected events by type and by status. No index held status, so SQLite walked
an index and fetched every row in its order: 54 s at 1M events on a cold cache (a plain table scan: 10 s).
One pass over this index answers all four tallies without reading a row (about 15 ms at 100k events).

SQLite gets it on an expression (`coalesce(status, '')`, the same value: status is never NULL) so that no
listing filter on `status` can pick it: without planner statistics SQLite takes an equality on an indexed
column as selective, and a three-valued column would lure it away from the date range (as event_type did).
PostgreSQL plans from statistics and only scans expression indexes with row visits, so it gets plain columns.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text("CREATE INDEX ix_events_tally ON events (coalesce(status, ''), event_type, rejected)"))
    else:
        op.create_index("ix_events_tally", "events", ["status", "event_type", "rejected"])


def downgrade() -> None:
    op.drop_index("ix_events_tally", table_name="events")
