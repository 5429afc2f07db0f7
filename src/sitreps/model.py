"""Dataclasses shared by every room: Document, Mention, Event and their parts.

They are plain, typed values with no behaviour beyond (de)serialisation, so any
room can build or read them without importing another room.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

_Date = date  # alias: `date` is also a field name inside Mention/Event

Modality = Literal["asserted", "hedged", "negated", "planned", "threatened"]
MODALITIES: tuple[Modality, ...] = ("asserted", "hedged", "negated", "planned", "threatened")
GeoPrecision = Literal[1, 2, 3]
"""1 the place itself, 2 near / part of / small area, 3 region, province or country."""
TimePrecision = Literal[1, 2, 3, 4]
"""1 day, 2 a few days or a week, 3 month, 4 year (ACLED's time_precision plus year)."""
EventStatus = Literal["corroborated", "single-source", "disputed"]


def stable_id(*parts: object, length: int = 16) -> str:
    """Hash parts into a short hex id, so ids are reproducible across runs and machines."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


@dataclass(slots=True)
class Document:
    """One news report as ingested.

    `id` is the hash of the normalised text (see `sitreps.ingest.normalise`), so
    the same report read twice, from any source, has the same id.
    """

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None
    path: str | None = None
    """Where it was read from: a file path, `file:line` for batch rows, a URL or `-`."""
    published_source: str | None = None
    """How `published` was found: header, html-meta, field, user, or None when missing."""

    def to_json(self) -> dict[str, Any]:
        """The document header used in the output contract (no text)."""
        return {
            "path": self.path,
            "id": self.id,
            "published": self.published.isoformat() if self.published else None,
            "outlet": self.outlet,
            "title": self.title,
            "url": self.url,
        }


@dataclass(slots=True)
class ActorRef:
    """An actor as a mention names it, resolved to the KB when possible (`id` None when not)."""

    id: str | None
    name: str
    text: str
    kind: str = "unknown"
    side: str | None = None
    country: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "text": self.text, "kind": self.kind}


@dataclass(slots=True)
class Place:
    """A resolved (or unresolved, `id` None) place, with why it was chosen."""

    id: str | None
    name: str
    text: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geo_precision: int = 1
    kind: str | None = None
    """Feature kind: city, town, village, admin1, country, region, airport, base, site …"""
    reason: str = ""
    """How it was resolved: exact alias, normalised alias, fuzzy 93, context, dateline …"""
    start: int | None = None
    end: int | None = None
    """Character offsets of `text` in the document, when known."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "text": self.text,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "geo_precision": self.geo_precision,
            "kind": self.kind,
            "reason": self.reason,
        }


@dataclass(slots=True)
class DateInterval:
    """A normalised date: an inclusive interval with a precision and the rule that made it."""

    start: date | None
    end: date | None
    precision: int
    text: str | None = None
    rule: str = ""
    resolved: bool = True
    """False when a relative phrase could not be resolved (no publication date)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "text": self.text,
            "rule": self.rule,
            "resolved": self.resolved,
        }


@dataclass(slots=True)
class Span:
    """A piece of document text with its character offsets."""

    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Mention:
    """One event as one sentence of one document states it."""

    document_id: str
    event_type: str
    sub_event_type: str
    action: str | None
    trigger: Span
    evidence: Span
    actor1: ActorRef | None = None
    actor2: ActorRef | None = None
    place: Place | None = None
    date: DateInterval | None = None
    fatalities: int | None = None
    modality: Modality = "asserted"
    attribution: str | None = None
    confidence: float = 0.5
    place_text: str | None = None
    time_text: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = stable_id(self.document_id, self.trigger.start, self.trigger.end, self.event_type)

    def to_json(self, document: Document | None = None) -> dict[str, Any]:
        """The design.md output contract for one mention."""
        out: dict[str, Any] = {}
        if document is not None:
            out["document"] = document.to_json()
        out.update(
            {
                "id": self.id,
                "event_type": self.event_type,
                "sub_event_type": self.sub_event_type,
                "action": self.action,
                "trigger": self.trigger.to_json(),
                "actor1": self.actor1.to_json() if self.actor1 else None,
                "actor2": self.actor2.to_json() if self.actor2 else None,
                "place": self.place.to_json() if self.place else None,
                "date": self.date.to_json() if self.date else None,
                "fatalities": self.fatalities,
                "modality": self.modality,
                "attribution": self.attribution,
                "evidence": self.evidence.to_json(),
                "confidence": round(self.confidence, 3),
            }
        )
        return out


@dataclass(slots=True)
class Fatalities:
    """Fatality figures across an event's mentions: best estimate and the range claimed."""

    best: int | None
    min: int | None
    max: int | None
    by_mention: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"best": self.best, "min": self.min, "max": self.max}


