"""Adapters to the actor KB, the gazetteer and the date normaliser, so extraction survives their absence or change."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from sitreps import geo, when
from sitreps.errors import ConfigError
from sitreps.geo import GeoContext
from sitreps.model import ActorRef, DateInterval, Place, Span

STATE_KINDS = frozenset({"state-forces", "government", "state", "military", "police", "external-forces"})
"""Actor kinds that count as state forces (retaking territory is then 'Government regains territory')."""
GROUP_KINDS = frozenset({"rebel-group", "political-militia", "identity-militia", "unidentified-armed-group"})
"""Actor kinds that pronouns such as 'the group' or 'the militants' refer back to."""


_ACTOR_FILES: tuple[str, ...] = ()
"""User actor files (from KbConfig.extra_files) the process's actor KB includes; set by `use_actor_files`."""


def actor_files(extra_files: Iterable[str | Path]) -> tuple[str, ...]:
    """The files among KbConfig.extra_files that hold actors (top-level `actors:` or `states:`); others are triggers.

    Raises:
        ConfigError: a listed file is missing or not YAML (naming it).
    """
    from sitreps.kb.actors import TOP_KEYS

    found = []
    for f in extra_files:
        path = Path(f)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise ConfigError(str(path), "KB file not found", "check the path given to --kb / kb.extra_files") from e
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            raise ConfigError(str(path), f"cannot read KB file: {e}", "save it as UTF-8 YAML") from e
        if isinstance(data, dict) and TOP_KEYS & set(data):
            found.append(str(path))
    return tuple(found)


def use_actor_files(files: tuple[str, ...]) -> None:
    """Make the process's actor KB the bundled one plus these user files (validated now, with file:line errors)."""
    global _ACTOR_FILES
    if files == _ACTOR_FILES:
        return
    from sitreps.kb.actors import load_actors

    load_actors(files)  # validate before switching, so a bad file leaves the KB as it was
    _ACTOR_FILES = files
    actor_kb.cache_clear()
    match_actor.cache_clear()


@lru_cache(maxsize=1)
def actor_kb() -> Any:
    """The actor KB: bundled actors plus `use_actor_files` files; None when the KB module is missing."""
    if _ACTOR_FILES:
        from sitreps.kb.actors import load_actors

        return load_actors(_ACTOR_FILES)
    from sitreps.kb.actors import default_actor_kb

    return default_actor_kb()


PATTERN_CACHE_VERSION = "1"


def _pattern_cache_file() -> Path | None:
    """Cache file for the KB's ruler patterns, keyed by the bundled actor files, the KB code and spaCy's version.

    Why: tokenising ~19k aliases with spaCy's tokenizer (and loading the YAML to get them) dominated pipeline
    build time; the patterns only change when those inputs do.
    """
    try:
        from spacy import about

        from sitreps.geo.index import default_cache_dir
        from sitreps.kb import actors as kb_actors
    except ImportError:
        return None
    h = hashlib.sha256(f"{PATTERN_CACHE_VERSION}|{about.__version__}".encode())
    h.update(Path(kb_actors.__file__).read_bytes())
    for name, text in kb_actors._bundled_files():
        h.update(name.encode())
        h.update(text.encode("utf-8"))
    for extra in _ACTOR_FILES:
        h.update(extra.encode())
        h.update(Path(extra).read_bytes())
    return default_cache_dir().parent / "nlp" / f"actor-patterns-{h.hexdigest()[:16]}.pickle"


