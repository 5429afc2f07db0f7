"""Builders for hand-made mentions and documents in the fuse tests."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sitreps.fuse import DocInfo
from sitreps.model import ActorRef, DateInterval, Mention, Place, Span

DEIR = ("geonames:170794", "Deir ez-Zor", 35.336, 40.141)
PALMYRA = ("geonames:170885", "Palmyra", 34.560, 38.267)
SIDES = {"islamic-state": "is", "syria-military": "gov", "sdf": "sdf", "us-military": "coalition"}


def actor(actor_id: str | None, text: str | None = None) -> ActorRef | None:
    """An actor reference; `actor_id` None with a text is an unresolved actor."""
    if actor_id is None and text is None:
        return None
    name = actor_id or text or ""
    return ActorRef(id=actor_id, name=name, text=text or name, side=SIDES.get(actor_id or ""))


def mention(
    doc: str,
    *,
    start: int = 0,
    etype: str = "Battles",
    sub: str = "Armed clash",
    action: str | None = None,
    a1: str | None = "islamic-state",
    a2: str | None = "syria-military",
    a1_text: str | None = None,
    place: tuple[str | None, str, float | None, float | None] | None = DEIR,
    place_text: str | None = None,
    geo_precision: int = 1,
    country: str | None = "SY",
    day: str | None = "2017-01-14",
    end: str | None = None,
    precision: int = 1,
    fatalities: int | None = None,
    modality: str = "asserted",
    attribution: str | None = None,
    text: str = "Islamic State fighters attacked army positions in the city.",
    confidence: float = 0.8,
) -> Mention:
    """One mention with sensible defaults: an IS attack on the army in Deir ez-Zor on 2017-01-14."""
    pl = None
    if place is not None:
        pid, name, lat, lon = place
        pl = Place(
            id=pid, name=name, text=place_text or name, lat=lat, lon=lon, country=country, geo_precision=geo_precision
        )
    dt = None
    if day is not None:
        s = date.fromisoformat(day)
        dt = DateInterval(start=s, end=date.fromisoformat(end) if end else s, precision=precision)
    return Mention(
        document_id=doc,
        event_type=etype,
        sub_event_type=sub,
        action=action,
        trigger=Span(text="attacked", start=start + 5, end=start + 13),
        evidence=Span(text=text, start=start, end=start + len(text)),
        actor1=actor(a1, a1_text),
        actor2=actor(a2),
        place=pl,
        date=dt,
        fatalities=fatalities,
        modality=modality,  # type: ignore[arg-type]
        attribution=attribution,
        confidence=confidence,
    )


def doc(
    doc_id: str, outlet: str | None, published: str | None = "2017-01-15", duplicate_of: str | None = None
) -> DocInfo:
    """Document info for fuse."""
    return DocInfo(doc_id, outlet, date.fromisoformat(published) if published else None, duplicate_of)


def random_world(seed: int, n: int = 24) -> tuple[list[Mention], dict[str, DocInfo]]:
    """A dense tangle of mentions (few places 10-40 km apart, few days, few actors) that stresses the merge order."""
    rng = random.Random(seed)
    points = [("p0", "A", 35.0, 40.0), ("p1", "B", 35.1, 40.1), ("p2", "C", 35.2, 40.2), (None, "D", 35.05, 40.3)]
    docs = {f"d{i}": doc(f"d{i}", f"o{i % 4}", "2017-01-20", "d0" if i == 5 else None) for i in range(8)}
    out = []
    for k in range(n):
        d0 = date(2017, 1, 10) + timedelta(days=rng.randrange(6))
        prec = rng.choice([1, 1, 1, 2, 3])
        end = d0 + timedelta(days=6) if prec == 2 else d0
        if prec == 3:
            d0, end = date(2017, 1, 1), date(2017, 1, 31)
        et, sub = rng.choice(
            [
                ("Battles", "Armed clash"),
                ("Battles", "Non-state actor overtakes territory"),
                ("Explosions/Remote violence", "Air/drone strike"),
            ]
        )
        p = rng.choice([*points, None])
        out.append(
            mention(
                f"d{rng.randrange(8)}",
                start=k * 100,
                etype=et,
                sub=sub,
                a1=rng.choice(["islamic-state", "sdf", None]),
                a2=rng.choice(["syria-military", None]),
                a1_text="militants",
                place=p,
                geo_precision=rng.choice([1, 1, 2]),
                day=None if rng.random() < 0.1 else d0.isoformat(),
                end=end.isoformat(),
                precision=prec,
                fatalities=rng.choice([None, 3, 5, 12]),
                modality=rng.choice(["asserted", "asserted", "hedged", "negated"]),
                text=rng.choice(
                    [
                        "fighters attacked the town",
                        "jets struck positions near the town",
                        "militants seized the village",
                    ]
                ),
            )
        )
    return out, docs
