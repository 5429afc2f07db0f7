"""Request and response models of the JSON API, kept apart from the store's tables."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class ActorOut(_Out):
    id: str | None
    name: str
    text: str
    kind: str = "unknown"


class PlaceOut(_Out):
    id: str | None
    name: str
    text: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geo_precision: int = 1


class DateOut(_Out):
    start: str | None
    end: str | None
    precision: int
    text: str | None = None


class FatalitiesOut(_Out):
    best: int | None
    min: int | None
    max: int | None


class SpanOut(_Out):
    text: str
    start: int
    end: int


class EventOut(_Out):
    """One fused event in the design.md output contract."""

    id: str
    event_type: str
    sub_event_type: str
    action: str | None
    actor1: ActorOut | None
    actor2: ActorOut | None
    place: PlaceOut | None
    date: DateOut | None
    fatalities: FatalitiesOut
    modality: str
    attribution: str | None
    evidence: SpanOut | None
    confidence: float
    mentions: list[str]
    documents: list[str]
    outlets: list[str]
    n_mentions: int
    n_outlets: int
    n_sources: int
    status: str
    first_reported: str | None
    disagreements: list[str]
    reviewed: list[str] = Field(default_factory=list, description="Fields an analyst corrected.")
    rejected: bool = False


class EventPage(BaseModel):
    """A page of events; pass `next` back as `cursor` for the following page (null on the last page)."""

    events: list[EventOut]
    next: str | None
    count: int | None = Field(
        description="How many events match the filters in all (up to 10,000); first page only, null when paging."
    )
    count_capped: bool = Field(False, description="True when more events match than `count` says.")


class Highlight(BaseModel):
    """A span to highlight inside a mention's evidence sentence (offsets relative to the evidence)."""

    kind: Literal["trigger", "actor1", "actor2", "place", "date", "fatalities"]
    start: int
    end: int


class MentionOut(_Out):
    """A mention with its document header, as an event's evidence."""

    id: str
    event_type: str
    sub_event_type: str
    evidence: SpanOut
    trigger: SpanOut
    highlights: list[Highlight]
    document_id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None


class ReviewLogOut(BaseModel):
    field: str
    old: Any
    new: Any
    who: str
    why: str
    at: str


class EventDetail(BaseModel):
    """An event with everything the evidence drawer shows."""

    event: EventOut
    mentions: list[MentionOut]
    documents: list[dict[str, Any]]
    outlets: list[str]
    disagreements: list[str]
    reviews: list[ReviewLogOut]


class DocumentOut(BaseModel):
    """A document's text and every mention's offsets into it."""

    id: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    path: str | None
    duplicate_of: str | None
    similarity: float | None
    text: str
    mentions: list[dict[str, Any]]


class DocumentIn(BaseModel):
    """One report to ingest through the whole pipeline."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=1_000_000)
    title: str | None = Field(None, max_length=1000)
    published: date | None = None
    outlet: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000, pattern=r"^https?://")


class IngestOut(BaseModel):
    """What happened to a posted document and how many events exist after fusion."""

    status: str
    document_id: str | None
    n_mentions: int
    duplicate_of: str | None
    reason: str | None
    events_written: int
    events_total: int
    events: list[str] = Field(description="Ids of events that this document supports.")


class ActorChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, max_length=120)
    name: str = Field(min_length=1, max_length=300)
    kind: str = Field("unknown", max_length=40)


class PlaceChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, max_length=80)
    name: str = Field(min_length=1, max_length=300)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    country: str | None = Field(None, max_length=8)
    admin1: str | None = Field(None, max_length=200)
    geo_precision: Literal[1, 2, 3] = 1


class DateChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: date
    end: date | None = None
    precision: Literal[1, 2, 3, 4] = 1


class Changes(BaseModel):
    """Fields an analyst may correct; a field left out is unchanged, an explicit null clears it."""

    model_config = ConfigDict(extra="forbid")

    event_type: str | None = Field(None, max_length=60)
    sub_event_type: str | None = Field(None, max_length=80)
    actor1: ActorChange | None = None
    actor2: ActorChange | None = None
    place: PlaceChange | None = None
    date: DateChange | None = None
    fatalities: int | None = Field(None, ge=0, le=1_000_000)
    rejected: bool | None = None


class ReviewIn(BaseModel):
    """An analyst's correction: what changes, who made it and why (all kept in the audit log)."""

    model_config = ConfigDict(extra="forbid")

    changes: Changes
    who: str = Field(min_length=1, max_length=120)
    why: str = Field(min_length=1, max_length=2000)


class ReviewOut(BaseModel):
    event: EventOut
    reviews: list[ReviewLogOut]
    changed: list[str]


class CountRow(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    name: str
    n_events: int


class Listing(BaseModel):
    """A simple listing (actors, places, outlets, documents)."""

    items: list[dict[str, Any]]
    count: int


class TimelineBucket(BaseModel):
    start: str
    end: str
    total: int
    counts: dict[str, int]


class Timeline(BaseModel):
    interval: Literal["day", "week"]
    types: list[str]
    buckets: list[TimelineBucket]
    undated: int


class Cluster(BaseModel):
    lat: float
    lon: float
    count: int
    fatalities: int
    top_type: str
    counts: dict[str, int]
    bbox: tuple[float, float, float, float]


class Clusters(BaseModel):
    zoom: int
    cell_degrees: float
    clusters: list[Cluster]
    total: int
    unlocated: int


class Meta(BaseModel):
    name: str
    version: str
    counts: dict[str, Any]
    tile_url: str
    writable: bool
    event_types: dict[str, list[str]]
    modalities: list[str]
    statuses: list[str]
    max_limit: int
    cluster_below_zoom: int
