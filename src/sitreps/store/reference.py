"""ACLED reference layer: country codes, plain event sentences, and the reference_events table with load/query."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Date, DateTime, Float, Index, Integer, String, Text, and_, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from sitreps.errors import InputError
from sitreps.model import Event
from sitreps.store.schema import Base

# --- countries -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Country:
    """A country as ACLED codes it: ISO 3166 numeric code, ISO3 for event ids, ACLED region name."""

    iso2: str
    iso3: str
    numeric: int
    name: str
    region: str


_COUNTRY_ROWS: tuple[tuple[str, str, int, str, str], ...] = (
    ("SY", "SYR", 760, "Syria", "Middle East"),
    ("IQ", "IRQ", 368, "Iraq", "Middle East"),
    ("TR", "TUR", 792, "Turkey", "Middle East"),
    ("LB", "LBN", 422, "Lebanon", "Middle East"),
    ("JO", "JOR", 400, "Jordan", "Middle East"),
    ("IL", "ISR", 376, "Israel", "Middle East"),
    ("PS", "PSE", 275, "Palestine", "Middle East"),
    ("YE", "YEM", 887, "Yemen", "Middle East"),
    ("SA", "SAU", 682, "Saudi Arabia", "Middle East"),
    ("IR", "IRN", 364, "Iran", "Middle East"),
    ("LY", "LBY", 434, "Libya", "Northern Africa"),
    ("EG", "EGY", 818, "Egypt", "Northern Africa"),
    ("SD", "SDN", 729, "Sudan", "Northern Africa"),
    ("SS", "SSD", 728, "South Sudan", "Eastern Africa"),
    ("SO", "SOM", 706, "Somalia", "Eastern Africa"),
    ("ET", "ETH", 231, "Ethiopia", "Eastern Africa"),
    ("KE", "KEN", 404, "Kenya", "Eastern Africa"),
    ("ML", "MLI", 466, "Mali", "Western Africa"),
    ("NE", "NER", 562, "Niger", "Western Africa"),
    ("BF", "BFA", 854, "Burkina Faso", "Western Africa"),
    ("NG", "NGA", 566, "Nigeria", "Western Africa"),
    ("TD", "TCD", 148, "Chad", "Middle Africa"),
    ("CF", "CAF", 140, "Central African Republic", "Middle Africa"),
    ("CD", "COD", 180, "Democratic Republic of Congo", "Middle Africa"),
    ("AF", "AFG", 4, "Afghanistan", "Caucasus and Central Asia"),
    ("PK", "PAK", 586, "Pakistan", "South Asia"),
    ("MM", "MMR", 104, "Myanmar", "Southeast Asia"),
    ("UA", "UKR", 804, "Ukraine", "Europe"),
    ("RU", "RUS", 643, "Russia", "Europe"),
    ("US", "USA", 840, "United States", "North America"),
)
COUNTRIES: dict[str, Country] = {r[0]: Country(*r) for r in _COUNTRY_ROWS}
"""ISO2 → Country, for the countries in the project's scope (others export with blank iso/region)."""
_BY_NAME: dict[str, Country] = {c.name.lower(): c for c in COUNTRIES.values()}


def country_by_name(name: str) -> Country | None:
    """The Country an ACLED `country` cell names (case-insensitive), or None outside the table."""
    return _BY_NAME.get(name.strip().lower())


# --- plain sentences -----------------------------------------------------------------------------

_VERBS: dict[str, str] = {
    "Armed clash": "clashed with",
    "Government regains territory": "regained territory from",
    "Non-state actor overtakes territory": "took territory from",
    "Air/drone strike": "carried out an air/drone strike on",
    "Shelling/artillery/missile attack": "shelled",
    "Remote explosive/landmine/IED": "hit with an explosive device",
    "Suicide bomb": "carried out a suicide bombing against",
    "Grenade": "threw a grenade at",
    "Chemical weapon": "used a chemical weapon against",
    "Attack": "attacked",
    "Abduction/forced disappearance": "abducted",
    "Sexual violence": "committed sexual violence against",
    "Arrests": "arrested",
    "Looting/property destruction": "looted or destroyed property of",
    "Agreement": "reached an agreement with",
}
_TYPE_VERBS: dict[str, str] = {
    "Battles": "fought",
    "Explosions/Remote violence": "attacked",
    "Violence against civilians": "attacked",
    "Protests": "protested against",
    "Riots": "rioted against",
    "Strategic developments": "acted against",
}
_MODAL: dict[str, str] = {
    "hedged": "reportedly ",
    "planned": "planned: ",
    "threatened": "threatened: ",
    "negated": "denied: ",
}


