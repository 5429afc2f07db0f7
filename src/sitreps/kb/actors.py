"""The actor knowledge base: YAML actors and states, validated, and alias → canonical actor resolution."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sitreps.errors import ConfigError
from sitreps.model import ActorRef

KINDS: tuple[str, ...] = (
    "state-forces",
    "government",
    "rebel-group",
    "political-militia",
    "identity-militia",
    "external-forces",
    "civilians",
    "protesters",
    "international-organisation",
    "unidentified-armed-group",
)
"""Actor kinds, after ACLED's actor types (inter codes) plus governments and international organisations."""

ACTOR_KEYS: frozenset[str] = frozenset(
    {"id", "name", "kind", "country", "side", "aliases", "context_aliases", "parent", "allies", "note"}
)
STATE_KEYS: frozenset[str] = frozenset(
    {
        "slug",
        "name",
        "iso2",
        "adj",
        "aliases",
        "military_aliases",
        "government_aliases",
        "police_aliases",
        "un_member",
        "note",
    }
)
TOP_KEYS: frozenset[str] = frozenset({"actors", "states"})

MILITARY_NOUNS: tuple[str, ...] = (
    "army",
    "troops",
    "forces",
    "armed forces",
    "soldiers",
    "military",
    "warplanes",
    "jets",
    "fighter jets",
    "aircraft",
    "air force",
    "navy",
    "special forces",
    "drones",
    "artillery",
    "government forces",
    "government troops",
    "government soldiers",
    "regime forces",
    "security forces",
    "ground forces",
    "helicopters",
    "warships",
    "marines",
)
"""Force nouns that, after a country adjective, name that country's military ("Syrian army")."""
GOVERNMENT_NOUNS: tuple[str, ...] = ("government", "authorities", "regime", "officials", "state")
POLICE_NOUNS: tuple[str, ...] = ("police", "police officers", "policemen", "police forces", "gendarmerie", "gendarmes")

_GENERIC_BY_ROLE: dict[str, tuple[str, ...]] = {
    "military": (
        "government forces",
        "government troops",
        "government soldiers",
        "pro-government forces",
        "regime forces",
        "army",
        "national army",
        "military",
        "armed forces",
        "security forces",
        "troops",
        "soldiers",
        "air force",
    ),
    "government": ("government", "authorities", "regime", "state authorities"),
    "police": ("police", "policemen", "police officers", "riot police", "gendarmerie"),
}
"""Generic nouns that name a state's forces only when the caller says which country the text is about."""

_EXTRA_HEADS: dict[str, str] = {
    "tanks": "military",
    "gunships": "military",
    "bombers": "military",
    "paratroopers": "military",
    "commandos": "military",
    "battalion": "military",
    "brigade": "military",
    "division": "military",
    "units": "military",
    "personnel": "military",
    "ministry": "government",
    "administration": "government",
    "cabinet": "government",
    "prime minister": "government",
    "president": "government",
}
_GUARD_AFTER = frozenset(
    {"backed", "led", "allied", "aligned", "supported", "sponsored", "trained", "affiliated", "linked", "inspired"}
)
_GUARD_BEFORE = frozenset({"pro", "anti", "non"})
_NON_STATE = frozenset(
    {
        "rebel",
        "rebels",
        "insurgent",
        "insurgents",
        "militant",
        "militants",
        "opposition",
        "militia",
        "militias",
        "separatist",
        "separatists",
        "jihadist",
        "jihadists",
        "islamist",
        "islamists",
        "fighters",
        "gunmen",
        "volunteers",
        "mercenaries",
        "civilians",
        "protesters",
        "refugees",
        "defectors",
    }
)
_CASE_WORDS = frozenset(
    {"is", "us", "who", "as", "it", "an", "am", "at", "be", "by", "do", "go", "he", "if", "in", "me", "my", "no"}
    | {"of", "on", "or", "so", "to", "up", "we", "aid", "all", "and", "are", "can", "one", "new", "now", "war", "men"}
    | {"arm", "art", "sun", "via", "hat", "pal", "ran", "car", "had", "has", "him", "his", "her", "its", "out"}
)
"""Acronyms spelled like common English words ("IS", "US", "WHO") only match in capitals."""

