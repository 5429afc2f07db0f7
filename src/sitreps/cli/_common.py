"""Shared CLI plumbing: global options, settings, output as table or JSON, and the error → exit code boundary."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any

import typer
from rich.console import Console

from sitreps.config import Settings, load_settings
from sitreps.errors import SitrepsError, UsageError

# Pipes and files get wide tables (rich would assume 80 columns); terminals keep their own width.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True, width=None if sys.stderr.isatty() else 200)


@dataclass
class State:
    """What the root callback collected; settings are loaded lazily so `--help` stays instant."""

    config_file: str | None = None
    overrides: list[str] = field(default_factory=list)
    db: str | None = None
    debug: bool = False
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            over = list(self.overrides)
            if self.db:
                over.append(f"db={json.dumps(self.db)}")
            self._settings = load_settings(self.config_file, over)
        return self._settings


def state(ctx: typer.Context) -> State:
    """The State object of the root command."""
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State()
        ctx.find_root().obj = obj
    return obj


def print_json(data: Any) -> None:
    """One JSON document on stdout (dates as ISO strings)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def print_jsonl(rows: list[dict[str, Any]]) -> None:
    """JSON Lines on stdout, one object per line."""
    for r in rows:
        sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")


def report_error(e: SitrepsError) -> None:
    """`error: <input>: <reason>` and `hint: <fix>` on stderr."""
    err.print(f"[bold red]error:[/] {e.message}", markup=True)
    if e.hint:
        err.print(f"[yellow]hint:[/] {e.hint}", markup=True)


def exit_code_for(e: SitrepsError) -> int:
    """2 for usage errors, 1 for everything else."""
    return 2 if isinstance(e, UsageError) else 1


def open_sessions(st: State) -> Any:
    """A session factory on the configured store (migrated to the current schema)."""
    from sitreps.store import make_engine, session_factory

    return session_factory(make_engine(st.settings.db))


def parse_date_option(value: str | None, name: str) -> Any:
    """A YYYY-MM-DD option value as a date, or a usage error naming the option."""
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise UsageError(name, f"{value!r} is not a date", "write it as YYYY-MM-DD, e.g. 2017-01-23") from e


def make_filter(
    *,
    bbox: str | None = None,
    since: str | None = None,
    until: str | None = None,
    event_type: list[str] | None = None,
    sub_event_type: list[str] | None = None,
    action: list[str] | None = None,
    actor: list[str] | None = None,
    place: str | None = None,
    country: str | None = None,
    min_outlets: int | None = None,
    status: list[str] | None = None,
    modality: list[str] | None = None,
    min_confidence: float | None = None,
    q: str | None = None,
) -> Any:
    """The store's EventFilter from CLI option values (the same filter the API and exports use)."""
    from sitreps.store.query import EventFilter

    box = parse_bbox(bbox)
    return EventFilter(
        bbox=box,
        since=parse_date_option(since, "--since"),
        until=parse_date_option(until, "--until"),
        event_type=list(event_type or []),
        sub_event_type=list(sub_event_type or []),
        action=list(action or []),
        actor=list(actor or []),
        place=place,
        country=country,
        min_outlets=min_outlets,
        status=list(status or []),
        modality=list(modality or []),
        min_confidence=min_confidence,
        q=q,
    ).validate()


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """`min_lon,min_lat,max_lon,max_lat` as four floats, or a UsageError naming the option."""
    if value is None:
        return None
    parts = value.split(",")
    try:
        if len(parts) != 4:
            raise ValueError
        w, s, e, n = (float(p) for p in parts)
    except ValueError as ex:
        raise UsageError(
            "--bbox",
            f"{value!r} is not a bounding box",
            "give min_lon,min_lat,max_lon,max_lat, e.g. 39.9,35.1,40.4,35.5",
        ) from ex
    return (w, s, e, n)
