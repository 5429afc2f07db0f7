"""API hardening: schemathesis finds no 5xx, writes need the token, filters resist SQL injection, CSP and 413."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, inspect, text

from sitreps.model import Span
from sitreps.runner import refuse
from sitreps.store import make_engine, save_document, session_factory
from tests.conftest import IN_CI
from tests.factories import make_document, make_mention

try:
    from sitreps.api.app import create_app
except ImportError as e:  # the API room is being built; never hide its absence in CI
    if IN_CI:
        raise
    pytest.skip(f"sitreps.api.app is not importable yet ({e})", allow_module_level=True)

with warnings.catch_warnings():  # starlette asks for `httpx2`, which is not installed; httpx still works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

TOKEN = "s3cret-token"
INJECTIONS = ["' OR '1'='1", "1; DROP TABLE events; --", "%' UNION SELECT id FROM documents --", "\\", "'", '")--']
PARAMS = ["bbox", "since", "until", "type", "sub_type", "action", "actor", "place", "country", "min_outlets",
          "status", "modality", "confidence", "q", "limit", "cursor"]  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'api.db'}")
    sessions = session_factory(engine)
    for i in range(4):
        doc = make_document(f"Report {i}: Islamic State attacked the Syrian army in Deir ez-Zor on Saturday.")
        with sessions() as s:
            save_document(s, doc, [make_mention(doc), make_mention(doc, trigger=Span(doc.text[9:20], 9, 20))])
    refuse(sessions)
    yield engine
    engine.dispose()


@pytest.fixture
def client(store: Engine) -> Iterator[TestClient]:
    from sitreps.config import load_settings

    app = create_app(load_settings(None, []), engine=store, token=TOKEN, max_body=50_000)
    with TestClient(app) as c:
        yield c


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table (and which tables exist): what an injected statement would change."""
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        return {n: int(conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one()) for n in names}


