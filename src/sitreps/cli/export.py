"""`sitreps export`, `sitreps import-acled` and `sitreps compare`: the event log out, and ACLED in for comparison."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table

from sitreps.cli._common import err, make_filter, open_sessions, out, parse_bbox, parse_date_option, print_json, state
from sitreps.errors import UsageError


def export_cmd(
    ctx: typer.Context,
    format_: Annotated[str, typer.Option("--format", "-f", help="acled-csv, geojson, jsonl or parquet.")] = "jsonl",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Output file (default stdout; Parquet needs a file).")
    ] = None,
    bbox: Annotated[str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat.")] = None,
    since: Annotated[str | None, typer.Option(help="Events ending on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Events starting on or before YYYY-MM-DD.")] = None,
    event_type: Annotated[list[str] | None, typer.Option("--type", help="Event type (repeatable).")] = None,
    sub_event_type: Annotated[list[str] | None, typer.Option("--sub-type", help="Sub-event type (repeatable).")] = None,
    action: Annotated[list[str] | None, typer.Option(help="Action tag (repeatable).")] = None,
    actor: Annotated[list[str] | None, typer.Option(help="Actor id as either side (repeatable).")] = None,
    place: Annotated[str | None, typer.Option(help="Place id or part of its name.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO2 country code, e.g. SY.")] = None,
    min_outlets: Annotated[int | None, typer.Option(help="At least this many independent outlets.")] = None,
    status: Annotated[
        list[str] | None, typer.Option(help="corroborated, single-source or disputed (repeatable).")
    ] = None,
    modality: Annotated[list[str] | None, typer.Option(help="asserted, hedged, negated, planned, threatened.")] = None,
    min_confidence: Annotated[float | None, typer.Option(help="Confidence at least this (0..1).")] = None,
    text: Annotated[str | None, typer.Option("--text", "-q", help="Words that must all appear in the event.")] = None,
) -> None:
    """Export events (the same filters as `sitreps events`), streamed page by page so any size fits in memory."""
    from sitreps.export import check_format, export_events

    check_format(format_)
    flt = make_filter(
        bbox=bbox, since=since, until=until, event_type=event_type, sub_event_type=sub_event_type, action=action,
        actor=actor, place=place, country=country, min_outlets=min_outlets, status=status, modality=modality,
        min_confidence=min_confidence, q=text,
    )  # fmt: skip
    t0 = time.perf_counter()
    with open_sessions(state(ctx))() as s:
        res = export_events(s, format_, flt=flt, path=output)
    took = time.perf_counter() - t0
    where = f" to {output}" if output else ""
    err.print(f"exported {res.written} event(s) as {format_}{where} in {took:.2f} s", markup=False)
    for note in res.notes:
        err.print(f"note: {note}", markup=False)


def import_acled_cmd(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="An ACLED export (CSV with ACLED's standard columns).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the load summary as JSON.")] = False,
) -> int:
    """Load an ACLED export into the reference layer (re-loading updates rows by event_id_cnty). Exit 1 when rows failed."""
    from sitreps.store.reference import load_acled_csv

    with open_sessions(state(ctx))() as s:
        rep = load_acled_csv(s, path)
    for line in rep.errors:
        err.print(f"error: {line}", markup=False)
    if json_out:
        print_json(rep.to_json())
    else:
        out.print(
            f"{rep.read} row(s) read: {rep.inserted} new, {rep.updated} updated, {len(rep.errors)} failed", markup=False
        )
    return 1 if rep.errors else 0


def compare_cmd(
    ctx: typer.Context,
    reference: Annotated[str, typer.Option(help="Reference layer to compare with.")] = "acled",
    since: Annotated[str | None, typer.Option(help="From YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="To YYYY-MM-DD.")] = None,
    bbox: Annotated[str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO2 country code, e.g. SY.")] = None,
    km: Annotated[float, typer.Option(help="Greatest distance between matched events, in km.")] = 25.0,
    days: Annotated[int, typer.Option(help="Days allowed between date intervals beyond their precision.")] = 1,
    limit: Annotated[int, typer.Option(help="Misses to list in the table.")] = 50,
    json_out: Annotated[bool, typer.Option("--json", help="Full result as JSON (matches, misses, extras).")] = False,
) -> None:
    """Which reference (ACLED) events sitreps also found, and which it lacks: recall, precision and the misses."""
    from sitreps.export.compare import compare_with_reference
    from sitreps.store.reference import count_reference

    if reference != "acled":
        raise UsageError("--reference", f"unknown reference layer {reference!r}", "choose from acled")
    if km <= 0 or days < 0:
        raise UsageError("--km/--days", "must be positive", "e.g. --km 25 --days 1")
    with open_sessions(state(ctx))() as s:
        if count_reference(s, source=reference) == 0:
            raise UsageError(
                "--reference", "the reference layer is empty", "load one with `sitreps import-acled FILE.csv`"
            )
        cmp = compare_with_reference(
            s,
            source=reference,
            since=parse_date_option(since, "--since"),
            until=parse_date_option(until, "--until"),
            bbox=parse_bbox(bbox),
            country=country,
            km=km,
            days=days,
        )
    if json_out:
        print_json(cmp.to_json())
        return

    def pct(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.1%}"

    out.print(
        f"reference events {cmp.n_reference} · sitreps events {cmp.n_sitreps} · matched {len(cmp.matches)} · "
        f"recall {pct(cmp.recall)} · precision {pct(cmp.precision)} (within {km:g} km, ±{days} day(s))",
        markup=False,
    )
    if cmp.misses:
        table = Table("reference id", "date", "type", "location", "actor1", "actor2", "fatalities", title="Misses")
        for r in cmp.misses[:limit]:
            table.add_row(
                r.id,
                r.event_date.isoformat(),
                r.event_type,
                r.location or "",
                r.actor1 or "",
                r.actor2 or "",
                str(r.fatalities),
            )
        out.print(table)
        if len(cmp.misses) > limit:
            out.print(f"… and {len(cmp.misses) - limit} more (use --json for all)", markup=False)
    out.print(f"{len(cmp.extras)} sitreps event(s) are not in the reference", markup=False)


def register(app: typer.Typer) -> None:
    """Add `export`, `import-acled` and `compare` to the root app."""
    app.command("export")(export_cmd)
    app.command("import-acled")(import_acled_cmd)
    app.command("compare")(compare_cmd)
