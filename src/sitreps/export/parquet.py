"""Parquet export: flat, typed columns (dates as date32, lists as list<string>) for pandas, Polars and DuckDB."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from sitreps.export.result import ExportResult
from sitreps.model import Event

_STR = pa.string()
_LIST = pa.list_(pa.string())
SCHEMA = pa.schema(
    [
        ("id", _STR),
        ("event_type", _STR),
        ("sub_event_type", _STR),
        ("action", _STR),
        ("actor1_id", _STR),
        ("actor1_name", _STR),
        ("actor1_kind", _STR),
        ("actor2_id", _STR),
        ("actor2_name", _STR),
        ("actor2_kind", _STR),
        ("place_id", _STR),
        ("place_name", _STR),
        ("country", _STR),
        ("admin1", _STR),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("geo_precision", pa.int8()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("time_precision", pa.int8()),
        ("fatalities_best", pa.int32()),
        ("fatalities_min", pa.int32()),
        ("fatalities_max", pa.int32()),
        ("modality", _STR),
        ("attribution", _STR),
        ("confidence", pa.float64()),
        ("n_mentions", pa.int32()),
        ("n_outlets", pa.int32()),
        ("n_sources", pa.int32()),
        ("status", _STR),
        ("first_reported", pa.date32()),
        ("evidence", _STR),
        ("mentions", _LIST),
        ("documents", _LIST),
        ("outlets", _LIST),
        ("disagreements", _LIST),
    ]
)


def flat(e: Event) -> dict[str, Any]:
    """One event as a flat record matching SCHEMA."""
    a1, a2, p, d = e.actor1, e.actor2, e.place, e.date
    return {
        "id": e.id,
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "action": e.action,
        "actor1_id": a1.id if a1 else None,
        "actor1_name": a1.name if a1 else None,
        "actor1_kind": a1.kind if a1 else None,
        "actor2_id": a2.id if a2 else None,
        "actor2_name": a2.name if a2 else None,
        "actor2_kind": a2.kind if a2 else None,
        "place_id": p.id if p else None,
        "place_name": p.name if p else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "geo_precision": p.geo_precision if p else None,
        "date_start": d.start if d else None,
        "date_end": d.end if d else None,
        "time_precision": d.precision if d else None,
        "fatalities_best": e.fatalities.best,
        "fatalities_min": e.fatalities.min,
        "fatalities_max": e.fatalities.max,
        "modality": e.modality,
        "attribution": e.attribution,
        "confidence": round(e.confidence, 3),
        "n_mentions": e.n_mentions,
        "n_outlets": e.n_outlets,
        "n_sources": e.n_sources,
        "status": e.status,
        "first_reported": e.first_reported,
        "evidence": e.evidence.text if e.evidence else None,
        "mentions": list(e.mentions),
        "documents": list(e.documents),
        "outlets": list(e.outlets),
        "disagreements": list(e.disagreements),
    }


def write_parquet(events: Iterable[Event], out: IO[bytes], *, row_group: int = 10_000) -> ExportResult:
    """Write events in row groups of `row_group`, so only one group is ever held in memory."""
    res = ExportResult("parquet")
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(out, SCHEMA, compression="zstd") as w:
        for e in events:
            batch.append(flat(e))
            if len(batch) >= row_group:
                w.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
                res.written += len(batch)
                batch = []
        if batch or res.written == 0:
            w.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
            res.written += len(batch)
    return res
