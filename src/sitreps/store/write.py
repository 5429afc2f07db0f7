"""Idempotent saves: one document with its mentions per transaction; events replaced per fusion run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Select, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sitreps.model import Document, Event, Mention
from sitreps.store.schema import (
    ActorRow,
    DocumentRow,
    EventMentionRow,
    EventRow,
    MentionRow,
    OutletRow,
    PlaceRow,
)

SaveStatus = Literal["stored", "duplicate", "near-duplicate"]


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What happened to one document: stored, already stored (same id), or stored as a near-duplicate."""

    document_id: str
    status: SaveStatus
    n_mentions: int = 0
    duplicate_of: str | None = None
    similarity: float | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def document_exists(session: Session, document_id: str) -> bool:
    """True when a document with this id (hash of normalised text) is already stored."""
    return session.get(DocumentRow, document_id) is not None


def save_document(
    session: Session,
    document: Document,
    mentions: Sequence[Mention],
    *,
    duplicate_of: str | None = None,
    similarity: float | None = None,
    signature: bytes | None = None,
) -> SaveResult:
    """Store a document and its mentions atomically; re-saving the same document is a no-op.

    The caller's session must not hold other pending work: this commits (or rolls back) on its own so a
    crash can never leave a document without its mentions.
    """
    if document_exists(session, document.id):
        return SaveResult(document.id, "duplicate")
    try:
        if document.outlet:
            outlet = session.get(OutletRow, document.outlet)
            if outlet is None:
                session.add(OutletRow(name=document.outlet, domain=_domain(document.url), n_documents=1))
            else:
                outlet.n_documents += 1
            session.flush()  # the outlet row must exist before the document that refers to it
        session.add(
            DocumentRow(
                id=document.id,
                path=document.path,
                url=document.url,
                title=document.title,
                published=document.published,
                published_source=document.published_source,
                outlet=document.outlet,
                author=document.author,
                language=document.language,
                text=document.text,
                n_words=len(document.text.split()),
                duplicate_of=duplicate_of,
                similarity=similarity,
                signature=signature,
                ingested_at=_now(),
            )
        )
        session.flush()
        for m in mentions:
            _upsert_refs(session, m)
            session.add(_mention_row(m))
        session.commit()
    except IntegrityError:
        # Another writer stored the same document between our check and commit: that is "already stored".
        session.rollback()
        if document_exists(session, document.id):
            return SaveResult(document.id, "duplicate")
        raise
    except BaseException:
        session.rollback()
        raise
    status: SaveStatus = "near-duplicate" if duplicate_of else "stored"
    return SaveResult(document.id, status, len(mentions), duplicate_of, similarity)


def _domain(url: str | None) -> str | None:
    if not url or "://" not in url:
        return None
    host = url.split("://", 1)[1].split("/", 1)[0].lower()
    return host.removeprefix("www.")


def _upsert_refs(session: Session, m: Mention) -> None:
    """Keep actors and places tables filled with what mentions refer to (for listings)."""
    for a in (m.actor1, m.actor2):
        if a is not None and a.id and session.get(ActorRow, a.id) is None:
            session.add(ActorRow(id=a.id, name=a.name, kind=a.kind, country=a.country, side=a.side))
    p = m.place
    if p is not None and p.id and session.get(PlaceRow, p.id) is None:
        session.add(
            PlaceRow(id=p.id, name=p.name, lat=p.lat, lon=p.lon, country=p.country, admin1=p.admin1, kind=p.kind)
        )
        session.flush()


def _mention_row(m: Mention) -> MentionRow:
    data = m.to_json()
    data["document_id"] = m.document_id
    return MentionRow(
        id=m.id,
        document_id=m.document_id,
        event_type=m.event_type,
        sub_event_type=m.sub_event_type,
        action=m.action,
        actor1_id=m.actor1.id if m.actor1 else None,
        actor2_id=m.actor2.id if m.actor2 else None,
        place_id=m.place.id if m.place else None,
        lat=m.place.lat if m.place else None,
        lon=m.place.lon if m.place else None,
        date_start=m.date.start if m.date else None,
        date_end=m.date.end if m.date else None,
        fatalities=m.fatalities,
        modality=m.modality,
        confidence=m.confidence,
        evidence_start=m.evidence.start,
        evidence_end=m.evidence.end,
        data=data,
    )


def _search_text(e: Event) -> str:
    parts = [e.event_type, e.sub_event_type, e.action or ""]
    for a in (e.actor1, e.actor2):
        if a:
            parts += [a.name, a.text]
    if e.place:
        parts += [e.place.name, e.place.text]
    if e.evidence:
        parts.append(e.evidence.text)
    if e.attribution:
        parts.append(e.attribution)
    return " ".join(parts).lower()


