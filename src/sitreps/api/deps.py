"""Annotated dependencies: the app's state, a database session per request, the shared event filter, write auth."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from sitreps.api.cache import ResultCache
from sitreps.api.errors import ApiError
from sitreps.config import Settings
from sitreps.errors import UsageError
from sitreps.store.query import EventFilter, geo_index_of, max_event_span

MAX_LIMIT = 1000


@dataclass
class AppState:
    """Everything a request needs, built once by `create_app` (no import-time engine or settings)."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    token: str | None
    nlp_loader: Callable[[], Any]
    cache: ResultCache
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)


async def get_state(request: Request) -> AppState:
    """The app's state. This and the other pure dependencies are `async def`: FastAPI runs a plain `def`
    dependency on a worker thread, a hop that cost more than the work itself on every request."""
    state = request.app.state.sitreps
    assert isinstance(state, AppState)
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_settings(state: StateDep) -> Settings:
    return state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(state: StateDep) -> Iterator[Session]:
    """One short session per request, closed when the response is sent."""
    with state.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def _bad_filter(name: str, value: str, hint: str) -> ApiError:
    return ApiError(
        400,
        "invalid_filter",
        f"{name}: invalid value {value[:80]!r}",
        hint=hint,
        details=[{"param": name, "value": value[:200], "hint": hint}],
    )


def _date(name: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad_filter(name, value, "write dates as YYYY-MM-DD, e.g. 2017-01-23") from None


def _number(name: str, value: str | None, kind: type[int] | type[float]) -> Any:
    if value is None or value == "":
        return None
    try:
        n = kind(value)
    except ValueError:
        raise _bad_filter(name, value, f"give a {'whole ' if kind is int else ''}number") from None
    if kind is float and n != n:  # NaN compares unequal to itself
        raise _bad_filter(name, value, "give a number")
    return n


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """`min_lon,min_lat,max_lon,max_lat` as floats, or an invalid_filter error naming the format."""
    if not value:
        return None
    hint = "give bbox=min_lon,min_lat,max_lon,max_lat in degrees, e.g. 35.5,32.3,42.4,37.3"
    parts = value.split(",")
    if len(parts) != 4:
        raise _bad_filter("bbox", value, hint)
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError:
        raise _bad_filter("bbox", value, hint) from None
    if any(x != x for x in (w, s, e, n)):
        raise _bad_filter("bbox", value, hint)
    return w, s, e, n


def _words(values: list[str] | None) -> list[str]:
    """Repeatable params, also accepting comma-free single values; empties dropped."""
    return [v for v in (values or []) if v]


async def get_filter(
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
    since: Annotated[str | None, Query(description="Events ending on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(description="Events starting on or before this date (YYYY-MM-DD).")] = None,
    type: Annotated[list[str] | None, Query(description="Event type (repeatable).")] = None,
    sub_type: Annotated[list[str] | None, Query(description="Sub-event type (repeatable).")] = None,
    action: Annotated[list[str] | None, Query(description="Action tag (repeatable).")] = None,
    actor: Annotated[list[str] | None, Query(description="Actor id, as actor1 or actor2 (repeatable).")] = None,
    place: Annotated[str | None, Query(description="Place id or part of its name.")] = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-2 country code.")] = None,
    min_outlets: Annotated[str | None, Query(description="At least this many independent outlets.")] = None,
    status: Annotated[list[str] | None, Query(description="corroborated, single-source, disputed.")] = None,
    modality: Annotated[list[str] | None, Query(description="asserted, hedged, negated, planned, threatened.")] = None,
    confidence: Annotated[str | None, Query(description="Minimum confidence, 0..1.")] = None,
    q: Annotated[str | None, Query(description="Free text: every word must appear.", max_length=500)] = None,
) -> EventFilter:
    """The one filter parser for every event listing; bad values are 400 invalid_filter, never 500."""
    min_out = _number("min_outlets", min_outlets, int)
    if min_out is not None and min_out < 0:
        raise _bad_filter("min_outlets", str(min_outlets), "give a whole number >= 0")
    flt = EventFilter(
        bbox=parse_bbox(bbox),
        since=_date("since", since),
        until=_date("until", until),
        event_type=_words(type),
        sub_event_type=_words(sub_type),
        action=_words(action),
        actor=_words(actor),
        place=place or None,
        country=country or None,
        min_outlets=min_out,
        status=_words(status),
        modality=_words(modality),
        min_confidence=_number("confidence", confidence, float),
        q=q or None,
    )
    try:
        return flt.validate()
    except UsageError as e:
        raise ApiError(
            400, "invalid_filter", e.message, hint=e.hint, details=[{"param": e.source, "hint": e.hint}]
        ) from e


ParsedFilterDep = Annotated[EventFilter, Depends(get_filter)]
"""The filter as parsed, for routes that open their own session (`store_filter` then adds the store's part)."""


def get_store_filter(flt: ParsedFilterDep, state: StateDep, session: SessionDep) -> EventFilter:
    """The parsed filter made fast on this store (`store_filter`)."""
    return store_filter(flt, state, session)


def store_filter(flt: EventFilter, state: AppState, session: Session) -> EventFilter:
    """The parsed filter plus what makes it fast on this store: the longest event span, so `since` becomes an
    index range bound, and the spatio-temporal index for bbox filters."""
    if flt.since is not None:
        flt.span_days = state.cache.get(session, ("span",), lambda: max_event_span(session))
    if flt.bbox is not None:
        flt.geo_index = state.cache.get(session, ("geo_index",), lambda: geo_index_of(session))
    return flt


FilterDep = Annotated[EventFilter, Depends(get_store_filter)]


async def get_limit(
    limit: Annotated[str | None, Query(description=f"Page size, 1..{MAX_LIMIT} (default 100).")] = None,
) -> int:
    n = _number("limit", limit, int)
    if n is None:
        return 100
    if not 1 <= n <= MAX_LIMIT:
        raise _bad_filter("limit", str(limit), f"give a page size between 1 and {MAX_LIMIT}; follow `next` for more")
    return int(n)


LimitDep = Annotated[int, Depends(get_limit)]


async def require_writer(request: Request, state: StateDep) -> None:
    """Writes need `Authorization: Bearer <token>`; with no token configured the API is read-only."""
    if not state.token:
        raise ApiError(
            403,
            "read_only",
            "this server is read-only: no write token is configured",
            hint="start the server with SITREPS_TOKEN set (see `sitreps serve --help`)",
        )
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(
            401,
            "token_required",
            "this request changes data and needs a token",
            hint="send the header `Authorization: Bearer <token>`",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(given.strip().encode(), state.token.encode()):
        raise ApiError(
            403, "token_invalid", "the token is not valid", hint="check the token the server was started with"
        )


WriterDep = Depends(require_writer)