def format_period(start: date | None, end: date | None) -> str:
    """`14 January 2017`, `14–15 January 2017`, `30 January – 2 February 2017`: a date range as people write it."""
    if start is None:
        return "on an unknown date"
    if end is None or end == start:
        return f"on {start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"on {start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"between {start.day} {start:%B} and {end.day} {end:%B %Y}"
    return f"between {start.day} {start:%B %Y} and {end.day} {end:%B %Y}"


def _fatality_clause(e: Event) -> str:
    f = e.fatalities
    if f.best is None:
        return ""
    lo = f.min if f.min is not None else f.best
    hi = f.max if f.max is not None else f.best
    if lo != hi:
        return f"{lo}–{hi} killed (best estimate {f.best})"
    if f.best == 0:
        return "no fatalities reported"
    return f"{f.best} killed"


def describe_event(e: Event) -> str:
    """One plain sentence from the event's fields, so a reader (or ACLED's notes column) needs no codes.

    Example: "Islamic State fighters clashed with Military Forces of Syria in Deir ez-Zor on 14–15 January 2017;
    12–20 killed (best estimate 12)."
    """
    doer = e.actor1.name if e.actor1 else "unidentified actors"
    if e.actor1 and e.actor1.kind in ("rebel-group", "political-militia", "identity-militia"):
        doer = f"{doer} fighters"
    if e.actor2 is not None:
        verb = _VERBS.get(e.sub_event_type, _TYPE_VERBS.get(e.event_type, "acted against"))
        what = f"{verb} {e.actor2.name}"
    else:
        detail = e.sub_event_type.lower()
        if e.action:
            detail = f"{e.action.replace('-', ' ')} ({detail})"
        what = {
            "Battles": "were involved in fighting",
            "Explosions/Remote violence": f"carried out an attack ({e.sub_event_type.lower()})",
            "Protests": "protested",
            "Riots": "rioted",
        }.get(e.event_type, f"— {detail}")
    where = f" in {e.place.name}" if e.place and e.place.name else ""
    when = format_period(e.date.start if e.date else None, e.date.end if e.date else None)
    sentence = f"{_MODAL.get(e.modality, '')}{doer} {what}{where} {when}"
    fat = _fatality_clause(e)
    return sentence[0].upper() + sentence[1:] + (f"; {fat}." if fat else ".")


# --- table ---------------------------------------------------------------------------------------


class ReferenceEventRow(Base):
    """One event of a reference data set (ACLED), kept apart from sitreps' own events for comparison."""

    __tablename__ = "reference_events"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    """ACLED's event_id_cnty (e.g. SYR12345)."""
    source: Mapped[str] = mapped_column(String(40), index=True)
    event_date: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    time_precision: Mapped[int] = mapped_column(Integer)
    disorder_type: Mapped[str | None] = mapped_column(String(60))
    event_type: Mapped[str] = mapped_column(String(60))
    sub_event_type: Mapped[str | None] = mapped_column(String(80))
    actor1: Mapped[str | None] = mapped_column(Text)
    actor2: Mapped[str | None] = mapped_column(Text)
    inter1: Mapped[int | None] = mapped_column(Integer)
    inter2: Mapped[int | None] = mapped_column(Integer)
    country: Mapped[str] = mapped_column(Text)
    country_code: Mapped[str | None] = mapped_column(String(8))
    admin1: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    geo_precision: Mapped[int] = mapped_column(Integer)
    fatalities: Mapped[int] = mapped_column(Integer)
    sources: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    loaded_from: Mapped[str | None] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_reference_events_date", "event_date"),
        Index("ix_reference_events_latlon", "lat", "lon"),
    )


