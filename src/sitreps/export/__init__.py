"""Exports of the event log: ACLED-compatible CSV, GeoJSON, JSON Lines and Parquet, streamed page by page."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy.orm import Session

from sitreps.errors import UsageError
from sitreps.export.result import ExportResult
from sitreps.export.stream import atomic_output, check_writable, iter_events
from sitreps.model import Event
from sitreps.store.query import EventFilter

FORMATS: tuple[str, ...] = ("acled-csv", "geojson", "jsonl", "parquet")
_BINARY = {"parquet"}


def _writer(fmt: str) -> Callable[[Iterable[Event], Any], ExportResult]:
    if fmt == "acled-csv":
        from sitreps.export.acled_csv import write_acled_csv

        return write_acled_csv
    if fmt == "geojson":
        from sitreps.export.geojson import write_geojson

        return write_geojson
    if fmt == "jsonl":
        from sitreps.export.jsonl import write_jsonl

        return write_jsonl
    from sitreps.export.parquet import write_parquet

    return write_parquet


def check_format(fmt: str) -> str:
    """The format name, or a UsageError listing the valid choices."""
    if fmt not in FORMATS:
        raise UsageError("--format", f"unknown export format {fmt!r}", f"choose from {', '.join(FORMATS)}")
    return fmt


def export_events(
    session: Session,
    fmt: str,
    *,
    flt: EventFilter | None = None,
    path: str | Path | None = None,
    stream: IO[str] | None = None,
    page_size: int = 1000,
) -> ExportResult:
    """Export every event matching `flt` in `fmt` to `path` (atomically) or to `stream` (stdout by default).

    Raises:
        UsageError: unknown format, invalid filter, unwritable path, or Parquet asked for without a path.
    """
    check_format(fmt)
    flt = (flt or EventFilter()).validate()
    write = _writer(fmt)
    if path is None:
        if fmt in _BINARY:
            raise UsageError("--output", "Parquet is binary and needs a file", "add -o events.parquet")
        res = write(iter_events(session, flt, page_size=page_size), stream or sys.stdout)
        return res
    check_writable(path)
    with atomic_output(path, "wb" if fmt in _BINARY else "w") as fh:
        res = write(iter_events(session, flt, page_size=page_size), cast(Any, fh))
    res.path = str(path)
    return res


__all__ = ["FORMATS", "ExportResult", "check_format", "export_events", "iter_events"]