_ARTICLES = frozenset({"the", "a", "an"})
_ABBREV = re.compile(r"\b([A-Za-z])\.([A-Za-z])\.(?:([A-Za-z])\.)?")
_APOSTROPHES = re.compile(r"[’‘ʼʿʾ`´']")
_SPLIT = re.compile(r"[^0-9A-Za-z]+")
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO2_RE = re.compile(r"^[A-Z]{2}$")
_MAX_TOKENS = 16


def _fold(text: str) -> str:
    """Strip accents and unify apostrophes so transliteration variants compare equal."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return text


def _abbrev(m: re.Match[str]) -> str:
    return "".join(g for g in m.groups() if g).upper()


def tokens(text: str) -> list[str]:
    """Normalised tokens of an actor phrase: folded, "U.S." → "US", possessives and articles dropped, lowercase.

    Acronyms spelled like English words ("IS", "US", "WHO") keep their capitals so "is" never means the
    Islamic State. Aliases and phrases go through the same function, so they compare as token lists.
    """
    if not text.isascii():
        text = _APOSTROPHES.sub("'", _fold(text))
    if "." in text:
        text = _ABBREV.sub(_abbrev, text)
    if "'" in text or "`" in text:
        text = _APOSTROPHES.sub("'", text)
        text = text.replace("'s ", " ").replace("s' ", "s ")
        if text.endswith("'s"):
            text = text[:-2]
        text = text.replace("'", "")
    out: list[str] = []
    for raw in _SPLIT.split(text):
        if not raw:
            continue
        low = raw.lower()
        if low in _CASE_WORDS and raw.isupper() and len(raw) > 1:
            out.append(raw)
        else:
            out.append(low)
    while out and out[0] in _ARTICLES:
        out.pop(0)
    return out[:_MAX_TOKENS]


def normalise(text: str) -> str:
    """The lookup key of an actor phrase (its normalised tokens joined by spaces)."""
    return " ".join(tokens(text))


def _singular(tok: str) -> str:
    if len(tok) > 3 and tok.islower():
        if tok.endswith("ies") and len(tok) > 4:
            return tok[:-3] + "y"
        if tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
            return tok[:-1]
    return tok


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical party to events: an armed group, a state's forces, a government, civilians …"""

    id: str
    name: str
    kind: str
    country: str | None
    side: str | None
    aliases: tuple[str, ...]
    parent: str | None = None
    allies: tuple[str, ...] = ()
    context_aliases: tuple[tuple[str, str], ...] = ()
    """(ISO2, alias) pairs: aliases that mean this actor only in that country's news ("the coalition" in Yemen)."""
    source: str = ""
    """`file:line` where the actor was defined, for error messages and provenance."""

    def ref(self, text: str) -> ActorRef:
        """This actor as a mention names it."""
        return ActorRef(id=self.id, name=self.name, text=text, kind=self.kind, side=self.side, country=self.country)


@dataclass(frozen=True, slots=True)
class State:
    """A country whose military, government and police actors are generated from one line."""

    slug: str
    name: str
    iso2: str
    modifiers: tuple[str, ...]
    un_member: bool = True


@dataclass(slots=True)
class _Draft:
    """An actor while files are still being read (aliases can still be added)."""

    id: str
    name: str
    kind: str
    country: str | None
    side: str | None
    source: str
    aliases: list[tuple[str, str]] = field(default_factory=list)
    """(alias, file:line) pairs."""
    context_aliases: list[tuple[str, str, str]] = field(default_factory=list)
    """(ISO2, alias, file:line) triples."""
    parent: tuple[str, str] | None = None
    allies: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Node:
    """A YAML value with the line it starts on (1-based)."""

    value: Any
    line: int