def event_row_values(e: Event) -> dict[str, object]:
    """Flat filter columns plus the contract JSON of one event."""
    return {
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "action": e.action,
        "actor1_id": e.actor1.id if e.actor1 else None,
        "actor2_id": e.actor2.id if e.actor2 else None,
        "place_id": e.place.id if e.place else None,
        "place_name": e.place.name if e.place else None,
        "lat": e.place.lat if e.place else None,
        "lon": e.place.lon if e.place else None,
        "country": e.place.country if e.place else None,
        "date_start": e.date.start if e.date else None,
        "date_end": e.date.end if e.date else None,
        "fatalities_best": e.fatalities.best,
        "modality": e.modality,
        "n_mentions": e.n_mentions,
        "n_outlets": e.n_outlets,
        "n_sources": e.n_sources,
        "status": e.status,
        "confidence": e.confidence,
        "search_text": _search_text(e),
        "data": e.to_json(),
        "updated_at": _now(),
        "sort_key": sort_key(e),
    }


def sort_key(e: Event) -> str:
    """Listing order key: newest date first, undated last, ties by id (see EventRow.sort_key)."""
    start = e.date.start.isoformat() if e.date and e.date.start else "0000-00-00"
    return f"{start}|{e.id}"


_CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's bound-parameter limits


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def replace_events(
    session: Session,
    events: Iterable[Event],
    *,
    remove_missing: bool = True,
    remove: Iterable[str] = (),
) -> int:
    """Write fused events (insert or update by id), keeping analysts' reviewed fields; one transaction.

    Batched: stored ids and reviews are read in chunks, new events and links go in as bulk inserts, updates
    as one executemany, so a rebuild of 10k events costs a few statements, not 10k round trips.

    Args:
        events: the events to write (all of them when `remove_missing`, else only changed ones).
        remove_missing: delete stored events not in `events` (a full rebuild).
        remove: ids of events that no longer exist (an incremental fusion's dissolved events).

    Returns:
        how many events were written.
    """
    events = list(events)
    ids = [e.id for e in events]
    keep = set(ids)
    try:
        if remove_missing:
            stored = {eid: (rej, rev) for eid, rej, rev in session.execute(_state_query())}
        else:
            stored = {}
            for chunk in _chunks(sorted(keep | set(remove))):
                stored.update(
                    (eid, (rej, rev)) for eid, rej, rev in session.execute(_state_query().where(EventRow.id.in_(chunk)))
                )
        inserts: list[dict[str, object]] = []
        updates: list[dict[str, object]] = []
        for e in events:
            values = event_row_values(e)
            values["id"] = e.id
            if e.id not in stored:
                inserts.append({**values, "rejected": False, "reviewed": {}})
                continue
            rejected, reviewed = stored[e.id]
            if reviewed:
                row = EventRow(rejected=rejected, reviewed=reviewed, **values)
                apply_review(row)
                values = {c: getattr(row, c) for c in values} | {"rejected": row.rejected}
            updates.append(values)
        # Reviewed events survive a rebuild that no longer produces them: the analyst's word stands.
        gone_from = stored.keys() if remove_missing else remove
        gone = sorted(eid for eid in gone_from if eid in stored and eid not in keep and not stored[eid][1])
        for chunk in _chunks([*sorted(keep & stored.keys()), *gone]):
            session.execute(delete(EventMentionRow).where(EventMentionRow.event_id.in_(chunk)))
        for chunk in _chunks(gone):
            session.execute(delete(EventRow).where(EventRow.id.in_(chunk)))
        if inserts:
            session.execute(insert(EventRow), inserts)
        if updates:
            session.execute(update(EventRow), updates)
        links = [{"event_id": e.id, "mention_id": mid} for e in events for mid in sorted(set(e.mentions))]
        if links:
            session.execute(insert(EventMentionRow), links)
        session.commit()
        if len(events) >= 1000:
            refresh_statistics(session)
    except BaseException:
        session.rollback()
        raise
    return len(events)


def _state_query() -> Select[tuple[str, bool, dict[str, Any]]]:
    """What a write must know of a stored event: its id, whether it is rejected and the analyst's corrections."""
    return select(EventRow.id, EventRow.rejected, EventRow.reviewed)


def refresh_statistics(session: Session) -> None:
    """Let SQLite's planner know the table sizes, so listings walk the sort_key index instead of sorting.

    PostgreSQL's autovacuum does this by itself; SQLite only after ANALYZE (bounded here to stay quick).
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA analysis_limit=1000"))
        session.execute(text("ANALYZE"))
        session.commit()


def apply_review(row: EventRow) -> None:
    """Re-apply an analyst's corrections on top of freshly fused values (reviews always win)."""
    data = dict(row.data)
    for field, value in row.reviewed.items():
        if field == "rejected":
            row.rejected = bool(value)
            continue
        data[field] = value
        if field == "event_type":
            row.event_type = value
        elif field == "sub_event_type":
            row.sub_event_type = value
        elif field == "fatalities":
            row.fatalities_best = value.get("best") if isinstance(value, dict) else value
        elif field == "place" and isinstance(value, dict):
            row.place_id, row.place_name = value.get("id"), value.get("name")
            row.lat, row.lon, row.country = value.get("lat"), value.get("lon"), value.get("country")
        elif field == "date" and isinstance(value, dict):
            from datetime import date as _date

            row.date_start = _date.fromisoformat(value["start"]) if value.get("start") else None
            row.date_end = _date.fromisoformat(value["end"]) if value.get("end") else None
        elif field in ("actor1", "actor2") and isinstance(value, dict):
            setattr(row, f"{field}_id", value.get("id"))
    row.data = data