def actor_patterns() -> list[dict[str, Any]]:
    """EntityRuler-style patterns (label ACTOR, id = actor id) from the KB; empty without a KB.

    Read from an on-disk cache when the KB files are unchanged (see `_pattern_cache_file`); a missing or
    unreadable cache is rebuilt, never an error.
    """
    path = _pattern_cache_file()
    if path is not None and path.is_file():
        try:
            with path.open("rb") as fh:
                cached = pickle.load(fh)
            if isinstance(cached, list):
                return cached
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    kb = actor_kb()
    patterns = list(kb.patterns()) if kb is not None else []
    if path is not None and patterns:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(patterns, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except OSError:
            pass  # a read-only cache folder only costs speed
    return patterns


@lru_cache(maxsize=65536)
def match_actor(text: str, country: str | None = None) -> ActorRef | None:
    """Resolve an actor phrase with the KB (`kb.match`), None when the KB cannot pin it down."""
    kb = actor_kb()
    if kb is None or not text.strip():
        return None
    try:
        ref = kb.match(text, country)
    except TypeError:
        ref = kb.match(text)
    return ref if isinstance(ref, ActorRef) else None


def unknown_actor(text: str, kind: str = "unknown") -> ActorRef:
    """An actor the KB does not know: kept by name so the analyst still sees who the text says."""
    return ActorRef(id=None, name=text, text=text, kind=kind)


def is_state(ref: ActorRef | None) -> bool:
    """Whether an actor is a state force or government (for 'Government regains territory')."""
    return ref is not None and ref.kind in STATE_KINDS


def is_group(ref: ActorRef | None) -> bool:
    """Whether an actor is a non-state armed group (the referent of 'the group', 'the militants')."""
    return ref is not None and ref.kind in GROUP_KINDS


def is_civilian(ref: ActorRef | None) -> bool:
    """Whether an actor is civilians (kill → Violence against civilians)."""
    return ref is not None and (ref.kind == "civilians" or ref.id == "civilians")


ARMED_KINDS = frozenset(
    {
        "state-forces",
        "external-forces",
        "rebel-group",
        "political-militia",
        "identity-militia",
        "unidentified-armed-group",
    }
)
"""Actor kinds that fight: the only ones a battle's unnamed other side can be."""


def _family(ref: ActorRef) -> set[str]:
    """An actor's id with its parent and declared allies (both directions are checked by the caller)."""
    kb = actor_kb()
    out = {ref.id} if ref.id else set()
    actor = kb.get(ref.id) if kb is not None and ref.id else None
    if actor is not None:
        if actor.parent:
            out.add(actor.parent)
        out.update(actor.allies)
    return out


def opposed(a: ActorRef, b: ActorRef) -> bool:
    """Whether two resolved actors plausibly fight each other: different, not allied, not on one side.

    State forces of different countries count as not opposed (an inference across states is too risky).
    """
    if not a.id or not b.id or a.id == b.id or b.kind not in ARMED_KINDS:
        return False
    if b.id in _family(a) or a.id in _family(b):
        return False
    if is_state(a) and is_state(b):
        return False
    return not (a.side and b.side and a.side == b.side)


def preload() -> None:
    """Load the actor KB, the gazetteer and its table of country names now, when the pipeline is built.

    Why: each is loaded on first use, which would otherwise fall inside the first document's processing
    (seconds of CPU), as spaCy's model load does not; a worker pays it in its initializer instead.
    """
    actor_kb()
    geo.default_gazetteer().country_names()


# --- places ---------------------------------------------------------------------------------------------------


def geo_context(text: str, places: Iterable[Place] = ()) -> GeoContext:
    """A `sitreps.geo.GeoContext` from the whole document: the countries it names and the places resolved so far."""
    ctx = GeoContext.from_text(text)
    for place in places:
        ctx.add(place)
    return ctx


def add_to_context(ctx: GeoContext, place: Place) -> None:
    """Record a resolved place in the context so later names lean towards it."""
    ctx.add(place)


def resolve_place(phrase: str, context: GeoContext | None) -> Place | None:
    """`sitreps.geo.resolve_phrase(phrase, context=...)`, or None when the phrase is no place."""
    return geo.resolve_phrase(phrase, context=context) if phrase.strip() else None


def resolve_name(name: str, context: GeoContext | None, country: str | None = None) -> Place | None:
    """`sitreps.geo.resolve(name, context=..., country=...)`: a bare toponym, no phrase fallback."""
    return geo.resolve(name, context=context, country=country) if name.strip() else None


def known_place(name: str) -> bool:
    """Whether the gazetteer knows the name."""
    return geo.known(name)


def find_places(text: str, context: GeoContext | None = None) -> list[Place]:
    """Places the gazetteer finds in a text with character offsets (`sitreps.geo.find_places`), unresolved
    phrases ('not in gazetteer') left out. A given context is copied (the pass adds what it finds), which
    spares counting the text's countries again."""
    ctx = None if context is None else GeoContext(countries=Counter(context.countries), text=context.text)
    return [p for p in geo.find_places(text, context=ctx) if p.id is not None and p.start is not None]


_NAME_WORD = r"(?:[A-Z][\w'’-]*|[a-z]{1,3}-[A-Z][\w'’-]*)"
_FEATURE_RE = re.compile(
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})\s+(?:(?:military|international|air)\s+)?(airbase|airport|airfield|base|dam)\b"
)
_FEATURE_ALTS: dict[str, tuple[str, ...]] = {
    "airbase": ("airbase", "airport", "air base"),
    "airport": ("airport", "airbase", "air base"),
    "airfield": ("airfield", "airbase", "airport"),
    "base": ("base", "airbase"),
    "dam": ("dam",),
}
FEATURE_KINDS = frozenset({"airport", "base", "site", "dam", "crossing", "camp", "plant", "mountain"})


