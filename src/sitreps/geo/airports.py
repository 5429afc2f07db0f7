"""Airports from the MIT-licensed `airportsdata` package: conflict news names them often (Donetsk airport,
Kabul's airport, Sanaa airport) and by their bare short names (Heathrow, Schiphol), which cities500 lacks.

Only airports a writer is likely to name are added (kind "airport", no people, precision 1): those with an IATA
code (scheduled traffic), international airports without one outside the US (Mykolaiv), and military air bases;
an airfield features.yaml places by hand is left to it. Each answers to its full name, its name without the
airport words ("London Heathrow", "Heathrow Airport"), "<city> airport" when it is clearly the city's airport,
and a one-word short name only when distinctive: what follows the city ("Heathrow") or a base's own name
("Incirlik"), never a common word, a name many airfields share, or a name a town already has. Nothing is added
without the package (a warning says so).
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Container
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from sitreps.geo.normalise import fold, norm

if TYPE_CHECKING:
    from sitreps.geo.index import GeoIndex

__all__ = ["AIRPORTS_PACKAGE", "add_airports", "airport_aliases", "airports_version", "is_military"]

log = logging.getLogger(__name__)

AIRPORTS_PACKAGE = "airportsdata"
KIND = "airport"
FEATURE_KM = 5.0
"""A packaged feature (features.yaml: airport or base) this close is the same airfield, curated: it wins."""
SHARED_WORD = 3
"""Airfield names (of all the package's 28,000) a word may be in and still stand alone as one airport's name:
"Industrial", "Community", "Fernando" are in dozens, "Heathrow" in two."""
MIN_SHORT = 5
"""Letters a one-word short name ("Heathrow") needs before it is registered on its own."""

_MILITARY = re.compile(
    r"\b(?:air ?base|air force base|afb|military|naval air (?:station|base|facility)|air station|raf|rnas|cfb|"
    r"army air ?field|air national guard|marine corps air|air force|naval air|joint base)\b",
    re.IGNORECASE,
)
"""Name words of a military airfield (kept even without an IATA code: bases are frequent targets)."""
_INTL = re.compile(r"\b(?:international|intl)\b", re.IGNORECASE)
_MILITARY_HINT = re.compile(r"air|afb|raf|rnas|cfb|militar|naval|base", re.IGNORECASE)
"""A cheap first look before `_MILITARY` (most of the package's 28,000 strips are civil)."""
_AIRPORT_WORD = re.compile(
    r"\b(?:airports?|air ?port|intl|air ?field|airpark|air park|aerodrome|airstrip|air ?base)\b", re.I
)
_TAIL = re.compile(
    r"(?:\s+(?:international|intl\.?|ntl|regional|municipal|domestic|national|county|metropolitan|city|"
    r"executive|memorial|civil|military|army|naval|joint|commercial|new|old)\b)*"
    r"\s+(?:airports?|air ?port|intl\.?|ntl|airfield|air field|airpark|air park|aerodrome|airstrip|"
    r"air ?base|air force base|afb|air station|naval air station|army air ?field|field)$",
    re.IGNORECASE,
)
"""The airport words a name ends with ("International Airport", "Air Base"): what is left is its own name."""
_SMALL = re.compile(r"\b(?:regional|municipal|county|memorial|executive|airpark|air park|field)\b", re.IGNORECASE)
"""Words of a small field's name: no short name of it stands alone."""
_HEAD = re.compile(r"^(?:raf|rnas|cfb|naval air station|air base|airport)\s+", re.IGNORECASE)
"""Words before a base's own name (RAF Lakenheath, Airport Schiphol once the city is cut)."""
_WORD = re.compile(r"[^\W\d_]+")
_PAREN = re.compile(r"\s*\([^)]*\)")
_AIRPORTISH = frozenset(
    """
    airport airports airbase aeroclube aeroclub international intl ntl regional municipal domestic national county
    metropolitan executive memorial civil military army naval joint commercial field airfield airpark aerodrome
    airstrip air base force station afb raf heliport seaplane lrrs island islands lake creek river bay valley hill
    point intercontinental
    """.split()
)
"""Words that name no airport alone: a short name made only of these (and generic words) is not registered."""


def is_military(name: str) -> bool:
    """Whether an airfield's name says it is military (Air Base, AFB, Naval Air Station, RAF …)."""
    return bool(_MILITARY.search(name))


def airports_version() -> str:
    """Version of the airports package for the index cache key ("none" without it), so installing it rebuilds."""
    try:
        import airportsdata
    except ImportError:
        return "none"
    return str(getattr(airportsdata, "__version__", "unknown"))


def _load() -> dict[str, dict[str, Any]] | None:
    try:
        import airportsdata
    except ImportError:
        log.warning("package %s not installed: airports left out of the gazetteer — pip install it", AIRPORTS_PACKAGE)
        return None
    try:
        return cast("dict[str, dict[str, Any]]", airportsdata.load("ICAO"))  # rows are TypedDicts of str/float
    except (OSError, ValueError, KeyError) as e:
        log.warning("%s: unreadable data (%s); airports left out — reinstall it", AIRPORTS_PACKAGE, e)
        return None


def _wanted(row: dict[str, Any]) -> bool:
    """Airports with an IATA code, international airports that lost theirs (Mykolaiv: no scheduled flights in
    wartime) and military airfields; never heliports, seaplane bases or closed strips. US private strips that
    call themselves international in jest ("Inshallah International") are left out."""
    name = str(row.get("name") or "")
    if not name or re.search(r"\b(?:heliport|helipad|seaplane|closed|duplicate)\b", name, re.IGNORECASE):
        return False
    if row.get("iata") or (row.get("country") != "US" and _INTL.search(name)):
        return True
    return _MILITARY_HINT.search(name) is not None and is_military(name)


def _free_word(short: str, city_keys: set[str], taken: Container[str], words: frozenset[str]) -> bool:
    """Whether a one-word short name ("Heathrow") may stand alone: long enough to be no code, not a common word
    or person's name, not the city, and no name of a place the index already has (Kabul stays the city)."""
    key = fold(short)
    return (
        len(key) >= MIN_SHORT
        and not key.startswith(("internation", "intercontinental"))
        and " " not in key
        and all(ch.isalpha() or ch in "-'" for ch in key)
        and key not in city_keys
        and key not in taken
        and key not in words
        and key not in _AIRPORTISH
    )


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    """Folded words no short name may be: common English words, generic name parts, stoplisted names."""
    from sitreps.geo.words import ENGLISH_WORDS, GENERIC_WORDS, STOPLIST

    return ENGLISH_WORDS | GENERIC_WORDS | STOPLIST


@lru_cache(maxsize=1)
def _plain_words() -> frozenset[str]:
    """Airport words, generic name parts and common English words: no name is made of these alone."""
    from sitreps.geo.words import ENGLISH_WORDS, GENERIC_WORDS

    return _AIRPORTISH | ENGLISH_WORDS | GENERIC_WORDS


def _generic(short: str) -> bool:
    """Only airport and generic words ("International", "Central Regional"): no name to build aliases on."""
    plain = _plain_words()
    return all(p in plain for p in fold(short).split())


def airport_aliases(
    name: str,
    city: str,
    *,
    military: bool,
    taken: Container[str] = frozenset(),
    shared: Container[str] = frozenset(),
) -> list[str]:
    """Names a writer uses for an airport besides its full name.

    The name without its airport words gets "<it> Airport" (or "<it> airbase", "<it> air base" for a base);
    it stands alone only when it opens with the city ("London Heathrow": a person's name such as "Indira
    Gandhi" never does); what follows the city ("Heathrow"), or the one-word name of a base or international
    airport ("Sheremetyevo"), only when `_free_word` allows it: `taken` holds the folded names other places
    keep (see `_Taken`); `shared` the lower-case words many airfields' names hold ("Industrial", "Community"),
    none of which stand alone. A small field's (regional, municipal …) short name never does either.
    "<city> airport" for an airport not named after its city is the caller's decision (see `_city_airport`).
    """
    words = _words()
    cities = [c.strip() for c in (city, *re.split(r"[/,]", city)) if c.strip()]
    city_keys = {fold(c) for c in cities}
    city_keys |= {" ".join(w for w in k.split() if w not in _AIRPORTISH and w not in words) for k in city_keys}
    out: list[str] = []
    intl = _INTL.search(name) is not None
    small = _SMALL.search(name) is not None
    plain = re.sub(r"\s*,\s*(?=air)", " ", " ".join(_PAREN.sub("", name).split()), flags=re.IGNORECASE)
    variants = [p.strip() for p in plain.split("/")] if "/" in plain else [plain]
    for v in variants:
        if not v:
            continue
        core = _TAIL.sub("", v).strip(" -,")
        core = " ".join(w for w in core.split() if fold(w) not in ("airport", "intl"))
        head = _HEAD.sub("", core).strip(" -,")
        if not head or _generic(head):
            continue  # "International Airport", half of "Charleston Afb/International Airport"
        if v != name and _AIRPORT_WORD.search(v):
            out.append(v)
        if core == v and head == core:
            continue
        rest = ""
        for c in sorted(cities, key=len, reverse=True):  # "London Heathrow" → "Heathrow"; "Toulouse-Francazal"
            if head.lower().startswith(c.lower()) and head[len(c) : len(c) + 1] in (" ", "-", "–"):
                rest = _HEAD.sub("", head[len(c) :].strip(" -–,"))
                break
        for s in (head, rest):
            if not s or _generic(s):
                continue
            out += [f"{s} airbase", f"{s} air base"] if military else [f"{s} Airport"]
            if intl and not military:
                out.append(f"{s} International Airport")  # "Dulles International Airport"
        if rest and fold(head) not in taken and fold(head) not in city_keys:
            out.append(head)  # "London Heathrow", "Enid Woodring"
        # Alone: the part after the city (the airport's own locality: Heathrow, Schiphol), or the one-word
        # name of a base (Incirlik). Never a civil airport's own one-word name, nor a small field's (regional,
        # municipal …): most are people (Jinnah, Enid Woodring Regional) whose names news uses for them.
        for s in (rest, head if military else "") if not small else ():
            if s and s.lower() not in shared and _free_word(s, city_keys, taken, words):
                out.append(s)
    return [a for a in dict.fromkeys(out) if fold(a) != fold(name)]


BIG_POP = 10_000
"""A namesake abroad this populous (or a country or area) keeps a short name from airports: Macedonia, Ohio
(11,700 people) keeps "Macedonia"; Heathrow, Florida (5,900) does not keep "Heathrow"."""
NO_SHORT_NAMES = frozenset({"US"})
"""Countries whose airports get no one-word short name: their airports are named after people (Bergstrom,
Rickenbacker, Tompkins), names the country's own news uses for the people; writers name them by city."""


class _Taken:
    """Folded names a short airport name must not take: a place of the airport's own country has it, in any
    transliteration (Boryspil, the town; Yuzhny near Yuzhnyy), or a sizeable place or an area anywhere."""

    def __init__(self, idx: GeoIndex, cc: str) -> None:
        self.idx, self.cc = idx, cc

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if self.cc in NO_SHORT_NAMES and " " not in key:
            return True
        ix = self.idx
        hits = (*ix.postings(ix.fold_keys, key), *ix.postings(ix.norm_keys, norm(key)))
        return any(
            ix.cc[j] == self.cc
            or ix.pop[j] >= BIG_POP
            or ix.kind[j] in ("capital", "country", "admin1", "admin2", "region")
            for j in hits
        )


_SUBD_WORDS = re.compile(
    r"\s+(?:province|oblast|governorate|region|state|district|prefecture|county|department|territory|"
    r"autonomous (?:okrug|republic|region))$|^(?:province|state|region|republic) of\s+",
    re.IGNORECASE,
)


def _admin1(idx: GeoIndex, city: str, subd: str, cc: str, lat: float, lon: float) -> str:
    """The first-level code of the nearest same-country place named `city`, else of the same-country area
    named `subd` (the package's subdivision), else ""."""
    best, best_d = "", 1e9
    shrink = math.cos(math.radians(lat))
    for c in dict.fromkeys((city, city.split("/")[0])):
        for j in idx.postings(idx.fold_keys, fold(c)) if c.strip() else ():
            if idx.cc[j] != cc or idx.kind[j] in ("country", "region") or not idx.admin1[j]:
                continue
            d = (idx.lat[j] - lat) ** 2 + ((idx.lon[j] - lon) * shrink) ** 2  # nearness order only
            if d < best_d:
                best, best_d = idx.admin1[j], d
        if best:
            return best
    for s in dict.fromkeys((subd, _SUBD_WORDS.sub("", subd))):
        for j in idx.postings(idx.fold_keys, fold(s)) if s.strip() else ():
            if idx.cc[j] == cc and idx.kind[j] == "admin1":
                return idx.admin1[j]
    return ""


def _curated() -> list[tuple[float, float]]:
    """Positions of the airfields the packaged features already place by hand (read with the fast C loader:
    the build parses and checks the file in full when it adds the features)."""
    import yaml

    from sitreps.geo.index import _data_text

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(_data_text("features.yaml"), Loader=loader)
        feats = data.get("features") if isinstance(data, dict) else data
        return [
            (float(f["lat"]), float(f["lon"]))
            for f in feats or ()
            if isinstance(f, dict) and f.get("kind") in ("airport", "base") and "lat" in f and "lon" in f
        ]
    except (yaml.YAMLError, TypeError, ValueError) as e:
        log.warning("features.yaml unreadable (%s); airports not checked against its airfields", e)
        return []


def _city_airport(rows: list[dict[str, Any]]) -> dict[str, str]:
    """ICAO code of the one airport with scheduled flights (an IATA code) each (country, city) means by "<city>
    airport": the only civil one (a base only where there is none: Kirkuk), else the only one named after the
    city, else the only such international one; no entry when still ambiguous."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        if r.get("iata") and str(r.get("city") or "").strip():
            groups.setdefault((str(r["country"]), fold(str(r["city"]))), []).append(r)
    out: dict[str, str] = {}
    for (_cc, city), members in groups.items():
        pool = [r for r in members if not is_military(str(r["name"]))] or members
        if len(pool) > 1:
            pool = [r for r in pool if city in fold(str(r["name"]))]
        if len(pool) > 1:
            pool = [r for r in pool if _INTL.search(str(r["name"]))]
        if len(pool) == 1:
            out[str(pool[0]["icao"])] = city
    return out


def add_airports(idx: GeoIndex) -> int:
    """Add the package's commercial airports and military airfields to `idx` (kind "airport", no people);
    returns how many were added (0, with a warning, when the package is missing or unreadable).

    Call after the cities (their names decide which short names are free, and give the first-level codes)
    and before the packaged features are added.
    """
    from sitreps.geo.index import distance_km

    data = _load()
    if not data:
        return 0
    counts: Counter[str] = Counter()
    for r in data.values():
        counts.update(set(_WORD.findall(str(r.get("name") or "").lower())))
    shared = {w for w, k in counts.items() if k >= SHARED_WORD}
    rows = [r for r in data.values() if _wanted(r)]
    city_of = _city_airport(rows)
    curated: dict[int, list[tuple[float, float]]] = {}
    for a, b in _curated():  # by whole degree of latitude, each under its neighbours too
        for d in (-1, 0, 1):
            curated.setdefault(round(a) + d, []).append((a, b))
    n = 0
    for r in sorted(rows, key=lambda r: str(r["icao"])):
        name = " ".join(str(r["name"]).split())
        cc, city = str(r["country"]).strip(), " ".join(str(r.get("city") or "").split())
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
        except (TypeError, ValueError):
            continue
        if not cc or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        if any(distance_km(lat, lon, a, b) < FEATURE_KM for a, b in curated.get(round(lat), ())):
            continue
        military = is_military(name)
        display = name if _AIRPORT_WORD.search(name) or military else f"{name} Airport"
        if fold(display) in idx.fold_keys and not _AIRPORT_WORD.search(display):
            continue  # a bare place name ("Kabwum"): the town keeps it
        aliases = airport_aliases(display, city, military=military, taken=_Taken(idx, cc), shared=shared)
        if str(r["icao"]) in city_of and city:
            aliases += [f"{city} Airport", f"{city} International Airport"]
        admin1 = _admin1(idx, city, str(r.get("subd") or ""), cc, lat, lon)
        aliases = [a for a in dict.fromkeys(aliases) if fold(a) != fold(display)]
        idx.add(f"airport:{r['icao']}", display, lat, lon, cc, admin1, KIND, 0, aliases=aliases, precision=1)
        n += 1
    log.debug("%d airports added from %s", n, AIRPORTS_PACKAGE)
    return n
