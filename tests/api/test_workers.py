"""`sitreps serve --workers N`: each worker rebuilds the app from the settings and token the parent passed."""

from __future__ import annotations

import pytest

from sitreps.api.app import SETTINGS_ENV, TOKEN_ENV_ENV, app_from_env
from sitreps.config import Settings
from tests.api.helpers import TOKEN, auth, build_store, client_for, make_app


def test_worker_app_serves_the_parents_store_with_its_token(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _app, engine = make_app(sqlite_url)
    demo = build_store(engine)
    settings = Settings(db=sqlite_url, serve={"tile_url": "https://tiles.example.org/{z}/{x}/{y}.png"})
    monkeypatch.setenv(SETTINGS_ENV, settings.model_dump_json())
    monkeypatch.setenv(TOKEN_ENV_ENV, "MY_TOKEN_VAR")
    monkeypatch.setenv("MY_TOKEN_VAR", TOKEN)
    client = client_for(app_from_env())
    meta = client.get("/api/v1/meta").json()
    assert meta["tile_url"] == settings.serve.tile_url and meta["writable"] is True
    assert meta["counts"]["events"] == len(demo.events)
    body = {"changes": {"rejected": True}, "who": "tester", "why": "checking the worker's token"}
    event_id = next(iter(demo.events.values()))
    assert (
        client.patch(f"/api/v1/events/{event_id}", json=body, headers=auth("wrong-token-0123456789")).status_code == 403
    )
    assert client.patch(f"/api/v1/events/{event_id}", json=body, headers=auth()).status_code == 200


def test_worker_app_without_settings_says_how_to_start_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SETTINGS_ENV, raising=False)
    with pytest.raises(RuntimeError, match="--workers"):
        app_from_env()
