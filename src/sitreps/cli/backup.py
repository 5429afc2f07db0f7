"""`sitreps backup FILE` and `sitreps restore FILE [--force]`: consistent copies of a live store and their return."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sitreps.cli._common import err, print_json, state


def backup_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Backup file to write (SQLite copy, or pg_dump custom format).")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print what was backed up as JSON.")] = False,
) -> None:
    """Back up the store while it is in use (ingest and the API may keep running)."""
    from sitreps.store.backup import backup
    from sitreps.store.engine import make_engine

    engine = make_engine(state(ctx).settings.db)
    try:
        res = backup(engine, file, overwrite=force)
    finally:
        engine.dispose()
    if json_out:
        print_json({"path": str(res.path), "backend": res.backend, "counts": res.counts})
    held = ", ".join(f"{v} {k}" for k, v in res.counts.items())
    err.print(f"backed up to {res.path}: {held}", markup=False)


def restore_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by `sitreps backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace a store that already holds data.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print what was restored as JSON.")] = False,
) -> None:
    """Restore the store from a backup; refuses to replace a non-empty store unless --force."""
    from sitreps.store.backup import restore

    res = restore(file, state(ctx).settings.db, force=force)
    if json_out:
        print_json({"path": str(res.path), "backend": res.backend, "counts": res.counts})
    held = ", ".join(f"{v} {k}" for k, v in res.counts.items())
    err.print(f"restored from {res.path}: {held}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)
