"""`sitreps dates PATH|- --published YYYY-MM-DD`: every time expression with offsets, interval, precision and rule."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sitreps.cli._common import err, out, parse_date_option, print_json, state


def dates_cmd(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="Files, URLs or - for stdin.")],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD to resolve relative phrases against.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="JSON Lines, one time expression per line.")] = False,
) -> int:
    """List the time expressions of a text and what each resolves to."""
    from sitreps.errors import SitrepsError
    from sitreps.ingest import ReadOptions, iter_documents
    from sitreps.when import find_and_normalise

    cfg = state(ctx).settings
    options = ReadOptions.from_config(cfg.ingest, cfg.fetch, published=parse_date_option(published, "--published"))
    failed = 0
    table = Table("document", "start", "end", "phrase", "interval", "precision", "rule")
    for item in iter_documents(inputs, options):
        if isinstance(item, SitrepsError):
            failed += 1
            err.print(f"failed {item.message}" + (f"\n  hint: {item.hint}" if item.hint else ""), markup=False)
            continue
        if item.published is None:
            err.print(
                f"note {item.path}: no publication date: relative phrases stay unresolved (give --published)",
                markup=False,
            )
        for span, iv in find_and_normalise(item.text, published=item.published):
            if json_out:
                # the interval's start/end are dates; the phrase's character offsets get their own keys
                fields = {k: v for k, v in iv.to_json().items() if k != "text"}
                print_json(
                    {"document": item.path, "text": span.text, "offset_start": span.start, "offset_end": span.end}
                    | fields
                )
            else:
                interval = (
                    "unresolved"
                    if not iv.resolved or iv.start is None
                    else (f"{iv.start}" if iv.start == iv.end else f"{iv.start}..{iv.end}")
                )
                table.add_row(
                    (item.path or "-")[-24:],
                    str(span.start),
                    str(span.end),
                    span.text,
                    interval,
                    str(iv.precision),
                    iv.rule,
                )
    if not json_out:
        out.print(table)
    return 1 if failed else 0


def register(app: typer.Typer) -> None:
    app.command("dates")(dates_cmd)
