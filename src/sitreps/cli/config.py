"""`sitreps config show|defaults`: the merged settings and the commented defaults."""

from __future__ import annotations

from typing import Annotated

import typer

from sitreps.cli._common import print_json, state

config_app = typer.Typer(help="Show the resolved configuration or the commented defaults.", no_args_is_help=True)


@config_app.command("show")
def show(ctx: typer.Context, json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Print the settings after defaults, config file, SITREPS_* variables and --set are merged."""
    from sitreps.config import settings_as_toml

    settings = state(ctx).settings
    if json_out:
        print_json(settings.model_dump())
    else:
        typer.echo(settings_as_toml(settings), nl=False)


@config_app.command("defaults")
def defaults() -> None:
    """Print the packaged, commented default configuration (a starting point for your own file)."""
    from sitreps.config import default_config_text

    typer.echo(default_config_text(), nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
