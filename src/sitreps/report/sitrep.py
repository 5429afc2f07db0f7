"""Situation report data: the area and period, headline figures, key developments, claims, actors and sources."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sitreps.errors import UsageError
from sitreps.model import Event, Place, distance_km
from sitreps.store.query import EventFilter, list_events, mentions_of
from sitreps.store.reference import COUNTRIES, describe_event, format_period
from sitreps.store.schema import DocumentRow, EventRow, PlaceRow

EVENT_TYPES: tuple[str, ...] = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)
TYPE_WEIGHT: dict[str, float] = {
    "Battles": 3.0,
    "Explosions/Remote violence": 3.0,
    "Violence against civilians": 3.5,
    "Riots": 1.5,
    "Protests": 1.0,
    "Strategic developments": 1.2,
}
"""How much an event of each type weighs when ranking key developments (violence against people first)."""

_KM_PER_DEG = 111.32


# --- area ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Area:
    """Where a report looks: a circle around a place, a bounding box, a country and/or a first-level area."""

    label: str
    bbox: tuple[float, float, float, float] | None = None
    country: str | None = None
    admin1: str | None = None
    centre: tuple[float, float] | None = None
    """(lat, lon) of the place a radius is measured from."""
    radius_km: float | None = None

    def event_filter(self, since: date | None, until: date | None) -> EventFilter:
        """The store-side part of the area (bbox, country) plus the period; `contains` does the rest."""
        return EventFilter(bbox=self.bbox, country=self.country, since=since, until=until)

    def contains(self, e: Event) -> bool:
        """Exact checks SQL cannot do cheaply: distance from the centre, first-level area name."""
        if self.admin1 is not None and (e.place is None or (e.place.admin1 or "").lower() != self.admin1.lower()):
            return False
        if self.centre is not None and self.radius_km is not None:
            if e.place is None or e.place.lat is None or e.place.lon is None:
                return False
            return distance_km(self.centre[0], self.centre[1], e.place.lat, e.place.lon) <= self.radius_km
        return True


def _geo_resolver() -> Callable[[str], Place | None] | None:
    """`sitreps.geo`'s resolve(name) when the gazetteer room is importable, else None (store places are used)."""
    try:
        from sitreps.geo.resolve import resolve
    except ImportError:
        return None
    return resolve


def _store_place(session: Session, name: str) -> Place | None:
    row = session.scalars(select(PlaceRow).where(func.lower(PlaceRow.name) == name.strip().lower()).limit(1)).first()
    if row is None or row.lat is None or row.lon is None:
        return None
    return Place(row.id, row.name, name, row.lat, row.lon, row.country, row.admin1, 1, row.kind, "store")


def closest_names(session: Session, name: str, *, limit: int = 5) -> list[str]:
    """Known place names nearest in spelling to `name`: places in the store first, then the gazetteer."""
    from rapidfuzz import fuzz, process

    names: list[str] = sorted(
        {n for n in session.scalars(select(PlaceRow.name)) if n}
        | {n for n in session.scalars(select(EventRow.place_name).distinct()) if n}
    )
    out: list[str] = [m for m, score, _ in process.extract(name, names, scorer=fuzz.WRatio, limit=limit) if score >= 50]
    try:
        from sitreps.geo.resolve import default_gazetteer

        gaz_names = default_gazetteer().index.names
        for m, _score, _ in process.extract(name, gaz_names, scorer=fuzz.WRatio, limit=limit * 2):
            if m not in out:
                out.append(m)
    except Exception:  # suggestions are a courtesy: a missing gazetteer must not hide the real error
        pass
    return out[:limit]


