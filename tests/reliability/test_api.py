"""API hardening: schemathesis finds no 5xx, writes need the token, filters resist SQL injection, CSP and 413."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from sitreps.model import Span
from sitreps.runner import refuse
from sitreps.store import make_engine, save_document, session_factory
from sitreps.store.schema import EventRow
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


def n_events(engine: Engine) -> int:
    with session_factory(engine)() as s:
        return int(s.scalar(select(func.count()).select_from(EventRow)) or 0)


@pytest.mark.parametrize("param", PARAMS)
def test_api_filters_are_harmless_under_sql_injection(client: TestClient, store: Engine, param: str) -> None:
    before = n_events(store)
    assert before
    for attack in INJECTIONS:
        r = client.get("/api/v1/events", params={param: attack})
        assert r.status_code in (200, 400, 422), (param, attack, r.status_code, r.text[:300])
        if r.status_code == 200:
            assert len(r.json()["events"]) <= before
    assert n_events(store) == before


def test_api_write_endpoints_refuse_missing_or_wrong_token(client: TestClient) -> None:
    body = {"text": "Islamic State attacked Palmyra on Saturday."}
    assert client.post("/api/v1/documents", json=body).status_code == 401
    bad = client.post("/api/v1/documents", json=body, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 403
    events = client.get("/api/v1/events").json()["events"]
    patch = client.patch(f"/api/v1/events/{events[0]['id']}", json={"rejected": True})
    assert patch.status_code == 401


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
