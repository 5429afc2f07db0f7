"""`sitreps events [filters]`, `events show ID`, `events rebuild`: fused events, one per real happening."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sitreps.cli._common import make_filter, open_sessions, out, print_json, state

events_app = typer.Typer(help="List fused events, show one with its evidence, or rebuild them all.")


def _when(e: object) -> str:
    d = getattr(e, "date", None)
    if d is None or d.start is None:
        return "?"
    return d.start.isoformat() if d.start == d.end else f"{d.start}..{d.end}"


@events_app.callback(invoke_without_command=True)
def events_list(
    ctx: typer.Context,
    bbox: Annotated[str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat")] = None,
    since: Annotated[str | None, typer.Option(help="Events ending on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Events starting on or before YYYY-MM-DD.")] = None,
    event_type: Annotated[
        list[str] | None, typer.Option("--type", help="Event type, e.g. Battles (repeatable).")
    ] = None,
    sub_type: Annotated[list[str] | None, typer.Option("--sub-type", help="Sub-event type (repeatable).")] = None,
    action: Annotated[list[str] | None, typer.Option(help="Action tag, e.g. siege (repeatable).")] = None,
    actor: Annotated[
        list[str] | None, typer.Option(help="Actor id as actor1 or actor2, e.g. islamic-state (repeatable).")
    ] = None,
    place: Annotated[str | None, typer.Option(help="Place id or part of its name.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-2 country code, e.g. SY.")] = None,
    min_outlets: Annotated[int | None, typer.Option(help="At least this many independent outlets.")] = None,
    status: Annotated[
        list[str] | None, typer.Option(help="corroborated, single-source or disputed (repeatable).")
    ] = None,
    modality: Annotated[
        list[str] | None, typer.Option(help="asserted, hedged, negated, planned, threatened (repeatable).")
    ] = None,
    min_confidence: Annotated[float | None, typer.Option(help="Minimum confidence 0..1.")] = None,
    q: Annotated[
        str | None, typer.Option("--text", "-q", help="Words that must appear in the event's fields or evidence.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many events.")] = 100,
    json_out: Annotated[
        bool, typer.Option("--json", help="JSON Lines in the output contract, one event per line.")
    ] = False,
) -> None:
    """List fused events, newest first, with the same filters as the API and exports."""
    if ctx.invoked_subcommand:
        return
    from sitreps.store.query import list_events

    flt = make_filter(
        bbox=bbox, since=since, until=until, event_type=event_type, sub_event_type=sub_type, action=action, actor=actor,
        place=place, country=country, min_outlets=min_outlets, status=status, modality=modality, min_confidence=min_confidence, q=q,
    )  # fmt: skip
    with open_sessions(state(ctx))() as s:
        events, _next = list_events(s, flt, limit=limit)
    if json_out:
        for e in events:
            print_json(e.to_json())
        return
    table = Table("id", "date", "type / sub-type", "actors", "place", "killed", "outlets", "status")
    for e in events:
        actors = " → ".join(a.name for a in (e.actor1, e.actor2) if a) or "-"
        f = e.fatalities
        killed = "-" if f.best is None else (str(f.best) if f.min == f.max else f"{f.best} ({f.min}-{f.max})")
        table.add_row(
            e.id[:11], _when(e), f"{e.event_type} / {e.sub_event_type}" + (f" [{e.action}]" if e.action else ""), actors,
            e.place.name if e.place else "-", killed, str(e.n_outlets), e.status,
        )  # fmt: skip
    out.print(table)


@events_app.command("show")
def events_show(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(help="Event id or a unique prefix.")],
    json_out: Annotated[bool, typer.Option("--json", help="JSON with the event, its mentions and documents.")] = False,
) -> None:
    """One event with its mentions (evidence sentences), outlets and disagreements."""
    from sitreps.store.query import find_event_id, get_event, mentions_of

    with open_sessions(state(ctx))() as s:
        e = get_event(s, find_event_id(s, event_id))
        ms = mentions_of(s, e.mentions)
    if json_out:
        data = e.to_json()
        data["mention_details"] = [{**m.to_json(d), "outlet": d.outlet} for m, d in ms]
        print_json(data)
        return
    out.print(f"[bold]{e.event_type} / {e.sub_event_type}[/]" + (f" [{e.action}]" if e.action else ""))
    out.print(
        f"id {e.id} · {_when(e)} · {e.place.name if e.place else 'place unknown'} · {e.status} · confidence {e.confidence:.2f}"
    )
    out.print(f"actors: {e.actor1.name if e.actor1 else '-'} → {e.actor2.name if e.actor2 else '-'}")
    f = e.fatalities
    out.print(
        f"fatalities: best {f.best}, range {f.min}-{f.max}; {e.n_outlets} outlets, {e.n_sources} sources, {e.n_mentions} mentions"
    )
    for note in e.disagreements:
        out.print(f"[yellow]disagreement:[/] {note}")
    out.print()
    for m, d in ms:
        head = f"{d.published or 'undated'} · {d.outlet or '?'} · {m.modality}" + (
            f" · according to {m.attribution}" if m.attribution else ""
        )
        out.print(f"[dim]{head}[/]")
        out.print(f"  {m.evidence.text}", markup=False)


@events_app.command("rebuild")
def events_rebuild(ctx: typer.Context) -> None:
    """Re-fuse every stored mention into events from scratch (analysts' corrections are kept)."""
    from sitreps.runner import refuse

    st = state(ctx)
    _written, total = refuse(
        open_sessions(st), window_days=st.settings.fuse.window_days, max_km=st.settings.fuse.max_km
    )
    out.print(f"{total} events")


def register(app: typer.Typer) -> None:
    app.add_typer(events_app, name="events")
