"""JSON Lines export: the design.md output contract, one fused event per line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from sitreps.export.result import ExportResult
from sitreps.model import Event


def write_jsonl(events: Iterable[Event], out: IO[str]) -> ExportResult:
    """Write each event's contract JSON on its own line (readable back with `sitreps.model.event_from_json`)."""
    n = 0
    for e in events:
        out.write(json.dumps(e.to_json(), ensure_ascii=False) + "\n")
        n += 1
    return ExportResult("jsonl", n)
