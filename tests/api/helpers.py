"""Builders for API and web tests: a small hand-made store (documents, mentions, fused events) and an app client."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from sitreps.api import create_app
from sitreps.config import Settings
from sitreps.model import ActorRef, DateInterval, Document, Event, Fatalities, Mention, Place, Span
from sitreps.store import make_engine, replace_events, save_document, session_factory
from tests.factories import make_document, make_mention

with warnings.catch_warnings():
    # Starlette asks for `httpx2`; until the lock adds it, plain httpx works and only the import warns.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # re-exported: import it from here, never directly

TOKEN = "test-token-0123456789abcdef"
XSS_TEXT = (
    'Witnesses said <script>window.__xss=1</script> IS fighters shelled Tabqa <img src=x onerror="window.__xss=2;'
    'alert(1)"> on Monday, killing 3 people.'
)

IS = ActorRef("islamic-state", "Islamic State", "Islamic State", "rebel-group")
SAA = ActorRef("syria-military", "Military Forces of Syria", "the Syrian army", "state-forces")
RU = ActorRef("russia-military", "Military Forces of Russia", "Russian jets", "state-forces")
TR = ActorRef("turkey-military", "Military Forces of Turkey", "Turkish forces", "state-forces")
SDF = ActorRef("sdf", "Syrian Democratic Forces", "The SDF", "rebel-group")

PALMYRA = Place("geonames:170885", "Palmyra", "Palmyra", 34.560, 38.267, "SY", "Homs", 1, "city")
DEIR = Place("geonames:170794", "Deir ez-Zor", "Deir ez-Zor", 35.336, 40.141, "SY", "Deir ez-Zor", 1, "city")
ALBAB = Place("geonames:170017", "al-Bab", "al-Bab", 36.370, 37.516, "SY", "Aleppo", 1, "city")
RAQQA = Place("geonames:163915", "Raqqa", "Raqqa", 35.950, 39.009, "SY", "Raqqa", 1, "city")
TABQA = Place("geonames:163345", "Tabqa", "Tabqa", 35.836, 38.548, "SY", "Raqqa", 1, "city")


def _day(iso: str, text: str | None = None) -> DateInterval:
    d = date.fromisoformat(iso)
    return DateInterval(d, d, 1, text, "test")


def _mention(doc: Document, trigger: str, **kw: Any) -> Mention:
    """A mention whose trigger and evidence offsets point at real text of the document."""
    i = doc.text.index(trigger)
    kw.setdefault("evidence", Span(doc.text, 0, len(doc.text)))
    return make_mention(doc, trigger=Span(trigger, i, i + len(trigger)), **kw)


@dataclass
class Demo:
    """Ids of what `build_store` wrote, by short name."""

    events: dict[str, str]
    documents: dict[str, str]


def _event(eid: str, ms: list[Mention], docs: list[Document], **kw: Any) -> Event:
    first = ms[0]
    outlets = sorted({d.outlet for d in docs if d.outlet})
    base: dict[str, Any] = {
        "id": eid,
        "event_type": first.event_type,
        "sub_event_type": first.sub_event_type,
        "action": first.action,
        "actor1": first.actor1,
        "actor2": first.actor2,
        "place": first.place,
        "date": first.date,
        "fatalities": Fatalities(first.fatalities, first.fatalities, first.fatalities),
        "modality": first.modality,
        "mentions": [m.id for m in ms],
        "documents": [d.id for d in docs],
        "outlets": outlets,
        "n_mentions": len(ms),
        "n_outlets": len(outlets),
        "n_sources": len(outlets),
        "status": "corroborated" if len(outlets) > 1 else "single-source",
        "confidence": 0.9 if len(outlets) > 1 else 0.6,
        "first_reported": min(d.published for d in docs if d.published),
        "attribution": first.attribution,
        "evidence": first.evidence,
    }
    base.update(kw)
    return Event(**base)


def build_store(engine: Engine) -> Demo:
    """Six documents, seven mentions and six events around the eastern Syria front, one carrying an XSS payload."""
    d1 = make_document(
        "Islamic State fighters seized Palmyra on Sunday after clashes with the Syrian army, killing 12 soldiers.",
        published=date(2016, 12, 12),
        outlet="Levant Wire",
        title="IS seizes Palmyra",
        url="https://levantwire.example/palmyra",
    )
    d2 = make_document(
        "The Syrian army withdrew as Islamic State fighters captured Palmyra on Sunday; 15 soldiers died.",
        published=date(2016, 12, 12),
        outlet="Middle East Desk",
        title="Palmyra falls again",
    )
    d3 = make_document(
        "Russian jets struck Deir ez-Zor on Saturday, killing 7 civilians, activists said.",
        published=date(2017, 1, 16),
        outlet="Levant Wire",
        title="Strikes on Deir ez-Zor",
    )
    d4 = make_document(
        "Turkish forces clashed with Islamic State near al-Bab on Wednesday.",
        published=date(2016, 12, 22),
        outlet="Kurdistan Today",
        title="Clashes near al-Bab",
    )
    d5 = make_document(
        "The SDF announced a new phase of its offensive near Raqqa on Saturday.",
        published=date(2017, 2, 5),
        outlet="Euphrates Monitor",
        title="SDF offensive",
    )
    d6 = make_document(
        XSS_TEXT, published=date(2017, 3, 21), outlet="Frontline <b>Blog</b>", title="<script>t()</script>"
    )
    m1 = _mention(d1, "seized", sub_event_type="Non-state actor overtakes territory", actor1=IS, actor2=SAA,
                  place=PALMYRA, date=_day("2016-12-11", "on Sunday"), fatalities=12)  # fmt: skip
    m2 = _mention(d2, "captured", sub_event_type="Non-state actor overtakes territory", actor1=IS, actor2=SAA,
                  place=PALMYRA, date=_day("2016-12-11", "on Sunday"), fatalities=15)  # fmt: skip
    m3 = _mention(d3, "struck", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                  actor1=RU, actor2=None, place=DEIR, date=_day("2017-01-14", "on Saturday"), fatalities=7,
                  attribution="activists")  # fmt: skip
    m4 = _mention(d4, "clashed", actor1=TR, actor2=IS, place=ALBAB, date=_day("2016-12-21", "on Wednesday"),
                  fatalities=None, modality="hedged")  # fmt: skip
    m5 = _mention(d5, "announced", event_type="Strategic developments", sub_event_type="Change to group/activity",
                  actor1=SDF, actor2=None, place=RAQQA, date=_day("2017-02-04", "on Saturday"), fatalities=None,
                  modality="planned")  # fmt: skip
    evil_actor = ActorRef(None, '<img src=x onerror="window.__xss=3">', '<img src=x onerror="window.__xss=3">')
    m6 = _mention(d6, "shelled", event_type="Explosions/Remote violence",
                  sub_event_type="Shelling/artillery/missile attack", actor1=IS, actor2=evil_actor, place=TABQA,
                  date=_day("2017-03-20", "on Monday"), fatalities=3)  # fmt: skip
    docs = {"palmyra_a": d1, "palmyra_b": d2, "deir": d3, "albab": d4, "raqqa": d5, "xss": d6}
    with session_factory(engine)() as s:
        save_document(s, d1, [m1])
        save_document(s, d2, [m2])
        save_document(s, d3, [m3])
        save_document(s, d4, [m4])
        save_document(s, d5, [m5])
        save_document(s, d6, [m6])
    events = [
        _event(
            "ev-palmyra-0001",
            [m1, m2],
            [d1, d2],
            fatalities=Fatalities(12, 12, 15),
            disagreements=["fatalities: 12 (Levant Wire) vs 15 (Middle East Desk)"],
        ),
        _event("ev-deir-0002", [m3], [d3]),
        _event("ev-albab-0003", [m4], [d4]),
        _event("ev-raqqa-0004", [m5], [d5]),
        _event("ev-tabqa-0005", [m6], [d6]),
        _event(
            "ev-nowhere-0006",
            [m5],
            [d5],
            event_type="Strategic developments",
            sub_event_type="Agreement",
            place=None,
            date=None,
            actor1=None,
            actor2=None,
        ),
    ]
    with session_factory(engine)() as s:
        replace_events(s, events)
    names = ["palmyra", "deir", "albab", "raqqa", "tabqa", "nowhere"]
    return Demo({n: e.id for n, e in zip(names, events, strict=True)}, {k: d.id for k, d in docs.items()})


def demo_events(engine: Engine) -> list[Event]:
    """The events `build_store` writes (rebuilt, for replace_events in re-fusion tests)."""
    from sitreps.store.query import list_events

    with session_factory(engine)() as s:
        events, _ = list_events(s, limit=1000)
    return events


def make_app(
    db_url: str, *, token: str | None = TOKEN, max_body: int = 2 * 1024 * 1024, **settings: Any
) -> tuple[FastAPI, Engine]:
    """An app over a fresh store at `db_url` (token empty string = read-only)."""
    engine = make_engine(db_url)
    app = create_app(
        Settings(db=db_url, **settings), engine=engine, token=token if token is not None else "", max_body=max_body
    )
    return app, engine


def client_for(app: FastAPI) -> TestClient:
    """A test client that turns server errors into 500 responses, as a real client would see them."""
    return TestClient(app, raise_server_exceptions=False)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error_shape(body: Any, status: int, code: str | None = None) -> None:
    """Every error has the same keys; clients branch on `code`."""
    assert isinstance(body, dict), body
    assert set(body) == {"ok", "error", "code", "status", "details", "hint"}, body
    assert body["ok"] is False
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["details"], list)
    assert "Traceback" not in body["error"] and "Traceback" not in str(body["details"])
    if code is not None:
        assert body["code"] == code, body
