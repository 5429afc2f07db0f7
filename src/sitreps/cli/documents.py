"""`sitreps documents [show ID]` and `sitreps stats`: what is in the store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sitreps.cli._common import open_sessions, out, print_json, state

documents_app = typer.Typer(help="List stored documents, or show one with its mentions.", no_args_is_help=False)


@documents_app.callback(invoke_without_command=True)
def documents_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many to list.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first.")] = 0,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="JSON Lines, one document per line.")] = False,
) -> None:
    """List stored documents, newest first; undated ones are flagged."""
    if ctx.invoked_subcommand:
        return
    from sitreps.store.query import list_documents

    with open_sessions(state(ctx))() as s:
        docs = list_documents(s, limit=limit, offset=offset, outlet=outlet)
    if json_out:
        for d in docs:
            print_json(d.to_json())
        return
    table = Table("id", "published", "outlet", "title", "mentions", "note")
    for d in docs:
        note = f"near-duplicate of {d.duplicate_of[:8]} ({d.similarity})" if d.duplicate_of else ""
        table.add_row(
            d.id[:12],
            d.published.isoformat() if d.published else "[red]none[/]",
            d.outlet or "",
            (d.title or "")[:60],
            str(d.n_mentions),
            note,
        )
    out.print(table)


@documents_app.command("show")
def documents_show(
    ctx: typer.Context,
    document_id: Annotated[str, typer.Argument(help="Document id or a unique prefix (4+ characters).")],
    json_out: Annotated[bool, typer.Option("--json", help="JSON with the text and every mention.")] = False,
) -> None:
    """Show one document: header, text and its mentions with evidence offsets."""
    from sitreps.store.query import find_document_id, get_document

    with open_sessions(state(ctx))() as s:
        doc, mentions, summary = get_document(s, find_document_id(s, document_id))
    if json_out:
        print_json({**summary.to_json(), "text": doc.text, "mentions": [m.to_json() for m in mentions]})
        return
    out.print(f"[bold]{doc.title or '(no title)'}[/]")
    out.print(
        f"id {doc.id} · {doc.outlet or 'unknown outlet'} · published {doc.published or 'NONE FOUND'} · {doc.path or doc.url or ''}"
    )
    if summary.duplicate_of:
        out.print(f"near-duplicate of {summary.duplicate_of} (similarity {summary.similarity})")
    out.print()
    out.print(doc.text, markup=False)
    out.print()
    for m in mentions:
        where = m.place.name if m.place else "?"
        when = m.date.start if m.date and m.date.start else "?"
        out.print(
            f"- [{m.evidence.start}:{m.evidence.end}] {m.event_type} / {m.sub_event_type} · {where} · {when} · {m.modality}",
            markup=False,
        )


def stats_cmd(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Counts of documents, outlets, mentions and events in the store."""
    from sitreps.store.query import stats

    with open_sessions(state(ctx))() as s:
        st = stats(s)
    if json_out:
        print_json(st)
        return
    table = Table("what", "count", show_header=False)
    for k, v in st.items():
        if isinstance(v, dict):
            v = ", ".join(f"{a}: {b}" for a, b in v.items()) or "-"
        table.add_row(k.replace("_", " "), str(v) if v is not None else "-")
    out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(documents_app, name="documents")
    app.command("stats")(stats_cmd)
