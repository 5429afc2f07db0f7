"""The per-store-version result cache and the date-span bound that turns `since` into an index range."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from sitreps.api.cache import ResultCache
from sitreps.model import DateInterval
from sitreps.store import replace_events, session_factory
from sitreps.store.query import EventFilter, list_events, max_event_span
from tests.api.helpers import Demo, TestClient, build_store, client_for, demo_events, make_app


@pytest.fixture
def demo(db_url: str) -> Iterator[tuple[TestClient, Demo, Engine]]:
    app, engine = make_app(db_url)
    demo = build_store(engine)
    yield client_for(app), demo, engine
    engine.dispose()


def _stretch(engine: Engine, event_id: str, days: int) -> date:
    """Make one event last `days` days more (written as fusion writes it); returns its new end."""
    events = demo_events(engine)
    target = next(e for e in events if e.id == event_id)
    assert target.date is not None and target.date.start is not None
    end = target.date.start + timedelta(days=days)
    target.date = DateInterval(target.date.start, end, 4, "for weeks", "test")
    with session_factory(engine)() as s:
        replace_events(s, events)
    return end


def _oldest_dated(engine: Engine) -> str:
    return [e.id for e in demo_events(engine) if e.date is not None and e.date.start is not None][-1]


def test_result_cache_recomputes_after_any_commit(demo: tuple[TestClient, Demo, Engine]) -> None:
    _client, _demo, engine = demo
    cache = ResultCache(engine)
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with session_factory(engine)() as s:
        assert cache.get(s, ("k",), compute) == 1
        assert cache.get(s, ("k",), compute) == 1
    _stretch(engine, demo_events(engine)[0].id, 3)
    with session_factory(engine)() as s:
        assert cache.get(s, ("k",), compute) == 2
    if engine.dialect.name == "sqlite":
        assert cache.hits == 1 and cache.misses == 2


def test_max_event_span_is_the_longest_event_in_days(demo: tuple[TestClient, Demo, Engine]) -> None:
    _client, _demo, engine = demo
    with session_factory(engine)() as s:
        assert max_event_span(s) == 0
    _stretch(engine, demo_events(engine)[0].id, 40)
    with session_factory(engine)() as s:
        assert max_event_span(s) == 40


def test_event_filter_span_bound_keeps_the_same_matches(demo: tuple[TestClient, Demo, Engine]) -> None:
    _client, _demo, engine = demo
    long_id = _oldest_dated(engine)
    end = _stretch(engine, long_id, 60)
    with session_factory(engine)() as s:
        span = max_event_span(s)
        for since in (end - timedelta(days=1), end, end + timedelta(days=1), date(2016, 1, 1)):
            plain, _ = list_events(s, EventFilter(since=since), limit=1000)
            bounded, _ = list_events(s, EventFilter(since=since, span_days=span), limit=1000)
            assert [e.id for e in bounded] == [e.id for e in plain]
        hits, _ = list_events(s, EventFilter(since=end, span_days=span), limit=1000)
        assert long_id in {e.id for e in hits}


def test_timeline_route_sees_a_write_after_a_cached_answer(demo: tuple[TestClient, Demo, Engine]) -> None:
    client, _demo, engine = demo
    long_id = _oldest_dated(engine)
    before = client.get("/api/v1/timeline?interval=day").json()
    assert client.get("/api/v1/timeline?interval=day").json() == before
    end = _stretch(engine, long_id, 30)
    ids = {e["id"] for e in client.get(f"/api/v1/events?since={end}").json()["events"]}
    assert long_id in ids
    r = client.patch(
        f"/api/v1/events/{long_id}",
        json={"changes": {"rejected": True}, "who": "analyst", "why": "duplicate report"},
        headers={"Authorization": "Bearer test-token-0123456789abcdef"},
    )
    assert r.status_code == 200, r.text
    after = client.get("/api/v1/timeline?interval=day").json()
    assert sum(b["total"] for b in after["buckets"]) + after["undated"] == (
        sum(b["total"] for b in before["buckets"]) + before["undated"] - 1
    )
