"""Document routes: list, one document with every mention's offsets, and ingest of one posted report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from sitreps.api.deps import SessionDep, StateDep, WriterDep
from sitreps.api.errors import ApiError
from sitreps.api.evidence import highlights
from sitreps.api.schemas import DocumentIn, DocumentOut, IngestOut, Listing
from sitreps.errors import NotFoundError, UsageError
from sitreps.store.query import find_document_id, get_document, list_documents
from sitreps.store.schema import EventMentionRow

router = APIRouter(prefix="/api/v1", tags=["documents"])

DocIdPath = Annotated[str, Path(min_length=4, max_length=40, pattern=r"^[0-9A-Za-z_-]+$")]


def _resolve(session: Session, document_id: str) -> str:
    try:
        return find_document_id(session, document_id)
    except NotFoundError as e:
        raise ApiError(
            404,
            "document_not_found",
            f"no document with id {document_id!r}",
            hint="list documents with GET /api/v1/documents",
        ) from e
    except UsageError as e:
        raise ApiError(400, "ambiguous_id", e.message, hint=e.hint) from e


@router.get("/documents", response_model=Listing)
def documents_list(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """Stored documents, newest first (undated last), with their mention counts."""
    docs = [d.to_json() for d in list_documents(session, limit=limit, offset=offset, outlet=outlet or None)]
    return {"items": docs, "count": len(docs)}


@router.get("/documents/{document_id}", response_model=DocumentOut)
def document_detail(session: SessionDep, document_id: DocIdPath) -> dict[str, Any]:
    """A document's full text and every mention with its evidence and trigger offsets into that text."""
    doc, mentions, summary = get_document(session, _resolve(session, document_id))
    links = select(EventMentionRow.mention_id, EventMentionRow.event_id).where(
        EventMentionRow.mention_id.in_([m.id for m in mentions])
    )
    events: dict[str, str] = {str(mid): str(eid) for mid, eid in session.execute(links).tuples()}
    out_mentions = []
    for m in mentions:
        data = m.to_json()
        data["highlights"] = highlights(m)
        data["event_id"] = events.get(m.id)
        out_mentions.append(data)
    return {
        "id": doc.id,
        "title": doc.title,
        "published": doc.published.isoformat() if doc.published else None,
        "outlet": doc.outlet,
        "url": doc.url,
        "path": doc.path,
        "duplicate_of": summary.duplicate_of,
        "similarity": summary.similarity,
        "text": doc.text,
        "mentions": out_mentions,
    }


@router.post("/documents", response_model=IngestOut, status_code=201, dependencies=[WriterDep])
def document_ingest(state: StateDep, body: DocumentIn) -> dict[str, Any]:
    """Ingest one report through the whole pipeline (extract, store, re-fuse); re-posting the same text is a no-op."""
    from sitreps.pipeline import make_document
    from sitreps.runner import Ingestor

    doc = make_document(body.text, published=body.published, outlet=body.outlet, title=body.title)
    doc.url = body.url
    doc.path = body.url or "api"
    doc.published_source = "user" if body.published else None
    settings = state.settings
    with state.ingest_lock:  # fusion rebuilds all events: one ingest at a time
        ingestor = Ingestor(
            state.sessions,
            nlp=state.nlp_loader(),
            batch_size=1,
            near_duplicate_threshold=settings.ingest.near_duplicate_threshold,
            fuse_window_days=settings.fuse.window_days,
            fuse_max_km=settings.fuse.max_km,
        )
        report = ingestor.run([doc])
    [outcome] = report.outcomes
    if outcome.status == "failed":
        raise ApiError(400, "ingest_failed", outcome.reason or "the document could not be ingested", hint=outcome.hint)
    with state.sessions() as s:
        _doc, mentions, _summary = get_document(s, doc.id)
        ids = [m.id for m in mentions]
        events = sorted(
            set(s.scalars(select(EventMentionRow.event_id).where(EventMentionRow.mention_id.in_(ids))))
            if ids
            else set()
        )
    return {
        "status": outcome.status,
        "document_id": outcome.document_id,
        "n_mentions": outcome.n_mentions or len(ids),
        "duplicate_of": outcome.duplicate_of,
        "reason": outcome.reason,
        "events_written": report.events_written,
        "events_total": report.events_total,
        "events": events,
    }
