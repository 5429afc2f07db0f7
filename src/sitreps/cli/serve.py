"""`sitreps serve`: the JSON API and the web map on 127.0.0.1 (uvicorn)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from sitreps.cli._common import err, state
from sitreps.errors import UsageError


def serve_cmd(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on (default serve.host, 127.0.0.1: this machine only).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default serve.port, 8000).", min=1, max=65535)] = None,
    token_env: Annotated[
        str,
        typer.Option(
            "--token-env",
            help="Environment variable holding the write token (corrections, POST documents); unset = read-only.",
        ),
    ] = "SITREPS_TOKEN",
) -> None:
    """Serve the API (/api/v1, schema at /openapi.json) and the map page at /."""
    import uvicorn

    from sitreps.api import create_app
    from sitreps.web import check_assets

    settings = state(ctx).settings
    check_assets()
    token = os.environ.get(token_env, "")
    if token and len(token) < 16:
        raise UsageError(
            token_env,
            "the write token is shorter than 16 characters",
            "use a long random value, e.g. `openssl rand -hex 24`",
        )
    app = create_app(settings, token=token)
    h, p = host or settings.serve.host, port or settings.serve.port
    mode = "writes need the token" if token else f"read-only (set {token_env} to accept corrections)"
    err.print(f"sitreps serving {settings.db} on http://{h}:{p}/ — {mode}", markup=False)
    uvicorn.run(app, host=h, port=p, log_level="warning", proxy_headers=False, server_header=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
