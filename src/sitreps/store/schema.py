"""SQLAlchemy tables: persistence only; the API and CLI read them through `query` and convert to model types."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base; `Base.metadata` is what Alembic migrations mirror."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class OutletRow(Base):
    __tablename__ = "outlets"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    domain: Mapped[str | None] = mapped_column(String(200))
    n_documents: Mapped[int] = mapped_column(Integer, default=0)


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    path: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    published_source: Mapped[str | None] = mapped_column(String(40))
    outlet: Mapped[str | None] = mapped_column(ForeignKey("outlets.name"), index=True)
    author: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    n_words: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_of: Mapped[str | None] = mapped_column(ForeignKey("documents.id"), index=True)
    similarity: Mapped[float | None] = mapped_column(Float)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)


class ActorRow(Base):
    __tablename__ = "actors"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(String(8))
    side: Mapped[str | None] = mapped_column(String(80))


class PlaceRow(Base):
    __tablename__ = "places"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(8))
    admin1: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(40))


class MentionRow(Base):
    __tablename__ = "mentions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column(String(60))
    sub_event_type: Mapped[str] = mapped_column(String(80))
    action: Mapped[str | None] = mapped_column(String(60))
    actor1_id: Mapped[str | None] = mapped_column(String(120), index=True)
    actor2_id: Mapped[str | None] = mapped_column(String(120))
    place_id: Mapped[str | None] = mapped_column(String(80))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    fatalities: Mapped[int | None] = mapped_column(Integer)
    modality: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class EventRow(Base):
    __tablename__ = "events"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(60))
    """No index of its own: a handful of values; an equality on it lured SQLite's planner away from date ranges."""
    sub_event_type: Mapped[str] = mapped_column(String(80))
    action: Mapped[str | None] = mapped_column(String(60))
    actor1_id: Mapped[str | None] = mapped_column(String(120), index=True)
    actor2_id: Mapped[str | None] = mapped_column(String(120), index=True)
    place_id: Mapped[str | None] = mapped_column(String(80))
    place_name: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(8))
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    fatalities_best: Mapped[int | None] = mapped_column(Integer)
    modality: Mapped[str] = mapped_column(String(16))
    n_mentions: Mapped[int] = mapped_column(Integer)
    n_outlets: Mapped[int] = mapped_column(Integer)
    n_sources: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float)
    rejected: Mapped[bool] = mapped_column(Boolean, default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    reviewed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Fields an analyst corrected: field name → value; fusion never overwrites these."""
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    sort_key: Mapped[str] = mapped_column(String(60), index=True)
    """`<date_start or 0000-00-00>|<id>`: newest-first keyset pagination on one index in SQLite and PostgreSQL."""

    __table_args__ = (
        # Covering indexes: the timeline and map-cluster aggregations read these, never the wide JSON rows.
        # cover_time leads with date_start: with the span bound (EventFilter.span_days) a date filter is one
        # range scan, and bbox + type are checked inside the index before any row is read.
        Index(
            "ix_events_cover_time", "date_start", "event_type", "date_end", "rejected", "lat", "lon", "fatalities_best"
        ),
        Index(
            "ix_events_cover_geo", "lat", "lon", "event_type", "fatalities_best", "date_start", "date_end", "rejected"
        ),
    )


class EventMentionRow(Base):
    __tablename__ = "event_mentions"
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    mention_id: Mapped[str] = mapped_column(ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True, index=True)


class ReviewRow(Base):
    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(40), index=True)
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[dict[str, Any]] = mapped_column(JSON)
    new: Mapped[dict[str, Any]] = mapped_column(JSON)
    who: Mapped[str] = mapped_column(String(120))
    why: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)
