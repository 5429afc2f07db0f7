"""The SQLite R*Tree over events (0003) and its filter columns (0004): in step with every write, same results."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, text

from sitreps.model import DateInterval, Event, Fatalities, Place
from sitreps.store import EventFilter, make_engine, replace_events, session_factory
from sitreps.store.query import GeoIndex, geo_index_of, julian_day, list_events
from sitreps.store.schema import EventRow


def _event(i: int, *, lat: float | None, lon: float | None, day: date | None, days: int = 0) -> Event:
    place = None if lat is None else Place(f"p{i}", f"Town {i}", f"Town {i}", lat, lon, "SY", None, 1)
    when = None if day is None else DateInterval(day, day + timedelta(days=days), 1, "on Monday")
    return Event(
        id=f"e{i:05d}", event_type="Battles" if i % 2 else "Protests", sub_event_type="Armed clash", action=None,
        actor1=None, actor2=None, place=place, date=when, fatalities=Fatalities(None, None, None),
        modality="asserted", mentions=[], documents=[], outlets=[], n_mentions=1, n_outlets=1, n_sources=1,
        status="single-source", confidence=0.5,
    )  # fmt: skip


def _random_events(n: int, seed: int) -> list[Event]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        located = rng.random() > 0.1
        dated = rng.random() > 0.1
        out.append(
            _event(
                i,
                lat=round(rng.uniform(32, 37), 4) if located else None,
                lon=round(rng.uniform(35, 42), 4) if located else None,
                day=date(2016, 1, 1) + timedelta(days=rng.randrange(365)) if dated else None,
                days=rng.choice([0, 0, 0, 6, 30]),
            )
        )
    return out


def _rtree(engine: Engine) -> dict[str, tuple[float, ...]]:
    """event id → its R*Tree box (min_lon, max_lon, min_lat, max_lat, min_day, max_day)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT e.id, g.min_lon, g.max_lon, g.min_lat, g.max_lat, g.min_day, g.max_day "
                "FROM events_geo g JOIN events e ON e.rowid = g.id"
            )
        )
        return {r[0]: tuple(r[1:]) for r in rows}


def _ids(engine: Engine, flt: EventFilter) -> list[str]:
    with session_factory(engine)() as s:
        events, _ = list_events(s, flt, limit=1000)
    return [e.id for e in events]


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    return make_engine(f"sqlite:///{tmp_path / 'geo.db'}")


def test_geo_index_follows_inserts_updates_and_deletes(sqlite_engine: Engine) -> None:
    with session_factory(sqlite_engine)() as s:
        replace_events(
            s, [_event(1, lat=35.0, lon=38.0, day=date(2016, 5, 1)), _event(2, lat=None, lon=None, day=None)]
        )
    boxes = _rtree(sqlite_engine)
    assert set(boxes) == {"e00001"}  # unlocated events never match a bbox, so they are not indexed
    assert boxes["e00001"][4] <= julian_day(date(2016, 5, 1)) <= boxes["e00001"][5]
    with session_factory(sqlite_engine)() as s:
        replace_events(
            s, [_event(1, lat=33.0, lon=36.0, day=date(2016, 6, 1)), _event(2, lat=34.0, lon=39.0, day=None)]
        )
    boxes = _rtree(sqlite_engine)
    assert set(boxes) == {"e00001", "e00002"}
    assert boxes["e00001"][0] == pytest.approx(36.0) and boxes["e00001"][2] == pytest.approx(33.0)
    assert boxes["e00002"][4] < julian_day(date(1900, 1, 1)) and boxes["e00002"][5] > julian_day(date(2100, 1, 1))
    with session_factory(sqlite_engine)() as s:
        replace_events(s, [_event(2, lat=34.0, lon=39.0, day=None)])  # a rebuild without event 1
        s.execute(delete(EventRow).where(EventRow.id == "e00002"))
        s.commit()
    assert _rtree(sqlite_engine) == {}


def test_bbox_date_filters_match_the_same_events_with_and_without_geo_index(sqlite_engine: Engine) -> None:
    with session_factory(sqlite_engine)() as s:
        replace_events(s, _random_events(400, 1))
        assert geo_index_of(s) == GeoIndex()
    rng = random.Random(2)
    for _ in range(60):
        x, y = rng.uniform(34, 41), rng.uniform(31, 36)
        bbox = (round(x, 3), round(y, 3), round(x + rng.uniform(0.1, 3), 3), round(y + rng.uniform(0.1, 2), 3))
        since = date(2016, 1, 1) + timedelta(days=rng.randrange(330)) if rng.random() > 0.3 else None
        until = since + timedelta(days=rng.randrange(60)) if since and rng.random() > 0.3 else None
        kinds = rng.choice([[], ["Battles"]])
        plain = EventFilter(bbox=bbox, since=since, until=until, event_type=kinds, span_days=30)
        indexed = EventFilter(bbox=bbox, since=since, until=until, event_type=kinds, span_days=30, geo_index=GeoIndex())
        assert _ids(sqlite_engine, indexed) == _ids(sqlite_engine, plain)