class ActorKB:
    """Canonical actors and the alias index that resolves actor phrases to them."""

    kinds: tuple[str, ...] = KINDS

    def __init__(self, actors: dict[str, Actor], states: dict[str, State]) -> None:
        self.actors = actors
        self.states = states
        self._by_iso2: dict[str, State] = {s.iso2: s for s in states.values()}
        self._global: dict[str, str] = {}
        self._context: dict[tuple[str, str], str] = {}
        # The same keys with every token singular: consulted only for phrases that had a plural token.
        self._global_sing: dict[str, str] = {}
        self._context_sing: dict[tuple[str, str], str] = {}
        # Generic role nouns ("regime forces", "the army") per country: weaker than any named alias.
        self._generic: dict[tuple[str, str], str] = {}
        self._generic_sing: dict[tuple[str, str], str] = {}
        self._max_len = 1
        self._surface: dict[str, str] = {}
        """Alias as written (lowercase unless it holds a capitals-only acronym) → its key: skips tokenising."""
        self._edges: set[tuple[str, str]] = set()
        """("<", first token) and (">", last token) of every key, to skip spans no alias can fill."""
        for actor in actors.values():
            for alias in (actor.name, *actor.aliases):
                self._index(alias, None, actor.id)
            for iso2, alias in actor.context_aliases:
                self._index(alias, iso2, actor.id)
        for state in states.values():
            for role, nouns in _GENERIC_BY_ROLE.items():
                actor_id = f"{state.slug}-{role}"
                if actor_id in actors:
                    for noun in nouns:
                        self._index(noun, state.iso2, actor_id, generic=True)
        self._modifiers: dict[str, str] = {}
        for state in states.values():
            for mod in state.modifiers:
                key = normalise(mod)
                if key:
                    self._modifiers.setdefault(key, state.slug)
        self._heads: dict[str, str] = dict(_EXTRA_HEADS)
        for role, nouns in (("military", MILITARY_NOUNS), ("government", GOVERNMENT_NOUNS), ("police", POLICE_NOUNS)):
            for noun in nouns:
                self._heads.setdefault(normalise(noun), role)
        self._cache: dict[tuple[str, str | None], str | None] = {}

    def __len__(self) -> int:
        return len(self.actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.actors

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors.values())

    def get(self, actor_id: str) -> Actor | None:
        """The actor with this id, or None."""
        return self.actors.get(actor_id)

    def by_kind(self, kind: str) -> list[Actor]:
        """Actors of one kind (see KINDS), in definition order."""
        return [a for a in self.actors.values() if a.kind == kind]

    def state(self, iso2: str) -> State | None:
        """The state with this ISO 3166-1 alpha-2 code, so callers can find `<slug>-military` from a country."""
        return self._by_iso2.get(iso2.upper())

    @property
    def n_aliases(self) -> int:
        """How many distinct normalised alias keys resolve (global and country-context ones)."""
        return len(self._global) + len(self._context) + len(self._generic)

    def match(self, text: str, country: str | None = None) -> ActorRef | None:
        """Resolve an actor phrase as a sentence writes it to a canonical actor.

        Args:
            text: the phrase ("the Syrian army", "Daesh fighters", "U.S.-led coalition"); coordination
                ("Russian and Syrian jets") is split by the caller.
            country: ISO2 of the country the text is about, so generic phrases ("government forces",
                "the army", "the coalition" in Yemen) resolve to that country's actors.

        Returns:
            An ActorRef with `text` the original phrase, or None for generic phrases ("militants",
            "gunmen") the KB cannot pin down; the caller keeps those with kind "unknown".
        """
        ckey = (text, country)
        actor_id = self._cache.get(ckey, "")
        if actor_id == "":
            actor_id = self._resolve(text, country.upper() if country else None)
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[ckey] = actor_id
        if actor_id is None:
            return None
        return self.actors[actor_id].ref(text)

    def match_exact(self, text: str, country: str | None = None) -> ActorRef | None:
        """Resolve a phrase only when it is an alias as a whole, never by an alias inside it.

        Why: callers that build a guess ("Kerry regime", "al-Bab government") must not get the actor that
        the generic word alone ("regime", "government") names in the country.
        """
        key = self._surface.get(text) or self._surface.get(text.lower()) or " ".join(tokens(text))
        if not key:
            return None
        iso2 = country.upper() if country else None
        actor_id = (
            self._lookup(key, iso2)
            or self._lookup(" ".join(_singular(t) for t in key.split()), iso2, True)
            or self._demonym(key.split())
        )
        return self.actors[actor_id].ref(text) if actor_id is not None else None

    def _index(self, alias: str, country: str | None, actor_id: str, *, generic: bool = False) -> None:
        toks = tokens(alias)
        if not toks:
            return
        key = " ".join(toks)
        for surface in (alias, f"the {alias}"):
            cased = any(t.isupper() and t.lower() in _CASE_WORDS for t in _SPLIT.split(surface))
            self._surface.setdefault(surface if cased else surface.lower(), key)
        sing = " ".join(_singular(t) for t in toks)
        self._max_len = max(self._max_len, len(toks))
        self._edges.add(("<", toks[0]))
        self._edges.add((">", toks[-1]))
        self._edges.add(("<", _singular(toks[0])))
        self._edges.add((">", _singular(toks[-1])))
        if generic and country is not None:
            self._generic.setdefault((country, key), actor_id)
            self._generic_sing.setdefault((country, sing), actor_id)
        elif country is None:
            self._global.setdefault(key, actor_id)
            self._global_sing.setdefault(sing, actor_id)
        else:
            self._context.setdefault((country, key), actor_id)
            self._context_sing.setdefault((country, sing), actor_id)

    def _lookup(self, key: str, country: str | None, sing: bool = False) -> str | None:
        if country is not None:
            hit = (self._context_sing if sing else self._context).get((country, key))
            if hit is not None:
                return hit
        hit = (self._global_sing if sing else self._global).get(key)
        if hit is None and country is not None:
            hit = (self._generic_sing if sing else self._generic).get((country, key))
        return hit

    def _resolve(self, text: str, country: str | None) -> str | None:
        key = self._surface.get(text) or self._surface.get(text.lower())
        if key is not None:
            hit = self._lookup(key, country)
            if hit is not None:
                return hit
        toks = tokens(text)
        if not toks:
            return None
        sing = [_singular(t) for t in toks]
        variants = [(toks, False)] if sing == toks else [(toks, False), (sing, True)]
        for variant, is_sing in variants:
            hit = self._lookup(" ".join(variant), country, is_sing)
            if hit is not None:
                return hit
        for variant, is_sing in variants:
            hit = self._contained(variant, country, is_sing)
            if hit is not None:
                return hit
        return self._demonym(toks)

    def _contained(self, toks: list[str], country: str | None, sing: bool) -> str | None:
        """The longest alias inside the phrase; on ties the rightmost, as English puts the head noun last."""
        n = len(toks)
        edges = self._edges
        starts = [("<", t) in edges and (i == 0 or toks[i - 1] not in _GUARD_BEFORE) for i, t in enumerate(toks)]
        ends = [(">", t) in edges and (i == n - 1 or toks[i + 1] not in _GUARD_AFTER) for i, t in enumerate(toks)]
        if not any(starts) or not any(ends):
            return None
        for length in range(min(n - 1, self._max_len), 0, -1):
            for start in range(n - length, -1, -1):
                end = start + length
                if not starts[start] or not ends[end - 1]:
                    continue
                hit = self._lookup(" ".join(toks[start:end]), country, sing)
                if hit is not None:
                    return hit
        return None

    def _demonym(self, toks: list[str]) -> str | None:
        """Country adjective + force noun ("Turkish tanks") → that country's military, government or police."""
        if any(t in _NON_STATE or t in _GUARD_AFTER or t in _GUARD_BEFORE for t in toks):  # "pro-Russian rebels"
            return None
        n = len(toks)
        role = None
        for length in (2, 1):
            if n >= length:
                role = self._heads.get(" ".join(toks[n - length :]))
                if role is not None:
                    break
        if role is None:
            return None
        for start in range(n):
            for length in (3, 2, 1):
                slug = self._modifiers.get(" ".join(toks[start : start + length]))
                if slug is not None:
                    actor_id = f"{slug}-{role}"
                    return actor_id if actor_id in self.actors else None
        return None

    def patterns(self, include_context: bool = True) -> list[dict[str, Any]]:
        """spaCy EntityRuler patterns (label ACTOR, id = actor id) for every alias, tokenised as spaCy does.

        Aliases are split by spaCy's own English tokenizer, so "US-led" becomes "US", "-", "led" and
        "U.S.-led" stays one token, exactly as in documents. Acronyms spelled like English words match
        by ORTH, everything else by LOWER; a final plural "s" is allowed. Country-context aliases
        ("government forces") carry id "" when `include_context`: resolve them with `match(text, country)`.
        """
        import spacy  # imported here: loading the KB must not pay for spaCy

        tokenizer = spacy.blank("en").tokenizer
        seen: set[tuple[str, str]] = set()
        out: list[dict[str, Any]] = []

        def add(alias: str, actor_id: str) -> None:
            for variant in _surface_variants(alias):
                if (variant, actor_id) in seen:
                    continue
                seen.add((variant, actor_id))
                toks = [t.text for t in tokenizer(variant)]
                if not toks:
                    continue
                pattern: list[dict[str, Any]] = []
                for i, tok in enumerate(toks):
                    low = tok.lower()
                    if tok.isupper() and low in _CASE_WORDS:
                        pattern.append({"ORTH": tok})
                    elif _acronym(tok):
                        # acronyms match as capitals ("LeT" never matches "let"); 4+ letters also in title case
                        # as some styles write them ("Isis", "Nato")
                        forms = [tok, tok.title()] if len(tok) >= 4 and tok.isupper() else [tok]
                        pattern.append({"ORTH": {"IN": list(dict.fromkeys(forms))}})
                    elif i == len(toks) - 1 and tok.isalpha() and len(tok) > 2 and not low.endswith("s"):
                        pattern.append({"LOWER": {"IN": [low, low + "s"]}})
                    else:
                        pattern.append({"LOWER": low})
                out.append({"label": "ACTOR", "pattern": pattern, "id": actor_id})

        for actor in self.actors.values():
            for alias in (actor.name, *actor.aliases):
                add(alias, actor.id)
        if include_context:
            for actor in self.actors.values():
                for _iso2, alias in actor.context_aliases:
                    add(alias, "")
            for nouns in _GENERIC_BY_ROLE.values():
                for noun in nouns:
                    if " " in noun or "-" in noun:
                        add(noun, "")
        return out


