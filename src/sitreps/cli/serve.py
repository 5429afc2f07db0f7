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
    workers: Annotated[
        int,
        typer.Option(
            help="Worker processes (each with its own database connections and cache); more than 1 serves "
            "requests on several cores at once. Default 1.",
            min=1,
            max=64,
        ),
    ] = 1,
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
    h, p = host or settings.serve.host, port or settings.serve.port
    mode = "writes need the token" if token else f"read-only (set {token_env} to accept corrections)"
    if workers == 1:
        app = create_app(settings, token=token)
        err.print(f"sitreps serving {settings.db} on http://{h}:{p}/ — {mode}", markup=False)
        uvicorn.run(app, host=h, port=p, log_level="warning", proxy_headers=False, server_header=False)
        return
    from sitreps.api.app import SETTINGS_ENV, TOKEN_ENV_ENV
    from sitreps.store import make_engine

    make_engine(settings.db).dispose()  # migrate once here, not in every worker at the same time
    os.environ[SETTINGS_ENV] = settings.model_dump_json()
    os.environ[TOKEN_ENV_ENV] = token_env
    err.print(f"sitreps serving {settings.db} on http://{h}:{p}/ with {workers} workers — {mode}", markup=False)
    uvicorn.run(
        "sitreps.api.app:app_from_env",
        factory=True,
        workers=workers,
        host=h,
        port=p,
        log_level="warning",
        proxy_headers=False,
        server_header=False,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
