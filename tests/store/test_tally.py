"""Event tallies (/meta, `sitreps stats`) from one pass over the ix_events_tally index (migration 0005)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import Engine, text

from sitreps.model import DateInterval, Event, Fatalities
from sitreps.store import replace_events, session_factory
from sitreps.store.query import event_tally, stats

TYPES = ("Battles", "Protests", "Riots")
STATUSES = ("corroborated", "single-source", "disputed")


def _event(i: int) -> Event:
    return Event(
        id=f"t{i:04d}", event_type=TYPES[i % 3], sub_event_type="Armed clash", action=None, actor1=None,
        actor2=None, place=None, date=DateInterval(date(2016, 1, 1 + i % 28), date(2016, 1, 1 + i % 28), 1, "x"),
        fatalities=Fatalities(None, None, None), modality="asserted", mentions=[], documents=[], outlets=[],
        n_mentions=1, n_outlets=1, n_sources=1, status=STATUSES[(i // 3) % 3 if i % 7 else 0], confidence=0.5,
    )  # fmt: skip


def test_stats_tally_events_by_type_and_status_leaving_rejected_apart(engine: Engine) -> None:
    events = [_event(i) for i in range(60)]
    with session_factory(engine)() as s:
        replace_events(s, events)
        s.execute(text("UPDATE events SET rejected = true WHERE id LIKE '%5'"))
        s.commit()
        got = stats(s)
        tally = event_tally(s)
    live = [e for e in events if not e.id.endswith("5")]
    assert got["events"] == len(live) and got["rejected_events"] == len(events) - len(live)
    assert got["events_by_type"] == dict(sorted(Counter(e.event_type for e in live).items()))
    assert got["events_by_status"] == dict(sorted(Counter(e.status for e in live).items()))
    assert sum(n for *_k, n in tally) == len(events)


def test_sqlite_tallies_from_the_index_and_listings_by_status_do_not_use_it(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's index on an expression; PostgreSQL's is on plain columns")
    with engine.connect() as conn:
        tally = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT coalesce(events.status, ''), events.event_type, events.rejected, count(*) "
            "FROM events GROUP BY coalesce(events.status, ''), events.event_type, events.rejected"
        ).all()
        listing = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM events WHERE status IN ('disputed') AND date_start >= '2016-01-01' "
            "ORDER BY sort_key DESC LIMIT 10"
        ).all()
    assert any("ix_events_tally" in str(r[-1]) for r in tally)
    assert not any("ix_events_tally" in str(r[-1]) for r in listing)
