"""`sitreps report`: a situation report for an area and period as Markdown, HTML or PDF."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from sitreps.cli._common import err, open_sessions, parse_date_option, state
from sitreps.errors import UsageError


def _write(path: str, data: str | bytes) -> None:
    from sitreps.export.stream import atomic_output

    with atomic_output(path, "wb" if isinstance(data, bytes) else "w") as fh:
        fh.write(data)  # type: ignore[arg-type]


def report_cmd(
    ctx: typer.Context,
    place: Annotated[str | None, typer.Option(help="Centre the area on this place (gazetteer or store name).")] = None,
    radius_km: Annotated[float, typer.Option("--radius-km", help="Radius around --place, in km.")] = 25.0,
    bbox: Annotated[str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO2 country code, e.g. SY.")] = None,
    admin1: Annotated[str | None, typer.Option(help="First-level area name, e.g. 'Deir ez-Zor'.")] = None,
    since: Annotated[str | None, typer.Option(help="First day YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last day YYYY-MM-DD (default: the latest event's date).")] = None,
    last: Annotated[str | None, typer.Option(help="Period length ending at --until: 7d, 2w, 1m (default 7d).")] = None,
    format_: Annotated[str, typer.Option("--format", "-f", help="md, html or pdf.")] = "md",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Output file (default stdout; PDF needs a file).")
    ] = None,
    top: Annotated[int, typer.Option(help="How many key developments to list.")] = 8,
) -> None:
    """Write a situation report: headline figures, map, timeline, key developments, claims, actors and sources."""
    from sitreps.cli._common import parse_bbox
    from sitreps.report.render import FORMATS, render_html, render_markdown, render_pdf
    from sitreps.report.sitrep import build_sitrep, make_period, resolve_area

    if format_ not in FORMATS:
        raise UsageError("--format", f"unknown report format {format_!r}", f"choose from {', '.join(FORMATS)}")
    if format_ == "pdf" and not output:
        raise UsageError("--output", "PDF is binary and needs a file", "add -o report.pdf")
    if output:
        from sitreps.export.stream import check_writable

        check_writable(output)
    t0 = time.perf_counter()
    with open_sessions(state(ctx))() as s:
        area = resolve_area(s, place=place, radius_km=radius_km, bbox=parse_bbox(bbox), country=country, admin1=admin1)
        period = make_period(
            s, since=parse_date_option(since, "--since"), until=parse_date_option(until, "--until"), last=last
        )
        rep = build_sitrep(s, area, period, top=top)
    data: str | bytes
    if format_ == "md":
        if output:
            out_path = Path(output)
            data = render_markdown(rep, image_dir=out_path.resolve().parent, image_prefix=f"{out_path.stem}-")
        else:
            data = render_markdown(rep)
    elif format_ == "html":
        data = render_html(rep)
    else:
        data = render_pdf(rep)
    if output:
        _write(output, data)
        err.print(
            f"report: {rep.n_events} event(s), {area.label}, {period.label} → {output} "
            f"({time.perf_counter() - t0:.2f} s)",
            markup=False,
        )
    else:
        sys.stdout.write(data if isinstance(data, str) else data.decode())


def register(app: typer.Typer) -> None:
    """Add `report` to the root app."""
    app.command("report")(report_cmd)