def _acronym(tok: str) -> bool:
    """An acronym as written: all capitals (2-5 letters, "SDF", "IDPs") or capitals inside a word ("LeT", "FAMa")."""
    letters = tok.rstrip("s") if tok.endswith("s") and tok[:-1].isupper() else tok
    if not letters.isalpha() or len(letters) < 2:
        return False
    if letters.isupper():
        return len(letters) <= 5
    return any(c.isupper() for c in letters[1:])


def _surface_variants(alias: str) -> list[str]:
    """The alias as written, minus a leading article, plus its dotted "U.S." / "U.N." / "U.K." spelling."""
    words = alias.split(" ", 1)
    if len(words) == 2 and words[0].lower() in _ARTICLES:
        alias = words[1]
    out = [alias]
    dotted = re.sub(r"\b(US|UN|UK)\b", lambda m: ".".join(m.group(1)) + ".", alias)
    if dotted != alias:
        out.append(dotted)
    return out


# --------------------------------------------------------------------------- loading


def _yaml_nodes(text: str, source: str) -> _Node | None:
    """Parse YAML into values that remember their line; scalars stay strings (Norway's NO stays "NO")."""
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e)
        raise ConfigError(
            f"{source}:{line}",
            f"not valid YAML: {problem}",
            "fix the syntax (indentation, a missing ':' or an unclosed quote or bracket)",
        ) from e
    return None if root is None else _convert(root)


