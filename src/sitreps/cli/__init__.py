"""The `sitreps` command: a root Typer app that registers one module per sub-command."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import click
import typer

from sitreps import __version__
from sitreps.cli._common import State, exit_code_for, report_error
from sitreps.errors import SitrepsError

app = typer.Typer(
    name="sitreps",
    help="News reports about armed conflict in; a sourced, geolocated, dated event log, map and situation reports out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sitreps {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database: a SQLite file path or URL (default sitreps.db; env SITREPS_DB)."),
    ] = None,
    config: Annotated[
        str | None, typer.Option("--config", help="TOML config file overriding the defaults (env SITREPS_CONFIG).")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override one setting, e.g. --set fuse.window_days=3 (repeatable)."),
    ] = None,
    kb: Annotated[
        list[str] | None,
        typer.Option("--kb", help="Extra actor/trigger YAML file added to the knowledge base (repeatable)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Read conflict news into an event log; see `sitreps COMMAND --help`."""
    overrides = list(set_ or [])
    if kb:
        overrides.append("kb.extra_files=" + json.dumps(kb))
    ctx.obj = State(config_file=config, overrides=overrides, db=db, debug=debug)


def _register() -> None:
    from sitreps.cli import config as config_cmd
    from sitreps.cli import documents, ingest

    ingest.register(app)
    documents.register(app)
    config_cmd.register(app)
    for name in (
        "extract",
        "events",
        "places",
        "dates",
        "evaluate",
        "gazetteer",
        "serve",
        "report",
        "export",
        "backup",
    ):
        try:
            module = __import__(f"sitreps.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as e:
            if e.name != f"sitreps.cli.{name}":
                raise
            continue
        module.register(app)


_register()


def run(argv: list[str]) -> int:
    """Run the CLI on `argv` and return the exit code; library errors become `error:`/`hint:` lines."""
    debug = "--debug" in argv
    try:
        result = app(args=argv, prog_name="sitreps", standalone_mode=False)
    except SitrepsError as e:
        if debug:
            raise
        report_error(e)
        return exit_code_for(e)
    except click.exceptions.Exit as e:
        return int(e.exit_code)
    except click.ClickException as e:
        e.show()
        return int(e.exit_code)
    except click.exceptions.Abort:
        return 130
    except KeyboardInterrupt:
        return 130
    return int(result) if isinstance(result, int) else 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))


__all__ = ["State", "app", "main", "run"]
