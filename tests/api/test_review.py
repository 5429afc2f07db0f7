"""Analyst corrections: PATCH rules, the audit log, and reviews surviving re-fusion (replace_events)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from sitreps.store import replace_events, session_factory
from sitreps.store.query import get_event, reviews_of
from sitreps.store.review import ReviewError, review_event
from tests.api.helpers import (
    TOKEN,
    TestClient,
    assert_error_shape,
    auth,
    build_store,
    client_for,
    demo_events,
    make_app,
)


@pytest.fixture
def setup(db_url: str) -> tuple[TestClient, Engine, dict[str, str]]:
    app, engine = make_app(db_url)
    demo = build_store(engine)
    return client_for(app), engine, demo.events


def _patch(client: TestClient, eid: str, changes: dict[str, object], **kw: str) -> object:
    return client.patch(
        f"/api/v1/events/{eid}",
        json={"changes": changes, "who": kw.get("who", "analyst-1"), "why": kw.get("why", "checked the source")},
        headers=auth(kw.get("token", TOKEN)),
    )


def test_patch_event_stores_correction_and_audit_rows(setup: tuple[TestClient, Engine, dict[str, str]]) -> None:
    client, _engine, ids = setup
    r = _patch(client, ids["palmyra"], {"fatalities": 14, "sub_event_type": "Armed clash"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["event"]["fatalities"] == {"best": 14, "min": 14, "max": 14}
    assert body["event"]["sub_event_type"] == "Armed clash"
    assert set(body["event"]["reviewed"]) == {"fatalities", "sub_event_type"}
    assert sorted(body["changed"]) == ["fatalities", "sub_event_type"]
    log = {x["field"]: x for x in body["reviews"]}
    assert log["fatalities"]["old"] == {"best": 12, "min": 12, "max": 15}
    assert log["fatalities"]["new"]["best"] == 14
    assert log["fatalities"]["who"] == "analyst-1" and log["fatalities"]["why"] == "checked the source"
    detail = client.get(f"/api/v1/events/{ids['palmyra']}").json()
    assert len(detail["reviews"]) == 2 and detail["event"]["fatalities"]["best"] == 14
    assert client.get("/api/v1/events?sub_type=Armed%20clash").json()["count"] == 2


def test_patch_event_survives_refusion(setup: tuple[TestClient, Engine, dict[str, str]]) -> None:
    client, engine, ids = setup
    fused = demo_events(engine)  # what fusion would write again, before the correction
    assert _patch(client, ids["deir"], {"event_type": "Battles", "sub_event_type": "Armed clash",
                                         "place": {"name": "Deir ez-Zor airbase", "lat": 35.28, "lon": 40.18}}).status_code == 200  # fmt: skip
    with session_factory(engine)() as s:
        replace_events(s, fused)
    with session_factory(engine)() as s:
        e = get_event(s, ids["deir"])
    assert (e.event_type, e.sub_event_type) == ("Battles", "Armed clash")
    assert e.place is not None and e.place.name == "Deir ez-Zor airbase"
    assert client.get("/api/v1/events?bbox=40.1,35.2,40.2,35.3").json()["count"] == 1


def test_patch_event_rejected_hides_it_from_listings(setup: tuple[TestClient, Engine, dict[str, str]]) -> None:
    client, _engine, ids = setup
    assert _patch(client, ids["albab"], {"rejected": True}).json()["event"]["rejected"] is True
    assert ids["albab"] not in {e["id"] for e in client.get("/api/v1/events").json()["events"]}
    assert client.get(f"/api/v1/events/{ids['albab']}").json()["event"]["rejected"] is True


def test_patch_event_same_value_records_nothing(setup: tuple[TestClient, Engine, dict[str, str]]) -> None:
    client, _engine, ids = setup
    body = _patch(client, ids["deir"], {"fatalities": 7}).json()
    assert body["changed"] == [] and body["reviews"] == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"event_type": "Skirmish"}, "event_type"),
        ({"sub_event_type": "Ambush"}, "sub_event_type"),
        ({"event_type": "Riots"}, "sub_event_type"),
    ],
)
def test_patch_event_bad_type_is_422_with_choices(
    setup: tuple[TestClient, Engine, dict[str, str]], changes: dict[str, object], field: str
) -> None:
    client, _engine, ids = setup
    r = _patch(client, ids["deir"], changes)
    body = r.json()
    assert_error_shape(body, 422, "validation_error")
    assert body["details"][0]["loc"][-1] == field
    assert body["details"][0]["choices"]
    assert "valid choices" in body["hint"]


@pytest.mark.parametrize(
    "payload",
    [
        {"changes": {"colour": "red"}, "who": "a", "why": "b"},
        {"changes": {"fatalities": -1}, "who": "a", "why": "b"},
        {"changes": {"date": {"start": "soon"}}, "who": "a", "why": "b"},
        {"changes": {"fatalities": 3}, "who": "", "why": "b"},
        {"changes": {"fatalities": 3}},
    ],
)
def test_patch_event_invalid_body_is_422(
    setup: tuple[TestClient, Engine, dict[str, str]], payload: dict[str, object]
) -> None:
    client, _engine, ids = setup
    r = client.patch(f"/api/v1/events/{ids['deir']}", json=payload, headers=auth())
    assert_error_shape(r.json(), 422, "validation_error")


def test_patch_unknown_event_is_404(setup: tuple[TestClient, Engine, dict[str, str]]) -> None:
    client, _engine, _ids = setup
    assert_error_shape(_patch(client, "ev-gone", {"fatalities": 1}).json(), 404, "event_not_found")


def test_review_event_unknown_field_names_the_choices(setup: tuple[TestClient, Engine, dict[str, str]]) -> None:
    _client, engine, ids = setup
    with session_factory(engine)() as s, pytest.raises(ReviewError) as err:
        review_event(s, ids["deir"], {"confidence": 1.0}, who="a", why="b")
    assert "event_type" in (err.value.hint or "")
    with session_factory(engine)() as s:
        assert reviews_of(s, ids["deir"]) == []