def resolve_area(
    session: Session,
    *,
    place: str | None = None,
    radius_km: float = 25.0,
    bbox: tuple[float, float, float, float] | None = None,
    country: str | None = None,
    admin1: str | None = None,
    resolver: Callable[[str], Place | None] | None = None,
) -> Area:
    """Turn the area options into an Area.

    Raises:
        UsageError: several of place/bbox given, a bad radius, or a place name nobody knows (the hint lists the
            closest known names).
    """
    if place and bbox:
        raise UsageError("--place/--bbox", "give either a place or a bounding box", "drop one of them")
    if radius_km <= 0:
        raise UsageError("--radius-km", f"{radius_km} is not a positive distance", "e.g. --radius-km 25")
    cc = country.upper() if country else None
    if place:
        resolve = resolver or _geo_resolver()
        p = _store_place(session, place)
        if p is None and resolve is not None:
            p = resolve(place)
        if p is None or p.lat is None or p.lon is None:
            near = closest_names(session, place)
            hint = f"closest known names: {', '.join(near)}" if near else "check the spelling, or use --bbox"
            raise UsageError("--place", f"unknown place {place!r}", hint)
        dlat = radius_km / _KM_PER_DEG
        dlon = radius_km / (_KM_PER_DEG * max(0.05, math.cos(math.radians(p.lat))))
        box = (max(-180.0, p.lon - dlon), max(-90.0, p.lat - dlat), min(180.0, p.lon + dlon), min(90.0, p.lat + dlat))
        where = f", {p.country}" if p.country else ""
        return Area(f"{p.name}{where} (within {radius_km:g} km)", box, cc, admin1, (p.lat, p.lon), radius_km)
    parts: list[str] = []
    if admin1:
        parts.append(admin1)
    if cc:
        parts.append(COUNTRIES[cc].name if cc in COUNTRIES else cc)
    if bbox:
        w, south, e, n = bbox
        parts.append(f"{_deg(south, 'N', 'S')}–{_deg(n, 'N', 'S')}, {_deg(w, 'E', 'W')}–{_deg(e, 'E', 'W')}")
    return Area(", ".join(parts) or "All areas", bbox, cc, admin1)


def _deg(v: float, pos: str, neg: str) -> str:
    return f"{abs(v):.2f}°{pos if v >= 0 else neg}"


# --- period --------------------------------------------------------------------------------------

