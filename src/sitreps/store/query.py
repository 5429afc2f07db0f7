"""Typed read functions used by the CLI, API, reports and exports (keyword-only options, model types out)."""

from __future__ import annotations

import base64
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Float,
    Select,
    String,
    and_,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from sitreps.errors import NotFoundError, UsageError
from sitreps.model import MODALITIES, Document, Event, Mention, event_from_json, mention_from_json
from sitreps.store.schema import (
    ActorRow,
    DocumentRow,
    EventMentionRow,
    EventRow,
    MentionRow,
    OutletRow,
    PlaceRow,
    ReviewRow,
)

STATUSES = ("corroborated", "single-source", "disputed")


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A document's header as listings show it."""

    id: str
    title: str | None
    published: date | None
    outlet: str | None
    path: str | None
    url: str | None
    n_mentions: int
    duplicate_of: str | None
    similarity: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "published_missing": self.published is None,
            "outlet": self.outlet,
            "path": self.path,
            "url": self.url,
            "n_mentions": self.n_mentions,
            "duplicate_of": self.duplicate_of,
            "similarity": self.similarity,
        }


def _document(row: DocumentRow) -> Document:
    return Document(
        id=row.id,
        text=row.text,
        title=row.title,
        published=row.published,
        outlet=row.outlet,
        url=row.url,
        author=row.author,
        language=row.language,
        path=row.path,
        published_source=row.published_source,
    )


def list_documents(
    session: Session, *, limit: int = 50, offset: int = 0, outlet: str | None = None
) -> list[DocumentSummary]:
    """Documents newest first (by publication date, undated last)."""
    n = select(MentionRow.document_id, func.count().label("n")).group_by(MentionRow.document_id).subquery()
    stmt = (
        select(DocumentRow, func.coalesce(n.c.n, 0))
        .outerjoin(n, n.c.document_id == DocumentRow.id)
        .order_by(DocumentRow.published.is_(None), DocumentRow.published.desc(), DocumentRow.id)
        .limit(limit)
        .offset(offset)
    )
    if outlet:
        stmt = stmt.where(DocumentRow.outlet == outlet)
    return [
        DocumentSummary(r.id, r.title, r.published, r.outlet, r.path, r.url, int(cnt), r.duplicate_of, r.similarity)
        for r, cnt in session.execute(stmt)
    ]


def find_document_id(session: Session, prefix: str) -> str:
    """Full id from an id or unique prefix (at least 4 characters), as `git` does."""
    if len(prefix) < 4:
        raise UsageError(prefix, "document id prefix is too short", "give at least 4 characters of the id")
    ids = list(session.scalars(select(DocumentRow.id).where(DocumentRow.id.startswith(prefix)).limit(2)))
    if not ids:
        raise NotFoundError(prefix, "no document with this id", "list ids with `sitreps documents`")
    if len(ids) > 1:
        raise UsageError(prefix, "id prefix matches several documents", "give more characters of the id")
    return ids[0]


def get_document(session: Session, document_id: str) -> tuple[Document, list[Mention], DocumentSummary]:
    """One document with its mentions (offsets into its text) and its summary."""
    row = session.get(DocumentRow, document_id)
    if row is None:
        raise NotFoundError(document_id, "no document with this id", "list ids with `sitreps documents`")
    mentions = [
        mention_from_json(m.data, row.id)
        for m in session.scalars(
            select(MentionRow).where(MentionRow.document_id == row.id).order_by(MentionRow.evidence_start)
        )
    ]
    summary = DocumentSummary(
        row.id, row.title, row.published, row.outlet, row.path, row.url, len(mentions), row.duplicate_of, row.similarity
    )
    return _document(row), mentions, summary


@dataclass(frozen=True, slots=True)
class DocInfoRow:
    """What fusion needs to know of a document."""

    id: str
    outlet: str | None
    published: date | None
    duplicate_of: str | None


