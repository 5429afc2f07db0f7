"""A small Deir ez-Zor store for report and export tests: hand-made events over factory documents and mentions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from sitreps.model import ActorRef, DateInterval, Event, Fatalities, Place, Span
from sitreps.store import replace_events, save_document, session_factory
from tests.factories import make_document, make_mention

IS = ActorRef("islamic-state", "Islamic State", "IS", "rebel-group")
SAA = ActorRef("syria-military", "Military Forces of Syria", "the Syrian army", "state-forces")
RUS = ActorRef("russia-military", "Military Forces of Russia", "Russian jets", "external-forces")
CIV = ActorRef("civilians-syria", "Civilians (Syria)", "civilians", "civilians")
SDF = ActorRef("sdf", "Syrian Democratic Forces", "the SDF", "rebel-group")
DEIR = Place("geonames:170794", "Deir ez-Zor", "Deir ez-Zor", 35.336, 40.141, "SY", "Deir ez-Zor", 1, "city")
AIRPORT = Place(
    "user:deir-airport", "Deir ez-Zor airport", "the airport", 35.285, 40.175, "SY", "Deir ez-Zor", 1, "airport"
)
RAQQA = Place("geonames:163915", "Raqqa", "Raqqa", 35.95, 39.01, "SY", "Ar-Raqqah", 1, "city")


def _d(a: date, b: date | None = None, precision: int = 1) -> DateInterval:
    return DateInterval(a, b or a, precision, None, "test")


SPECS: list[dict[str, object]] = [
    # id, type, sub, actors, place, date, fatalities, status, modality, outlets
    {"id": "e1battle", "t": "Battles", "s": "Armed clash", "a1": IS, "a2": SAA, "p": DEIR,
     "d": _d(date(2017, 1, 14), date(2017, 1, 15), 2), "f": Fatalities(12, 12, 20), "st": "corroborated",
     "m": "asserted", "o": ["Levant Wire", "Middle East Desk", "DNA"]},
    {"id": "e2strike", "t": "Explosions/Remote violence", "s": "Air/drone strike", "a1": RUS, "a2": IS, "p": AIRPORT,
     "d": _d(date(2017, 1, 16)), "f": Fatalities(5, 5, 5), "st": "single-source", "m": "hedged",
     "o": ["Euphrates Monitor"], "attr": "Syrian Observatory for Human Rights"},
    {"id": "e3civil", "t": "Violence against civilians", "s": "Attack", "a1": IS, "a2": CIV,
     "p": Place("geonames:1", "Al-Joura", "Al-Joura", 35.345, 40.12, "SY", "Deir ez-Zor", 1, "town"),
     "d": _d(date(2017, 1, 18)), "f": Fatalities(3, 2, 9), "st": "disputed", "m": "asserted",
     "o": ["Levant Wire", "DNA"], "dis": ["fatalities: 2 vs 9"]},
    {"id": "e4reinf", "t": "Strategic developments", "s": "Change to group/activity", "a1": SAA, "a2": None,
     "p": DEIR, "d": _d(date(2017, 1, 20)), "f": Fatalities(None, None, None), "st": "corroborated",
     "m": "asserted", "o": ["Levant Wire", "Middle East Desk"]},
    {"id": "e5raqqa", "t": "Battles", "s": "Armed clash", "a1": SDF, "a2": IS, "p": RAQQA,
     "d": _d(date(2017, 1, 17)), "f": Fatalities(4, 4, 4), "st": "corroborated", "m": "asserted",
     "o": ["Kurdistan Today", "Levant Wire"]},
    {"id": "e6before", "t": "Battles", "s": "Armed clash", "a1": IS, "a2": SAA, "p": DEIR,
     "d": _d(date(2017, 1, 10)), "f": Fatalities(2, 2, 2), "st": "corroborated", "m": "asserted",
     "o": ["Levant Wire", "DNA"]},
    {"id": "e7nocoord", "t": "Strategic developments", "s": "Agreement", "a1": SAA, "a2": None,
     "p": Place(None, "somewhere", "somewhere", None, None, "SY", None, 3, None), "d": _d(date(2017, 1, 11)),
     "f": Fatalities(0, 0, 0), "st": "single-source", "m": "asserted", "o": ["Levant Wire"]},
]  # fmt: skip

ALL_IDS = {str(s["id"]) for s in SPECS}


def build_store(engine: Engine) -> list[Event]:
    """Save one document and mention per outlet of each event, then write the events; returns them."""
    sessions = session_factory(engine)
    events: list[Event] = []
    for spec in SPECS:
        mention_ids: list[str] = []
        doc_ids: list[str] = []
        d = spec["d"]
        assert isinstance(d, DateInterval) and d.start is not None
        f = spec["f"]
        assert isinstance(f, Fatalities)
        for k, outlet in enumerate(spec["o"]):  # type: ignore[arg-type]
            text = f"Report {spec['id']} number {k} by {outlet}: fighting near the city, a monitor said."
            doc = make_document(text, outlet=outlet, published=d.start, title=f"{spec['id']} {outlet}")
            m = make_mention(
                doc,
                event_type=spec["t"],
                sub_event_type=spec["s"],
                actor1=spec["a1"],
                actor2=spec["a2"],
                place=spec["p"],
                date=d,
                fatalities=f.best,
                modality=spec["m"],
                attribution=spec.get("attr"),
            )
            with sessions() as s:
                save_document(s, doc, [m])
            mention_ids.append(m.id)
            doc_ids.append(doc.id)
        outlets = list(spec["o"])  # type: ignore[call-overload]
        events.append(
            Event(
                id=str(spec["id"]),
                event_type=str(spec["t"]),
                sub_event_type=str(spec["s"]),
                action=None,
                actor1=spec["a1"],  # type: ignore[arg-type]
                actor2=spec["a2"],  # type: ignore[arg-type]
                place=spec["p"],  # type: ignore[arg-type]
                date=d,
                fatalities=f,
                modality=spec["m"],  # type: ignore[arg-type]
                mentions=mention_ids,
                documents=doc_ids,
                outlets=outlets,
                n_mentions=len(mention_ids),
                n_outlets=len(outlets),
                n_sources=len(outlets),
                status=spec["st"],  # type: ignore[arg-type]
                confidence=0.8 if spec["st"] == "corroborated" else 0.5,
                first_reported=d.start,
                attribution=spec.get("attr"),  # type: ignore[arg-type]
                evidence=Span("fighting near the city", 0, 22),
                disagreements=list(spec.get("dis", [])),  # type: ignore[call-overload]
            )
        )
    with sessions() as s:
        replace_events(s, events)
    return events