def _convert(node: yaml.Node) -> _Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        items: dict[str, tuple[_Node, _Node]] = {}
        for k, v in node.value:
            key = _convert(k)
            items[str(key.value)] = (key, _convert(v))
        return _Node(items, line)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_convert(v) for v in node.value], line)
    if node.tag.endswith(":null") and node.value in ("", "~", "null", "Null", "NULL"):
        return _Node(None, line)
    return _Node(str(node.value), line)


def _where(path: str, line: int) -> str:
    return f"{path}:{line}"


def _expect_str(node: _Node, key: str, path: str, *, optional: bool = False) -> str | None:
    if node.value is None and optional:
        return None
    if not isinstance(node.value, str) or not node.value.strip():
        raise ConfigError(
            _where(path, node.line), f"'{key}' must be a non-empty string, got {node.value!r}", f"write {key}: <text>"
        )
    return node.value.strip()


def _expect_list(node: _Node, key: str, path: str) -> list[_Node]:
    if node.value is None:
        return []
    if not isinstance(node.value, list):
        raise ConfigError(
            _where(path, node.line),
            f"'{key}' must be a list of strings, got {node.value!r}",
            f"write {key}: [first, second]",
        )
    for item in node.value:
        if not isinstance(item.value, str) or not item.value.strip():
            raise ConfigError(
                _where(path, item.line),
                f"'{key}' holds {item.value!r}, not a non-empty string",
                "quote aliases that contain ':' or start with a special character",
            )
    return list(node.value)


