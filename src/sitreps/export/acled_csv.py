"""ACLED-compatible CSV: ACLED's columns, order and codes, so existing ACLED notebooks read sitreps output unchanged."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable
from typing import IO

from sitreps.export.result import ExportResult
from sitreps.model import ActorRef, Event
from sitreps.store.reference import COUNTRIES, describe_event

COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

INTER_CODES: dict[str, int] = {
    "state-forces": 1,
    "government": 1,
    "rebel-group": 2,
    "political-militia": 3,
    "unidentified-armed-group": 3,
    "identity-militia": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external-forces": 8,
    "international-organisation": 8,
}
"""Actor kind → ACLED inter code (0 means no actor; kinds not listed count as 8, external/other)."""

DISORDER: dict[str, str] = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Demonstrations",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


def inter_code(actor: ActorRef | None) -> int:
    """ACLED's inter code for an actor (0 when there is none)."""
    if actor is None:
        return 0
    return INTER_CODES.get(actor.kind, 8)


def interaction(i1: int, i2: int) -> int:
    """ACLED's interaction: both codes sorted into a two-digit number (12), or 10 × code for a sole actor (10)."""
    if i1 == 0 or i2 == 0:
        return max(i1, i2) * 10
    lo, hi = sorted((i1, i2))
    return lo * 10 + hi


def event_id_cnty(e: Event) -> str:
    """ISO3 of the country (XXX when unknown) and a stable number from the event id, as ACLED's SYR12345."""
    cc = e.place.country if e.place else None
    c = COUNTRIES.get(cc or "")
    prefix = c.iso3 if c else (cc or "XXX").upper()
    return f"{prefix}{int(e.id[:12], 16) % 10**9}" if _is_hex(e.id[:12]) else f"{prefix}{e.id}"


def _is_hex(s: str) -> bool:
    return bool(s) and all(ch in "0123456789abcdefABCDEF" for ch in s)


def row(e: Event, *, timestamp: int) -> dict[str, object] | None:
    """One event as an ACLED row; None for undated events (ACLED rows always carry a date)."""
    if e.date is None or e.date.start is None:
        return None
    d = e.date.start
    i1, i2 = inter_code(e.actor1), inter_code(e.actor2)
    p = e.place
    c = COUNTRIES.get(p.country or "") if p else None
    tags = ["sitreps:" + e.status, f"n_outlets={e.n_outlets}"]
    if e.modality != "asserted":
        tags.append(f"modality={e.modality}")
    return {
        "event_id_cnty": event_id_cnty(e),
        "event_date": d.isoformat(),
        "year": d.year,
        "time_precision": min(e.date.precision, 3),
        "disorder_type": DISORDER.get(e.event_type, ""),
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "actor1": e.actor1.name if e.actor1 else "",
        "assoc_actor_1": "",
        "inter1": i1,
        "actor2": e.actor2.name if e.actor2 else "",
        "assoc_actor_2": "",
        "inter2": i2,
        "interaction": interaction(i1, i2),
        "civilian_targeting": "Civilian targeting" if e.actor2 is not None and e.actor2.kind == "civilians" else "",
        "iso": c.numeric if c else "",
        "region": c.region if c else "",
        "country": c.name if c else (p.country or "" if p else ""),
        "admin1": (p.admin1 or "") if p else "",
        "admin2": "",
        "admin3": "",
        "location": p.name if p else "",
        "latitude": p.lat if p and p.lat is not None else "",
        "longitude": p.lon if p and p.lon is not None else "",
        "geo_precision": min(p.geo_precision, 3) if p else 3,
        "source": "; ".join(e.outlets),
        "source_scale": "Other",
        "notes": describe_event(e),
        "fatalities": e.fatalities.best or 0,
        "tags": "; ".join(tags),
        "timestamp": timestamp,
    }


def write_acled_csv(events: Iterable[Event], out: IO[str], *, timestamp: int | None = None) -> ExportResult:
    """Write events as ACLED rows; undated events are left out and counted (ACLED has no undated rows)."""
    ts = int(time.time()) if timestamp is None else timestamp
    res = ExportResult("acled-csv")
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for e in events:
        r = row(e, timestamp=ts)
        if r is None:
            res.skipped += 1
            continue
        w.writerow(r)
        res.written += 1
    if res.skipped:
        res.notes.append(f"{res.skipped} undated event(s) left out")
    return res
