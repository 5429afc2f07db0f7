"""Every API error path returns the one JSON shape: ok, error, code, status, details, hint (and no traceback)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from sitreps.errors import ConfigError, NotFoundError, UsageError
from tests.api.helpers import TOKEN, TestClient, assert_error_shape, auth, build_store, client_for, make_app


@pytest.fixture
def app_client(sqlite_url: str) -> Iterator[tuple[FastAPI, TestClient]]:
    app, engine = make_app(sqlite_url, max_body=10_000)
    build_store(engine)

    @app.get("/boom/unexpected")
    def unexpected() -> None:
        raise RuntimeError("secret internals: /etc/passwd")

    @app.get("/boom/not-found")
    def not_found() -> None:
        raise NotFoundError("thing-1", "no such thing", "look elsewhere")

    @app.get("/boom/usage")
    def usage() -> None:
        raise UsageError("opt", "used wrongly", "use it rightly")

    @app.get("/boom/config")
    def config() -> None:
        raise ConfigError("key", "bad setting", "fix the setting")

    yield app, client_for(app)
    engine.dispose()


BAD = {"changes": {"fatalities": 1}, "who": "a", "why": "b"}

CASES = [
    ("GET", "/api/v1/events/ev-missing", None, {}, 404, "event_not_found"),
    ("GET", "/api/v1/events/ev-", None, {}, 400, "ambiguous_id"),
    ("GET", "/api/v1/documents/0000dead", None, {}, 404, "document_not_found"),
    ("GET", "/api/v1/events?bbox=x", None, {}, 400, "invalid_filter"),
    ("GET", "/api/v1/events?cursor=zzzz", None, {}, 400, "invalid_cursor"),
    ("GET", "/api/v1/events?q=%00", None, {}, 400, "invalid_request"),
    ("GET", "/api/v1/events.geojson?since=never", None, {}, 400, "invalid_filter"),
    ("GET", "/api/v1/events.csv?status=x", None, {}, 400, "invalid_filter"),
    ("GET", "/api/v1/timeline?interval=century", None, {}, 422, "validation_error"),
    ("GET", "/api/v1/clusters?zoom=99", None, {}, 422, "validation_error"),
    ("GET", "/api/v1/actors?limit=0", None, {}, 422, "validation_error"),
    ("GET", "/api/v1/nowhere", None, {}, 404, "route_not_found"),
    ("GET", "/static/missing.js", None, {}, 404, "route_not_found"),
    ("DELETE", "/api/v1/events", None, {}, 405, "method_not_allowed"),
    ("PATCH", "/api/v1/events/ev-deir-0002", BAD, {}, 401, "token_required"),
    ("PATCH", "/api/v1/events/ev-deir-0002", BAD, {"Authorization": "Bearer nope"}, 403, "token_invalid"),
    (
        "PATCH",
        "/api/v1/events/ev-deir-0002",
        {"changes": {"x": 1}, "who": "a", "why": "b"},
        "auth",
        422,
        "validation_error",
    ),
    (
        "PATCH",
        "/api/v1/events/ev-deir-0002",
        {"changes": {"event_type": "War"}, "who": "a", "why": "b"},
        "auth",
        422,
        "validation_error",
    ),
    ("PATCH", "/api/v1/events/ev-gone", BAD, "auth", 404, "event_not_found"),
    ("POST", "/api/v1/documents", {"text": ""}, "auth", 422, "validation_error"),
    ("POST", "/api/v1/documents", {"text": "x" * 20_000}, "auth", 413, "body_too_large"),
    ("GET", "/boom/unexpected", None, {}, 500, "internal_error"),
    ("GET", "/boom/not-found", None, {}, 404, "not_found"),
    ("GET", "/boom/usage", None, {}, 400, "usage_error"),
    ("GET", "/boom/config", None, {}, 503, "bad_config"),
]


@pytest.mark.parametrize(("method", "path", "body", "headers", "status", "code"), CASES)
def test_error_shape_is_the_same_on_every_path(
    app_client: tuple[FastAPI, TestClient],
    method: str,
    path: str,
    body: object,
    headers: object,
    status: int,
    code: str,
) -> None:
    _app, client = app_client
    hdrs = auth(TOKEN) if headers == "auth" else dict(headers)  # type: ignore[call-overload]
    r = client.request(method, path, json=body, headers=hdrs)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    payload = r.json()
    assert_error_shape(payload, status, code)
    assert "secret internals" not in r.text


def test_error_shape_read_only_server(sqlite_url: str) -> None:
    app, engine = make_app(sqlite_url, token="")
    build_store(engine)
    r = client_for(app).patch("/api/v1/events/ev-deir-0002", json=BAD, headers=auth())
    assert_error_shape(r.json(), 403, "read_only")


def test_error_shape_missing_frontend_is_503(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitreps.api.routes import page

    monkeypatch.setattr(page, "missing_assets", lambda: ["node_modules/leaflet"])
    app, _engine = make_app(sqlite_url)
    r = client_for(app).get("/")
    assert_error_shape(r.json(), 503, "frontend_missing")
    assert "npm ci" in r.json()["error"] + (r.json()["hint"] or "")