def all_mentions(session: Session) -> tuple[list[Mention], dict[str, DocInfoRow]]:
    """Every stored mention and the documents they come from (for a full fusion rebuild)."""
    docs = {
        r.id: DocInfoRow(r.id, r.outlet, r.published, r.duplicate_of)
        for r in session.execute(
            select(DocumentRow.id, DocumentRow.outlet, DocumentRow.published, DocumentRow.duplicate_of)
        )
    }
    mentions = [
        mention_from_json(d, doc_id) for doc_id, d in session.execute(select(MentionRow.document_id, MentionRow.data))
    ]
    return mentions, docs


def mentions_of(session: Session, mention_ids: Sequence[str]) -> list[tuple[Mention, Document]]:
    """Mentions with their documents, in evidence order (for an event's evidence view)."""
    rows = session.execute(
        select(MentionRow, DocumentRow)
        .join(DocumentRow, DocumentRow.id == MentionRow.document_id)
        .where(MentionRow.id.in_(list(mention_ids)))
    )
    out = [(mention_from_json(m.data, d.id), _document(d)) for m, d in rows]
    out.sort(key=lambda md: (md[1].published or date.max, md[1].id, md[0].evidence.start))
    return out


def signatures(session: Session) -> list[tuple[str, bytes]]:
    """Near-duplicate signatures of original (non-duplicate) documents, for rebuilding the LSH index."""
    stmt = select(DocumentRow.id, DocumentRow.signature).where(
        DocumentRow.signature.is_not(None), DocumentRow.duplicate_of.is_(None)
    )
    return [(i, s) for i, s in session.execute(stmt) if s is not None]


