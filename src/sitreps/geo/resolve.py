"""Toponym resolution: bare names, phrases with modifiers ("west of Palmyra", "Raqqa province"), places in text."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from sitreps.geo.gazetteer import Candidate, Gazetteer, GeoContext
from sitreps.geo.index import GeoIndex, distance_km
from sitreps.geo.normalise import ARTICLES, fold, norm
from sitreps.geo.words import DETERMINERS, GENERIC_WORDS, NEVER, STOPLIST, generic_phrase
from sitreps.model import Place

__all__ = [
    "GeoContext",
    "default_gazetteer",
    "expand_fragment",
    "find_places",
    "iter_name_spans",
    "known",
    "resolve",
    "resolve_phrase",
    "set_default_gazetteer",
]

_lock = threading.Lock()
_default: Gazetteer | None = None


def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded from the cache on first use (default cache folder, no user features)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Gazetteer.load()
    return _default


def set_default_gazetteer(gazetteer: Gazetteer | None) -> None:
    """Replace the process-wide gazetteer (e.g. one built from the user's GeoConfig); None resets it."""
    global _default
    _default = gazetteer


def resolve(name: str, *, context: GeoContext | None = None, country: str | None = None) -> Place | None:
    """The place a bare name most likely means (None when no gazetteer entry matches).

    Args:
        name: a toponym as written ("Deir Ezzor", "al-Bab").
        context: countries and places the document has mentioned; candidates there win.
        country: ISO2 code to restrict the candidates to.

    A name with an area word ("Deir ez-Zor province", "the governorate of Idlib") that no entry lists as
    written gives the first-level area, precision 3.
    """
    gaz = default_gazetteer()
    if _common_words(" ".join(name.split()), context):
        return None
    got = gaz.resolve(name, context=context, country=country)
    if got is None and _ADMIN_RE.search(name):
        area = _admin1_phrase(" ".join(name.split()), context, gaz)
        if area is not None and (not country or area.country == country.upper()):
            return area
    return got


def _admin1_phrase(text: str, context: GeoContext | None, gaz: Gazetteer) -> Place | None:
    """ "Deir ez-Zor province", "the province of Raqqa": the first-level area (precision 3), else None.

    Stricter than resolve_phrase: the area must be listed, or be that of a prominent town of the name, so
    that a group's name ("Sinai Province", "Islamic State") passed in as a name stays no place."""
    for _kind, rx in _RULES[:2]:
        m = rx.match(text)
        if not m:
            continue
        got = _admin1_for(gaz, m.group("x").strip(" ,."), context)
        if got is None or got.kind != "admin1" or not got.id:
            continue
        if got.id.startswith("admin1:") or got.reason is None or not got.reason.startswith("admin1 of"):
            return replace(got, text=text)
        town = gaz.resolve(m.group("x").strip(" ,."), context=context)
        i = gaz.entry_of(town.id) if town is not None and town.id else None
        if i is not None and gaz.big(i):
            return replace(got, text=text)
    return None


def known(name: str) -> bool:
    """True when the default gazetteer knows a name in any transliteration (fast; for candidate spans)."""
    return default_gazetteer().known(name)


# --- phrases -------------------------------------------------------------------------------------

_DIRS = {
    "north": (0.0, 1.0), "south": (0.0, -1.0), "east": (1.0, 0.0), "west": (-1.0, 0.0),
    "northeast": (0.7, 0.7), "northwest": (-0.7, 0.7), "southeast": (0.7, -0.7), "southwest": (-0.7, -0.7),
    "central": (0.0, 0.0),
}  # fmt: skip
_DIR = r"(?:north|south|east|west)(?:[- ]?(?:east|west))?"
_ADMIN_WORDS = r"province|governorate|governate|state|oblast|region|prefecture|wilaya|muhafazah|district"
_BASE_WORDS = r"military airport|international airport|airport|airbase|air base|airfield|military base|base"
_NEAR_OF = (
    r"outskirts|suburbs?|countryside|vicinity|environs|edges?|area|surroundings|periphery|fringes?|"
    r"outskirt|rural areas?|villages?|desert|neighbourhoods?|neighborhoods?"
)
_PART_OF = r"centre|center|heart|old city|old town|downtown|north|south|east|west|northern part|southern part|eastern part|western part"

_ADMIN_RE = re.compile(rf"\b(?:{_ADMIN_WORDS})\b", re.IGNORECASE)
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(p, re.IGNORECASE))
    for kind, p in (
        ("admin1", rf"^(?:the )?(?:{_ADMIN_WORDS}) of (?P<x>.+)$"),
        ("admin1", rf"^(?:the )?(?P<x>.+?) (?:{_ADMIN_WORDS})$"),
        ("near", rf"^(?:on |in )?(?:the )?(?P<mod>{_NEAR_OF}) (?:of|around) (?P<x>.+)$"),
        ("near", rf"^(?:the )?(?P<x>.+?)(?:'s|’s)? (?P<mod>{_NEAR_OF}|outskirts)$"),
        ("near", r"^(?P<mod>near|around|outside|close to|nearby|just outside|not far from|on the outskirts of|in the vicinity of|near to)\s+(?:the )?(?P<x>.+)$"),
        ("near", rf"^(?P<mod>(?:(?:about |some |around |roughly )?\d+(?:\.\d+)?\s*(?:km|kilometres|kilometers|miles|mi)\s+)?(?:to the )?{_DIR}(?:ern)?) of (?:the )?(?P<x>.+)$"),
        ("part", rf"^(?:the )?(?P<mod>{_PART_OF}) of (?:the )?(?P<x>.+)$"),
        ("region", rf"^(?P<mod>(?:{_DIR})(?:ern)?|central|upstate|north-?(?:east|west)ern|south-?(?:east|west)ern) (?P<x>.+)$"),
        ("base", rf"^(?:the )?(?P<x>.+?) (?P<mod>{_BASE_WORDS})$"),
        ("same", r"^(?:the )?(?:city|town|village|port city|port|capital|hamlet|settlement|municipality|border town|district) of (?P<x>.+)$"),
        ("same", r"^(?:the )?(?P<x>.+?) (?:city|town|village)$"),
        ("same", r"^the (?P<x>.+)$"),
    )
)  # fmt: skip