def test_geo_index_edges_of_the_box_and_dates_are_inclusive(sqlite_engine: Engine) -> None:
    with session_factory(sqlite_engine)() as s:
        replace_events(s, [_event(1, lat=35.1234, lon=38.5678, day=date(2016, 5, 1), days=2)])
    edge = EventFilter(bbox=(38.5678, 35.1234, 38.5678, 35.1234), since=date(2016, 5, 3), until=date(2016, 5, 3))
    edge.geo_index = GeoIndex()
    assert _ids(sqlite_engine, edge) == ["e00001"]
    edge.since = edge.until = date(2016, 5, 4)
    assert _ids(sqlite_engine, edge) == []


def test_geo_index_survives_vacuum(sqlite_engine: Engine) -> None:
    events = _random_events(200, 3)
    with session_factory(sqlite_engine)() as s:
        replace_events(s, events)
        replace_events(s, events[::3])  # deletes two thirds: gaps in the rowids
    with sqlite_engine.connect() as conn:
        conn.exec_driver_sql("VACUUM")
    flt = EventFilter(bbox=(35, 32, 42, 37), geo_index=GeoIndex())
    assert _ids(sqlite_engine, flt) == _ids(sqlite_engine, EventFilter(bbox=(35, 32, 42, 37)))
    assert len(_rtree(sqlite_engine)) == sum(1 for e in events[::3] if e.place is not None)
    assert _attrs_in_step(sqlite_engine)


def test_migration_0003_indexes_events_stored_before_it(tmp_path: Path) -> None:
    from alembic import command

    from sitreps.store.engine import _alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url, migrate=False)
    command.upgrade(_alembic_config(engine), "0002")
    with session_factory(engine)() as s:
        replace_events(s, _random_events(50, 4))
    engine.dispose()
    engine = make_engine(url)
    located = {e.id for e in _random_events(50, 4) if e.place is not None}
    assert set(_rtree(engine)) == located


def test_geo_index_is_sqlite_only(engine: Engine) -> None:
    with session_factory(engine)() as s:
        found = geo_index_of(s)
    assert (found is not None) == (engine.dialect.name == "sqlite")


def _both(flt: EventFilter) -> tuple[EventFilter, EventFilter]:
    """The filter as the R*Tree answers it (migration 0004) and as the events rows answer it."""
    import dataclasses

    return dataclasses.replace(flt, geo_index=GeoIndex()), dataclasses.replace(flt, geo_index=None)


def test_rtree_answers_bbox_date_type_filters_alone_with_the_same_pages_and_counts(sqlite_engine: Engine) -> None:
    from sitreps.api.queries import event_page, timeline
    from sitreps.store.query import count_events

    with session_factory(sqlite_engine)() as s:
        replace_events(s, _random_events(500, 5))
        s.execute(text("UPDATE events SET rejected = 1 WHERE id LIKE '%3'"))  # a tenth rejected
        s.commit()
    rng = random.Random(6)
    answered = 0
    for _ in range(60):
        x, y = rng.uniform(34, 41), rng.uniform(31, 36)
        bbox = (round(x, 3), round(y, 3), round(x + rng.uniform(0.1, 3), 3), round(y + rng.uniform(0.1, 2), 3))
        since = date(2016, 1, 1) + timedelta(days=rng.randrange(330)) if rng.random() > 0.3 else None
        until = since + timedelta(days=rng.randrange(60)) if since and rng.random() > 0.3 else None
        flt = EventFilter(
            bbox=bbox, since=since, until=until, event_type=rng.choice([[], ["Battles"], ["Battles", "Protests"]])
        )
        flt.include_rejected = rng.random() < 0.3
        fast, plain = _both(flt)
        assert fast.geo_index is not None and fast.geo_index.answers(fast)
        answered += 1
        with session_factory(sqlite_engine)() as s:
            assert count_events(s, fast) == count_events(s, plain)
            assert count_events(s, fast, cap=3) == count_events(s, plain, cap=3)
            pages: list[list[str]] = []
            for f in (fast, plain):  # walk every page of 7 with the keyset cursor
                ids: list[str] = []
                after = None
                while True:
                    events, after = list_events(s, f, limit=7, after=after)
                    ids += [e.id for e in events]
                    if after is None:
                        break
                pages.append(ids)
            assert pages[0] == pages[1]
            for cap in (3, 10_000):  # the API's first page and its count, in one pass where the R*Tree answers
                texts, nxt, count = event_page(s, fast, limit=7, count_cap=cap)
                assert [json.loads(t)["id"] for t in texts] == pages[1][:7]
                assert (nxt is not None) == (len(pages[1]) > 7)
                assert count in (None, count_events(s, plain, cap=cap))
                assert (count is None) == (count_events(s, plain) > cap)
            for interval in ("day", "week"):
                assert timeline(s, fast, interval=interval) == timeline(s, plain, interval=interval)
    assert answered == 60