@dataclass(frozen=True, slots=True)
class ReferenceEvent:
    """A reference event as comparisons and listings read it."""

    id: str
    event_date: date
    time_precision: int
    event_type: str
    sub_event_type: str | None
    actor1: str | None
    actor2: str | None
    country: str
    country_code: str | None
    admin1: str | None
    location: str | None
    lat: float
    lon: float
    fatalities: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "event_date": self.event_date.isoformat(),
            "time_precision": self.time_precision,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "country": self.country,
            "admin1": self.admin1,
            "location": self.location,
            "lat": self.lat,
            "lon": self.lon,
            "fatalities": self.fatalities,
        }


# --- loading -------------------------------------------------------------------------------------

REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "event_type", "country", "latitude", "longitude")
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y", "%d %b %Y")


@dataclass(slots=True)
class ReferenceLoadReport:
    """What a load did: rows read, inserted, updated (same event_id_cnty), and one line per bad row."""

    path: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "failed": len(self.errors),
            "errors": self.errors,
        }


class _RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"column {column}: {reason}")
        self.column = column
        self.reason = reason


def _parse_date(value: str) -> date:
    v = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    raise _RowError("event_date", f"{value!r} is not a date (expected YYYY-MM-DD or '14 January 2017')")


def _float(row: dict[str, str | None], col: str, lo: float, hi: float) -> float:
    raw = (row.get(col) or "").strip()
    if not raw:
        raise _RowError(col, "empty")
    try:
        v = float(raw)
    except ValueError:
        raise _RowError(col, f"{raw!r} is not a number") from None
    if not math.isfinite(v) or not lo <= v <= hi:
        raise _RowError(col, f"{raw} is outside {lo:g}..{hi:g}")
    return v


