"""Report charts as PNG bytes: a static map of the area (offline borders, no tiles) and a daily timeline by type."""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import matplotlib

matplotlib.use("Agg")  # headless: reports are made on servers and in CI

from matplotlib import dates as mdates
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as MplPolygon
from matplotlib.ticker import MaxNLocator

from sitreps.report.borders import WORLD_ATLAS, load_countries
from sitreps.report.sitrep import EVENT_TYPES, Sitrep

COLOURS: dict[str, str] = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9",
    "Riots": "#16a085",
    "Strategic developments": "#7f8c8d",
}
"""One colour per event type, the same in the map, the timeline and the HTML legend."""
_OTHER = "#34495e"
_DPI = 150


def colour(event_type: str) -> str:
    """The colour of an event type (a dark grey for types outside the ontology)."""
    return COLOURS.get(event_type, _OTHER)


@dataclass(slots=True)
class Charts:
    """PNG bytes of the map and the timeline, and notes on how they were drawn."""

    map_png: bytes
    timeline_png: bytes
    notes: list[str] = field(default_factory=list)


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return buf.getvalue()


def _extent(rep: Sitrep) -> tuple[float, float, float, float]:
    """min_lon, min_lat, max_lon, max_lat shown on the map: the area's box, else the events' spread, padded."""
    if rep.area.bbox is not None:
        w, s, e, n = rep.area.bbox
    else:
        pts = [
            (ev.place.lon, ev.place.lat)
            for ev in rep.events
            if ev.place and ev.place.lat is not None and ev.place.lon is not None
        ]
        if not pts:
            return (-180.0, -60.0, 180.0, 80.0)
        lons = [p[0] for p in pts if p[0] is not None]
        lats = [p[1] for p in pts if p[1] is not None]
        w, e, s, n = min(lons), max(lons), min(lats), max(lats)
    span = max(e - w, n - s, 0.5)
    pad = span * 0.12
    cx, cy = (w + e) / 2, (s + n) / 2
    half = span / 2 + pad
    return (cx - half, max(-90.0, cy - half), cx + half, min(90.0, cy + half))


def map_png(rep: Sitrep) -> tuple[bytes, list[str]]:
    """The area with country borders and events as dots coloured by type, sized by fatalities."""
    notes: list[str] = []
    w, s, e, n = _extent(rep)
    fig, ax = plt.subplots(figsize=(5.6, 5.0))
    ax.set_facecolor("#dfe9f2")
    countries = load_countries(WORLD_ATLAS)
    if countries is None:
        notes.append(f"Map drawn without borders: {WORLD_ATLAS} is missing (run `npm ci` in src/sitreps/web).")
        ax.set_facecolor("white")
        ax.grid(True, color="#cccccc", linewidth=0.5)
    else:
        for c in countries:
            for poly in c.polygons:
                if not poly or not poly[0]:
                    continue
                xs = [p[0] for p in poly[0]]
                ys = [p[1] for p in poly[0]]
                if max(xs) < w - 5 or min(xs) > e + 5 or max(ys) < s - 5 or min(ys) > n + 5:
                    continue
                ax.add_patch(MplPolygon(poly[0], closed=True, facecolor="#f7f5ef", edgecolor="#8a8a8a", linewidth=0.6))
                cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
                if w < cx < e and s < cy < n and (max(xs) - min(xs)) > (e - w) * 0.15:
                    ax.text(cx, cy, c.name.upper(), fontsize=7, color="#9a9a9a", ha="center", va="center", alpha=0.8)
    if rep.area.centre is not None and rep.area.radius_km is not None:
        lat0, lon0 = rep.area.centre
        r_lat = rep.area.radius_km / 111.32
        r_lon = rep.area.radius_km / (111.32 * max(0.05, math.cos(math.radians(lat0))))
        ts = [i / 60 * 2 * math.pi for i in range(61)]
        ax.plot([lon0 + r_lon * math.cos(t) for t in ts], [lat0 + r_lat * math.sin(t) for t in ts],
                color="#34495e", linewidth=0.8, linestyle="--")  # fmt: skip
    by_type: dict[str, list[tuple[float, float, int]]] = {}
    for ev in rep.events:
        if ev.place is None or ev.place.lat is None or ev.place.lon is None:
            continue
        by_type.setdefault(ev.event_type, []).append((ev.place.lon, ev.place.lat, ev.fatalities.best or 0))
    order = [t for t in EVENT_TYPES if t in by_type] + sorted(t for t in by_type if t not in EVENT_TYPES)
    for t in order:
        pts = by_type[t]
        sizes = [28 + 14 * math.sqrt(f) for _, _, f in pts]
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=sizes, c=colour(t), alpha=0.75,
                   edgecolors="white", linewidths=0.6, label=f"{t} ({len(pts)})", zorder=3)  # fmt: skip
    ax.set_xlim(w, e)
    ax.set_ylim(s, n)
    mid = math.radians((s + n) / 2)
    ax.set_aspect(1 / max(0.05, math.cos(mid)))
    ax.tick_params(labelsize=7, colors="#555555")
    for spine in ax.spines.values():
        spine.set_color("#999999")
    if order:
        ax.legend(loc="lower left", fontsize=7, frameon=True, framealpha=0.9)
    else:
        ax.text(0.5, 0.5, "No events in this period", transform=ax.transAxes, ha="center", color="#666666")
    return _png(fig), notes


def timeline_png(rep: Sitrep) -> bytes:
    """Events per day by type, stacked, over the whole period (days without events show as gaps)."""
    days = [rep.period.since + timedelta(days=i) for i in range(rep.period.days)]
    counts: dict[str, Counter[Any]] = {}
    for ev in rep.events:
        if ev.date is None or ev.date.start is None:
            continue
        d = min(max(ev.date.start, rep.period.since), rep.period.until)
        counts.setdefault(ev.event_type, Counter())[d] += 1
    fig, ax = plt.subplots(figsize=(9.0, 1.9))
    bottom = [0] * len(days)
    order = [t for t in EVENT_TYPES if t in counts] + sorted(t for t in counts if t not in EVENT_TYPES)
    for t in order:
        vals = [counts[t][d] for d in days]
        ax.bar(days, vals, bottom=bottom, color=colour(t), width=0.8, label=t)  # type: ignore[arg-type]
        bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
    ax.set_ylabel("events per day", fontsize=8, color="#444444")
    ax.tick_params(labelsize=7, colors="#555555")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.autofmt_xdate(rotation=0, ha="center")
    loc = mdates.AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))  # type: ignore[no-untyped-call]
    if order:
        ax.legend(fontsize=7, frameon=False, ncol=min(3, len(order)), loc="lower left", bbox_to_anchor=(0, 1.0))
    if not any(bottom):
        ax.set_ylim(0, 1)
    return _png(fig)


def make_charts(rep: Sitrep) -> Charts:
    """Both charts for a report."""
    m, notes = map_png(rep)
    return Charts(m, timeline_png(rep), notes)