@dataclass(slots=True)
class Event:
    """One real-world happening fused from one or more mentions."""

    id: str
    event_type: str
    sub_event_type: str
    action: str | None
    actor1: ActorRef | None
    actor2: ActorRef | None
    place: Place | None
    date: DateInterval | None
    fatalities: Fatalities
    modality: Modality
    mentions: list[str]
    documents: list[str]
    outlets: list[str]
    n_mentions: int
    n_outlets: int
    n_sources: int
    status: EventStatus
    confidence: float
    first_reported: _Date | None = None
    attribution: str | None = None
    evidence: Span | None = None
    disagreements: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The design.md output contract for one fused event."""
        return {
            "id": self.id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "action": self.action,
            "actor1": self.actor1.to_json() if self.actor1 else None,
            "actor2": self.actor2.to_json() if self.actor2 else None,
            "place": self.place.to_json() if self.place else None,
            "date": self.date.to_json() if self.date else None,
            "fatalities": self.fatalities.to_json(),
            "modality": self.modality,
            "attribution": self.attribution,
            "evidence": self.evidence.to_json() if self.evidence else None,
            "confidence": round(self.confidence, 3),
            "mentions": self.mentions,
            "documents": self.documents,
            "outlets": self.outlets,
            "n_mentions": self.n_mentions,
            "n_outlets": self.n_outlets,
            "n_sources": self.n_sources,
            "status": self.status,
            "first_reported": self.first_reported.isoformat() if self.first_reported else None,
            "disagreements": self.disagreements,
        }


def as_dict(obj: Any) -> dict[str, Any]:
    """dataclasses.asdict, re-exported so rooms need not import dataclasses for it."""
    return asdict(obj)


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def actor_from_json(d: dict[str, Any] | None) -> ActorRef | None:
    """Inverse of ActorRef.to_json (side and country are not in the contract)."""
    if d is None:
        return None
    return ActorRef(
        id=d.get("id"),
        name=d.get("name") or d.get("text") or "",
        text=d.get("text") or "",
        kind=d.get("kind") or "unknown",
    )


def place_from_json(d: dict[str, Any] | None) -> Place | None:
    """Inverse of Place.to_json."""
    if d is None:
        return None
    return Place(
        id=d.get("id"),
        name=d.get("name") or "",
        text=d.get("text") or "",
        lat=d.get("lat"),
        lon=d.get("lon"),
        country=d.get("country"),
        admin1=d.get("admin1"),
        geo_precision=int(d.get("geo_precision") or 1),
        kind=d.get("kind"),
        reason=d.get("reason") or "",
    )


def date_from_json(d: dict[str, Any] | None) -> DateInterval | None:
    """Inverse of DateInterval.to_json."""
    if d is None:
        return None
    return DateInterval(
        start=_d(d.get("start")),
        end=_d(d.get("end")),
        precision=int(d.get("precision") or 2),
        text=d.get("text"),
        rule=d.get("rule") or "",
        resolved=bool(d.get("resolved", True)),
    )


def span_from_json(d: dict[str, Any]) -> Span:
    """Inverse of Span.to_json."""
    return Span(text=d["text"], start=int(d["start"]), end=int(d["end"]))


def mention_from_json(d: dict[str, Any], document_id: str | None = None) -> Mention:
    """Rebuild a Mention from its contract JSON (as stored in the database)."""
    return Mention(
        id=d.get("id") or "",
        document_id=document_id or d.get("document_id") or (d.get("document") or {}).get("id", ""),
        event_type=d["event_type"],
        sub_event_type=d["sub_event_type"],
        action=d.get("action"),
        trigger=span_from_json(d.get("trigger") or d["evidence"]),
        evidence=span_from_json(d["evidence"]),
        actor1=actor_from_json(d.get("actor1")),
        actor2=actor_from_json(d.get("actor2")),
        place=place_from_json(d.get("place")),
        date=date_from_json(d.get("date")),
        fatalities=d.get("fatalities"),
        modality=d.get("modality", "asserted"),
        attribution=d.get("attribution"),
        confidence=float(d.get("confidence", 0.5)),
    )


def event_from_json(d: dict[str, Any]) -> Event:
    """Rebuild an Event from its contract JSON (as stored in the database)."""
    f = d.get("fatalities") or {}
    ev = d.get("evidence")
    return Event(
        id=d["id"],
        event_type=d["event_type"],
        sub_event_type=d["sub_event_type"],
        action=d.get("action"),
        actor1=actor_from_json(d.get("actor1")),
        actor2=actor_from_json(d.get("actor2")),
        place=place_from_json(d.get("place")),
        date=date_from_json(d.get("date")),
        fatalities=Fatalities(best=f.get("best"), min=f.get("min"), max=f.get("max")),
        modality=d.get("modality", "asserted"),
        mentions=list(d.get("mentions", [])),
        documents=list(d.get("documents", [])),
        outlets=list(d.get("outlets", [])),
        n_mentions=int(d.get("n_mentions", 0)),
        n_outlets=int(d.get("n_outlets", 0)),
        n_sources=int(d.get("n_sources", 0)),
        status=d.get("status", "single-source"),
        confidence=float(d.get("confidence", 0.0)),
        first_reported=_d(d.get("first_reported")),
        attribution=d.get("attribution"),
        evidence=span_from_json(ev) if ev else None,
        disagreements=list(d.get("disagreements", [])),
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine): one definition for geocoding, reports, comparison and evaluation."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