_LAST = re.compile(r"^\s*(\d+)\s*([dwm])\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of days."""

    since: date
    until: date

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def previous(self) -> Period:
        """The period of equal length just before this one (for the change figures)."""
        return Period(self.since - timedelta(days=self.days), self.since - timedelta(days=1))

    @property
    def label(self) -> str:
        return (
            format_period(self.since, self.until).removeprefix("on ").removeprefix("between ").replace(" and ", " – ")
        )


def parse_last(value: str) -> int:
    """`7d`, `2w`, `1m` as a number of days (a month counts 30)."""
    m = _LAST.match(value)
    if not m or int(m.group(1)) <= 0:
        raise UsageError("--last", f"{value!r} is not a period", "write e.g. 7d, 2w or 1m")
    return int(m.group(1)) * {"d": 1, "w": 7, "m": 30}[m.group(2).lower()]


def latest_event_date(session: Session) -> date | None:
    """The end date of the most recent event in the store (the default end of a report period)."""
    d = session.scalar(select(func.max(EventRow.date_end)).where(EventRow.rejected.is_(False)))
    return d if isinstance(d, date) else None


def make_period(
    session: Session, *, since: date | None = None, until: date | None = None, last: str | None = None
) -> Period:
    """The report period from --since/--until/--last; without an end it ends at the latest event (else today).

    Defaulting to the latest event keeps a report of an archive (e.g. January 2017) useful without dates.
    """
    if last and since:
        raise UsageError("--last/--since", "give either --last or --since", "drop one of them")
    end = until or latest_event_date(session) or datetime.now(UTC).date()
    if since is None:
        since = end - timedelta(days=(parse_last(last) if last else 7) - 1)
    if since > end:
        raise UsageError("--since/--until", f"since {since} is after until {end}", "swap the dates")
    return Period(since, end)


# --- report content ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Citation:
    """An outlet that reported an event, and when."""

    outlet: str
    published: date | None
    title: str | None = None
    url: str | None = None

    @property
    def label(self) -> str:
        return f"{self.outlet}, {self.published:%d %b %Y}" if self.published else self.outlet


@dataclass(slots=True)
class KeyItem:
    """One key development: the event, its plain sentence, its citations and why it ranks where it does."""

    event: Event
    sentence: str
    citations: list[Citation]
    score: float


@dataclass(slots=True)
class Claim:
    """An event to treat with care: why, and who claims what."""

    event: Event
    sentence: str
    reasons: list[str]
    claims: list[str]


@dataclass(slots=True)
class ActorLine:
    """What one actor did in the area: events as initiator by type, and how often it was the target."""

    name: str
    kind: str
    n_events: int
    as_actor1: dict[str, int]
    as_actor2: int

    @property
    def did(self) -> str:
        parts = [f"{t} ({n})" for t, n in sorted(self.as_actor1.items(), key=lambda kv: (-kv[1], kv[0]))]
        if self.as_actor2:
            parts.append(f"target in {self.as_actor2} event{'s' if self.as_actor2 > 1 else ''}")
        return "; ".join(parts)


@dataclass(slots=True)
class SourceLine:
    """An outlet used in the report: documents it published about the area and events it supports."""

    outlet: str
    n_documents: int
    n_events: int


@dataclass(slots=True)
class TypeLine:
    """Events of one type now and in the previous period."""

    event_type: str
    n: int
    previous: int
    fatalities: int

    @property
    def change(self) -> str:
        return change_label(self.n, self.previous)


def change_label(now: int, before: int) -> str:
    """`+3 (+50%)`, `−2 (−40%)`, `no change`, or `+4 (new)` when there were none before."""
    d = now - before
    if d == 0:
        return "no change"
    sign = "+" if d > 0 else "−"
    if before == 0:
        return f"{sign}{abs(d)} (new)"
    return f"{sign}{abs(d)} ({sign}{abs(d) / before:.0%})"


@dataclass(slots=True)
class Sitrep:
    """Everything a rendered report shows; built once from store queries, rendered many ways."""

    title: str
    area: Area
    period: Period
    generated_at: datetime
    events: list[Event]
    previous_events: int
    by_type: list[TypeLine]
    fatalities_best: int
    fatalities_min: int
    fatalities_max: int
    previous_fatalities: int
    key: list[KeyItem] = field(default_factory=list)
    care: list[Claim] = field(default_factory=list)
    actors: list[ActorLine] = field(default_factory=list)
    sources: list[SourceLine] = field(default_factory=list)
    n_documents: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.events

    @property
    def n_events(self) -> int:
        return len(self.events)

    @property
    def change(self) -> str:
        return change_label(self.n_events, self.previous_events)

    @property
    def fatalities_change(self) -> str:
        return change_label(self.fatalities_best, self.previous_fatalities)

    @property
    def cited_event_ids(self) -> list[str]:
        return [k.event.id for k in self.key] + [c.event.id for c in self.care]


def area_events(session: Session, area: Area, period: Period, *, page_size: int = 500) -> Iterator[Event]:
    """Events in the area and period (rejected ones excluded), page by page."""
    flt = area.event_filter(period.since, period.until)
    after: str | None = None
    while True:
        page, after = list_events(session, flt, limit=page_size, after=after)
        yield from (e for e in page if area.contains(e))
        if after is None:
            return


def significance(e: Event) -> float:
    """Rank key developments: type weight × fatalities (log) × corroboration (log) × confidence; hedging halves it."""
    score = TYPE_WEIGHT.get(e.event_type, 1.0)
    score *= 1 + math.log1p(max(0, e.fatalities.best or 0))
    score *= 1 + 0.5 * math.log1p(max(0, e.n_outlets - 1))
    score *= 0.5 + 0.5 * max(0.0, min(1.0, e.confidence))
    if e.modality != "asserted":
        score *= 0.5
    return score


def _documents(session: Session, ids: set[str]) -> dict[str, DocumentRow]:
    out: dict[str, DocumentRow] = {}
    todo = sorted(ids)
    for i in range(0, len(todo), 500):
        for row in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(todo[i : i + 500]))):
            out[row.id] = row
    return out


def _citations(e: Event, docs: dict[str, DocumentRow]) -> list[Citation]:
    """One citation per outlet (its earliest report), independent originals before near-duplicates."""
    best: dict[str, Citation] = {}
    for did in e.documents:
        d = docs.get(did)
        if d is None:
            continue
        outlet = d.outlet or "unknown outlet"
        c = Citation(outlet, d.published, d.title, d.url)
        old = best.get(outlet)
        if old is None or (c.published and (old.published is None or c.published < old.published)):
            best[outlet] = c
    if not best:
        best = {o: Citation(o, None) for o in e.outlets}
    return sorted(best.values(), key=lambda c: (c.published or date.max, c.outlet))


def _claims(session: Session, e: Event) -> list[str]:
    """`Outlet (date): attribution — N killed — "evidence"` for each mention of a questionable event."""
    lines: list[str] = []
    for m, d in mentions_of(session, e.mentions)[:6]:
        who = m.attribution or "unattributed"
        when = f", {d.published:%d %b %Y}" if d.published else ""
        parts = [f"{d.outlet or 'unknown outlet'}{when}: according to {who}"]
        if m.modality != "asserted":
            parts.append(m.modality)
        if m.fatalities is not None:
            parts.append(f"{m.fatalities} killed")
        text = m.evidence.text.strip()
        if len(text) > 220:
            text = text[:217].rstrip() + "…"
        parts.append(f"“{text}”")
        lines.append(" — ".join(parts))
    return lines