def _mapping(node: _Node, what: str, path: str, allowed: frozenset[str]) -> dict[str, _Node]:
    if not isinstance(node.value, dict):
        raise ConfigError(
            _where(path, node.line),
            f"each {what} must be a mapping of keys, got {node.value!r}",
            f"write '- id: ...' style entries; keys: {', '.join(sorted(allowed))}",
        )
    out: dict[str, _Node] = {}
    for key, (knode, vnode) in node.value.items():
        if key not in allowed:
            raise ConfigError(
                _where(path, knode.line),
                f"unknown key '{key}' in {what}; valid keys: {', '.join(sorted(allowed))}",
                "fix the spelling or remove the key",
            )
        out[key] = vnode
    return out


class _Loader:
    """Reads actor and state files in order, so later files can add to earlier ones."""

    def __init__(self) -> None:
        self.drafts: dict[str, _Draft] = {}
        self.states: dict[str, State] = {}
        self.iso2: dict[str, str] = {}

    def read_file(self, path: Path | str, text: str) -> None:
        name = str(path)
        root = _yaml_nodes(text, name)
        if root is None:
            return
        if isinstance(root.value, list):
            self._read_actors(root, name)
            return
        top = _mapping(root, "file", name, TOP_KEYS)
        if "states" in top:
            for item in top["states"].value or []:
                self._read_state(item, name)
        if "actors" in top:
            self._read_actors(top["actors"], name)

    def _read_actors(self, node: _Node, path: str) -> None:
        if node.value is None:
            return
        if not isinstance(node.value, list):
            raise ConfigError(
                _where(path, node.line), "'actors' must be a list of actor entries", "write actors: [...]"
            )
        for item in node.value:
            self._read_actor(item, path)

    def _read_state(self, node: _Node, path: str) -> None:
        m = _mapping(node, "state", path, STATE_KEYS)
        where = _where(path, node.line)
        for req in ("slug", "name", "iso2"):
            if req not in m:
                raise ConfigError(where, f"state entry misses '{req}'", "each state needs slug, name and iso2")
        slug = _expect_str(m["slug"], "slug", path) or ""
        if not _ID_RE.match(slug):
            raise ConfigError(
                _where(path, m["slug"].line),
                f"slug '{slug}' must be lowercase words joined by hyphens",
                "e.g. slug: saudi-arabia",
            )
        name = _expect_str(m["name"], "name", path) or ""
        iso2 = (_expect_str(m["iso2"], "iso2", path) or "").upper()
        if not _ISO2_RE.match(iso2):
            raise ConfigError(
                _where(path, m["iso2"].line), f"iso2 '{iso2}' is not a two-letter code", "use ISO 3166-1 alpha-2"
            )
        if slug in self.states or iso2 in self.iso2:
            raise ConfigError(where, f"duplicate state '{slug}' / '{iso2}'", "each state is defined once")
        un_member = True
        if "un_member" in m:
            flag = str(m["un_member"].value).lower()
            if flag not in ("true", "false", "yes", "no"):
                raise ConfigError(
                    _where(path, m["un_member"].line), f"un_member must be true or false, got {flag!r}", None
                )
            un_member = flag in ("true", "yes")
        adj = [n.value.strip() for n in _expect_list(m.get("adj", _Node(None, 0)), "adj", path)]
        alt = [n.value.strip() for n in _expect_list(m.get("aliases", _Node(None, 0)), "aliases", path)]
        modifiers = tuple(dict.fromkeys([name, *alt, *adj]))
        self.states[slug] = State(slug=slug, name=name, iso2=iso2, modifiers=modifiers, un_member=un_member)
        self.iso2[iso2] = slug
        of = _with_article(name)
        specs = (
            ("military", f"Military Forces of {of}", "state-forces", MILITARY_NOUNS),
            ("government", f"Government of {of}", "government", GOVERNMENT_NOUNS),
            ("police", f"Police Forces of {of}", "state-forces", POLICE_NOUNS),
        )
        for role, actor_name, kind, nouns in specs:
            actor_id = f"{slug}-{role}"
            if actor_id in self.drafts:
                raise ConfigError(
                    where, f"duplicate actor id '{actor_id}'", f"already defined at {self.drafts[actor_id].source}"
                )
            draft = _Draft(actor_id, actor_name, kind, iso2, "government", where)
            for mod in modifiers:
                for noun in nouns:
                    draft.aliases.append((f"{mod} {noun}", where))
            if of != name:
                draft.aliases.append((f"{actor_name.rsplit(' of ', 1)[0]} of {name}", where))
            extra = m.get(f"{role}_aliases")
            if extra is not None:
                for n in _expect_list(extra, f"{role}_aliases", path):
                    draft.aliases.append((n.value.strip(), _where(path, n.line)))
            self.drafts[actor_id] = draft

    def _read_actor(self, node: _Node, path: str) -> None:
        m = _mapping(node, "actor", path, ACTOR_KEYS)
        where = _where(path, node.line)
        if "id" not in m:
            raise ConfigError(where, "actor entry misses 'id'", "every actor needs id: <lowercase-hyphenated-id>")
        actor_id = _expect_str(m["id"], "id", path) or ""
        if not _ID_RE.match(actor_id):
            raise ConfigError(
                _where(path, m["id"].line),
                f"id '{actor_id}' must be lowercase letters and digits joined by hyphens",
                "e.g. id: hayat-tahrir-al-sham",
            )
        existing = self.drafts.get(actor_id)
        if existing is not None:
            if "name" in m:
                raise ConfigError(
                    where,
                    f"duplicate actor id '{actor_id}' (first defined at {existing.source})",
                    "pick another id, or drop 'name' to add aliases to the existing actor",
                )
            only = set(m) - {"id", "aliases", "context_aliases", "allies", "note"}
            if only:
                raise ConfigError(
                    where,
                    f"'{actor_id}' already exists; an extension may only add aliases, context_aliases or allies,"
                    f" not {', '.join(sorted(only))}",
                    "drop those keys or define a new actor id",
                )
            draft = existing
        else:
            if "name" not in m:
                raise ConfigError(
                    where, f"actor '{actor_id}' has no 'name' and no earlier definition", "add name: <canonical name>"
                )
            kind = _expect_str(m["kind"], "kind", path) if "kind" in m else None
            if kind not in KINDS:
                line = m["kind"].line if "kind" in m else node.line
                raise ConfigError(
                    _where(path, line),
                    f"kind {kind!r} of '{actor_id}' is not one of: {', '.join(KINDS)}",
                    "pick the closest kind",
                )
            country = _expect_str(m["country"], "country", path, optional=True) if "country" in m else None
            if country is not None and not _ISO2_RE.match(country):
                raise ConfigError(
                    _where(path, m["country"].line),
                    f"country {country!r} of '{actor_id}' is not an ISO 3166-1 alpha-2 code",
                    "e.g. country: SY",
                )
            side = _expect_str(m["side"], "side", path, optional=True) if "side" in m else None
            draft = _Draft(actor_id, _expect_str(m["name"], "name", path) or "", kind, country, side, where)
            if "parent" in m:
                parent = _expect_str(m["parent"], "parent", path) or ""
                draft.parent = (parent, _where(path, m["parent"].line))
            self.drafts[actor_id] = draft
        if "aliases" in m:
            for n in _expect_list(m["aliases"], "aliases", path):
                draft.aliases.append((n.value.strip(), _where(path, n.line)))
        if "allies" in m:
            for n in _expect_list(m["allies"], "allies", path):
                draft.allies.append((n.value.strip(), _where(path, n.line)))
        if "context_aliases" in m:
            ctx = m["context_aliases"]
            if not isinstance(ctx.value, dict):
                raise ConfigError(
                    _where(path, ctx.line),
                    "'context_aliases' must map ISO2 country codes to alias lists",
                    "write context_aliases: {YE: [the coalition]}",
                )
            for code, (knode, vnode) in ctx.value.items():
                if not _ISO2_RE.match(code):
                    raise ConfigError(
                        _where(path, knode.line), f"context country {code!r} is not an ISO2 code", "e.g. YE"
                    )
                for n in _expect_list(vnode, f"context_aliases.{code}", path):
                    draft.context_aliases.append((code, n.value.strip(), _where(path, n.line)))

    def build(self) -> ActorKB:
        """Check references and alias conflicts across all files, then freeze."""
        owner: dict[str, tuple[str, str]] = {}
        ctx_owner: dict[tuple[str, str], tuple[str, str]] = {}
        for draft in self.drafts.values():
            for alias, where in [(draft.name, draft.source), *draft.aliases]:
                key = normalise(alias)
                if not key:
                    raise ConfigError(where, f"alias {alias!r} of '{draft.id}' has no letters or digits", None)
                prev = owner.get(key)
                if prev is not None and prev[0] != draft.id:
                    raise ConfigError(
                        where,
                        f"alias {alias!r} of '{draft.id}' is already an alias of '{prev[0]}' (at {prev[1]})",
                        "an alias names one actor; use context_aliases for names whose meaning depends on the country",
                    )
                owner[key] = (draft.id, where)
            for code, alias, where in draft.context_aliases:
                ckey = (code, normalise(alias))
                cprev = ctx_owner.get(ckey)
                if cprev is not None and cprev[0] != draft.id:
                    raise ConfigError(
                        where,
                        f"context alias {alias!r} ({code}) of '{draft.id}' is already claimed by '{cprev[0]}'"
                        f" (at {cprev[1]})",
                        "keep one actor per country for a context alias",
                    )
                ctx_owner[ckey] = (draft.id, where)
        actors: dict[str, Actor] = {}
        for draft in self.drafts.values():
            for ref, where in ([draft.parent] if draft.parent else []) + draft.allies:
                if ref not in self.drafts:
                    raise ConfigError(
                        where, f"'{draft.id}' refers to unknown actor '{ref}'", "use an existing actor id"
                    )
            aliases = tuple(dict.fromkeys(a for a, _ in draft.aliases if a != draft.name))
            actors[draft.id] = Actor(
                id=draft.id,
                name=draft.name,
                kind=draft.kind,
                country=draft.country,
                side=draft.side,
                aliases=aliases,
                parent=draft.parent[0] if draft.parent else None,
                allies=tuple(dict.fromkeys(a for a, _ in draft.allies)),
                context_aliases=tuple(dict.fromkeys((c, a) for c, a, _ in draft.context_aliases)),
                source=draft.source,
            )
        return ActorKB(actors, dict(self.states))


