"""Country borders for static maps, decoded from the world-atlas TopoJSON the web page installs (no tiles, offline)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

WORLD_ATLAS = Path(__file__).resolve().parents[1] / "web" / "node_modules" / "world-atlas" / "countries-50m.json"
"""Natural Earth 1:50m countries as TopoJSON; present once `npm ci` has run in src/sitreps/web."""

Ring = list[tuple[float, float]]


@dataclass(frozen=True, slots=True)
class Country:
    """One country outline: a name and its polygons, each a list of rings of (lon, lat)."""

    name: str
    polygons: tuple[tuple[Ring, ...], ...]


def _decode_arcs(topo: dict[str, Any]) -> list[Ring]:
    """Absolute (lon, lat) points of every arc: undo the delta encoding and the quantisation transform."""
    tr = topo.get("transform")
    sx, sy = tr["scale"] if tr else (1.0, 1.0)
    tx, ty = tr["translate"] if tr else (0.0, 0.0)
    arcs: list[Ring] = []
    for arc in topo["arcs"]:
        x = y = 0.0
        pts: Ring = []
        for pos in arc:
            if tr:
                x += pos[0]
                y += pos[1]
                pts.append((x * sx + tx, y * sy + ty))
            else:
                pts.append((float(pos[0]), float(pos[1])))
        arcs.append(pts)
    return arcs


def _ring(arcs: list[Ring], indexes: list[int]) -> Ring:
    """Join arcs into a ring; a negative index ~i means arc i reversed, and shared end points are not repeated."""
    out: Ring = []
    for k in indexes:
        pts = arcs[k] if k >= 0 else arcs[~k][::-1]
        out.extend(pts[1:] if out else pts)
    return out


def decode_countries(topo: dict[str, Any], object_name: str = "countries") -> list[Country]:
    """Countries of a TopoJSON topology as polygons (Polygon and MultiPolygon geometries; others are skipped)."""
    arcs = _decode_arcs(topo)
    out: list[Country] = []
    for g in topo["objects"][object_name]["geometries"]:
        name = str((g.get("properties") or {}).get("name", g.get("id", "")))
        if g.get("type") == "Polygon":
            polys = [g["arcs"]]
        elif g.get("type") == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        out.append(Country(name, tuple(tuple(_ring(arcs, r) for r in poly) for poly in polys)))
    return out


@lru_cache(maxsize=2)
def load_countries(path: Path = WORLD_ATLAS) -> tuple[Country, ...] | None:
    """The decoded borders, or None when the file is missing (maps then draw a plain lat/lon frame and say so)."""
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return tuple(decode_countries(topo))
