"""The event routes: listing with every filter, pagination, GeoJSON, CSV, evidence, timeline and clusters."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from tests.api.helpers import Demo, TestClient, assert_error_shape, build_store, client_for, make_app


@pytest.fixture
def demo(db_url: str) -> Iterator[tuple[TestClient, Demo]]:
    app, engine = make_app(db_url)
    demo = build_store(engine)
    yield client_for(app), demo
    engine.dispose()


@pytest.fixture
def client(demo: tuple[TestClient, Demo]) -> TestClient:
    return demo[0]


def _ids(client: TestClient, query: str) -> set[str]:
    r = client.get(f"/api/v1/events?{query}")
    assert r.status_code == 200, r.text
    return {e["id"] for e in r.json()["events"]}


def test_events_list_returns_contract_json_newest_first(client: TestClient) -> None:
    body = client.get("/api/v1/events").json()
    assert body["count"] == 6 and body["next"] is None
    dates = [e["date"]["start"] for e in body["events"] if e["date"]]
    assert dates == sorted(dates, reverse=True)
    first = body["events"][0]
    for key in ("id", "event_type", "sub_event_type", "actor1", "place", "date", "fatalities", "modality", "evidence",
                "mentions", "documents", "outlets", "n_mentions", "n_outlets", "n_sources", "status", "confidence"):  # fmt: skip
        assert key in first
    assert first["reviewed"] == [] and first["rejected"] is False


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=Battles", {"palmyra", "albab"}),
        ("type=Battles&type=Strategic%20developments", {"palmyra", "albab", "raqqa", "nowhere"}),
        ("sub_type=Air/drone%20strike", {"deir"}),
        ("actor=islamic-state", {"palmyra", "albab", "tabqa"}),
        ("place=palm", {"palmyra"}),
        ("place=geonames:170794", {"deir"}),
        ("country=sy", {"palmyra", "deir", "albab", "raqqa", "tabqa"}),
        ("min_outlets=2", {"palmyra"}),
        ("status=corroborated", {"palmyra"}),
        ("modality=hedged", {"albab"}),
        ("confidence=0.8", {"palmyra"}),
        ("q=russian%20jets", {"deir"}),
        ("since=2017-01-01", {"deir", "raqqa", "tabqa"}),
        ("until=2016-12-31", {"palmyra", "albab"}),
        ("since=2016-12-15&until=2017-01-31", {"albab", "deir"}),
        ("bbox=38,34,39,35", {"palmyra"}),
        ("bbox=37,35.5,40,37", {"albab", "raqqa", "tabqa"}),
    ],
)
def test_events_filter_selects_matching_events(demo: tuple[TestClient, Demo], query: str, expected: set[str]) -> None:
    client, d = demo
    assert _ids(client, query) == {d.events[k] for k in expected}
    assert client.get(f"/api/v1/events?{query}").json()["count"] == len(expected)


def test_events_pagination_walks_every_event_once(client: TestClient) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        r = client.get("/api/v1/events", params={"limit": 2, **({"cursor": cursor} if cursor else {})})
        body = r.json()
        assert len(body["events"]) <= 2
        assert body["count"] == (6 if cursor is None else None)  # counted on the first page only
        seen += [e["id"] for e in body["events"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert len(seen) == 6 and len(set(seen)) == 6


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("limit=0", "invalid_filter"),
        ("limit=1001", "invalid_filter"),
        ("limit=ten", "invalid_filter"),
        ("bbox=1,2,3", "invalid_filter"),
        ("bbox=0,80,10,10", "invalid_filter"),
        ("since=yesterday", "invalid_filter"),
        ("since=2017-02-01&until=2017-01-01", "invalid_filter"),
        ("status=rumour", "invalid_filter"),
        ("modality=maybe", "invalid_filter"),
        ("confidence=2", "invalid_filter"),
        ("confidence=nan", "invalid_filter"),
        ("min_outlets=-1", "invalid_filter"),
        ("cursor=%%%not-a-token", "invalid_cursor"),
    ],
)
def test_events_bad_filter_is_400_with_the_shape(client: TestClient, query: str, code: str) -> None:
    r = client.get(f"/api/v1/events?{query}")
    assert r.status_code == 400, r.text
    assert_error_shape(r.json(), 400, code)
    assert r.json()["hint"]


INJECTIONS = ["' OR '1'='1", "1; DROP TABLE events; --", "%' UNION SELECT * FROM documents --", "\\_%", "\x00"]
PARAMS = ["bbox", "since", "until", "type", "sub_type", "action", "actor", "place", "country", "min_outlets",
          "status", "modality", "confidence", "q", "limit", "cursor"]  # fmt: skip


@pytest.mark.parametrize("param", PARAMS)
def test_events_sql_injection_in_any_filter_is_harmless(client: TestClient, param: str) -> None:
    for value in INJECTIONS:
        for path in ("/api/v1/events", "/api/v1/timeline", "/api/v1/clusters"):
            r = client.get(path, params={param: value})
            assert r.status_code in (200, 400), (path, param, value, r.text)
            if r.status_code == 200 and path == "/api/v1/events":
                assert r.json()["count"] == 0 or param in ("limit",)
            if r.status_code == 400:
                assert_error_shape(r.json(), 400)
    assert client.get("/api/v1/events").json()["count"] == 6  # nothing was dropped


def test_events_geojson_is_an_rfc7946_feature_collection(demo: tuple[TestClient, Demo]) -> None:
    client, d = demo
    r = client.get("/api/v1/events.geojson?type=Battles")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/geo+json")
    body = r.json()
    assert body["type"] == "FeatureCollection" and body["count"] == 2
    by_id = {f["id"]: f for f in body["features"]}
    palmyra = by_id[d.events["palmyra"]]
    assert palmyra["type"] == "Feature"
    assert palmyra["geometry"] == {"type": "Point", "coordinates": [38.267, 34.56]}  # [lon, lat]
    assert palmyra["properties"]["fatalities"] == 12
    every = client.get("/api/v1/events.geojson").json()["features"]
    nowhere = next(f for f in every if f["id"] == d.events["nowhere"])
    assert nowhere["geometry"] is None


def test_events_csv_has_header_and_one_row_per_event(client: TestClient) -> None:
    r = client.get("/api/v1/events.csv?country=SY")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:6] == ["id", "event_date", "date_end", "time_precision", "event_type", "sub_event_type"]
    assert len(rows) == 1 + 5
    header = rows[0]
    lat = header.index("latitude")
    assert all(float(r[lat]) > 30 for r in rows[1:])


def test_events_csv_bad_filter_is_400_before_streaming(client: TestClient) -> None:
    r = client.get("/api/v1/events.csv?status=nope")
    assert_error_shape(r.json(), 400, "invalid_filter")


def test_event_detail_has_mentions_with_evidence_and_highlights(demo: tuple[TestClient, Demo]) -> None:
    client, d = demo
    r = client.get(f"/api/v1/events/{d.events['palmyra']}")
    assert r.status_code == 200
    body = r.json()
    assert body["event"]["id"] == d.events["palmyra"]
    assert body["outlets"] == ["Levant Wire", "Middle East Desk"]
    assert body["disagreements"] and body["reviews"] == []
    assert {doc["id"] for doc in body["documents"]} == {d.documents["palmyra_a"], d.documents["palmyra_b"]}
    m = next(m for m in body["mentions"] if m["document_id"] == d.documents["palmyra_a"])
    assert m["outlet"] == "Levant Wire" and m["published"] == "2016-12-12" and m["url"].startswith("https://")
    text = m["evidence"]["text"]
    spans = {h["kind"]: text[h["start"] : h["end"]] for h in m["highlights"]}
    assert spans == {"trigger": "seized", "actor1": "Islamic State", "actor2": "the Syrian army", "place": "Palmyra",
                     "date": "on Sunday", "fatalities": "12"}  # fmt: skip


def test_event_detail_accepts_a_unique_prefix(demo: tuple[TestClient, Demo]) -> None:
    client, d = demo
    assert client.get("/api/v1/events/ev-deir").json()["event"]["id"] == d.events["deir"]


def test_event_detail_unknown_id_is_event_not_found(client: TestClient) -> None:
    r = client.get("/api/v1/events/ev-missing")
    assert_error_shape(r.json(), 404, "event_not_found")


def test_event_detail_ambiguous_prefix_is_400(client: TestClient) -> None:
    r = client.get("/api/v1/events/ev-")  # every event id starts with ev-
    assert_error_shape(r.json(), 400, "ambiguous_id")


def test_timeline_counts_per_day_and_type(client: TestClient) -> None:
    body = client.get("/api/v1/timeline?interval=day").json()
    assert body["interval"] == "day" and body["undated"] == 1
    by_day = {b["start"]: b for b in body["buckets"]}
    assert by_day["2016-12-11"]["counts"] == {"Battles": 1}
    assert by_day["2016-12-12"]["total"] == 0  # gaps are filled
    assert sum(b["total"] for b in body["buckets"]) == 5


def test_timeline_weeks_start_on_monday_and_honour_filters(client: TestClient) -> None:
    body = client.get("/api/v1/timeline?interval=week&type=Battles").json()
    assert body["types"] == ["Battles"]
    assert body["buckets"][0]["start"] == "2016-12-05"
    assert sum(b["total"] for b in body["buckets"]) == 2


def test_timeline_auto_interval_picks_days_or_weeks_by_range(client: TestClient) -> None:
    days = client.get("/api/v1/timeline?interval=day").json()
    span = len(days["buckets"])
    wide = client.get("/api/v1/timeline?interval=auto").json()
    assert wide["interval"] == ("week" if span > 180 else "day")
    assert sum(b["total"] for b in wide["buckets"]) == 5
    narrow = client.get("/api/v1/timeline?interval=auto&since=2016-12-01&until=2016-12-31").json()
    assert narrow["interval"] == "day" and narrow["buckets"]


def test_timeline_bad_interval_is_422(client: TestClient) -> None:
    assert_error_shape(client.get("/api/v1/timeline?interval=year").json(), 422, "validation_error")


def test_clusters_merge_nearby_events_at_low_zoom_and_split_when_zoomed(client: TestClient) -> None:
    low = client.get("/api/v1/clusters?zoom=3").json()
    assert low["total"] == 5 and low["unlocated"] == 1
    assert len(low["clusters"]) == 1 and low["clusters"][0]["count"] == 5
    assert low["clusters"][0]["top_type"] in ("Battles", "Explosions/Remote violence")
    high = client.get("/api/v1/clusters?zoom=9").json()
    assert len(high["clusters"]) == 5
    w, s, e, n = high["clusters"][0]["bbox"]
    assert w <= high["clusters"][0]["lon"] <= e and s <= high["clusters"][0]["lat"] <= n


def test_clusters_honour_bbox_and_filters(client: TestClient) -> None:
    body = client.get("/api/v1/clusters?zoom=9&bbox=38,34,39,35").json()
    assert body["total"] == 1
    assert client.get("/api/v1/clusters?zoom=9&type=Riots").json()["clusters"] == []


def test_events_list_items_equal_each_stored_event_with_review_flags(db_url: str) -> None:
    from sitreps.api.queries import event_flags
    from sitreps.api.routes.events import event_json
    from sitreps.store import session_factory
    from sitreps.store.query import get_event
    from sitreps.store.review import review_event

    app, engine = make_app(db_url)
    demo = build_store(engine)
    sessions = session_factory(engine)
    with sessions() as s:
        review_event(s, demo.events["palmyra"], {"fatalities": 14, "actor2": None}, who="a", why="checked")
    listed = client_for(app).get("/api/v1/events").json()["events"]
    with sessions() as s:
        for item in listed:
            assert item == event_json(get_event(s, item["id"]), event_flags(s, [item["id"]]))
    reviewed = next(e for e in listed if e["id"] == demo.events["palmyra"])
    assert reviewed["reviewed"] == ["actor2", "fatalities"] and reviewed["fatalities"]["best"] == 14
    engine.dispose()


@pytest.mark.parametrize(
    ("data", "reviewed", "rejected", "expected"),
    [
        ('{"id": "e1"}', "{}", False, {"id": "e1", "reviewed": [], "rejected": False}),
        ('{"id": "e1"} ', '{"place": {}, "date": null}', True, {"id": "e1", "reviewed": ["date", "place"], "rejected": True}),
        ("{}", None, False, {"reviewed": [], "rejected": False}),
    ],
)  # fmt: skip
def test_event_text_appends_review_flags_to_stored_json(
    data: str, reviewed: str | None, rejected: bool, expected: dict[str, object]
) -> None:
    import json

    from sitreps.api.queries import event_text

    assert json.loads(event_text(data, reviewed, rejected)) == expected


def test_events_count_counts_every_match_only_when_a_next_page_exists(client: TestClient) -> None:
    full = client.get("/api/v1/events?limit=6").json()
    assert full["next"] is None and full["count"] == 6 and full["count_capped"] is False
    first = client.get("/api/v1/events?limit=5").json()
    assert first["next"] is not None and first["count"] == 6
    second = client.get("/api/v1/events", params={"limit": 5, "cursor": first["next"]}).json()
    assert second["count"] is None and len(second["events"]) == 1


@pytest.mark.parametrize("path", ["/api/v1/events?type=Battles", "/api/v1/timeline?interval=week", "/api/v1/clusters"])
def test_listings_answer_304_to_their_etag_until_the_store_changes(db_url: str, path: str) -> None:
    from sitreps.store import replace_events, session_factory
    from tests.api.helpers import demo_events

    app, engine = make_app(db_url)
    build_store(engine)
    client = client_for(app)
    first = client.get(path)
    tag = first.headers["etag"]
    assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
    again = client.get(path, headers={"If-None-Match": f'W/"other", {tag}'})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert client.get(path.replace("?", "?limit=5&") if "?" in path else path + "?zoom=5").headers["etag"] != tag
    with session_factory(engine)() as s:
        replace_events(s, demo_events(engine)[1:])
    changed = client.get(path, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    engine.dispose()
