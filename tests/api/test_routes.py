"""Documents, catalog listings, meta, the page shell, ingest over POST, tokens, headers and the body limit."""

from __future__ import annotations

import pytest

from tests.api.helpers import (
    TOKEN,
    XSS_TEXT,
    Demo,
    TestClient,
    assert_error_shape,
    auth,
    build_store,
    client_for,
    make_app,
)


@pytest.fixture
def demo(sqlite_url: str) -> tuple[TestClient, Demo]:
    app, engine = make_app(sqlite_url)
    return client_for(app), build_store(engine)


def test_document_detail_has_text_and_mention_offsets(demo: tuple[TestClient, Demo]) -> None:
    client, d = demo
    body = client.get(f"/api/v1/documents/{d.documents['xss']}").json()
    assert body["text"] == XSS_TEXT
    [m] = body["mentions"]
    assert body["text"][m["trigger"]["start"] : m["trigger"]["end"]] == "shelled"
    assert body["text"][m["evidence"]["start"] : m["evidence"]["end"]] == m["evidence"]["text"]
    assert m["event_id"] == d.events["tabqa"]


def test_document_unknown_is_document_not_found(demo: tuple[TestClient, Demo]) -> None:
    assert_error_shape(demo[0].get("/api/v1/documents/ffffffff").json(), 404, "document_not_found")


def test_documents_list_is_newest_first(demo: tuple[TestClient, Demo]) -> None:
    items = demo[0].get("/api/v1/documents").json()["items"]
    assert len(items) == 6 and items[0]["published"] == "2017-03-21"


def test_actors_places_outlets_listings_count_events(demo: tuple[TestClient, Demo]) -> None:
    client, _d = demo
    actors = {a["id"]: a for a in client.get("/api/v1/actors").json()["items"]}
    assert actors["islamic-state"]["n_events"] == 3
    assert client.get("/api/v1/actors?q=russia").json()["items"][0]["id"] == "russia-military"
    places = {p["name"]: p for p in client.get("/api/v1/places").json()["items"]}
    assert places["Palmyra"]["n_events"] == 1 and places["Palmyra"]["lat"] == pytest.approx(34.56)
    outlets = {o["name"]: o for o in client.get("/api/v1/outlets").json()["items"]}
    assert outlets["Levant Wire"]["n_documents"] == 2


def test_meta_reports_version_counts_and_settings(sqlite_url: str) -> None:
    app, engine = make_app(sqlite_url, token="", serve={"tile_url": "https://{s}.tiles.example.org/{z}/{x}/{y}.png"})
    build_store(engine)
    body = client_for(app).get("/api/v1/meta").json()
    assert body["counts"]["events"] == 6 and body["writable"] is False
    assert body["tile_url"].startswith("https://{s}.tiles.example.org")
    assert "Battles" in body["event_types"] and body["version"]


def test_page_is_served_with_strict_security_headers(sqlite_url: str) -> None:
    app, _engine = make_app(sqlite_url, serve={"tile_url": "https://{s}.tiles.example.org/{z}/{x}/{y}.png"})
    r = client_for(app).get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "img-src 'self' data: https://*.tiles.example.org" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "<script>" not in r.text.replace("<script src=", "").replace('<script type="module" src=', "")


def test_api_responses_carry_security_headers(demo: tuple[TestClient, Demo]) -> None:
    for path in ("/api/v1/events", "/api/v1/nothing-here", "/static/app.js", "/vendor/leaflet/leaflet.js"):
        r = demo[0].get(path)
        assert "content-security-policy" in r.headers and r.headers["x-content-type-options"] == "nosniff", path


def test_vendor_serves_only_the_listed_packages(demo: tuple[TestClient, Demo]) -> None:
    client, _d = demo
    assert client.get("/vendor/world-atlas/countries-50m.json").status_code == 200
    assert client.get("/vendor/leaflet/../../package.json").status_code == 404
    assert client.get("/vendor/commander/package.json").status_code == 404


def test_writes_are_refused_when_no_token_is_configured(sqlite_url: str) -> None:
    app, engine = make_app(sqlite_url, token="")
    demo = build_store(engine)
    client = client_for(app)
    r = client.patch(f"/api/v1/events/{demo.events['deir']}", json={"changes": {"fatalities": 1}, "who": "a", "why": "b"},
                     headers=auth())  # fmt: skip
    assert_error_shape(r.json(), 403, "read_only")
    assert_error_shape(client.post("/api/v1/documents", json={"text": "x"}, headers=auth()).json(), 403, "read_only")


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "token_required"),
        ({"Authorization": "Basic abc"}, 401, "token_required"),
        ({"Authorization": "Bearer "}, 401, "token_required"),
        ({"Authorization": "Bearer wrong-token"}, 403, "token_invalid"),
        ({"Authorization": f"Bearer {TOKEN}x"}, 403, "token_invalid"),
    ],
)
def test_writes_need_the_right_token(
    demo: tuple[TestClient, Demo], headers: dict[str, str], status: int, code: str
) -> None:
    client, d = demo
    r = client.patch(f"/api/v1/events/{d.events['deir']}", json={"changes": {"fatalities": 1}, "who": "a", "why": "b"},
                     headers=headers)  # fmt: skip
    assert_error_shape(r.json(), status, code)
    assert client.get(f"/api/v1/events/{d.events['deir']}").json()["reviews"] == []


def test_writes_with_the_right_token_succeed(demo: tuple[TestClient, Demo]) -> None:
    client, d = demo
    r = client.patch(f"/api/v1/events/{d.events['deir']}", json={"changes": {"fatalities": 1}, "who": "a", "why": "b"},
                     headers=auth())  # fmt: skip
    assert r.status_code == 200


def test_body_over_the_limit_is_413(sqlite_url: str) -> None:
    app, _engine = make_app(sqlite_url)
    client = client_for(app)
    r = client.post("/api/v1/documents", content=b"{" + b" " * (2 * 1024 * 1024 + 10) + b"}",
                    headers={**auth(), "Content-Type": "application/json"})  # fmt: skip
    assert_error_shape(r.json(), 413, "body_too_large")
    assert "content-security-policy" in r.headers


def test_streamed_body_over_the_limit_is_413(sqlite_url: str) -> None:
    app, _engine = make_app(sqlite_url, max_body=1000)
    client = client_for(app)

    def chunks() -> object:
        for _ in range(20):
            yield b" " * 100

    r = client.post("/api/v1/documents", content=chunks(), headers={**auth(), "Content-Type": "application/json"})  # type: ignore[arg-type]
    assert_error_shape(r.json(), 413, "body_too_large")


def test_post_document_ingests_through_the_pipeline(sqlite_url: str) -> None:
    nlp_mod = pytest.importorskip("sitreps.nlp")
    if not hasattr(nlp_mod, "build_pipeline"):
        pytest.skip("the NLP room has not landed yet (sitreps.nlp.build_pipeline missing)")
    app, _engine = make_app(sqlite_url)
    client = client_for(app)
    text = "Islamic State fighters seized the town of Palmyra on Sunday after heavy clashes with the Syrian army."
    r = client.post("/api/v1/documents", json={"text": text, "title": "Palmyra", "published": "2016-12-12",
                                                "outlet": "Levant Wire"}, headers=auth())  # fmt: skip
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "stored" and body["n_mentions"] >= 1 and body["events"]
    again = client.post("/api/v1/documents", json={"text": text}, headers=auth()).json()
    assert again["status"] == "duplicate"
    doc = client.get(f"/api/v1/documents/{body['document_id']}").json()
    assert doc["text"] == text and doc["mentions"]