def test_rtree_answers_only_the_filters_it_holds() -> None:
    box = (35.0, 32.0, 42.0, 37.0)
    geo = GeoIndex()
    assert geo.answers(EventFilter(bbox=box, since=date(2016, 1, 1), event_type=["Battles"], min_outlets=None))
    assert not geo.answers(EventFilter(since=date(2016, 1, 1)))  # no box: no R*Tree
    assert not geo.answers(EventFilter(bbox=(170.0, 0.0, -170.0, 10.0)))  # across the antimeridian
    assert not geo.answers(EventFilter(bbox=box, actor=["sdf"]))
    assert not geo.answers(EventFilter(bbox=box, min_outlets=0))  # a bound, even one that keeps everything
    assert not geo.answers(EventFilter(bbox=box, q="clash"))
    assert not GeoIndex(filters=False).answers(EventFilter(bbox=box))  # a store still at migration 0003


def test_rtree_follows_rejections_and_type_corrections(sqlite_engine: Engine) -> None:
    from sitreps.store.review import review_event

    with session_factory(sqlite_engine)() as s:
        replace_events(
            s, [_event(1, lat=35.0, lon=38.0, day=date(2016, 5, 1)), _event(3, lat=35.1, lon=38.1, day=None)]
        )
    flt = EventFilter(bbox=(37, 34, 39, 36), event_type=["Battles"], geo_index=GeoIndex())
    assert _ids(sqlite_engine, flt) == ["e00001", "e00003"]
    with session_factory(sqlite_engine)() as s:
        review_event(s, "e00001", {"event_type": "Protests"}, who="t", why="misread")
        review_event(s, "e00003", {"rejected": True}, who="t", why="not an event")
    assert _ids(sqlite_engine, flt) == []
    flt.event_type = ["Protests"]
    assert _ids(sqlite_engine, flt) == ["e00001"]
    flt.event_type, flt.include_rejected = [], True
    assert _ids(sqlite_engine, flt) == ["e00001", "e00003"]
    assert _attrs_in_step(sqlite_engine)
    with session_factory(sqlite_engine)() as s:
        replace_events(s, [_event(3, lat=None, lon=None, day=None)])  # event 3 no longer located
    assert _attrs_in_step(sqlite_engine)
    assert "e00003" not in _ids(sqlite_engine, flt)


def _attrs_in_step(engine: Engine) -> bool:
    """events_geo_attrs holds exactly the located events' filter columns, keyed by their rowid."""
    cols = "rowid, rejected, event_type, lat, lon, date_start, date_end, sort_key"
    with engine.connect() as conn:
        want = set(conn.exec_driver_sql(f"SELECT {cols} FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL"))
        got = set(conn.exec_driver_sql(f"SELECT {cols.replace('rowid', 'id')} FROM events_geo_attrs"))
    return got == want


def test_migration_0004_fills_the_filter_columns_of_stores_at_0003(tmp_path: Path) -> None:
    from alembic import command

    from sitreps.store.engine import _alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url, migrate=False)
    command.upgrade(_alembic_config(engine), "0003")
    with session_factory(engine)() as s:
        replace_events(s, _random_events(80, 7))
        assert geo_index_of(s) == GeoIndex(filters=False)
    engine.dispose()
    engine = make_engine(url)
    with session_factory(engine)() as s:
        assert geo_index_of(s) == GeoIndex()
    assert _attrs_in_step(engine)
    flt = EventFilter(bbox=(35, 32, 42, 37), event_type=["Battles"], since=date(2016, 3, 1))
    fast, plain = _both(flt)
    assert _ids(engine, fast) == _ids(engine, plain) != []
    command.downgrade(_alembic_config(engine), "0003")
    with session_factory(engine)() as s:
        assert geo_index_of(s) == GeoIndex(filters=False)
    assert len(_rtree(engine)) == sum(1 for e in _random_events(80, 7) if e.place is not None)