def find_features(text: str, context: GeoContext | None = None) -> list[Place]:
    """Named facilities the gazetteer lists, written as a name and a lowercase facility noun ('the Tiyas
    airbase', 'the Tiyas military airport', 'the Tabqa dam'), with character offsets.

    Why: the gazetteer's name pass reads capitalised words only, and writers vary the noun ('airport' for a
    listed 'airbase'), so these sites were missed or read as their town.
    """
    out: list[Place] = []
    for m in _FEATURE_RE.finditer(text):
        noun = m.group(2)
        words = list(re.finditer(r"\S+", m.group(1)))
        for k, w in enumerate(words):
            name = " ".join(x.group() for x in words[k:])
            got = next(
                (
                    p
                    for alt in _FEATURE_ALTS[noun]
                    for p in [geo.resolve_phrase(f"{name} {alt}", context=context, fallback=False)]
                    if p is not None
                    and (p.kind or "") in FEATURE_KINDS
                    and (p.reason or "").startswith(("exact", "normalised"))
                ),
                None,
            )
            if got is not None:
                start = m.start(1) + w.start()
                out.append(replace(got, text=text[start : m.end()], start=start, end=m.end()))
                break
    return out


def find_place_names(text: str) -> list[str]:
    """Place names the gazetteer finds in a text (`sitreps.geo.find_places`), for the document's geo context."""
    return [p.text for p in geo.find_places(text)]


# --- dates ----------------------------------------------------------------------------------------------------


def find_times(text: str) -> list[Span]:
    """Time phrases with character offsets (`sitreps.when.find_time_expressions`).

    Cached by text: every mention in a sentence asks for the same sentence's phrases. Copies come back, as
    spans are mutable.
    """
    return [Span(text=sp.text, start=sp.start, end=sp.end) for sp in _find_times(text)]


@lru_cache(maxsize=256)
def _find_times(text: str) -> tuple[Span, ...]:
    return tuple(when.find_time_expressions(text))


def normalise_time(
    phrase: str, *, published: date | None, context: str | None, anchor: date | None
) -> DateInterval | None:
    """`sitreps.when.normalise` against the publication date (and an event date in the same sentence)."""
    return when.normalise(phrase, published=published, context=context, anchor=anchor)


def default_date(published: date | None) -> DateInterval:
    """The date of a mention without a time phrase (`sitreps.when.default_date`)."""
    return when.default_date(published)
