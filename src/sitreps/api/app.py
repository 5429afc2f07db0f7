"""create_app(settings): the FastAPI application factory (routers, error handlers, headers, static web mounts)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from sitreps import __version__
from sitreps.api.cache import ResultCache, StoreVersion
from sitreps.api.deps import AppState
from sitreps.api.errors import install_error_handlers
from sitreps.api.middleware import MAX_BODY_BYTES, SecurityMiddleware, content_security_policy
from sitreps.api.routes import catalog, documents, events, meta, page
from sitreps.config import Settings
from sitreps.web import STATIC_DIR, VENDOR

TOKEN_ENV = "SITREPS_TOKEN"
SETTINGS_ENV = "SITREPS_SERVE_SETTINGS"
"""Where `sitreps serve --workers N` hands its validated settings (JSON) to the worker processes."""
TOKEN_ENV_ENV = "SITREPS_SERVE_TOKEN_ENV"
"""Which environment variable holds the write token for the workers (`serve --token-env`)."""


def _nlp_loader(settings: Settings, nlp: Any) -> Callable[[], Any]:
    """Load the spaCy pipeline on first use only: reading the API must not pay for it."""
    if nlp is not None:
        return lambda: nlp

    def load() -> Any:
        from sitreps.pipeline import load_nlp

        return load_nlp(settings.nlp.model, tuple(settings.kb.extra_files))

    return load


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    token: str | None = None,
    nlp: Any = None,
    max_body: int = MAX_BODY_BYTES,
) -> FastAPI:
    """Build the API and web page over one store.

    Args:
        settings: validated settings (store URL, NLP model, serve.tile_url).
        engine: an open engine (tests pass a temporary store); by default one is opened on `settings.db`.
        token: the write token; by default $SITREPS_TOKEN; empty or unset means read-only.
        nlp: a ready spaCy pipeline for POST /api/v1/documents; by default loaded on first use.
        max_body: largest accepted request body in bytes (413 above).
    """
    from sitreps.store import make_engine, session_factory

    engine = engine if engine is not None else make_engine(settings.db)
    token = token if token is not None else os.environ.get(TOKEN_ENV, "")
    app = FastAPI(
        title="sitreps",
        version=__version__,
        description="Sourced, geolocated, dated conflict events from news reports. Errors share one JSON shape.",
        docs_url=None,  # Swagger UI needs a CDN and inline scripts, which the CSP forbids; /openapi.json stays
        redoc_url=None,
    )
    sessions = session_factory(engine)
    StoreVersion.forget_on_write(sessions)
    app.state.sitreps = AppState(
        settings=settings,
        engine=engine,
        sessions=sessions,
        token=token or None,
        nlp_loader=_nlp_loader(settings, nlp),
        cache=ResultCache(engine),
    )
    install_error_handlers(app)
    for r in (events.router, documents.router, catalog.router, meta.router, page.router):
        app.include_router(r)
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    for name, folder in VENDOR.items():
        app.mount(f"/vendor/{name}", StaticFiles(directory=folder, check_dir=False), name=f"vendor-{name}")
    app.add_middleware(SecurityMiddleware, csp=content_security_policy(settings.serve.tile_url), max_body=max_body)
    return app


def app_from_env() -> FastAPI:
    """The app in a uvicorn worker process (`sitreps serve --workers N`): each worker builds its own engine and
    cache from the settings the parent validated, passed in SITREPS_SERVE_SETTINGS."""
    raw = os.environ.get(SETTINGS_ENV)
    if not raw:
        raise RuntimeError(f"{SETTINGS_ENV} is not set: start workers with `sitreps serve --workers N`")
    token = os.environ.get(os.environ.get(TOKEN_ENV_ENV, TOKEN_ENV), "")
    return create_app(Settings.model_validate_json(raw), token=token)
