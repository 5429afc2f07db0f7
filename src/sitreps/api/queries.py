"""Read queries only the API needs (listings, timeline buckets, map grid clusters); candidates for store.query."""

from __future__ import annotations

import dataclasses
import heapq
import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import Integer, Text, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from sitreps.store.query import EventFilter, encode_cursor, page_clauses
from sitreps.store.schema import ActorRow, EventRow, OutletRow, PlaceRow


def _like(q: str) -> str:
    return "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def event_flags(session: Session, event_ids: list[str]) -> dict[str, tuple[list[str], bool]]:
    """event id → (reviewed field names, rejected), which the contract JSON does not carry."""
    if not event_ids:
        return {}
    rows = session.execute(select(EventRow.id, EventRow.reviewed, EventRow.rejected).where(EventRow.id.in_(event_ids)))
    return {i: (sorted((rev or {}).keys()), bool(rej)) for i, rev, rej in rows}


def event_page(
    session: Session, flt: EventFilter, *, limit: int, after: str | None = None, count_cap: int | None = None
) -> tuple[list[str], str | None, int | None]:
    """One page of events as JSON text (contract JSON plus `reviewed` and `rejected`), newest first, its `next`
    token, and with `count_cap` how many events match (at most count_cap + 1) when that came at no cost.

    Why text: the store keeps each event's contract JSON as written, so the listing reads four columns in one
    query and splices two fields into the stored text, instead of loading rows, rebuilding `Event`s, validating
    them and encoding them again (most of a request's cost before). Where the R*Tree answers the filter, the
    first page and its count come from one pass over the matches' narrow copies (`first_page_rowids`), not
    one for the page and one for the count. Raises UsageError for a bad `after`.
    """
    flt = flt.validate()
    count: int | None = None
    if count_cap is not None and after is None:
        found = first_page_rowids(session, flt, limit=limit + 1, cap=count_cap)
        if found is not None:
            rowids, count = found
            # rowids are ints read from the store: safe to inline, and one short statement to prepare
            sql = (
                "SELECT data, reviewed, rejected, sort_key FROM events "
                f"WHERE rowid IN ({', '.join(str(int(r)) for r in rowids)}) ORDER BY sort_key DESC"
            )
            found_rows = session.connection().exec_driver_sql(sql).all() if rowids else []
            return _page_texts(found_rows, limit), _next(found_rows, limit), count
    stmt = select(cast(EventRow.data, Text), cast(EventRow.reviewed, Text), EventRow.rejected, EventRow.sort_key)
    stmt = stmt.where(*page_clauses(flt, limit=limit, after=after))
    rows = session.execute(stmt.order_by(EventRow.sort_key.desc()).limit(limit + 1)).all()
    return _page_texts(rows, limit), _next(rows, limit), count


def _page_texts(rows: Sequence[Any], limit: int) -> list[str]:
    return [event_text(data, reviewed, bool(rejected)) for data, reviewed, rejected, _key in rows[:limit]]


def _next(rows: Sequence[Any], limit: int) -> str | None:
    return encode_cursor(str(rows[limit - 1][3])) if len(rows) > limit else None


def first_page_rowids(session: Session, flt: EventFilter, *, limit: int, cap: int) -> tuple[list[int], int] | None:
    """Rowids of the `limit` newest matches and how many match, from one pass over the R*Tree and its filter
    columns; None when the R*Tree does not answer `flt` or more than `cap` events match (then a count and a
    page cost a query each, as before)."""
    geo = flt.geo_index
    if geo is None or not geo.answers(flt):
        return None
    frm, params = geo.matches_sql(flt)
    hits = session.connection().exec_driver_sql(f"SELECT a.id, a.sort_key {frm} LIMIT ?", (*params, cap + 1)).all()
    if len(hits) > cap:
        return None
    # sort keys are ASCII text: Python's order is SQLite's BINARY order
    top = heapq.nlargest(limit, hits, key=lambda h: str(h[1]))
    return [int(h[0]) for h in top], len(hits)