def _prefer(context: GeoContext | None) -> tuple[str, ...]:
    """The document's countries, so candidate lists capped by population keep their namesakes there."""
    return tuple(cc for cc, _ in context.countries.most_common()) if context is not None else ()


def _dir_vector(mod: str) -> tuple[float, float]:
    m = fold(mod).replace(" ", "").replace("ern", "").replace("upstate", "north")
    for word, vec in _DIRS.items():
        if m.endswith(word) or m == word:
            return vec
    return 0.0, 0.0


def _directional_region(gaz: Gazetteer, base: Place, mod: str) -> tuple[float, float] | None:
    """Centre of the places in the `mod` third (e.g. eastern) of a country or first-level area."""
    ix = gaz.index
    if not base.country:
        return None
    members = gaz.country_entries(base.country)
    if base.kind == "admin1" and base.id:
        i = gaz.entry_of(base.id)
        if i is not None:
            members = [j for j in members if ix.admin1[j] == ix.admin1[i]]
    if len(members) < 6:
        return None
    dx, dy = _dir_vector(mod)
    if dx == 0 and dy == 0:
        return base.lat or 0.0, base.lon or 0.0
    lats = sorted(ix.lat[j] for j in members)
    lons = sorted(ix.lon[j] for j in members)
    mlat, mlon = lats[len(lats) // 2], lons[len(lons) // 2]
    proj = sorted(members, key=lambda j: -(dx * (ix.lon[j] - mlon) + dy * (ix.lat[j] - mlat)))
    top = proj[: max(3, len(proj) // 3)]
    return round(sum(ix.lat[j] for j in top) / len(top), 4), round(sum(ix.lon[j] for j in top) / len(top), 4)


def _admin1_for(gaz: Gazetteer, x: str, context: GeoContext | None) -> Place | None:
    """A first-level area by name, else the area its namesake town is the seat of."""
    ix = gaz.index
    cands = [c for c in gaz.candidates(x, prefer=_prefer(context)) if ix.kind[c.entry] == "admin1"]
    if cands:
        best = gaz.rank(cands, context)[0]
        return gaz.place(best.entry, text=x, reason=gaz.reason(best, x, context), precision=3)
    town = gaz.resolve(x, context=context)
    if town is None or not town.id:
        return None
    i = gaz.entry_of(town.id)
    if i is not None and ix.admin1[i]:
        j = ix.admin1_entry.get(f"{ix.cc[i]}.{ix.admin1[i]}")
        if j is not None:
            return gaz.place(j, text=x, reason=f"admin1 of {ix.names[i]}", precision=3)
    return replace(town, geo_precision=3, reason=f"{town.reason}; area named after it")


def resolve_phrase(
    phrase: str, *, context: GeoContext | None = None, gazetteer: Gazetteer | None = None, fallback: bool = True
) -> Place | None:
    """Resolve a place phrase, reading the modifiers around the toponym.

    "X province" / "the province of X" → the first-level area (precision 3); "near X", "the outskirts of X",
    "west of X" → X with precision 2; "eastern Syria" → a region (precision 3); "X airbase" → the feature
    when known, else X with precision 2; "the town of X" → X. Place.text is the whole phrase.

    With `fallback`, a phrase no gazetteer lists (a street, school, church or company: "Royal Street",
    "University of California") falls back to a prominent place named inside it (reason "part of name: …",
    precision 2), else to the place the document mentions most (reason "document focus", precision 2, or 3 for an area):
    news places the sites it names in the locality it is about, as coders such as ACLED do.
    """
    gaz = gazetteer or default_gazetteer()
    got = _resolve_phrase(phrase, context, gaz)
    if got is None and fallback:
        got = _fallback(phrase, context, gaz)
    elif fallback and got is not None and _stray_namesake(got, context, gaz):
        focus = _focus(context)
        if focus is not None:
            precision = max(2, focus.geo_precision)
            reason = f"document focus; {got.name} ({got.country}) is a namesake far from the story"
            got = replace(focus, text=phrase, reason=reason, geo_precision=precision, start=None, end=None)
    return got


STRAY_POP = 10_000
"""A namesake smaller than this, far from all the story's other places, is a worse guess than the story's locality;
so is any namesake short of a prominent place (see Gazetteer.big) in a country the story never names."""
STRAY_KM = 300.0
"""How far from every other place the story names such a namesake must lie."""
STRAY_HOME_KM = 800.0
"""The same, for a namesake in the country the story names most."""


def _stray_namesake(place: Place | None, context: GeoContext | None, gaz: Gazetteer) -> bool:
    """A village or small town matched by name alone, more than STRAY_KM from every other place the document
    names ("August", "Stonewall", "Turtle Rock" as US villages in a story about somewhere else): the name more
    likely means a site in the story's locality (a street, a building, a venue) that the gazetteer lacks."""
    if place is None or context is None or place.lat is None or place.lon is None:
        return False
    if place.kind not in ("village", "town") or not place.id or not place.reason or ", in " in place.reason:
        return False
    if not place.reason.startswith(("exact", "normalised", "fuzzy")):
        return False
    i = gaz.entry_of(place.id)
    if i is None or gaz.big(i):
        return False
    if gaz.index.pop[i] >= STRAY_POP and context.countries.get(place.country or "", 0):
        return False  # a sizeable town in a country the story names; a bigger one abroad it never names is not
    reach = STRAY_KM
    if context.countries and place.country == context.countries.most_common(1)[0][0]:
        # a village in the story's own country may well be remote from the towns it names, but not a
        # country's breadth away from all of them ("West", Texas, in a story on Maryland)
        reach = STRAY_HOME_KM
    others = [q for q in context.places if q.id != place.id and q.lat is not None]
    return bool(others) and all(_km(place, q) > reach for q in others)


_LOCAL_RANK = {"capital": 4, "city": 3, "admin1": 2, "admin2": 2, "town": 2, "village": 1}
FOCUS_KM = 100.0
"""Places this close count as one locality when choosing a document's focus."""


def _focus(context: GeoContext | None) -> Place | None:
    """The locality a document is about: among the places it resolved, those in its most-named country,
    the most often mentioned, ties going to the bigger kind (a city over a village)."""
    if context is None or not context.places:
        return None
    places = context.places
    if context.countries:
        top_cc = context.countries.most_common(1)[0][0]
        places = [p for p in places if p.country == top_cc] or places
    local = [p for p in places if p.kind not in ("country", "region", "airport")] or places
    counts = Counter(p.id or p.name for p in local)
    unique = list({p.id or p.name: p for p in local}.values())
    if len(unique) > 1:
        # distinct places within FOCUS_KM of each other back one locality: a story naming a city, two suburbs
        # and a county once each is about that area, more than about a "place" it names eight times (a
        # surname such as Bassett or Allen that is also a village far off)
        support = {p.id or p.name: sum(1 for q in unique if _km(p, q) < FOCUS_KM) for p in unique}
        return max(
            unique, key=lambda p: (support[p.id or p.name], counts[p.id or p.name], _LOCAL_RANK.get(p.kind or "", 0))
        )
    return max(local, key=lambda p: (counts[p.id or p.name], _LOCAL_RANK.get(p.kind or "", 0)))


def _fallback(phrase: str, context: GeoContext | None, gaz: Gazetteer) -> Place | None:
    """A place named inside an unlisted phrase, else the document's focus (see resolve_phrase).

    A place inside the name counts when it is a locality (not a country or area, which the focus
    usually refines) that is prominent or lies near the document's other places, and is not a
    generic word ("University", "Park", "Lake").
    """
    text = " ".join(phrase.split())
    toks = _tokens(text)
    focus = _focus(context)
    broad: Place | None = None
    words = {fold(t.text) for t in toks}
    # "Hampton Avenue", "Atlantic Avenue": a street named after a place lies where the story is, not there
    street = bool(toks) and fold(toks[-1].text) in _STREET_WORDS
    # "Embassy of the Republic of Armenia", "Russian Embassy": in the host city, not the country it stands for
    mission = bool(words & _MISSION_WORDS)
    for n in range(len(toks) - 1, 0, -1) if not street else ():
        for i in range(len(toks) - n + 1):
            sub = toks[i : i + n]
            if not (sub[0].cap and sub[-1].cap) or not all(t.cap or fold(t.text) in _CONNECTORS for t in sub):
                continue
            surface = text[sub[0].start : sub[-1].end]
            key = fold(surface)
            if key in STOPLIST or key in NEVER or any(fold(t.text) in GENERIC_WORDS for t in sub):
                continue
            cands = [c for c in gaz.candidates(surface, fuzzy=False, prefer=_prefer(context)) if c.match == "exact"]
            if not cands:
                continue
            best = gaz.rank(cands, context)[0]
            place = gaz.place(best.entry, text=phrase, reason=f"part of name: {surface}")
            place = replace(place, geo_precision=max(2, place.geo_precision))
            if place.kind in ("country", "admin1", "region"):
                if not mission:
                    broad = broad or place
                continue
            near = focus is not None and _km(place, focus) < 200
            if near or (focus is None and gaz.big(best.entry)):
                return place
    if broad is not None and (focus is None or not _within(focus, broad)):
        return broad  # "University of Alberta" in a story focused elsewhere: the area the name gives
    if focus is not None:
        # a site in the locality the story is about lies in or near it: precision 2 (3 when the focus is an area)
        precision = max(2, focus.geo_precision)
        return replace(focus, text=phrase, reason="document focus", geo_precision=precision, start=None, end=None)
    return broad


_STREET_WORDS = frozenset(
    "street st road rd avenue ave boulevard blvd lane ln drive dr highway hwy parkway pkwy terrace crescent".split()
)
_MISSION_WORDS = frozenset({"embassy", "embassies", "consulate", "consulates", "mission"})


def _within(place: Place, area: Place) -> bool:
    """Whether a place lies in a country, first-level area or region (regions: within 1,500 km)."""
    if area.kind == "country":
        return place.country == area.country
    if area.kind == "admin1":
        return place.country == area.country and place.admin1 == area.admin1
    return _km(place, area) < 1500


def _km(a: Place, b: Place) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return float("inf")
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _qualified(text: str, phrase: str, context: GeoContext | None, gaz: Gazetteer) -> Place | None:
    """ "Palmyra, Syria" / "Mosul, Iraq": the head is the place and the tail only names its country or province."""
    head, sep, tail = text.rpartition(",")
    head, tail = head.strip(), tail.strip()
    if not sep or not head or not tail:
        return None
    area = gaz.resolve(tail, context=context)
    if area is None or area.kind not in ("country", "admin1") or not area.country:
        return None
    inner = gaz.resolve(head, context=context, country=area.country)
    if inner is None:
        if _common_words(head, context) or not gaz.known(head):
            return None
        # "Mahas, Somalia" with only a Mahas in Jordan listed: the area the text names, not a point abroad
        return _left_at_area(area, head, tail, phrase)
    if area.kind == "admin1":
        inner = _in_area(gaz, head, area, context) or inner
    return replace(inner, text=phrase, reason=f"{inner.reason}, in {tail}")


def _in_area(gaz: Gazetteer, head: str, area: Place, context: GeoContext | None) -> Place | None:
    """The best candidate for `head` inside a first-level area ("White House, Tennessee": the town, not the
    seat of government in another state), or None when none lies there."""
    ix = gaz.index
    j = gaz.entry_of(area.id) if area.id else None
    if j is None or not ix.admin1[j]:
        return None
    key = (ix.cc[j], ix.admin1[j])
    cands = [
        c for c in gaz.candidates(head, fuzzy=False, country=ix.cc[j])
        if (ix.cc[c.entry], ix.admin1[c.entry]) == key and c.entry != j
    ]  # fmt: skip
    if not cands:
        return None
    best = gaz.rank(cands, context)[0]
    return gaz.place(best.entry, text=head, reason=gaz.reason(best, head, context))


def _left_at_area(area: Place, head: str, where: str, phrase: str) -> Place:
    """A town the text places in a named country or area that the gazetteer lists only elsewhere: the area
    (precision 3) is a true if coarse answer, where the namesake abroad would be a confident wrong point."""
    reason = f"{head} not in gazetteer in {where}; {area.name} (namesakes in other countries left out)"
    return replace(area, text=phrase, reason=reason, geo_precision=3, start=None, end=None)


_PLACE_NOUNS = (
    r"town|city|village|port|port city|border town|district|hamlet|settlement|municipality|capital|"
    r"provincial capital|regional capital|outpost|suburb|neighbourhood|neighborhood|locality|area"
)
_DEMONYM_OF = re.compile(
    rf"^(?:the |a |an )?(?P<c>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?) (?:(?:northern|southern|eastern|western|central|"
    rf"north-?(?:east|west)ern|south-?(?:east|west)ern|coastal|border|frontier|desert|rebel-held|remote|small) )*"
    rf"(?:{_PLACE_NOUNS}) of (?P<x>.+)$"
)
_COUNTRY_BEFORE = re.compile(
    rf"\b(?:the |a |an )?(?P<c>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?) (?:(?:northern|southern|eastern|western|central|"
    rf"north-?(?:east|west)ern|south-?(?:east|west)ern|coastal|border|frontier|desert|rebel-held|remote|small) )*"
    rf"(?:{_PLACE_NOUNS}) of\s+$"
)
_COUNTRY_AFTER = re.compile(
    r"(?:,\s*|\s+in\s+(?:the\s+)?(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+|central\s+)?)"
    r"(?P<c>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)\b"
)


_LIST_NEXT = re.compile(r",\s*[A-Z]|\s+(?:and|or)\s+[A-Z]")
"""A name after the country: "Saipan, Guam, Alaska" is a list of places, not Saipan in Guam."""


def _country_of(words: str, gaz: Gazetteer) -> str | None:
    """The ISO2 code of a country name or demonym ("Somali", "Somalia", "Jordanian"), else None."""
    return gaz.country_names().get(fold(words))


def _country_named(text: str, context: GeoContext | None, gaz: Gazetteer) -> Place | None:
    """ "the Somali town of Mahas": the town in that country, else the country itself (see _left_at_area)."""
    m = _DEMONYM_OF.match(text)
    if not m:
        return None
    cc = _country_of(m.group("c"), gaz)
    x = m.group("x").strip(" ,.")
    if cc is None or not x:
        return None
    inner = gaz.resolve(x, context=context, country=cc)
    if inner is not None:
        return replace(inner, text=text, reason=f"{inner.reason}, {m.group('c')} as written")
    j = gaz.index.country_entry.get(cc)
    if j is None or not gaz.known(x):
        return None
    area = gaz.place(j, text=text, reason="", precision=3)
    return _left_at_area(area, x, area.name, text)


def _country_beside(text: str, start: int, end: int, gaz: Gazetteer) -> str | None:
    """The country the text names with a place at text[start:end]: "the Somali town of X", "X, Somalia",
    "X in southern Somalia"; None when it names none."""
    before = _COUNTRY_BEFORE.search(text, max(0, start - 60), start)
    if before is not None:
        cc = _country_of(before.group("c"), gaz)
        if cc is not None:
            return cc
    after = _COUNTRY_AFTER.match(text, end)
    if after is not None and not _LIST_NEXT.match(text, after.end()):
        words = after.group("c")
        cc = _country_of(words, gaz) or _country_of(words.split()[0], gaz)
        j = gaz.index.country_entry.get(cc) if cc else None
        if j is not None and fold(gaz.index.names[j]).startswith(fold(words.split()[0])):
            return cc  # a country's name, not a demonym ("Mahas, Somali officials said")
    return None


def _in_named_country(
    place: Place, surface: str, text: str, start: int, end: int, ctx: GeoContext, gaz: Gazetteer
) -> Place:
    """A town the text places in a country ("the Somali town of Mahas", "Mahas, Somalia") resolves there, or
    stays at that country when the gazetteer lists the name only abroad (see _left_at_area)."""
    if place.kind in ("country", "admin1", "region") or not place.country:
        return place
    cc = _country_beside(text, start, end, gaz)
    if cc is None or cc == place.country:
        return place
    if ctx.countries.get(place.country, 0) and not _COUNTRY_BEFORE.search(text, max(0, start - 60), start):
        return place  # "Gregory of Narek in Vatican" in a story on Armenia: Narek is the one in the named country
    inner = gaz.resolve(surface, context=ctx, country=cc)
    if inner is not None:
        return replace(inner, reason=f"{inner.reason}; the text places it in {cc}")
    j = gaz.index.country_entry.get(cc)
    if j is None:
        return place
    area = gaz.place(j, text=surface, reason="", precision=3)
    return _left_at_area(area, surface, area.name, surface)


_AREA_AFTER = re.compile(r",\s*(?P<a>[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+)?)")


def _in_named_area(place: Place, surface: str, text: str, end: int, ctx: GeoContext, gaz: Gazetteer) -> Place:
    """A town or county the text places in a first-level area ("Parkland, Florida", "Lafayette, Ind.", "Coos
    County, New Hampshire") is the namesake in that area; the area itself is read as its own place next."""
    if place.kind in ("country", "admin1", "region", "seat") or not place.country:
        return place
    m = _AREA_AFTER.match(text, end)
    if m is None or _LIST_NEXT.match(text, m.end()):
        return place
    a = m.group("a")
    first = a.split()[0]
    for w in dict.fromkeys((a.rstrip("."), a, first.rstrip("."), first)):  # "Florida." may end a sentence
        area = gaz.resolve(w, context=ctx)
        if area is not None and area.kind == "admin1":
            inner = _in_area(gaz, surface, area, ctx)
            if inner is None or inner.id == place.id:
                return place
            return replace(inner, reason=f"{inner.reason}, in {w}")
    return place


def _common_words(text: str, context: GeoContext | None) -> bool:
    """Whether a phrase read from prose has a lower-case word that is no name particle ("south bank", "the
    front"): gazetteer names are capitalised, so such a phrase means the common words, not South Bank,
    London. Only for text from a document with capitals (a lower-case query typed at the command line, or
    an all-lower-case feed, keeps matching)."""
    if context is None or not context.text or not any(ch.isupper() for ch in context.text[:2000]):
        return False
    return any(not t.cap and fold(t.text) not in _CONNECTORS and fold(t.text) not in _LOWER_OK for t in _tokens(text))


_LOWER_OK = frozenset(
    {"the", "and", "en", "sur", "lès", "im", "der", "am", "bei", "ob", "van", "von", "y", "e", "i"}
    | {f"{d}{e}" for d in _DIRS for e in ("", "ern")}
    | {f"{a}-{b}{e}" for a in ("north", "south") for b in ("east", "west") for e in ("", "ern")}
    | set(_ADMIN_WORDS.split("|"))
    | {w for words in _BASE_WORDS.split("|") for w in words.split()}
    | {"dam", "crossing", "camp", "plant", "mountain", "river", "lake", "bridge", "port", "city", "town", "village"}
    | {"military", "international", "air", "field", "oil", "gas", "power", "station", "prison", "refugee"}
)
"""Lower-case words that sit inside place names as written in prose: name particles (Frankfurt am Main) and the
type nouns writers leave lower-case after a name ("the Tiyas airbase", "Idlib province")."""


def _resolve_phrase(phrase: str, context: GeoContext | None, gaz: Gazetteer) -> Place | None:
    text = " ".join(phrase.split())
    if not text:
        return None
    qualified = _qualified(text, phrase, context, gaz)
    if qualified is not None:
        return qualified
    named = _country_named(text, context, gaz)
    if named is not None:
        return named
    if _common_words(text, context):
        whole = []  # "the south bank", "the front": lower-case words in prose are no proper name (South Bank)
        if not any(rx.match(text) for _kind, rx in _RULES):
            return None
    else:
        whole = gaz.candidates(text, fuzzy=False, prefer=_prefer(context))
    held: list[Candidate] = []
    if whole and _LOWER_DIRECTION.fullmatch(text.split()[0]):
        # "east London" is a part of London; the city of East London is written capitalised
        held, whole = whole, []
    area = _named_area(text, context) if context is not None and context.places else None
    if area is not None and not any(
        c.match == "exact" and (gaz.famous(c.entry) or (gaz.big(c.entry) and gaz.index.cc[c.entry] == area.country))
        for c in whole
    ):
        return replace(area, text=phrase, reason=f"short for {area.name}", start=None, end=None)
    if whole and any(c.match == "exact" for c in whole):
        best = gaz.rank(whole, context)[0]
        if not (best.match == "exact" and gaz.weak_and_foreign(best, context, None, text)):
            return gaz.place(best.entry, text=phrase, reason=gaz.reason(best, text, context))
        # "Bel" in a report on Syria is not Bell, California; nor any looser reading of it
        return expand_fragment(text, phrase, context, gaz)
    if " " not in text and context is not None and context.text and not any(c.match == "demonym" for c in whole):
        expanded = expand_fragment(text, phrase, context, gaz)
        if expanded is not None:
            return expanded
    if " " in text and any(c.match == "demonym" for c in whole):
        # "South Korean", "New Yorker": the whole phrase is a demonym, not "south" + "Korean"
        best = gaz.rank(whole, context)[0]
        return gaz.place(best.entry, text=phrase, reason=gaz.reason(best, text, context))
    for kind, rx in _RULES:
        m = rx.match(text)
        if not m:
            continue
        x = m.group("x").strip(" ,.")
        mod = (m.groupdict().get("mod") or "").lower()
        if kind == "admin1":
            got = _admin1_for(gaz, x, context)
            if got is not None:
                return replace(got, text=phrase)
            continue
        inner = _resolve_phrase(x, context, gaz)
        if kind == "region" and mod == "upstate":
            inner = _admin1_for(gaz, x, context) or inner  # "upstate New York": the state, far from the city
        if inner is None:
            continue
        if kind == "near":
            return replace(inner, text=phrase, geo_precision=max(2, inner.geo_precision), reason=f"near: {text}")
        if kind == "part":
            return replace(inner, text=phrase, geo_precision=max(2, inner.geo_precision), reason=f"part: {text}")
        if kind == "region":
            if inner.kind in ("country", "admin1", "region"):
                centre = _directional_region(gaz, inner, mod)
                if centre is not None:
                    return replace(
                        inner, id=None, name=f"{mod} {inner.name}", text=phrase, lat=centre[0], lon=centre[1],
                        geo_precision=3, kind="region", reason=f"region: {mod} part of {inner.name}",
                    )  # fmt: skip
            return replace(inner, text=phrase, geo_precision=max(2, inner.geo_precision), reason=f"part: {text}")
        if kind == "base":
            return replace(
                inner,
                text=phrase,
                geo_precision=max(2, inner.geo_precision),
                reason=f"near: {mod} of {inner.name} not in gazetteer",
            )
        return replace(inner, text=phrase)
    whole = whole or held
    if whole:
        best = gaz.rank(whole, context)[0]
        if not gaz.weak_and_foreign(best, context, None, text):
            return gaz.place(best.entry, text=phrase, reason=gaz.reason(best, text, context))
    if _common_words(text, context):
        return None
    got = gaz.resolve(text, context=context)
    if got is not None:
        got.text = phrase
    return got


_LOWER_DIRECTION = re.compile(rf"(?:{_DIR})(?:ern)?|central|upstate|downstate")
"""A direction word as the region rule reads it, written in lower case ("east London", "northern Syria")."""


_AREA_TAIL = re.compile(
    r"\s+(?:county|province|district|region|parish|governorate|oblast|prefecture|shire)$", re.IGNORECASE
)


def _named_area(text: str, context: GeoContext) -> Place | None:
    """The second-level area the document already named in full when a name is its short form: "Suffolk" after
    "Suffolk County". The caller keeps a world city, or a big town of the area's country, of the bare name; a
    first-level area's bare name is left to rank's seat rule (Raqqa after "Raqqa province" is the town)."""
    key = fold(text)
    for p in reversed(context.places[-60:]):
        if p.kind == "admin2" and p.name != text:
            m = _AREA_TAIL.search(p.name)
            if m and fold(p.name[: m.start()]) == key:
                return p
    return None


def expand_fragment(word: str, phrase: str, context: GeoContext | None, gaz: Gazetteer) -> Place | None:
    """The longer name a lone word is part of where the document writes it ("Dayr" of "Dayr az Zawr", "Bel" of
    "the temple of Bel"): NER often splits Arabic names, and a fragment alone matches some other place."""
    if context is None or not context.text:
        return None
    key = fold(word)
    if not key or " " in key:
        return None
    doc = context.text
    toks = _doc_tokens(doc)
    ix = gaz.index
    best: tuple[int, str] | None = None
    for k, tok in enumerate(toks):
        if fold(tok.text) != key:
            continue
        for a in range(max(0, k - 3), k + 1):
            for b in range(min(len(toks) - 1, k + 3), k - 1, -1):
                if b == a or (best is not None and b - a <= best[0]):
                    continue
                if not all(_joinable(doc, toks[m], toks[m + 1]) for m in range(a, b)):
                    continue
                surface = doc[toks[a].start : toks[b].end]
                f = fold(surface)
                if f.split()[0] in DETERMINERS or f in STOPLIST or generic_phrase(f) or f not in ix.fold_keys:
                    continue
                best = (b - a, surface)
    if best is None:
        return None
    cands = [c for c in gaz.candidates(best[1], fuzzy=False, prefer=_prefer(context)) if c.match == "exact"]
    if not cands:
        return None
    top = gaz.rank(cands, context)[0]
    if gaz.weak_and_foreign(top, context, None, best[1]):
        return None
    return gaz.place(top.entry, text=phrase, reason=f"part of {best[1]}")


@lru_cache(maxsize=16)
def _doc_tokens(text: str) -> list[_Tok]:
    """Tokens of a document, kept for the few documents being resolved at a time."""
    return _tokens(text)


# --- places in text ------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’ʿʾ`‘][^\W\d_]+)*(?:-[^\W\d_]+(?:['’ʿʾ`‘][^\W\d_]+)*)*")
_CONNECTORS = ARTICLES | {
    "de",
    "du",
    "des",
    "da",
    "di",
    "del",
    "la",
    "le",
    "les",
    "los",
    "las",
    "of",
    "upon",
    "on",
    "sur",
    "am",
    "im",
    "bin",
    "ibn",
}
_CUES = {"in", "at", "near", "outside", "from", "to", "into", "towards", "toward", "around", "across", "of", "between", "and", "via", "through", "reach", "entered", "captured", "seized", "retook", "besieged", "shelled", "struck", "hit", "bombed", "held"}  # fmt: skip


_FUNCTION = {
    "in", "at", "on", "near", "the", "a", "an", "and", "but", "or", "from", "to", "of", "for", "by", "with", "as", "after",
    "before", "since", "during", "when", "while", "where", "outside", "inside", "into", "across", "between", "around",
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "both",
}  # fmt: skip

_PHRASE_SUFFIX = re.compile(rf"\s+(?P<w>{_ADMIN_WORDS}|{_BASE_WORDS}|countryside|outskirts|dam|city)\b", re.IGNORECASE)
_NEAR_PREFIX = re.compile(
    rf"\b(?:(?:on |in )?(?:the )?(?:{_NEAR_OF}) of|near|outside|around|(?:\d+\s*(?:km|kilometres|kilometers|miles)\s+)?{_DIR} of)\s+$",
    re.IGNORECASE,
)
_PHRASE_PREFIX = re.compile(
    r"\b(?P<w>(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|central)\s+$", re.IGNORECASE
)


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    cap: bool


@lru_cache(maxsize=256)
def _tokens(text: str) -> list[_Tok]:
    """Name-candidate tokens of a text, cached: a document's text is scanned by the relabeler, the country
    count and the context builder alike, and the scan is the geo room's hottest loop. Callers only read it."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        s, e, t = m.start(), m.end(), m.group()
        if len(t) > 2 and t[-2] in "'’" and t[-1] in "sS":
            e, t = e - 2, t[:-2]
        segs = t.split("-")
        cap = t[0].isupper() or any(seg[:1].isupper() for seg in segs[1:])
        out.append(_Tok(s, e, t, cap))
    return out


def _joinable(text: str, a: _Tok, b: _Tok) -> bool:
    gap = text[a.end : b.start]
    return gap in (" ", "-") or (gap.isspace() and "\n" not in gap and len(gap) <= 2)


def _spans(text: str, toks: list[_Tok], i: int) -> Iterator[tuple[int, str]]:
    """Candidate spans starting at token i, longest first: (last token, surface)."""
    if not toks[i].cap:
        return
    last = i
    for j in range(i + 1, min(i + 4, len(toks))):
        if not _joinable(text, toks[j - 1], toks[j]) or not (toks[j].cap or fold(toks[j].text) in _CONNECTORS):
            break
        last = j
    for j in range(last, i - 1, -1):
        if toks[j].cap:
            yield j, text[toks[i].start : toks[j].end]


def iter_name_spans(text: str, accept: Callable[[str], bool]) -> Iterator[tuple[int, int, str]]:
    """Greedy longest capitalised n-grams (1-4 tokens, article particles inside) whose folded key `accept`s."""
    toks = _tokens(text)
    i = 0
    while i < len(toks):
        for j, surface in _spans(text, toks, i):
            key = fold(surface)
            if accept(key):
                yield toks[i].start, toks[j].end, key
                i = j
                break
        i += 1


def _cue_before(text: str, toks: list[_Tok], i: int) -> bool:
    return i > 0 and fold(toks[i - 1].text) in _CUES and toks[i - 1].end >= toks[i].start - 2


def find_places(
    text: str,
    *,
    context: GeoContext | None = None,
    gazetteer: Gazetteer | None = None,
    demonyms: bool = False,
    unresolved: bool = True,
) -> list[Place]:
    """Every place named in a text, in order, with start/end offsets; for `sitreps places` and the NLP room.

    A fast pass looks capitalised 1-4 token n-grams up in the name keys; frequent English words and
    person names (STOPLIST) count only after a place cue ("in", "near" …); small places are dropped when
    a capitalised word around them says they are part of another name ("President Trump"). Phrases
    after "in/at/near" that no gazetteer lists come back with id None and reason "not in gazetteer".
    """
    gaz = gazetteer or default_gazetteer()
    ix = gaz.index
    ctx = context if context is not None else GeoContext(text=text)
    if not ctx.countries:
        ctx.countries.update(gaz.countries_in(text))
    named = Counter(ctx.countries)
    toks = _tokens(text)
    surnames = _name_tails(text, toks, ix)
    out: list[Place] = []
    i = 0
    while i < len(toks):
        hit: tuple[int, str, Place] | None = None
        for j, surface in _spans(text, toks, i):
            key = fold(surface)
            single = j == i
            if key in NEVER or (key in STOPLIST and not _cue_before(text, toks, i)):
                continue
            in_keys = key in ix.fold_keys or (not single and norm(surface) in ix.norm_keys)
            if not in_keys and not (demonyms and key in ix.demonyms):
                continue
            cands = [
                c
                for c in gaz.candidates(surface, fuzzy=False, prefer=_prefer(ctx))
                if (
                    c.match == "exact"
                    or (c.match == "normalised" and not single)
                    or (demonyms and c.match == "demonym")
                )
            ]
            if not cands:
                continue
            best = gaz.rank(cands, ctx)[0]
            b = best.entry
            if single and not gaz.big(b):
                prev_name = i > 0 and toks[i - 1].cap and _joinable(text, toks[i - 1], toks[i])
                prev_name = prev_name and fold(toks[i - 1].text) not in _FUNCTION
                next_name = j + 1 < len(toks) and toks[j + 1].cap and _joinable(text, toks[j], toks[j + 1])
                in_ctx = ctx.countries.get(ix.cc[b], 0) > 0
                if prev_name or next_name:
                    continue
                if key in surnames and not _cue_before(text, toks, i):
                    continue  # "Kelly said" after "John Kelly": the person again, not a village of that name
                # Without "in/near …", a hamlet is more likely a person or a word (Kelly, Eva) even in the
                # story's country; a town abroad likewise.
                if not _cue_before(text, toks, i) and (ix.pop[b] < 1000 or (not in_ctx and ix.pop[b] < 20_000)):
                    continue
            hit = (j, surface, gaz.place(b, text=surface, reason=gaz.reason(best, surface, ctx)))
            break
        if hit is None:
            word = fold(toks[i].text)
            if (
                unresolved and _cue_before(text, toks, i) and toks[i].cap and word not in STOPLIST | NEVER
                and word not in ix.demonyms and word not in ix.area_demonyms  # "in Syrian hands": no place name
            ):  # fmt: skip
                j = i
                while j + 1 < len(toks) and j - i < 3 and toks[j + 1].cap and _joinable(text, toks[j], toks[j + 1]):
                    j += 1
                if toks[i - 1].text.islower():
                    surface = text[toks[i].start : toks[j].end]
                    if not any(fold(t.text) in STOPLIST for t in toks[i : j + 1]):
                        out.append(
                            Place(
                                None, surface, surface, reason="not in gazetteer", start=toks[i].start, end=toks[j].end
                            )
                        )
                i = j + 1
                continue
            i += 1
            continue
        j, surface, place = hit
        start, end = toks[i].start, toks[j].end
        place = _in_named_country(place, surface, text, start, end, ctx, gaz)
        place = _in_named_area(place, surface, text, end, ctx, gaz)
        suffix = _PHRASE_SUFFIX.match(text, end)
        if suffix:
            longer = resolve_phrase(text[start : suffix.end()], context=ctx, gazetteer=gaz, fallback=False)
            if longer is not None:
                place, end = longer, suffix.end()
        # only a country or area can take a direction word ("northern Syria"); searching costs a pass over the text
        prefix = _PHRASE_PREFIX.search(text, 0, start) if place.kind in ("country", "admin1") else None
        if prefix:
            longer = resolve_phrase(text[prefix.start() : end], context=ctx, gazetteer=gaz, fallback=False)
            if longer is not None:
                place, start = longer, prefix.start()
        near = _NEAR_PREFIX.search(text, max(0, start - 40), start)
        if near and place.id:
            start = near.start()
            reason = f"near: {text[start:end]}"
            if place.reason and "not in gazetteer" in place.reason:
                reason = f"{reason}; {place.reason}"  # keep why it stays at the country (see _left_at_area)
            place = replace(place, geo_precision=max(2, place.geo_precision), reason=reason)
        place.text, place.start, place.end = text[start:end], start, end
        ctx.add(place)
        out.append(place)
        i = j + 1
        while i < len(toks) and toks[i].start < end:
            i += 1
    return _strays_to_focus(_read_again(out, ctx, text, gaz), named, gaz)


def _read_again(places: list[Place], ctx: GeoContext, text: str, gaz: Gazetteer) -> list[Place]:
    """Bare names read once more with the whole story as context: the left-to-right pass meets "Cumberland
    County" before the "Maine" that settles it. Names the text itself qualified keep their reading."""
    located = [p for p in places if p.id and p.lat is not None]
    if len(located) < 2:
        return places
    whole = GeoContext(countries=Counter(ctx.countries), places=located, text=text)
    out = []
    for p in places:
        reason = p.reason or ""
        if p.id and p.kind != "country" and reason.startswith(("exact", "normalised")) and ", in " not in reason:
            again = gaz.resolve(p.text, context=whole)
            if again is not None and again.id and again.id != p.id and again.lat is not None:
                p = replace(
                    again, text=p.text, start=p.start, end=p.end, reason=f"{again.reason}; read with the whole story"
                )
        out.append(p)
    return out


def _name_tails(text: str, toks: list[_Tok], ix: GeoIndex) -> frozenset[str]:
    """Last words of capitalised two-word names that are no place ("John Kelly", "Judge Allen"): a text that
    names a person in full goes on to call them by the surname alone."""
    return frozenset(
        fold(b.text)
        for a, b in pairwise(toks)
        if a.cap and b.cap and _joinable(text, a, b) and fold(a.text) not in _FUNCTION
        and f"{fold(a.text)} {fold(b.text)}" not in ix.fold_keys
    )  # fmt: skip


def _strays_to_focus(places: list[Place], named: Counter[str], gaz: Gazetteer) -> list[Place]:
    """Namesakes abroad that lose to the story's own geography once the whole text is read: a town short of
    prominent, in a country the text never names, more than STRAY_KM from every other place it names
    ("Mahas" as the Jordanian town in a story on Beledweyne and Mogadishu) becomes the story's focus. The
    left-to-right pass cannot tell, as it meets the name before the places that show it up."""
    located = [p for p in places if p.id and p.lat is not None]
    out = []
    for p in places:
        if _stray_abroad(p, located, named, gaz):
            others = [q for q in located if q.country != p.country]
            focus = _focus(GeoContext(countries=Counter(named), places=others))
            if focus is not None:
                reason = f"document focus; {p.name} ({p.country}) is a namesake far from the story, abroad"
                p = replace(
                    focus, text=p.text, start=p.start, end=p.end, reason=reason,
                    geo_precision=max(2, focus.geo_precision),
                )  # fmt: skip
        out.append(p)
    return out


def _stray_abroad(p: Place, located: list[Place], named: Counter[str], gaz: Gazetteer) -> bool:
    if p.kind not in ("village", "town") or not p.id or not p.country or named.get(p.country, 0):
        return False
    if not (p.reason or "").startswith(("exact", "normalised")) or f"context {p.country}" in (p.reason or ""):
        return False  # a country the places read so far lie in is the story's too
    i = gaz.entry_of(p.id)
    if i is None or gaz.big(i):
        return False
    others = [q for q in located if q.id != p.id]
    return bool(others) and all(_km(p, q) > STRAY_KM for q in others)