_THE_NAMES = frozenset(
    {"Bahamas", "Gambia", "Maldives", "Netherlands", "Philippines", "Comoros", "Seychelles", "Marshall Islands"}
    | {"Solomon Islands"}
)


def _with_article(name: str) -> str:
    """'United States' → 'the United States', so generated names read as ACLED writes them."""
    if name in _THE_NAMES or name.startswith(
        ("United ", "Republic ", "Democratic ", "Central ", "Czech ", "Dominican ")
    ):
        return f"the {name}"
    return name


def _bundled_files() -> list[tuple[str, str]]:
    """(name, text) of the packaged actor files: states first, then the rest by name."""
    folder = resources.files("sitreps.kb").joinpath("data", "actors")
    files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: (f.name != "states.yaml", f.name)
    )
    return [(f"sitreps/kb/data/actors/{f.name}", f.read_text(encoding="utf-8")) for f in files]


def load_actors(extra_files: Sequence[str | Path] = ()) -> ActorKB:
    """Load the bundled actors plus user files, which may add actors or add aliases to existing ids.

    Raises:
        ConfigError: naming `file:line`, the bad key or value and the valid choices.
    """
    loader = _Loader()
    for name, text in _bundled_files():
        loader.read_file(name, text)
    for extra in extra_files:
        path = Path(extra)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as e:
            raise ConfigError(str(path), "actor file not found", "check kb.extra_files in your config") from e
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(str(path), f"cannot read actor file: {e}", "save it as UTF-8 text") from e
        loader.read_file(path, text)
    return loader.build()


@functools.lru_cache(maxsize=1)
def default_actor_kb() -> ActorKB:
    """The bundled KB, loaded once per process (it is immutable after loading)."""
    return load_actors()
