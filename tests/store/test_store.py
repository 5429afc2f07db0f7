"""The store on SQLite and on a real PostgreSQL server: schema, idempotent writes, queries, reviews."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from sitreps.errors import NotFoundError, StoreError, UsageError
from sitreps.model import Event, Fatalities
from sitreps.store import EventFilter, make_engine, replace_events, save_document, session_factory
from sitreps.store.engine import table_names
from sitreps.store.query import get_document, list_documents, list_events, stats
from tests.factories import make_document, make_mention


def _event(eid: str, mention_ids: list[str], **kw: object) -> Event:
    base: dict[str, object] = {
        "id": eid,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "action": None,
        "actor1": None,
        "actor2": None,
        "place": None,
        "date": None,
        "fatalities": Fatalities(12, 10, 15),
        "modality": "asserted",
        "mentions": mention_ids,
        "documents": [],
        "outlets": ["Levant Wire"],
        "n_mentions": len(mention_ids),
        "n_outlets": 1,
        "n_sources": 1,
        "status": "single-source",
        "confidence": 0.6,
    }
    base.update(kw)
    return Event(**base)  # type: ignore[arg-type]


def test_make_engine_creates_every_table(engine: Engine) -> None:
    names = set(table_names(engine))
    assert {"documents", "outlets", "mentions", "events", "event_mentions", "actors", "places", "reviews"} <= names


def test_save_document_twice_is_a_noop_reported_as_duplicate(engine: Engine) -> None:
    doc = make_document()
    with session_factory(engine)() as s:
        first = save_document(s, doc, [make_mention(doc)])
        second = save_document(s, doc, [make_mention(doc)])
    assert (first.status, first.n_mentions) == ("stored", 1)
    assert second.status == "duplicate"
    with session_factory(engine)() as s:
        assert stats(s)["documents"] == 1
        assert stats(s)["mentions"] == 1


def test_save_document_failure_keeps_what_was_stored(engine: Engine) -> None:
    good = make_document("Clashes in Palmyra on Friday.")
    bad = make_document("Clashes in Raqqa on Friday.")
    with session_factory(engine)() as s:
        save_document(s, good, [make_mention(good)])
        broken = make_mention(bad)
        broken.document_id = "no-such-document"  # violates the foreign key: the whole document must roll back
        with pytest.raises(Exception):  # noqa: B017 - the driver's IntegrityError class differs per database
            save_document(s, bad, [broken])
    with session_factory(engine)() as s:
        docs = list_documents(s)
    assert [d.id for d in docs] == [good.id]


def test_get_document_returns_text_and_mention_offsets(engine: Engine) -> None:
    doc = make_document()
    with session_factory(engine)() as s:
        save_document(s, doc, [make_mention(doc)])
        got, mentions, summary = get_document(s, doc.id)
    assert got.text == doc.text
    assert mentions[0].evidence.start == 0 and mentions[0].place is not None
    assert summary.n_mentions == 1
    with session_factory(engine)() as s, pytest.raises(NotFoundError):
        get_document(s, "0000000000000000")


def test_undated_document_keeps_published_null(engine: Engine) -> None:
    doc = make_document("Shelling hit the airport.", published=None)
    with session_factory(engine)() as s:
        save_document(s, doc, [])
        [summary] = list_documents(s)
    assert summary.published is None
    assert summary.to_json()["published_missing"] is True


def test_near_duplicate_is_linked_to_the_first_copy(engine: Engine) -> None:
    a = make_document("Text of the wire story.")
    b = make_document("Text of the wire story, syndicated.", outlet="Other Paper")
    with session_factory(engine)() as s:
        save_document(s, a, [])
        res = save_document(s, b, [], duplicate_of=a.id, similarity=0.91)
        summaries = {d.id: d for d in list_documents(s)}
    assert res.status == "near-duplicate"
    assert summaries[b.id].duplicate_of == a.id
    assert summaries[b.id].similarity == pytest.approx(0.91)


def test_list_events_filters_and_paginates(engine: Engine) -> None:
    doc = make_document()
    m = make_mention(doc)
    events = [
        _event(
            f"ev_{i:02d}", [m.id], date=None, status="corroborated" if i % 2 else "single-source", n_outlets=1 + i % 3
        )
        for i in range(5)
    ]
    with session_factory(engine)() as s:
        save_document(s, doc, [m])
        replace_events(s, events)
        page1, token = list_events(s, EventFilter(), limit=2)
        page2, token2 = list_events(s, EventFilter(), limit=2, after=token)
        page3, token3 = list_events(s, EventFilter(), limit=2, after=token2)
        corroborated, _ = list_events(s, EventFilter(status=["corroborated"]))
        two_outlets, _ = list_events(s, EventFilter(min_outlets=2))
    ids = [e.id for e in page1 + page2 + page3]
    assert sorted(ids) == [f"ev_{i:02d}" for i in range(5)] and len(set(ids)) == 5
    assert token3 is None
    assert {e.id for e in corroborated} == {"ev_01", "ev_03"}
    assert all(e.n_outlets >= 2 for e in two_outlets) and len(two_outlets) == 3


def test_event_filter_rejects_unknown_status_with_choices() -> None:
    with pytest.raises(UsageError, match="unknown status 'confirmed'") as err:
        EventFilter(status=["confirmed"]).validate()
    assert err.value.hint is not None and "corroborated" in err.value.hint


def test_filter_text_with_sql_wildcards_is_literal(engine: Engine) -> None:
    doc = make_document()
    m = make_mention(doc)
    with session_factory(engine)() as s:
        save_document(s, doc, [m])
        replace_events(s, [_event("ev_a", [m.id])])
        hits, _ = list_events(s, EventFilter(q="%' OR 1=1 --"))
        assert hits == []
        hits, _ = list_events(s, EventFilter(q="armed clash"))
        assert [e.id for e in hits] == ["ev_a"]


def test_replace_events_removes_events_no_longer_fused(engine: Engine) -> None:
    doc = make_document()
    m = make_mention(doc)
    with session_factory(engine)() as s:
        save_document(s, doc, [m])
        replace_events(s, [_event("ev_a", [m.id]), _event("ev_b", [m.id])])
        replace_events(s, [_event("ev_a", [m.id])])
        assert stats(s)["events"] == 1


def test_make_engine_names_a_missing_folder(tmp_path: object) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        make_engine("/no/such/folder/sitreps.db")


def test_stats_date_range(engine: Engine) -> None:
    with session_factory(engine)() as s:
        save_document(s, make_document("one", published=date(2017, 1, 2)), [])
        save_document(s, make_document("two", published=date(2017, 2, 3)), [])
        st = stats(s)
    assert (st["published_from"], st["published_to"]) == ("2017-01-02", "2017-02-03")
