"""`sitreps gazetteer build|load|resolve` and `sitreps places`: the offline gazetteer and toponyms in a text."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sitreps.cli._common import err, out, print_json, state

gazetteer_app = typer.Typer(
    help="Build the gazetteer index, load GeoNames dumps, resolve a place name.", no_args_is_help=True
)


def _gazetteer(ctx: typer.Context) -> object:
    from sitreps.geo import Gazetteer, set_default_gazetteer

    gaz = Gazetteer.from_config(state(ctx).settings.geo)
    set_default_gazetteer(gaz)
    return gaz


@gazetteer_app.command("build")
def build(
    ctx: typer.Context, rebuild: Annotated[bool, typer.Option(help="Rebuild even if a current index exists.")] = False
) -> None:
    """Build (or check) the compact gazetteer index from the bundled GeoNames data; done once per machine."""
    from sitreps.geo import Gazetteer
    from sitreps.geo.index import cache_file

    cfg = state(ctx).settings.geo
    gaz = Gazetteer.load(cfg.cache_dir or None, rebuild=rebuild)
    out.print(f"{len(gaz)} entries in {cache_file(cfg.cache_dir or None)} (loaded in {gaz.load_seconds:.1f} s)")


@gazetteer_app.command("load")
def load(
    ctx: typer.Context,
    dump: Annotated[str, typer.Argument(help="GeoNames `geoname` table, e.g. SY.txt (tab-separated, 19 columns).")],
    alternates: Annotated[str | None, typer.Argument(help="Optional alternateNamesV2.txt (10 columns).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the load report as JSON.")] = False,
) -> int:
    """Add a GeoNames dump to the gazetteer; it is registered and applied on every later run."""
    from sitreps.geo import Gazetteer, load_geonames_dump
    from sitreps.geo.dump import register_dump

    cfg = state(ctx).settings.geo
    gaz = Gazetteer.load(cfg.cache_dir or None)
    report = load_geonames_dump(dump, alternates, into=gaz)
    reg = register_dump(dump, alternates, cache_dir=cfg.cache_dir or None)
    data = {k: v for k, v in vars(report).items() if not k.startswith("_")}
    if json_out:
        print_json(data)
    else:
        for e in report.errors[:50]:
            err.print(f"skipped {e}", markup=False)
        out.print(
            f"{dump}: "
            + ", ".join(f"{k} {v}" for k, v in data.items() if isinstance(v, int))
            + f"; registered in {reg}"
        )
    return 1 if report.errors else 0


@gazetteer_app.command("resolve")
def resolve_cmd(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="A place name or phrase, e.g. 'west of Palmyra' or 'Deir ez-Zor province'.")
    ],
    country: Annotated[list[str] | None, typer.Option(help="Context country ISO2 code, e.g. SY (repeatable).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> int:
    """Resolve one place name the way extraction does, with the reason for the choice."""
    from collections import Counter

    from sitreps.geo import GeoContext, resolve_phrase

    _gazetteer(ctx)
    ctx_ = GeoContext(countries=Counter({c.upper(): 1 for c in country or []}), places=[], text="")
    place = resolve_phrase(name, context=ctx_)
    if json_out:
        print_json(place.to_json() if place else None)
    elif place is None:
        err.print(f"{name}: not in the gazetteer", markup=False)
    else:
        out.print(
            f"{place.name} ({place.id}) {place.lat}, {place.lon} · {place.country} / {place.admin1} · precision {place.geo_precision} · {place.reason}",
            markup=False,
        )
    return 0 if place else 1


def places_cmd(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="Files, URLs or - for stdin.")],
    demonyms: Annotated[bool, typer.Option(help="Also list demonyms (Syrian → Syria).")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="JSON Lines, one place name per line.")] = False,
) -> int:
    """Every place name in the text with offsets, the chosen gazetteer entry, precision and reason."""
    from sitreps.errors import SitrepsError
    from sitreps.geo import find_places
    from sitreps.ingest import ReadOptions, iter_documents

    cfg = state(ctx).settings
    _gazetteer(ctx)
    failed = 0
    table = Table("start", "end", "text", "id", "name", "lat", "lon", "country", "admin1", "prec.", "reason")
    for item in iter_documents(inputs, ReadOptions.from_config(cfg.ingest, cfg.fetch)):
        if isinstance(item, SitrepsError):
            failed += 1
            err.print(f"failed {item.message}", markup=False)
            continue
        for p in find_places(item.text, demonyms=demonyms):
            if json_out:
                print_json({"document": item.path, "start": p.start, "end": p.end, **p.to_json()})
            else:
                table.add_row(str(p.start), str(p.end), p.text, p.id or "-", p.name, f"{p.lat:.3f}" if p.lat is not None else "-",
                              f"{p.lon:.3f}" if p.lon is not None else "-", p.country or "-", p.admin1 or "-", str(p.geo_precision), p.reason)  # fmt: skip
    if not json_out:
        out.print(table)
    return 1 if failed else 0


def register(app: typer.Typer) -> None:
    app.add_typer(gazetteer_app, name="gazetteer")
    app.command("places")(places_cmd)
