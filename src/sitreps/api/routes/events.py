"""Event routes: listing (JSON, GeoJSON, CSV), one event with its evidence, corrections, timeline and map clusters."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sitreps.api.deps import (
    MAX_LIMIT,
    AppState,
    FilterDep,
    LimitDep,
    ParsedFilterDep,
    SessionDep,
    StateDep,
    WriterDep,
    store_filter,
)
from sitreps.api.errors import ApiError
from sitreps.api.evidence import mention_out
from sitreps.api.queries import Interval, clusters, event_flags, event_page, timeline
from sitreps.api.schemas import Clusters, EventDetail, EventPage, ReviewIn, ReviewOut, Timeline
from sitreps.errors import NotFoundError, UsageError
from sitreps.model import Event
from sitreps.store.query import (
    EventFilter,
    count_events,
    find_event_id,
    get_event,
    list_events,
    mentions_of,
    reviews_of,
)
from sitreps.store.review import ReviewError, review_event

router = APIRouter(prefix="/api/v1", tags=["events"])

CursorQ = Annotated[
    str | None, Query(alias="cursor", description="The `next` token of the previous page.", max_length=400)
]


def _page(session: Session, flt: EventFilter, limit: int, cursor: str | None) -> tuple[list[Event], str | None]:
    try:
        return list_events(session, flt, limit=limit, after=cursor or None)
    except UsageError as e:
        raise ApiError(400, "invalid_cursor", e.message, hint=e.hint) from e


def event_json(e: Event, flags: dict[str, tuple[list[str], bool]]) -> dict[str, Any]:
    """Contract JSON plus which fields an analyst reviewed and whether the event was rejected."""
    data = e.to_json()
    reviewed, rejected = flags.get(e.id, ([], False))
    data["reviewed"] = reviewed
    data["rejected"] = rejected
    return data


def resolve_event_id(session: Session, event_id: str) -> str:
    """Full id from an id or unique prefix, as `event_not_found` / `ambiguous_id` errors otherwise."""
    try:
        return find_event_id(session, event_id)
    except NotFoundError as e:
        raise ApiError(
            404, "event_not_found", f"no event with id {event_id!r}", hint="list events with GET /api/v1/events"
        ) from e
    except UsageError as e:
        raise ApiError(400, "ambiguous_id", e.message, hint=e.hint) from e


COUNT_CAP = 10_000
"""Listings count matches up to this many; `count_capped` says when there are more."""


def entity_tag(request: Request, state: AppState, session: Session) -> str | None:
    """A weak ETag for this URL at the store's current version (None when the version cannot be read).

    Any commit changes the version, so a client holding the tag of an unchanged store gets a 304.
    """
    version = state.cache.version.read(session)
    if version is None:
        return None
    raw = f"{version}|{request.url.path}?{request.url.query}".encode()
    return f'W/"{hashlib.blake2b(raw, digest_size=12).hexdigest()}"'


def not_modified(request: Request, tag: str | None) -> bool:
    """True when the client already holds this version of the answer (If-None-Match names the tag)."""
    sent = request.headers.get("if-none-match")
    return tag is not None and sent is not None and tag in (t.strip() for t in sent.split(","))


def json_bytes(request: Request, tag: str | None, body: bytes) -> Response:
    """A JSON response that browsers revalidate (no-cache + ETag), or 304 Not Modified when the tag matches."""
    headers = {"Cache-Control": "no-cache"}
    if tag is not None:
        headers["ETag"] = tag
    if not_modified(request, tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def _encode(model: type[BaseModel], value: dict[str, Any]) -> bytes:
    """Validate once against the documented model and encode; callers cache the bytes, not the dict."""
    return model.model_validate(value).model_dump_json().encode()


@router.get("/events", response_model=EventPage)
async def events_list(
    request: Request, state: StateDep, flt: ParsedFilterDep, limit: LimitDep, cursor: CursorQ = None
) -> Response:
    """Events matching the filters, newest first; follow `next` (as `cursor`) for the following page.

    `count` (all matches, capped at COUNT_CAP) is computed on the first page only, and only when there is a
    next page (else it is the page's length): paging a large store costs one index scan per page. The body
    is assembled from the stored contract JSON (`event_page`); EventPage documents its shape.
    """
    return await run_in_threadpool(_events_list, request, state, flt, limit, cursor)


def _events_list(request: Request, state: AppState, flt: EventFilter, limit: int, cursor: str | None) -> Response:
    """The store work of `events_list` on one worker thread: opening the session, the store's filter hints and
    the page in one hop (as plain dependencies they cost four hops, about as much CPU as the query)."""
    with state.sessions() as session:
        return _events_body(request, state, store_filter(flt, state, session), limit, cursor, session)


def _events_body(
    request: Request, state: AppState, flt: EventFilter, limit: int, cursor: str | None, session: Session
) -> Response:
    tag = entity_tag(request, state, session)
    if not_modified(request, tag):
        return json_bytes(request, tag, b"")
    try:
        events, nxt, count = event_page(session, flt, limit=limit, after=cursor or None, count_cap=COUNT_CAP)
    except UsageError as e:
        raise ApiError(400, "invalid_cursor", e.message, hint=e.hint) from e
    if cursor is None and count is None:
        count = len(events) if nxt is None else count_events(session, flt, cap=COUNT_CAP)
    capped = count is not None and count > COUNT_CAP
    tail = json.dumps({"next": nxt, "count": COUNT_CAP if capped else count, "count_capped": capped})
    body = '{"events": [' + ", ".join(events) + "], " + tail[1:]
    return json_bytes(request, tag, body.encode())


def feature(e: Event) -> dict[str, Any]:
    """One RFC 7946 Feature ([lon, lat]; null geometry when the place is unknown) with flat properties."""
    p = e.place
    geometry = (
        {"type": "Point", "coordinates": [p.lon, p.lat]}
        if p is not None and p.lat is not None and p.lon is not None
        else None
    )
    props = {
        "id": e.id,
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "action": e.action,
        "date_start": e.date.start.isoformat() if e.date and e.date.start else None,
        "date_end": e.date.end.isoformat() if e.date and e.date.end else None,
        "place": p.name if p else None,
        "country": p.country if p else None,
        "actor1": e.actor1.name if e.actor1 else None,
        "actor2": e.actor2.name if e.actor2 else None,
        "fatalities": e.fatalities.best,
        "modality": e.modality,
        "status": e.status,
        "n_outlets": e.n_outlets,
        "n_sources": e.n_sources,
        "confidence": round(e.confidence, 3),
    }
    return {"type": "Feature", "id": e.id, "geometry": geometry, "properties": props}


@router.get("/events.geojson", response_class=JSONResponse)
def events_geojson(session: SessionDep, flt: FilterDep, limit: LimitDep, cursor: CursorQ = None) -> JSONResponse:
    """The same listing as an RFC 7946 FeatureCollection; `next` and `count` ride along as foreign members."""
    events, nxt = _page(session, flt, limit, cursor)
    body = {
        "type": "FeatureCollection",
        "features": [feature(e) for e in events],
        "next": nxt,
        "count": count_events(session, flt, cap=COUNT_CAP),
    }
    return JSONResponse(body, media_type="application/geo+json")


CSV_COLUMNS = (
    "id", "event_date", "date_end", "time_precision", "event_type", "sub_event_type", "action",
    "actor1", "actor1_id", "actor2", "actor2_id", "location", "place_id", "country", "admin1",
    "latitude", "longitude", "geo_precision", "fatalities", "fatalities_min", "fatalities_max",
    "modality", "status", "n_mentions", "n_outlets", "n_sources", "confidence", "attribution", "outlets", "evidence",
)  # fmt: skip


def _cell(value: object) -> str:
    """A CSV cell that spreadsheets will not run as a formula (CSV injection)."""
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(s) else s


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def csv_row(e: Event) -> list[str]:
    """One event as a CSV row in CSV_COLUMNS order."""
    p, d = e.place, e.date
    values: list[object] = [
        e.id,
        d.start.isoformat() if d and d.start else None,
        d.end.isoformat() if d and d.end else None,
        d.precision if d else None,
        e.event_type,
        e.sub_event_type,
        e.action,
        e.actor1.name if e.actor1 else None,
        e.actor1.id if e.actor1 else None,
        e.actor2.name if e.actor2 else None,
        e.actor2.id if e.actor2 else None,
        p.name if p else None,
        p.id if p else None,
        p.country if p else None,
        p.admin1 if p else None,
        p.lat if p else None,
        p.lon if p else None,
        p.geo_precision if p else None,
        e.fatalities.best,
        e.fatalities.min,
        e.fatalities.max,
        e.modality,
        e.status,
        e.n_mentions,
        e.n_outlets,
        e.n_sources,
        round(e.confidence, 3),
        e.attribution,
        "; ".join(e.outlets),
        e.evidence.text if e.evidence else None,
    ]
    return [_cell(v) for v in values]


@router.get("/events.csv", response_class=StreamingResponse)
def events_csv(state: StateDep, flt: FilterDep) -> StreamingResponse:
    """Every matching event as CSV (one row per event, newest first), streamed page by page."""
    with state.sessions() as s:
        count_events(s, flt)  # validates the filter before the response starts

    def rows() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(CSV_COLUMNS)
        after: str | None = None
        while True:
            with state.sessions() as s:
                events, after = list_events(s, flt, limit=MAX_LIMIT, after=after)
            for e in events:
                writer.writerow(csv_row(e))
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
            if after is None:
                return

    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="events.csv"'},
    )


EventIdPath = Annotated[str, Path(min_length=3, max_length=40, pattern=r"^[0-9A-Za-z_.:-]+$")]


@router.get("/events/{event_id}", response_model=EventDetail)
def event_detail(session: SessionDep, event_id: EventIdPath) -> dict[str, Any]:
    """One event with its evidence: mentions (sentences, offsets, highlights), documents, outlets, audit log."""
    eid = resolve_event_id(session, event_id)
    event = get_event(session, eid)
    pairs = mentions_of(session, event.mentions)
    docs: dict[str, dict[str, Any]] = {}
    for _m, d in pairs:
        docs.setdefault(d.id, d.to_json())
    return {
        "event": event_json(event, event_flags(session, [eid])),
        "mentions": [mention_out(m, d) for m, d in pairs],
        "documents": list(docs.values()),
        "outlets": event.outlets,
        "disagreements": event.disagreements,
        "reviews": reviews_of(session, eid),
    }


def ontology_types() -> dict[str, list[str]]:
    """Event type → its sub-types, from the packaged ontology (validation choices for corrections)."""
    from sitreps.kb.ontology import load_ontology

    onto = load_ontology()
    return {t: list(onto.sub_event_types.get(t, {})) for t in onto.event_types}


@router.patch("/events/{event_id}", response_model=ReviewOut, dependencies=[WriterDep])
def event_review(session: SessionDep, event_id: EventIdPath, body: ReviewIn) -> dict[str, Any]:
    """Correct an event; each changed field is audited and survives every later re-fusion."""
    eid = resolve_event_id(session, event_id)
    changes = body.changes.model_dump(mode="json", exclude_unset=True)
    before = len(reviews_of(session, eid))
    try:
        event = review_event(session, eid, changes, who=body.who, why=body.why, event_types=ontology_types())
    except ReviewError as e:
        raise ApiError(
            422,
            "validation_error",
            e.message,
            hint=e.hint,
            details=[{"loc": ["body", "changes", e.field], "msg": e.reason, "choices": e.choices}],
        ) from e
    reviews = reviews_of(session, eid)
    return {
        "event": event_json(event, event_flags(session, [eid])),
        "reviews": reviews,
        "changed": [r["field"] for r in reviews[before:]],
    }


@router.get("/timeline", response_model=Timeline)
async def events_timeline(
    request: Request,
    state: StateDep,
    flt: ParsedFilterDep,
    interval: Annotated[
        Literal["day", "week", "auto"],
        Query(description="Bucket size; `auto`: days up to 180 days of matches, else weeks (the answer says which)."),
    ] = "day",
) -> Response:
    """Event counts per day or week and per event type, for the same filters as /events.

    Counts never read event rows: bbox + dates + types are counted inside the R*Tree, other filters on the
    covering date index (`queries.timeline`). The store work runs in one worker-thread hop, as for /events.
    """
    return await run_in_threadpool(_events_timeline, request, state, flt, interval)


def _events_timeline(request: Request, state: AppState, flt: EventFilter, interval: Interval) -> Response:
    with state.sessions() as session:
        flt = store_filter(flt, state, session)
        tag = entity_tag(request, state, session)
        body = state.cache.get(
            session,
            ("timeline", repr(flt), interval),
            lambda: _encode(Timeline, timeline(session, flt, interval=interval)),
        )
        return json_bytes(request, tag, body)


@router.get("/clusters", response_model=Clusters)
def events_clusters(
    request: Request,
    session: SessionDep,
    state: StateDep,
    flt: FilterDep,
    zoom: Annotated[int, Query(ge=0, le=22, description="Web-map zoom level; sets the grid cell size.")] = 4,
) -> Response:
    """Events aggregated on a grid for low zoom levels, so 100,000 events draw as a few hundred markers."""
    flt = dataclasses.replace(flt, geo_index=None)  # covering indexes, as for the timeline
    tag = entity_tag(request, state, session)
    body = state.cache.get(
        session, ("clusters", repr(flt), zoom), lambda: _encode(Clusters, clusters(session, flt, zoom=zoom))
    )
    return json_bytes(request, tag, body)