@dataclass(slots=True)
class EventFilter:
    """One filter shared by every event listing and export (CLI, API, GeoJSON, CSV, reports)."""

    bbox: tuple[float, float, float, float] | None = None
    """min_lon, min_lat, max_lon, max_lat"""
    since: date | None = None
    until: date | None = None
    event_type: list[str] = field(default_factory=list)
    sub_event_type: list[str] = field(default_factory=list)
    action: list[str] = field(default_factory=list)
    actor: list[str] = field(default_factory=list)
    place: str | None = None
    country: str | None = None
    min_outlets: int | None = None
    status: list[str] = field(default_factory=list)
    modality: list[str] = field(default_factory=list)
    min_confidence: float | None = None
    q: str | None = None
    include_rejected: bool = False
    span_days: int | None = None
    """The store's longest event in days (`max_event_span`). With `since`, it bounds date_start from below
    (date_start >= since - span_days), so a date filter is one index range scan instead of every event that
    starts before `until`; the matches are the same. None: no such bound."""
    geo_index: GeoIndex | None = None
    """The store's spatio-temporal index (`geo_index_of`), used for bbox filters. It only narrows the rows
    the other clauses look at: the matches are the same with or without it."""

    def validate(self) -> EventFilter:
        """Check closed vocabularies and ranges, naming the bad value and the choices."""
        for s in self.status:
            if s not in STATUSES:
                raise UsageError("status", f"unknown status {s!r}", f"choose from {', '.join(STATUSES)}")
        for m in self.modality:
            if m not in MODALITIES:
                raise UsageError("modality", f"unknown modality {m!r}", f"choose from {', '.join(MODALITIES)}")
        if self.bbox is not None:
            w, south, e, n = self.bbox
            if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= south <= 90 and -90 <= n <= 90 and south <= n):
                raise UsageError(
                    "bbox", f"invalid bounding box {self.bbox}", "give min_lon,min_lat,max_lon,max_lat in degrees"
                )
        if self.since and self.until and self.since > self.until:
            raise UsageError("since/until", f"since {self.since} is after until {self.until}", "swap the dates")
        if self.min_confidence is not None and not 0 <= self.min_confidence <= 1:
            raise UsageError("confidence", f"{self.min_confidence} is outside 0..1", "give a number between 0 and 1")
        return self

    def clauses(self) -> list[ColumnElement[bool]]:
        """SQL conditions for this filter."""
        c: list[ColumnElement[bool]] = []
        if not self.include_rejected:
            c.append(EventRow.rejected.is_(False))
        if self.bbox is not None:
            w, s, e, n = self.bbox
            if self.geo_index is not None and w <= e:
                c.append(self.geo_index.candidates(self.bbox, self.since, self.until))
            c.append(and_(EventRow.lat >= s, EventRow.lat <= n))
            c.append(
                and_(EventRow.lon >= w, EventRow.lon <= e) if w <= e else or_(EventRow.lon >= w, EventRow.lon <= e)
            )
        if self.since:
            c.append(EventRow.date_end >= self.since)
            if self.span_days is not None:
                c.append(EventRow.date_start >= self.since - timedelta(days=self.span_days))
        if self.until:
            c.append(EventRow.date_start <= self.until)
        if self.event_type:
            c.append(EventRow.event_type.in_(self.event_type))
        if self.sub_event_type:
            c.append(EventRow.sub_event_type.in_(self.sub_event_type))
        if self.action:
            c.append(EventRow.action.in_(self.action))
        if self.actor:
            c.append(or_(EventRow.actor1_id.in_(self.actor), EventRow.actor2_id.in_(self.actor)))
        if self.place:
            like = f"%{_escape_like(self.place.lower())}%"
            c.append(or_(EventRow.place_id == self.place, func.lower(EventRow.place_name).like(like, escape="\\")))
        if self.country:
            c.append(EventRow.country == self.country.upper())
        if self.min_outlets is not None:
            c.append(EventRow.n_outlets >= self.min_outlets)
        if self.status:
            c.append(EventRow.status.in_(self.status))
        if self.modality:
            c.append(EventRow.modality.in_(self.modality))
        if self.min_confidence is not None:
            c.append(EventRow.confidence >= self.min_confidence)
        if self.q:
            for word in self.q.lower().split():
                c.append(EventRow.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
        return c


_RTREE = table(
    "events_geo", *(column(n) for n in ("id", "min_lon", "max_lon", "min_lat", "max_lat", "min_day", "max_day"))
)
GEO_ATTRS = table(
    "events_geo_attrs",
    column("id"),
    column("rejected", Boolean),
    column("event_type", String),
    column("lat", Float),
    column("lon", Float),
    column("date_start", Date),
    column("date_end", Date),
    column("sort_key", String),
)
"""Copies of the columns a map filter checks, keyed by events.rowid like the R*Tree (migration 0004)."""

_GEO_FILTER_FIELDS = frozenset({"bbox", "since", "until", "event_type", "include_rejected", "span_days", "geo_index"})
"""EventFilter fields that R*Tree + GEO_ATTRS answer exactly; any other field set sends a query to the events rows."""


@dataclass(frozen=True, slots=True)
class GeoIndex:
    """The SQLite R*Tree `events_geo` (migration 0003): lon, lat and Julian-day ranges keyed by events.rowid.

    `filters`: the store also has `events_geo_attrs` (0004), so a bbox + date + type filter is answered from
    the R*Tree and that narrow table alone, never reading a wide events row.
    """

    filters: bool = True

    def candidates(
        self, bbox: tuple[float, float, float, float], since: date | None, until: date | None
    ) -> ColumnElement[bool]:
        """`events.rowid IN (R*Tree hits)`: a superset of the events in the box and date range.

        The R*Tree stores float32 boxes rounded outwards, so it may return a few rows just outside; the
        exact clauses beside this one drop them.
        """
        return literal_column("events.rowid").in_(select(_RTREE.c.id).where(*self._box(bbox, since, until)))

    @staticmethod
    def _box(
        bbox: tuple[float, float, float, float], since: date | None, until: date | None
    ) -> list[ColumnElement[bool]]:
        w, s, e, n = bbox
        r = _RTREE.c
        c = [r.min_lon <= e, r.max_lon >= w, r.min_lat <= n, r.max_lat >= s]
        if since is not None:
            c.append(r.max_day >= julian_day(since))
        if until is not None:
            c.append(r.min_day <= julian_day(until))
        return c

    def answers(self, flt: EventFilter) -> bool:
        """True when `flt` is bbox (not across the antimeridian) + dates + types only: `matches` is exact then."""
        if not self.filters or flt.bbox is None or flt.bbox[0] > flt.bbox[2]:
            return False
        return all(f.name in _GEO_FILTER_FIELDS or _unset(getattr(flt, f.name)) for f in fields(flt))

    def matches(self, flt: EventFilter, *, after: str | None = None) -> Select[Any]:
        """`SELECT FROM events_geo JOIN events_geo_attrs WHERE` exactly `flt` (and sort_key < after); the caller
        adds the columns (of GEO_ATTRS). Only for filters `answers` accepts; the same conditions as
        `EventFilter.clauses`, on copies of the columns.
        """
        assert flt.bbox is not None and self.answers(flt)
        a = GEO_ATTRS.c
        w, s, e, n = flt.bbox
        c = [*self._box(flt.bbox, flt.since, flt.until), a.lat >= s, a.lat <= n, a.lon >= w, a.lon <= e]
        if not flt.include_rejected:
            c.append(a.rejected.is_(False))
        if flt.since:
            c.append(a.date_end >= flt.since)
        if flt.until:
            c.append(a.date_start <= flt.until)
        if flt.event_type:
            c.append(a.event_type.in_(flt.event_type))
        if after:
            c.append(a.sort_key < after)
        # the R*Tree leads (SQLite keeps this order): each hit is one rowid lookup in the narrow table
        return select().select_from(_RTREE.join(GEO_ATTRS, a.id == _RTREE.c.id)).where(*c)

    def matches_sql(self, flt: EventFilter) -> tuple[str, list[Any]]:
        """`FROM … WHERE …` text with `?` parameters for `exec_driver_sql`: the same conditions as `matches`
        (tests hold them equal), for the API's hot paths, where building and compiling the statement cost as
        much CPU as running it. Only for filters `answers` accepts."""
        assert flt.bbox is not None and self.answers(flt)
        w, s, e, n = flt.bbox
        where = ["g.min_lon <= ?", "g.max_lon >= ?", "g.min_lat <= ?", "g.max_lat >= ?"]
        where += ["a.lat >= ?", "a.lat <= ?", "a.lon >= ?", "a.lon <= ?"]
        params: list[Any] = [e, w, n, s, s, n, w, e]
        if not flt.include_rejected:
            where.append("a.rejected = 0")
        if flt.since:
            where += ["g.max_day >= ?", "a.date_end >= ?"]
            params += [julian_day(flt.since), flt.since.isoformat()]
        if flt.until:
            where += ["g.min_day <= ?", "a.date_start <= ?"]
            params += [julian_day(flt.until), flt.until.isoformat()]
        if flt.event_type:
            where.append(f"a.event_type IN ({', '.join('?' * len(flt.event_type))})")
            params += flt.event_type
        return "FROM events_geo AS g JOIN events_geo_attrs AS a ON a.id = g.id WHERE " + " AND ".join(where), params

    def page_rowids(self, flt: EventFilter, *, limit: int, after: str | None = None) -> Select[Any]:
        """Rowids of the `limit` newest matches (sort_key descending), chosen without reading events rows."""
        a = GEO_ATTRS.c
        return self.matches(flt, after=after).add_columns(a.id).order_by(a.sort_key.desc()).limit(limit)


def _unset(value: object) -> bool:
    """A filter field that adds no condition (None, empty list or text, False; 0 is a bound)."""
    return value is None or value is False or (isinstance(value, list | str) and not value)


def julian_day(d: date) -> float:
    """SQLite's julianday() of a date (at midnight), computed in Python."""
    return d.toordinal() + 1721424.5


def geo_index_of(session: Session) -> GeoIndex | None:
    """The store's spatio-temporal index, or None where it has none (PostgreSQL uses its GiST index by itself)."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    names: set[str] = set(
        session.scalars(
            select(column("name"))
            .select_from(table("sqlite_master"))
            .where(column("name").in_(["events_geo", "events_geo_attrs"]))
        )
    )
    return GeoIndex(filters="events_geo_attrs" in names) if "events_geo" in names else None


def max_event_span(session: Session) -> int | None:
    """Days between start and end of the longest stored event, for `EventFilter.span_days`.

    None when some event has an end but no start (no lower bound on date_start would be safe then).
    Reads the date covering index only; callers cache it per store version.
    """
    no_start = select(EventRow.id).where(EventRow.date_start.is_(None), EventRow.date_end.is_not(None)).limit(1)
    if session.scalar(no_start) is not None:
        return None
    if session.get_bind().dialect.name == "sqlite":
        span: Any = func.julianday(EventRow.date_end) - func.julianday(EventRow.date_start)
    else:
        span = EventRow.date_end - EventRow.date_start
    value = session.scalar(select(func.max(span)))
    return 0 if value is None else max(0, math.ceil(float(value)))


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def encode_cursor(row: EventRow | str) -> str:
    """Opaque `next` token: the sort key of the last row returned."""
    key = row if isinstance(row, str) else row.sort_key
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> str:
    """The sort key inside a `next` token, or UsageError when the token was not made by `encode_cursor`."""
    try:
        key = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as e:
        raise UsageError(
            "next", "invalid pagination token", "pass back the `next` value of the previous page unchanged"
        ) from e
    if "|" not in key:
        raise UsageError(
            "next", "invalid pagination token", "pass back the `next` value of the previous page unchanged"
        )
    return key


def page_clauses(flt: EventFilter, *, limit: int, after: str | None) -> list[ColumnElement[bool]]:
    """Conditions on events for one page of `limit` (+1) rows after the cursor `after`.

    Where the R*Tree answers the filter, the page's rowids are chosen inside it and only those rows are read;
    otherwise the filter's clauses plus the keyset bound. Raises UsageError for a bad cursor.
    """
    key = decode_cursor(after) if after else None
    geo = flt.geo_index
    if geo is not None and geo.answers(flt):
        return [literal_column("events.rowid").in_(geo.page_rowids(flt, limit=limit + 1, after=key))]
    c = flt.clauses()
    if key is not None:
        c.append(EventRow.sort_key < key)
    return c


def list_events(
    session: Session, flt: EventFilter | None = None, *, limit: int = 100, after: str | None = None
) -> tuple[list[Event], str | None]:
    """Events matching the filter, newest first (undated last), with a `next` token when more remain."""
    flt = (flt or EventFilter()).validate()
    stmt = select(EventRow).where(*page_clauses(flt, limit=limit, after=after))
    stmt = stmt.order_by(EventRow.sort_key.desc()).limit(limit + 1)
    rows = list(session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    events = [event_from_json(r.data) for r in rows]
    return events, (encode_cursor(rows[-1]) if more and rows else None)


def count_events(session: Session, flt: EventFilter | None = None, *, cap: int | None = None) -> int:
    """How many events match the filter; with `cap`, counting stops there (returns at most cap + 1).

    A capped count keeps listings fast on million-event stores: "more than 10,000" is all a page needs to say.
    """
    flt = (flt or EventFilter()).validate()
    geo = flt.geo_index
    if geo is not None and geo.answers(flt):  # the R*Tree alone: no events row is read
        hits = geo.matches(flt).add_columns(literal_column("1"))
        if cap is not None:
            hits = hits.limit(cap + 1)
        return int(session.scalar(select(func.count()).select_from(hits.subquery())) or 0)
    if cap is None:
        return int(session.scalar(select(func.count()).select_from(EventRow).where(*flt.clauses())) or 0)
    # SELECT 1, not the id: then SQLite counts from a covering index instead of reading the wide rows.
    inner = select(literal_column("1")).select_from(EventRow).where(*flt.clauses()).limit(cap + 1).subquery()
    return int(session.scalar(select(func.count()).select_from(inner)) or 0)


def find_event_id(session: Session, prefix: str) -> str:
    """Full event id from an id or unique prefix."""
    ids = list(session.scalars(select(EventRow.id).where(EventRow.id.startswith(prefix)).limit(2)))
    if not ids:
        raise NotFoundError(prefix, "no event with this id", "list events with `sitreps events`")
    if len(ids) > 1:
        raise UsageError(prefix, "id prefix matches several events", "give more characters of the id")
    return ids[0]


def get_event(session: Session, event_id: str) -> Event:
    """One event by id (rejected ones too)."""
    row = session.get(EventRow, event_id)
    if row is None:
        raise NotFoundError(event_id, "no event with this id", "list events with `sitreps events`")
    return event_from_json(row.data)


def count_unfused(session: Session) -> int:
    """Stored mentions that no event lists (fusion has not run over them yet)."""
    covered = select(EventMentionRow.mention_id)
    return int(session.scalar(select(func.count()).select_from(MentionRow).where(MentionRow.id.not_in(covered))) or 0)


def event_assignments(session: Session) -> dict[str, str]:
    """mention id → event id, as the last fusion left them."""
    return {m: e for e, m in session.execute(select(EventMentionRow.event_id, EventMentionRow.mention_id))}


def reviews_of(session: Session, event_id: str) -> list[dict[str, Any]]:
    """The audit log of one event, oldest first."""
    rows = session.scalars(select(ReviewRow).where(ReviewRow.event_id == event_id).order_by(ReviewRow.id))
    return [
        {
            "field": r.field,
            "old": r.old.get("value"),
            "new": r.new.get("value"),
            "who": r.who,
            "why": r.why,
            "at": r.at.isoformat(),
        }
        for r in rows
    ]


def event_tally(session: Session) -> list[tuple[str, str, bool, int]]:
    """(status, event_type, rejected, how many events) for every combination present: one pass over the
    ix_events_tally covering index (migration 0005), which on SQLite is on `coalesce(status, '')` (same value)."""
    status: Any = EventRow.status
    if session.get_bind().dialect.name == "sqlite":
        status = func.coalesce(EventRow.status, literal_column("''"))  # a literal, as in the index
    stmt = select(status, EventRow.event_type, EventRow.rejected, func.count()).group_by(
        status, EventRow.event_type, EventRow.rejected
    )
    return [(str(s), str(t), bool(r), int(n)) for s, t, r, n in session.execute(stmt)]


def stats(session: Session) -> dict[str, Any]:
    """Counts for `sitreps stats`."""

    def count(model: Any, *where: ColumnElement[bool]) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    dmin, dmax = session.execute(select(func.min(DocumentRow.published), func.max(DocumentRow.published))).one()
    by_type: dict[str, int] = defaultdict(int)
    by_status: dict[str, int] = defaultdict(int)
    live = rejected = 0
    for status, etype, is_rejected, n in event_tally(session):
        if is_rejected:
            rejected += n
            continue
        live += n
        by_type[etype] += n
        by_status[status] += n
    return {
        "documents": count(DocumentRow),
        "near_duplicates": count(DocumentRow, DocumentRow.duplicate_of.is_not(None)),
        "undated_documents": count(DocumentRow, DocumentRow.published.is_(None)),
        "outlets": count(OutletRow),
        "mentions": count(MentionRow),
        "events": live,
        "rejected_events": rejected,
        "actors": count(ActorRow),
        "places": count(PlaceRow),
        "published_from": dmin.isoformat() if dmin else None,
        "published_to": dmax.isoformat() if dmax else None,
        "events_by_type": {k: int(v) for k, v in sorted(by_type.items())},
        "events_by_status": {k: int(v) for k, v in sorted(by_status.items())},
    }


def event_links(session: Session) -> list[tuple[str, str]]:
    """Every (event id, mention id) link, so a caller can tell a mention listed by two events apart."""
    return [(e, m) for e, m in session.execute(select(EventMentionRow.event_id, EventMentionRow.mention_id))]
