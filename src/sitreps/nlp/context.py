"""What a whole document says about places and actors, gathered once before its sentences are resolved."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from spacy.tokens import Doc

from sitreps.model import ActorRef, Document, Place
from sitreps.nlp import resolve

DATELINE = re.compile(
    r"^\s*([A-Z][A-Z .'/\-]{2,40}[A-Z])(?:,\s*([A-Z][A-Za-z .'\-]{2,30}?))?\s*,?\s*(?:\(|[A-Z][a-z]{2,8}\.? \d{1,2}\b|[-–—])"
)
"""A wire dateline: 'DEIR EZ-ZOR, Syria, Jan 15 (Agency) -' → city and country."""


@dataclass(slots=True)
class DocContext:
    """What the whole document tells about places and actors, for resolving one sentence's phrases."""

    geo: Any
    published: date | None
    dateline: Place | None
    main_place: Place | None
    country: str | None
    place_mentions: list[tuple[int, Place]] = field(default_factory=list)
    actor_mentions: list[tuple[int, ActorRef, bool]] = field(default_factory=list)
    own_places: list[tuple[int, Place]] = field(default_factory=list)
    doc: Doc | None = None
    """Places named as where something is or happens (not a capital that speaks: 'Ankara said')."""
    dateline_end: int = 0
    """Character offset (in doc.text) where the wire dateline ends: its date is the filing date, not the event's."""


def _dateline(text: str, geo: Any) -> tuple[Place | None, int]:
    """The wire dateline's place and where the dateline ends (0 when there is none).

    The city is resolved alone first: "PALMYRA, Syria" names the city, the country only disambiguates it.
    """
    m = DATELINE.match(text[:200])
    if m is None:
        return None, 0
    city = m.group(1).title().split("/")[0]
    place = resolve.resolve_place(city, geo)
    if place is None and m.group(2):
        place = resolve.resolve_place(f"{city}, {m.group(2)}", geo)
    if place is None:
        return None, m.end()
    return replace(place, reason="dateline", text=m.group(1)), m.end()


SPEECH_LEMMAS = frozenset(
    "say tell announce claim deny accuse confirm state report warn urge demand insist add "
    "condemn call reject threaten vow support back want".split()
)
"""Verbs whose subject is a speaker: "Ankara said" names a government, not where anything happened."""
LOCAL_KINDS = frozenset({"city", "town", "village", "capital", "base", "airport", "site", "locality", "district"})


def _is_speaker(ent: Any) -> bool:
    root = ent.root
    return root.dep_ in ("nsubj", "poss") and root.head.lemma_.lower() in SPEECH_LEMMAS


def build_context(doc: Doc, document: Document, offset: int) -> DocContext:
    """Resolve the document's places once, find the conflict country and the document's main place.

    The conflict country is the one the text's places and demonyms name most; places abroad (a foreign
    capital speaking, the dateline city where the reporter sits) never become the main place.
    """
    geo = resolve.geo_context(document.text)
    text = document.text[offset:] if offset else doc.text
    dateline, dl_end = _dateline(text, geo)
    resolved: list[tuple[int, Place, bool]] = []
    provinces: list[Place] = []
    province_starts: set[int] = set()
    countries: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC", "FAC") or ent.end_char <= dl_end:
            continue
        place = resolve.resolve_place(ent.text, geo)
        if place is not None:
            nxt = doc[ent.end].lower_ if ent.end < len(doc) else ""
            if nxt in ("province", "governorate") and place.geo_precision < 3:
                # 'Deir ez-Zor province': the province named after its capital, not the town
                provinces.append(replace(place, geo_precision=3, kind="admin1", text=f"{ent.text} {doc[ent.end].text}"))
                province_starts.add(ent.start)
            speaker = _is_speaker(ent)
            resolved.append((ent.start, place, speaker))
            resolve.add_to_context(geo, place)
            if place.country and not speaker:
                countries[place.country] += 1 if (place.kind or "") == "capital" else 3
    text_countries = getattr(geo, "countries", None)
    if isinstance(text_countries, Counter):
        for cc, n in text_countries.items():
            countries[cc] += n
    country = countries.most_common(1)[0][0] if countries else None
    if country is not None and isinstance(text_countries, Counter):
        text_countries[country] += 5
        redo: list[tuple[int, Place, bool]] = []
        for start, place, speaker in resolved:
            if place.country != country and not speaker and (place.kind or "") not in ("country", "capital"):
                again = resolve.resolve_place(place.text, geo)
                if again is not None and again.country == country:
                    place = again
            redo.append((start, place, speaker))
        resolved = redo
    votes: Counter[str] = Counter()
    first: dict[str, Place] = {}
    for start, p, speaker in resolved:
        if speaker or (country is not None and p.country != country) or start in province_starts:
            continue
        if (p.kind or "") in ("country", "admin1", "region") or p.geo_precision > 2:
            continue
        key = p.id or p.name
        votes[key] += 1
        first.setdefault(key, p)
    main = None
    if votes:
        best = max(votes, key=lambda k: votes[k])
        main = replace(first[best], reason="document main place")
    else:
        # a report about a province as a whole ('a raid in Deir ez-Zor province'): the province, precision 3
        provinces = [p for p in provinces if country is None or p.country == country]
        if provinces:
            main = replace(provinces[0], reason="document main place")
    if dateline is not None:
        abroad = country is not None and dateline.country != country
        if abroad or (dateline.kind or "") == "capital" or (dateline.kind or "") not in LOCAL_KINDS:
            dateline = None
    actors: list[tuple[int, ActorRef, bool]] = []
    for ent in doc.ents:
        if ent.label_ == "ACTOR":
            ref = resolve.match_actor(ent.text, country)
            if ref is not None:
                root = ent.root
                subject = root.dep_ in ("nsubj", "nsubjpass") or (
                    root.dep_ in ("aux", "auxpass", "dep") and root.i < root.head.i
                )
                actors.append((ent.start, ref, subject))
    ctx = DocContext(geo, document.published, dateline, main, country, [(s, p) for s, p, _ in resolved], actors)
    ctx.own_places = [(s, p) for s, p, speaker in resolved if not speaker]
    ctx.doc = doc
    ctx.dateline_end = dl_end
    return ctx
