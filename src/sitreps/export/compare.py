"""Compare sitreps events with a reference layer (ACLED): one-to-one matches, recall, precision and misses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from sitreps.export.stream import iter_events
from sitreps.model import Event, distance_km
from sitreps.store.query import EventFilter
from sitreps.store.reference import ReferenceEvent, list_reference

FAMILIES: dict[str, str] = {
    "Battles": "armed",
    "Explosions/Remote violence": "armed",
    "Violence against civilians": "civilians",
    "Protests": "demonstrations",
    "Riots": "demonstrations",
    "Strategic developments": "strategic",
}
"""Event type → family. Battles and remote violence share one: coders split a shelled front line either way."""

_PRECISION_DAYS = {1: 0, 2: 3, 3: 15}
"""ACLED time_precision → half-width in days of the interval the date stands for (day, week, month)."""


def family(event_type: str) -> str:
    """The comparison family of an event type (the type itself when unknown)."""
    return FAMILIES.get(event_type, event_type)


@dataclass(frozen=True, slots=True)
class Match:
    """A reference event and the sitreps event paired with it."""

    reference_id: str
    event_id: str
    km: float
    day_gap: int

    def to_json(self) -> dict[str, object]:
        return {
            "reference": self.reference_id,
            "event": self.event_id,
            "km": round(self.km, 1),
            "day_gap": self.day_gap,
        }


@dataclass(slots=True)
class Comparison:
    """The outcome of a comparison; recall = matched / reference events, precision = matched / sitreps events."""

    n_reference: int
    n_sitreps: int
    matches: list[Match] = field(default_factory=list)
    misses: list[ReferenceEvent] = field(default_factory=list)
    extras: list[Event] = field(default_factory=list)
    km: float = 25.0
    days: int = 1

    @property
    def recall(self) -> float | None:
        return len(self.matches) / self.n_reference if self.n_reference else None

    @property
    def precision(self) -> float | None:
        return len(self.matches) / self.n_sitreps if self.n_sitreps else None

    def to_json(self) -> dict[str, object]:
        r, p = self.recall, self.precision
        return {
            "reference_events": self.n_reference,
            "sitreps_events": self.n_sitreps,
            "matched": len(self.matches),
            "recall": round(r, 4) if r is not None else None,
            "precision": round(p, 4) if p is not None else None,
            "km": self.km,
            "days": self.days,
            "matches": [m.to_json() for m in self.matches],
            "misses": [m.to_json() for m in self.misses],
            "not_in_reference": [
                {
                    "id": e.id,
                    "event_type": e.event_type,
                    "date": e.date.start.isoformat() if e.date and e.date.start else None,
                    "place": e.place.name if e.place else None,
                }
                for e in self.extras
            ],
        }


def _day_gap(ref: ReferenceEvent, e: Event, window: int) -> int | None:
    """Days between the two date intervals (0 when they overlap), None when further apart than allowed."""
    if e.date is None or e.date.start is None:
        return None
    half = _PRECISION_DAYS.get(ref.time_precision, 0)
    r0, r1 = ref.event_date - timedelta(days=half), ref.event_date + timedelta(days=half)
    s0, s1 = e.date.start, e.date.end or e.date.start
    gap = max((s0 - r1).days, (r0 - s1).days, 0)
    return gap if gap <= window else None


def compare_events(
    reference: list[ReferenceEvent], events: list[Event], *, km: float = 25.0, days: int = 1
) -> Comparison:
    """Pair reference and sitreps events one-to-one: same family, within `km`, dates overlapping within `days`.

    Candidate pairs are taken greedily from the closest (in days, then km), so each event is used once and a
    dense cluster of events cannot all claim the same reference event.
    """
    cands: list[tuple[int, float, str, str]] = []
    by_id = {e.id: e for e in events}
    for r in reference:
        fam = family(r.event_type)
        for e in events:
            if family(e.event_type) != fam or e.place is None or e.place.lat is None or e.place.lon is None:
                continue
            d = distance_km(r.lat, r.lon, e.place.lat, e.place.lon)
            if d > km:
                continue
            gap = _day_gap(r, e, days)
            if gap is None:
                continue
            cands.append((gap, d, r.id, e.id))
    cands.sort()
    used_r: set[str] = set()
    used_e: set[str] = set()
    out = Comparison(len(reference), len(events), km=km, days=days)
    for gap, d, rid, eid in cands:
        if rid in used_r or eid in used_e:
            continue
        used_r.add(rid)
        used_e.add(eid)
        out.matches.append(Match(rid, eid, d, gap))
    out.misses = [r for r in reference if r.id not in used_r]
    out.extras = [by_id[i] for i in by_id if i not in used_e]
    return out


def compare_with_reference(
    session: Session,
    *,
    source: str = "acled",
    since: date | None = None,
    until: date | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    country: str | None = None,
    km: float = 25.0,
    days: int = 1,
) -> Comparison:
    """Compare the stored events and the reference layer over the same period and area."""
    flt = EventFilter(bbox=bbox, since=since, until=until, country=country).validate()
    reference = list_reference(session, source=source, since=since, until=until, bbox=bbox, country=country)
    events = list(iter_events(session, flt))
    return compare_events(reference, events, km=km, days=days)