def operations(app: Any, method: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """(path, parameters) of every operation with this method in the app's own OpenAPI document."""
    spec = app.openapi()
    return [(path, ops[method].get("parameters", [])) for path, ops in spec["paths"].items() if method in ops]


def test_api_every_query_and_path_parameter_is_harmless_under_sql_injection(client: TestClient, store: Engine) -> None:
    """Every GET operation of the OpenAPI document, every parameter, every attack: a 2xx/4xx and no change."""
    before = table_counts(store)
    assert before["events"] and before["documents"]
    event_id = client.get("/api/v1/events").json()["events"][0]["id"]
    ops = operations(client.app, "get")
    assert len(ops) >= 10, "the OpenAPI document lost its operations"
    tried = 0
    for path, params in ops:
        for name, where in [(p["name"], p["in"]) for p in params]:
            for attack in INJECTIONS:
                if where == "path":
                    url, query = path.replace("{" + name + "}", quote(attack, safe="")), {}
                else:
                    url = path.replace("{event_id}", event_id).replace("{document_id}", "0" * 16)
                    query = {name: attack}
                r = client.get(url, params=query)
                tried += 1
                assert r.status_code in (200, 400, 404, 422), (path, name, attack, r.status_code, r.text[:300])
                if r.status_code == 200 and path == "/api/v1/events":
                    assert len(r.json()["events"]) <= before["events"]
    assert tried >= len(INJECTIONS) * len(PARAMS) * 3
    assert table_counts(store) == before


def write_requests(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    """A valid request for every non-GET operation in the OpenAPI document (method, URL, JSON body)."""
    event_id = client.get("/api/v1/events").json()["events"][0]["id"]
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("post", "/api/v1/documents"): {"text": "Islamic State attacked Palmyra on Saturday."},
        ("patch", "/api/v1/events/{event_id}"): {"rejected": True},
    }
    out = []
    for method in ("post", "put", "patch", "delete"):
        for path, _params in operations(client.app, method):
            assert (method, path) in bodies, f"new write operation {method.upper()} {path}: add it to this test"
            out.append((method.upper(), path.replace("{event_id}", event_id), bodies[(method, path)]))
    return out


REFUSALS: list[tuple[dict[str, str], dict[str, str], int]] = [
    ({}, {}, 401),
    ({"Authorization": "Bearer "}, {}, 401),
    ({"Authorization": f"Basic {TOKEN}"}, {}, 401),
    ({"Authorization": TOKEN}, {}, 401),
    ({}, {"token": TOKEN, "access_token": TOKEN}, 401),  # never from the URL, where logs and referrers keep it
    ({"Authorization": "Bearer nope"}, {}, 403),
    ({"Authorization": f"Bearer {TOKEN[:-1]}X"}, {}, 403),
    ({"Authorization": f"Bearer {TOKEN}{TOKEN}"}, {}, 403),
    ({"Authorization": f"Bearer {TOKEN.upper()}"}, {}, 403),
]


def test_api_every_write_operation_refuses_missing_or_wrong_tokens(client: TestClient, store: Engine) -> None:
    before = table_counts(store)
    requests = write_requests(client)
    assert len(requests) >= 2
    for method, url, body in requests:
        for headers, query, status in REFUSALS:
            r = client.request(method, url, json=body, headers=headers, params=query)
            assert r.status_code == status, (method, url, headers, query, r.status_code, r.text[:200])
            assert r.json()["code"] == ("token_required" if status == 401 else "token_invalid")
    assert table_counts(store) == before
    patched = [url for method, url, _ in requests if method == "PATCH"]
    assert patched and not client.get(patched[0]).json().get("rejected"), "a refused PATCH changed the event"


def test_api_without_a_configured_token_refuses_every_write(store: Engine) -> None:
    from sitreps.config import load_settings

    app = create_app(load_settings(None, []), engine=store, token="", max_body=50_000)
    before = table_counts(store)
    with TestClient(app) as c:
        for method, url, body in write_requests(c):
            for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": f"Bearer {TOKEN}"}):
                r = c.request(method, url, json=body, headers=headers)
                assert r.status_code == 403 and r.json()["code"] == "read_only", (method, url, headers)
    assert table_counts(store) == before


def test_api_token_is_compared_in_constant_time(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every token check goes through hmac.compare_digest, whose time does not depend on where strings differ."""
    import hmac

    real = hmac.compare_digest
    calls: list[tuple[Any, Any]] = []

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    [(method, url, body)] = [r for r in write_requests(client) if r[0] == "PATCH"]
    for given in ("nope", TOKEN[:-1] + "X"):
        r = client.request(method, url, json=body, headers={"Authorization": f"Bearer {given}"})
        assert r.status_code == 403
    assert [a for a, _ in calls] == [b"nope", (TOKEN[:-1] + "X").encode()]
    assert all(b == TOKEN.encode() for _, b in calls)


def test_api_sends_content_security_policy(client: TestClient) -> None:
    for path in ("/api/v1/events", "/api/v1/meta", "/"):
        csp = client.get(path).headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, path


def test_api_refuses_request_body_over_the_limit(client: TestClient) -> None:
    big = {"text": "Fighting in Raqqa. " * 5000}
    r = client.post("/api/v1/documents", json=big, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413 and "larger than" in r.text


def test_api_openapi_fuzzed_by_schemathesis_never_answers_5xx(client: TestClient) -> None:
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, Phase, given, settings

    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    failures: list[str] = []
    for op in schema.get_all_operations():
        operation: Any = op.ok()
        if operation.method.upper() != "GET":
            continue  # writes run the NLP pipeline; token refusal is tested above

        @settings(
            max_examples=15, deadline=None, database=None, derandomize=True,
            phases=[Phase.generate], suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            response = case.call()
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} -> {response.status_code}")

        check()
    assert not failures, failures[:10]


def test_api_refuses_streamed_body_over_the_limit(client: TestClient) -> None:
    """A chunked body has no Content-Length to check up front: the middleware counts what arrives."""

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(20):
            yield b"Fighting in Raqqa. " * 500
        yield b'"}'

    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    r = client.post("/api/v1/documents", content=chunks(), headers=headers)
    assert r.status_code == 413 and r.json()["code"] == "body_too_large" and "larger than" in r.json()["error"]
