"""GeoJSON export: an RFC 7946 FeatureCollection of Point features, streamed feature by feature."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from sitreps.export.result import ExportResult
from sitreps.model import Event


def feature(e: Event) -> dict[str, Any] | None:
    """One event as a Feature ([lon, lat] per RFC 7946); None when it has no coordinates."""
    if e.place is None or e.place.lat is None or e.place.lon is None:
        return None
    props = e.to_json()
    place = dict(props["place"])
    place.pop("lat", None)
    place.pop("lon", None)
    props["place"] = place
    return {
        "type": "Feature",
        "id": e.id,
        "geometry": {"type": "Point", "coordinates": [e.place.lon, e.place.lat]},
        "properties": props,
    }


def write_geojson(events: Iterable[Event], out: IO[str]) -> ExportResult:
    """Write a FeatureCollection; events without coordinates are omitted and counted in a `sitreps` foreign member.

    The collection is written piece by piece, so memory stays flat however many events there are.
    """
    res = ExportResult("geojson")
    out.write('{"type": "FeatureCollection", "features": [\n')
    for e in events:
        f = feature(e)
        if f is None:
            res.skipped += 1
            continue
        out.write((",\n" if res.written else "") + json.dumps(f, ensure_ascii=False))
        res.written += 1
    if res.skipped:
        res.notes.append(f"{res.skipped} event(s) without coordinates omitted")
    meta = {"omitted_without_coordinates": res.skipped, "notes": res.notes}
    out.write('\n], "sitreps": ' + json.dumps(meta) + "}\n")
    return res
