"""`sitreps ingest PATH|URL|- ...`: read, extract, store, fuse; one line per bad input and a summary."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sitreps.cli._common import err, open_sessions, parse_date_option, print_json, state
from sitreps.errors import UsageError


def ingest_cmd(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="Files, folders (recursive), http(s) URLs or - for stdin.")],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for every input (overrides what is found).")
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for every input (overrides what is found).")] = None,
    glob: Annotated[str, typer.Option(help="Pattern for files inside folders.")] = "**/*",
    title_field: Annotated[
        str | None, typer.Option(help="JSON/CSV field with the title (default: title, headline).")
    ] = None,
    text_field: Annotated[
        str | None, typer.Option(help="JSON/CSV field with the text (default: text, body, content, article).")
    ] = None,
    date_field: Annotated[
        str | None, typer.Option(help="JSON/CSV field with the date (default: date, published, published_at, pubDate).")
    ] = None,
    url_field: Annotated[str | None, typer.Option(help="JSON/CSV field with the URL (default: url, link).")] = None,
    outlet_field: Annotated[
        str | None, typer.Option(help="JSON/CSV field with the outlet (default: source, outlet, site, publisher).")
    ] = None,
    allow_private: Annotated[
        bool, typer.Option(help="Allow fetching loopback/private addresses (off: SSRF guard).")
    ] = False,
    no_fuse: Annotated[bool, typer.Option("--no-fuse", help="Store mentions without re-fusing events.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors and the summary.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON on stdout.")] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Processes for annotation and extraction (default: all cores; 1 = in this process)."),
    ] = None,
    engine: Annotated[
        str, typer.Option(help="local (this machine, --workers processes) or dask (a Dask cluster, see --scheduler).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address tcp://HOST:8786 (--engine dask); none starts a local cluster."),
    ] = None,
) -> int:
    """Ingest reports into the store. Exit 0 when every input succeeded, 1 when some failed (the good ones are stored)."""
    from sitreps.ingest import ReadOptions, iter_documents
    from sitreps.pipeline import load_nlp
    from sitreps.runner import Ingestor, IngestOutcome, summarise

    st = state(ctx)
    cfg = st.settings
    if not inputs:
        raise UsageError("inputs", "nothing to ingest", "give files, folders, URLs or - for stdin")
    options = ReadOptions.from_config(
        cfg.ingest,
        cfg.fetch,
        published=parse_date_option(published, "--published"),
        outlet=outlet,
        glob=glob,
        title_field=title_field,
        text_field=text_field,
        date_field=date_field,
        url_field=url_field,
        outlet_field=outlet_field,
        allow_private=allow_private or cfg.fetch.allow_private,
    )
    from sitreps.scale import build_processor

    sessions = open_sessions(st)
    kb_files = tuple(cfg.kb.extra_files)
    processor = build_processor(
        engine,
        workers=workers,
        scheduler=scheduler,
        model=cfg.nlp.model,
        extra_kb_files=kb_files,
        batch_size=cfg.nlp.batch_size,
    )
    # With a processor the pipeline is loaded where the work runs (workers, or lazily for small runs).
    nlp = load_nlp(cfg.nlp.model, kb_files) if processor is None else None
    ingestor = Ingestor(
        sessions,
        nlp=nlp,
        batch_size=cfg.nlp.batch_size,
        near_duplicate_threshold=cfg.ingest.near_duplicate_threshold,
        fuse_window_days=cfg.fuse.window_days,
        fuse_max_km=cfg.fuse.max_km,
        processor=processor,
    )
    show_bar = sys.stderr.isatty() and not quiet and not json_out

    def line(o: IngestOutcome) -> None:
        if o.status == "failed":
            err.print(f"[red]failed[/] {o.source}: {o.reason}" + (f"\n  hint: {o.hint}" if o.hint else ""), markup=True)
        elif not quiet and not json_out:
            extra = ""
            if o.status == "near-duplicate":
                extra = f" (near-duplicate of {o.duplicate_of}, similarity {o.similarity})"
            elif o.status == "duplicate":
                extra = " (already stored)"
            date_note = "" if o.published or o.status == "duplicate" else " [published: none found]"
            note = f" — {o.reason}" if o.reason and o.status != "duplicate" else ""
            err.print(f"{o.status:>14} {o.source}: {o.n_mentions} mentions{extra}{date_note}{note}", markup=False)

    items = iter_documents(inputs, options)
    if show_bar:
        with Progress(
            TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
        ) as bar:
            task = bar.add_task("ingest", total=None)

            def tick(o: IngestOutcome) -> None:
                bar.advance(task)
                line(o)

            report = ingestor.run(items, on_outcome=tick, fuse=not no_fuse)
    else:
        report = ingestor.run(items, on_outcome=line, fuse=not no_fuse)
    if json_out:
        print_json(report.to_json())
    err.print(summarise(report.outcomes) + (f"; {report.events_total} events" if not no_fuse else ""), markup=False)
    return 1 if report.failed else 0


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_cmd)