def event_text(data: str, reviewed: str | None, rejected: bool) -> str:
    """A stored event's JSON text with `reviewed` (sorted field names) and `rejected` appended."""
    fields = sorted(json.loads(reviewed) or {}) if reviewed and reviewed != "{}" else []
    extra = f'"reviewed": {json.dumps(fields) if fields else "[]"}, "rejected": {"true" if rejected else "false"}'
    body = data.rstrip()
    if body.endswith("}") and body != "{}":
        return f"{body[:-1]}, {extra}}}"
    whole = json.loads(body)  # not an object with members: let json say what it is
    whole.update(reviewed=fields, rejected=rejected)
    return json.dumps(whole)


def list_actors(session: Session, *, q: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Actors with how many live events name them (as actor1 or actor2), most active first."""
    live = EventRow.rejected.is_(False)
    counts: dict[str, int] = defaultdict(int)
    for col in (EventRow.actor1_id, EventRow.actor2_id):
        for aid, n in session.execute(select(col, func.count()).where(live, col.is_not(None)).group_by(col)):
            counts[str(aid)] += int(n)
    stmt = select(ActorRow)
    if q:
        stmt = stmt.where(or_(func.lower(ActorRow.name).like(_like(q), escape="\\"), ActorRow.id == q))
    rows: list[dict[str, Any]] = [
        {
            "id": a.id,
            "name": a.name,
            "kind": a.kind,
            "side": a.side,
            "country": a.country,
            "n_events": counts.get(a.id, 0),
        }
        for a in session.scalars(stmt)
    ]
    rows.sort(key=lambda r: (-int(r["n_events"]), str(r["name"])))
    return rows[:limit]


def list_places(session: Session, *, q: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Gazetteer places that events refer to, with their live event counts."""
    counts = {
        str(pid): int(n)
        for pid, n in session.execute(
            select(EventRow.place_id, func.count())
            .where(EventRow.rejected.is_(False), EventRow.place_id.is_not(None))
            .group_by(EventRow.place_id)
        )
    }
    stmt = select(PlaceRow)
    if q:
        stmt = stmt.where(or_(func.lower(PlaceRow.name).like(_like(q), escape="\\"), PlaceRow.id == q))
    rows: list[dict[str, Any]] = [
        {
            "id": p.id,
            "name": p.name,
            "lat": p.lat,
            "lon": p.lon,
            "country": p.country,
            "admin1": p.admin1,
            "kind": p.kind,
            "n_events": counts.get(p.id, 0),
        }
        for p in session.scalars(stmt)
    ]
    rows.sort(key=lambda r: (-int(r["n_events"]), str(r["name"])))
    return rows[:limit]


def list_outlets(session: Session, *, limit: int = 500) -> list[dict[str, Any]]:
    """Outlets with how many documents each published."""
    stmt = select(OutletRow).order_by(OutletRow.n_documents.desc(), OutletRow.name).limit(limit)
    return [
        {"id": o.name, "name": o.name, "domain": o.domain, "n_documents": o.n_documents} for o in session.scalars(stmt)
    ]


Interval = Literal["day", "week", "auto"]

AUTO_MAX_DAYS = 180
"""`interval=auto` answers in days up to this many days between the first and last event, else in weeks."""


def timeline(session: Session, flt: EventFilter, *, interval: Interval) -> dict[str, Any]:
    """Events per time bucket and type (bucketed by start date; weeks start on Monday), gaps filled with zero.

    `auto` picks days or weeks by the range the matches cover, so the page needs one request, not two.
    """
    flt = flt.validate()
    geo = flt.geo_index
    rows: Sequence[tuple[date | None, Any, Any]]
    if geo is not None and geo.answers(flt):  # bbox + dates + types: counted inside the R*Tree, no row reads
        frm, params = geo.matches_sql(flt)
        sql = f"SELECT a.date_start, a.event_type, count(*) {frm} GROUP BY a.date_start, a.event_type"
        rows = [
            (None if d is None else date.fromisoformat(d), t, n)
            for d, t, n in session.connection().exec_driver_sql(sql, tuple(params))
        ]
    else:  # the covering date index (the R*Tree's candidates would each cost a row read)
        day = EventRow.date_start
        clauses = dataclasses.replace(flt, geo_index=None).clauses()
        rows = [
            tuple(r)
            for r in session.execute(
                select(day, EventRow.event_type, func.count()).where(*clauses).group_by(day, EventRow.event_type)
            )
        ]
    if interval == "auto":
        days = [d for d, _t, _n in rows if d is not None]
        interval = "week" if days and (max(days) - min(days)).days + 1 > AUTO_MAX_DAYS else "day"
    buckets: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    types: set[str] = set()
    undated = 0
    for d, etype, n in rows:
        if d is None:
            undated += int(n)
            continue
        key = d - timedelta(days=d.weekday()) if interval == "week" else d
        buckets[key][str(etype)] += int(n)
        types.add(str(etype))
    out: list[dict[str, Any]] = []
    if buckets:
        step = timedelta(days=7 if interval == "week" else 1)
        cur, last = min(buckets), max(buckets)
        while cur <= last:
            counts = dict(sorted(buckets.get(cur, {}).items()))
            out.append(
                {
                    "start": cur.isoformat(),
                    "end": (cur + step - timedelta(days=1)).isoformat(),
                    "total": sum(counts.values()),
                    "counts": counts,
                }
            )
            cur += step
    return {"interval": interval, "types": sorted(types), "buckets": out, "undated": undated}


CLUSTER_CELL_PX = 64
"""Grid cell size in screen pixels: about the size of a cluster marker, so clusters never overlap much."""


def cell_degrees(zoom: int) -> float:
    """Width of a grid cell in degrees at a web-map zoom level (256-pixel tiles)."""
    return 360.0 * CLUSTER_CELL_PX / (256 * float(2**zoom))


def clusters(session: Session, flt: EventFilter, *, zoom: int) -> dict[str, Any]:
    """Events aggregated on a lon/lat grid sized for `zoom`, so the page draws hundreds of markers, not 100,000."""
    clauses = flt.validate().clauses()
    size = cell_degrees(zoom)
    bind = session.get_bind()
    gx_expr = (EventRow.lon + 180.0) / size
    gy_expr = (EventRow.lat + 90.0) / size
    if bind.dialect.name == "sqlite":  # CAST truncates in SQLite (non-negative here, so it floors)
        gx, gy = cast(gx_expr, Integer), cast(gy_expr, Integer)
    else:  # PostgreSQL's CAST rounds; floor first
        gx, gy = cast(func.floor(gx_expr), Integer), cast(func.floor(gy_expr), Integer)
    located = and_(EventRow.lat.is_not(None), EventRow.lon.is_not(None))
    stmt = (
        select(
            gx.label("gx"),
            gy.label("gy"),
            EventRow.event_type,
            func.count(),
            func.sum(EventRow.lat),
            func.sum(EventRow.lon),
            func.coalesce(func.sum(EventRow.fatalities_best), 0),
        )
        .where(*clauses, located)
        .group_by(gx, gy, EventRow.event_type)
    )
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    for x, y, etype, n, slat, slon, fat in session.execute(stmt):
        c = cells.setdefault((int(x), int(y)), {"n": 0, "lat": 0.0, "lon": 0.0, "fat": 0, "counts": {}})
        c["n"] += int(n)
        c["lat"] += float(slat)
        c["lon"] += float(slon)
        c["fat"] += int(fat)
        c["counts"][str(etype)] = int(n)
    out = []
    for (x, y), c in cells.items():
        w, s = x * size - 180.0, y * size - 90.0
        counts = dict(sorted(c["counts"].items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(
            {
                "lat": round(c["lat"] / c["n"], 5),
                "lon": round(c["lon"] / c["n"], 5),
                "count": c["n"],
                "fatalities": c["fat"],
                "top_type": next(iter(counts)),
                "counts": counts,
                "bbox": (
                    round(w, 5),
                    round(max(s, -90.0), 5),
                    round(min(w + size, 180.0), 5),
                    round(min(s + size, 90.0), 5),
                ),
            }
        )
    out.sort(key=lambda c: -int(c["count"]))
    total = sum(int(c["count"]) for c in out)
    unlocated = int(session.scalar(select(func.count()).select_from(EventRow).where(*clauses, ~located)) or 0)
    return {"zoom": zoom, "cell_degrees": size, "clusters": out, "total": total, "unlocated": unlocated}