def _int(row: dict[str, str | None], col: str, default: int | None) -> int | None:
    raw = (row.get(col) or "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        v = float(raw)
    except ValueError:
        v = math.nan
    if not v.is_integer():
        raise _RowError(col, f"{raw!r} is not a whole number")
    return int(v)


def _text(row: dict[str, str | None], col: str) -> str | None:
    v = (row.get(col) or "").strip()
    return v or None


def _row_values(row: dict[str, str | None], source: str, path: str, now: datetime) -> dict[str, object]:
    for col in REQUIRED_COLUMNS:
        if row.get(col) is None:
            raise _RowError(col, "missing (the row has fewer cells than the header)")
        if col not in ("latitude", "longitude") and not (row.get(col) or "").strip():
            raise _RowError(col, "empty")
    d = _parse_date(row["event_date"] or "")
    lat = _float(row, "latitude", -90, 90)
    lon = _float(row, "longitude", -180, 180)
    tp = _int(row, "time_precision", 1) or 1
    if tp not in (1, 2, 3):
        raise _RowError("time_precision", f"{tp} is not 1, 2 or 3")
    country = (row["country"] or "").strip()
    c = country_by_name(country)
    return {
        "id": (row["event_id_cnty"] or "").strip(),
        "source": source,
        "event_date": d,
        "year": _int(row, "year", d.year) or d.year,
        "time_precision": tp,
        "disorder_type": _text(row, "disorder_type"),
        "event_type": (row["event_type"] or "").strip(),
        "sub_event_type": _text(row, "sub_event_type"),
        "actor1": _text(row, "actor1"),
        "actor2": _text(row, "actor2"),
        "inter1": _int(row, "inter1", None),
        "inter2": _int(row, "inter2", None),
        "country": country,
        "country_code": c.iso2 if c else None,
        "admin1": _text(row, "admin1"),
        "location": _text(row, "location"),
        "lat": lat,
        "lon": lon,
        "geo_precision": _int(row, "geo_precision", 1) or 1,
        "fatalities": _int(row, "fatalities", 0) or 0,
        "sources": _text(row, "source"),
        "notes": _text(row, "notes"),
        "loaded_from": path,
        "loaded_at": now,
    }


def _chunks(rows: Iterator[dict[str, object]], n: int) -> Iterator[list[dict[str, object]]]:
    buf: list[dict[str, object]] = []
    for r in rows:
        buf.append(r)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf


def load_acled_csv(
    session: Session, path: str | Path, *, source: str = "acled", chunk: int = 2000
) -> ReferenceLoadReport:
    """Load an ACLED export into the reference layer; bad rows are reported (`file:row N: column X: reason`) and skipped.

    Loading is idempotent by `event_id_cnty`: a re-load updates rows in place, so a newer ACLED export of the same
    period refreshes the layer without duplicates. Row numbers count lines as a spreadsheet shows them (the header
    is row 1).

    Raises:
        InputError: the file cannot be read or lacks a required column in its header.
    """
    p = Path(path)
    rep = ReferenceLoadReport(str(p))
    now = datetime.now(UTC).replace(tzinfo=None)
    try:
        fh = p.open(newline="", encoding="utf-8-sig")
    except OSError as e:
        raise InputError(str(p), f"cannot open: {e.strerror or e}", "check the path and permissions") from e
    with fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise InputError(
                str(p),
                f"not an ACLED export: header lacks {', '.join(missing)}",
                "export from ACLED with the standard columns (event_id_cnty, event_date, event_type, country, latitude, longitude …)",
            )

        def good_rows() -> Iterator[dict[str, object]]:
            for n, row in enumerate(reader, start=2):
                rep.read += 1
                try:
                    yield _row_values(row, source, str(p), now)
                except _RowError as e:
                    rep.errors.append(f"{p}:row {n}: column {e.column}: {e.reason}")

        try:
            for batch in _chunks(good_rows(), chunk):
                by_id = {str(r["id"]): r for r in batch}  # a repeated id inside the file: the last row wins
                existing = {
                    r.id: r
                    for r in session.scalars(select(ReferenceEventRow).where(ReferenceEventRow.id.in_(list(by_id))))
                }
                for rid, values in by_id.items():
                    row = existing.get(rid)
                    if row is None:
                        session.add(ReferenceEventRow(**values))
                        rep.inserted += 1
                    else:
                        for k, v in values.items():
                            setattr(row, k, v)
                        rep.updated += 1
                session.commit()
        except csv.Error as e:
            session.rollback()
            raise InputError(f"{p}:row {reader.line_num}", f"unreadable CSV: {e}", "check quoting in that line") from e
        except BaseException:
            session.rollback()
            raise
    return rep


def list_reference(
    session: Session,
    *,
    source: str = "acled",
    since: date | None = None,
    until: date | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    country: str | None = None,
) -> list[ReferenceEvent]:
    """Reference events in a period and area (country as ISO2 code or ACLED's country name), oldest first."""
    t = ReferenceEventRow
    stmt = select(t).where(t.source == source)
    if since:
        stmt = stmt.where(t.event_date >= since)
    if until:
        stmt = stmt.where(t.event_date <= until)
    if bbox:
        w, s, e, n = bbox
        stmt = stmt.where(and_(t.lat >= s, t.lat <= n))
        stmt = stmt.where(and_(t.lon >= w, t.lon <= e) if w <= e else or_(t.lon >= w, t.lon <= e))
    if country:
        stmt = stmt.where(or_(t.country_code == country.upper(), t.country == country))
    stmt = stmt.order_by(t.event_date, t.id)
    return [
        ReferenceEvent(
            r.id,
            r.event_date,
            r.time_precision,
            r.event_type,
            r.sub_event_type,
            r.actor1,
            r.actor2,
            r.country,
            r.country_code,
            r.admin1,
            r.location,
            r.lat,
            r.lon,
            r.fatalities,
        )
        for r in session.scalars(stmt)
    ]


def count_reference(session: Session, *, source: str = "acled") -> int:
    """How many reference events of a source are loaded."""
    from sqlalchemy import func

    return int(
        session.scalar(select(func.count()).select_from(ReferenceEventRow).where(ReferenceEventRow.source == source))
        or 0
    )
