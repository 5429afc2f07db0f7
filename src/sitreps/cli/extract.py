"""`sitreps extract PATH... --json`: the per-document pipeline without a database (the stable output contract)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sitreps.cli._common import err, out, parse_date_option, print_json, state


def extract_cmd(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, URLs or - (any format ingest reads).")],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD (overrides what is found).")
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name (overrides what is found).")] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="JSON Lines, one mention per line (design.md contract).")
    ] = False,
) -> int:
    """Print event mentions found in the inputs; nothing is stored. Exit 1 when some inputs failed."""
    from sitreps.errors import SitrepsError
    from sitreps.ingest import ReadOptions, iter_documents
    from sitreps.model import Document
    from sitreps.pipeline import load_nlp, process_documents

    cfg = state(ctx).settings
    options = ReadOptions.from_config(
        cfg.ingest, cfg.fetch, published=parse_date_option(published, "--published"), outlet=outlet
    )
    failed = 0
    docs: list[Document] = []
    for item in iter_documents(inputs, options):
        if isinstance(item, SitrepsError):
            failed += 1
            err.print(f"failed {item.message}" + (f"\n  hint: {item.hint}" if item.hint else ""), markup=False)
        else:
            docs.append(item)
    nlp = load_nlp(cfg.nlp.model, tuple(cfg.kb.extra_files))
    table = Table("document", "type / sub-type", "actor1 → actor2", "place", "date", "killed", "modality", "evidence")
    for p in process_documents(docs, nlp=nlp, batch_size=cfg.nlp.batch_size):
        d = p.document
        if p.note:
            err.print(f"note {d.path}: {p.note}", markup=False)
        if d.published is None:
            err.print(
                f"note {d.path}: no publication date found; relative dates stay unresolved (give --published)",
                markup=False,
            )
        for m in p.mentions:
            if json_out:
                print_json(m.to_json(d))
                continue
            when = m.date.start.isoformat() if m.date and m.date.start else (m.date.text or "?") if m.date else "?"
            table.add_row(
                (d.title or d.path or d.id)[:24], f"{m.event_type} / {m.sub_event_type}",
                f"{m.actor1.name if m.actor1 else '-'} → {m.actor2.name if m.actor2 else '-'}",
                m.place.name if m.place else "-", when, "-" if m.fatalities is None else str(m.fatalities), m.modality,
                m.evidence.text[:90],
            )  # fmt: skip
    if not json_out:
        out.print(table)
    return 1 if failed else 0


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_cmd)