def build_sitrep(
    session: Session,
    area: Area,
    period: Period,
    *,
    top: int = 8,
    max_claims: int = 10,
    now: datetime | None = None,
) -> Sitrep:
    """Gather the report's content from store queries (no rendering here)."""
    events = list(area_events(session, area, period))
    counted = [e for e in events if e.modality != "negated"]
    previous = [e for e in area_events(session, area, period.previous()) if e.modality != "negated"]
    now = now or datetime.now(UTC).replace(microsecond=0)

    n_now = Counter(e.event_type for e in counted)
    n_before = Counter(e.event_type for e in previous)
    fat_by_type: Counter[str] = Counter()
    for e in counted:
        fat_by_type[e.event_type] += e.fatalities.best or 0
    types = [t for t in EVENT_TYPES if n_now[t] or n_before[t]] + sorted(
        t for t in set(n_now) | set(n_before) if t not in EVENT_TYPES
    )
    rep = Sitrep(
        title=f"Situation report: {area.label}",
        area=area,
        period=period,
        generated_at=now,
        events=events,
        previous_events=len(previous),
        by_type=[TypeLine(t, n_now[t], n_before[t], fat_by_type[t]) for t in types],
        fatalities_best=sum(e.fatalities.best or 0 for e in counted),
        fatalities_min=sum(
            e.fatalities.min if e.fatalities.min is not None else (e.fatalities.best or 0) for e in counted
        ),
        fatalities_max=sum(
            e.fatalities.max if e.fatalities.max is not None else (e.fatalities.best or 0) for e in counted
        ),
        previous_fatalities=sum(e.fatalities.best or 0 for e in previous),
    )
    if not events:
        return rep
    docs = _documents(session, {d for e in events for d in e.documents})
    rep.n_documents = len(docs)

    ranked = sorted(
        counted, key=lambda e: (-significance(e), e.date.start if e.date and e.date.start else date.max, e.id)
    )
    rep.key = [KeyItem(e, describe_event(e), _citations(e, docs), round(significance(e), 2)) for e in ranked[:top]]

    careful = [e for e in events if e.status != "corroborated" or e.modality != "asserted" or e.disagreements]
    careful.sort(key=lambda e: -significance(e))
    for e in careful[:max_claims]:
        reasons = []
        if e.status == "single-source":
            reasons.append("single source")
        if e.status == "disputed":
            reasons.append("disputed")
        if e.modality != "asserted":
            reasons.append(e.modality)
        reasons += e.disagreements
        rep.care.append(Claim(e, describe_event(e), reasons, _claims(session, e)))
    if len(careful) > max_claims:
        rep.notes.append(f"{len(careful) - max_claims} more events to treat with care are not listed")

    acts: dict[str, ActorLine] = {}
    per_actor_events: defaultdict[str, set[str]] = defaultdict(set)
    for e in counted:
        for role, a in ((1, e.actor1), (2, e.actor2)):
            if a is None:
                continue
            key = a.id or a.name
            line = acts.setdefault(key, ActorLine(a.name, a.kind, 0, {}, 0))
            per_actor_events[key].add(e.id)
            if role == 1:
                line.as_actor1[e.event_type] = line.as_actor1.get(e.event_type, 0) + 1
            else:
                line.as_actor2 += 1
    for key, line in acts.items():
        line.n_events = len(per_actor_events[key])
    rep.actors = sorted(acts.values(), key=lambda a: (-a.n_events, a.name))

    doc_count: Counter[str] = Counter(d.outlet or "unknown outlet" for d in docs.values())
    ev_count: Counter[str] = Counter(o for e in events for o in set(e.outlets))
    rep.sources = [
        SourceLine(o, doc_count[o], ev_count[o])
        for o in sorted(set(doc_count) | set(ev_count), key=lambda o: (-doc_count[o], -ev_count[o], o))
    ]
    undated = sum(1 for e in events if e.date is None or e.date.start is None)
    if undated:
        rep.notes.append(f"{undated} event(s) have no date")
    return rep
