"""Builders for model objects in tests: make_document, make_mention, make_event."""

from __future__ import annotations

from datetime import date
from typing import Any

from sitreps.model import ActorRef, DateInterval, Document, Mention, Place, Span, stable_id


def make_document(text: str = "Fighting was reported in Deir ez-Zor on Saturday.", **kw: Any) -> Document:
    """A Document whose id is the hash of its text, as ingest makes it."""
    kw.setdefault("published", date(2017, 1, 16))
    kw.setdefault("outlet", "Levant Wire")
    return Document(id=kw.pop("id", None) or stable_id(text), text=text, **kw)


def make_mention(document: Document, **kw: Any) -> Mention:
    """A Battles mention at Deir ez-Zor by IS against the Syrian army, overridable field by field."""
    text = document.text
    defaults: dict[str, Any] = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "action": None,
        "trigger": Span(text[:8], 0, 8),
        "evidence": Span(text, 0, len(text)),
        "actor1": ActorRef("islamic-state", "Islamic State", "IS", "rebel-group"),
        "actor2": ActorRef("syria-military", "Military Forces of Syria", "the Syrian army", "state-forces"),
        "place": Place("geonames:170794", "Deir ez-Zor", "Deir ez-Zor", 35.336, 40.141, "SY", "Deir ez-Zor", 1, "city"),
        "date": DateInterval(date(2017, 1, 14), date(2017, 1, 14), 1, "on Saturday", "weekday"),
        "fatalities": 12,
        "modality": "asserted",
        "attribution": None,
        "confidence": 0.8,
    }
    defaults.update(kw)
    return Mention(document_id=document.id, **defaults)
