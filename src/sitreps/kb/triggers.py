"""The trigger lexicon: words that state conflict events, their ACLED types and argument-to-role frames."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from sitreps.errors import ConfigError
from sitreps.kb.ontology import LINE_KEY, Ontology, choices_hint, line_of, load_ontology, load_yaml, read_data_file

Role = Literal["actor1", "actor2", "target", "victim", "place", "none"]
ROLES: tuple[str, ...] = ("actor1", "actor2", "target", "victim", "place", "none")
Pos = Literal["verb", "noun", "any"]
VOICES = ("active", "passive", "noun")
ARG_KINDS = ("object", "subject", "subtree", "context", "object_place", "subject_place", "not_object")
"""Where a condition looks: the object's head lemma, the subject's, any lemma under the trigger, any in the sentence,
an object (or subject: 'the airport had fallen', where prices fall too) that names a place or a pronoun for one,
or an object that must NOT have the lemmas. `prep:<p>` also works."""
ENTRY_KEYS = {
    "words",
    "pos",
    "type",
    "sub",
    "action",
    "frame",
    "state_sub",
    "civilian",
    "requires",
    "variants",
    "specificity",
    "device",
}


@dataclass(frozen=True, slots=True)
class Frame:
    """How a trigger's dependents map to roles, per voice: keys are dependency labels or preposition lemmas."""

    name: str
    active: Mapping[str, str]
    passive: Mapping[str, str]
    noun: Mapping[str, str]

    def roles(self, voice: str) -> Mapping[str, str]:
        """The role map for 'active', 'passive' or 'noun'."""
        return self.passive if voice == "passive" else self.noun if voice == "noun" else self.active


@dataclass(frozen=True, slots=True)
class Condition:
    """A test on one argument's head lemma (`arg` in ARG_KINDS or 'prep:<p>'), used by `requires` and `variants`."""

    arg: str
    lemmas: frozenset[str]
    event_type: str | None = None
    sub_event_type: str | None = None
    action: str | None = None


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One lexicon entry: the words it covers and what it means."""

    key: str
    words: tuple[str, ...]
    pos: str
    event_type: str
    sub_event_type: str
    action: str | None
    frame: Frame
    state_sub: str | None = None
    civilian: tuple[str, str] | None = None
    requires: Condition | None = None
    variants: tuple[Condition, ...] = ()
    specificity: float = 0.5
    source: str = ""
    device: bool = False
    """A weapon noun ('car bomb'): it states an event only as a clause's subject ('a car bomb exploded') or after
    'by/in/with' ('killed by a roadside bomb'), not as an object ('they planted bombs')."""


@dataclass(slots=True)
class TriggerLexicon:
    """All entries, indexed by lemma for a linear scan of a Doc, plus the shared word lists."""

    entries: dict[str, TriggerEntry]
    frames: dict[str, Frame]
    single: dict[str, list[TriggerEntry]] = field(default_factory=dict)
    multi: dict[str, list[tuple[tuple[str, ...], TriggerEntry]]] = field(default_factory=dict)
    place_preps: frozenset[str] = frozenset()
    compass: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()
    state_kinds: frozenset[str] = frozenset()
    civilian_lemmas: frozenset[str] = frozenset()

    def add(self, entry: TriggerEntry) -> None:
        """Index an entry under each of its words (later files win over earlier ones for the same word and pos)."""
        self.entries[entry.key] = entry
        for word in entry.words:
            parts = (
                tuple(p for p in word.lower().replace("-", " - ").split() if p != "-")
                if " " in word
                else (word.lower(),)
            )
            if len(parts) == 1:
                bucket = self.single.setdefault(parts[0], [])
                bucket[:] = [e for e in bucket if e.pos != entry.pos]
                bucket.append(entry)
            else:
                mb = self.multi.setdefault(parts[0], [])
                mb[:] = [(w, e) for w, e in mb if not (w == parts and e.pos == entry.pos)]
                mb.append((parts, entry))
                mb.sort(key=lambda we: -len(we[0]))


def _where(source: str, node: Any, fallback: int) -> str:
    return f"{source}:{line_of(node, fallback) if isinstance(node, dict) else fallback}"


def _word_list(node: Mapping[str, Any], key: str, where: str) -> frozenset[str]:
    value = node.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(where, f"{key!r} must be a list of words (got {value!r})", f"write {key}: [word, word]")
    return frozenset(v.lower() for v in value)


def _parse_frames(node: Any, where: str, into: dict[str, Frame]) -> None:
    if not isinstance(node, dict):
        raise ConfigError(where, "'frames' must be a mapping of frame name to voices", "see the packaged triggers.yaml")
    for name, fnode in node.items():
        if name == LINE_KEY:
            continue
        fwhere = _where(where.rsplit(":", 1)[0], fnode, line_of(node))
        if not isinstance(fnode, dict):
            raise ConfigError(fwhere, f"frame {name!r} must be a mapping", f"give it {', '.join(VOICES)}")
        maps: dict[str, dict[str, str]] = {}
        for voice in VOICES:
            vnode = fnode.get(voice, {})
            if not isinstance(vnode, dict):
                raise ConfigError(
                    fwhere, f"frame {name!r} {voice!r} must map dependency/preposition to role", choices_hint(ROLES)
                )
            for dep, role in vnode.items():
                if dep != LINE_KEY and role not in ROLES:
                    raise ConfigError(
                        fwhere, f"frame {name!r} {voice}.{dep} has unknown role {role!r}", choices_hint(ROLES)
                    )
            maps[voice] = {str(k): str(v) for k, v in vnode.items() if k != LINE_KEY}
        into[name] = Frame(name, maps["active"], maps["passive"], maps["noun"])


def _parse_condition(node: Any, where: str, onto: Ontology, *, variant: bool) -> Condition:
    if not isinstance(node, dict):
        raise ConfigError(where, f"a condition must be a mapping (got {node!r})", "write {arg: object, lemmas: [...]}")
    allowed = {"arg", "lemmas", LINE_KEY} | ({"type", "sub", "action"} if variant else set())
    bad = set(node) - allowed
    if bad:
        raise ConfigError(where, f"unknown key {sorted(bad)[0]!r} in condition", choices_hint(allowed - {LINE_KEY}))
    arg = node.get("arg")
    if not isinstance(arg, str) or (arg not in ARG_KINDS and not arg.startswith("prep:")):
        raise ConfigError(where, f"unknown condition arg {arg!r}", choices_hint((*ARG_KINDS, "prep:<preposition>")))
    et, st, action = node.get("type"), node.get("sub"), node.get("action")
    if et is not None:
        onto.check(str(et), str(st) if st is not None else None, where)
    onto.check_action(action, where)
    return Condition(arg, _word_list(node, "lemmas", where), et, st, action)


def _parse_entry(node: Any, where: str, index: int, onto: Ontology, frames: Mapping[str, Frame]) -> TriggerEntry:
    if not isinstance(node, dict):
        raise ConfigError(
            where, f"a trigger must be a mapping (got {node!r})", "write {words: [...], type: ..., sub: ...}"
        )
    bad = set(node) - ENTRY_KEYS - {LINE_KEY}
    if bad:
        raise ConfigError(where, f"unknown key {sorted(bad)[0]!r} in trigger", choices_hint(ENTRY_KEYS))
    words = node.get("words")
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise ConfigError(
            where, f"'words' must be a non-empty list of words (got {words!r})", "write words: [attack, assault]"
        )
    pos = node.get("pos", "any")
    if pos not in ("verb", "noun", "any"):
        raise ConfigError(where, f"unknown pos {pos!r}", choices_hint(("verb", "noun", "any")))
    et, st = node.get("type"), node.get("sub")
    if not isinstance(et, str) or not isinstance(st, str):
        raise ConfigError(
            where,
            "a trigger needs 'type' and 'sub' (ACLED event type and sub-event type)",
            choices_hint(onto.event_types),
        )
    onto.check(et, st, where)
    action = node.get("action")
    onto.check_action(action, where)
    frame_name = node.get("frame", "attack")
    if frame_name not in frames:
        raise ConfigError(where, f"unknown frame {frame_name!r}", choices_hint(frames))
    state_sub = node.get("state_sub")
    if state_sub is not None:
        onto.check(et, state_sub, where)
    civ = node.get("civilian")
    civilian: tuple[str, str] | None = None
    if civ is not None:
        if not (isinstance(civ, list) and len(civ) == 2 and all(isinstance(c, str) for c in civ)):
            raise ConfigError(
                where,
                f"'civilian' must be [type, sub] (got {civ!r})",
                "write civilian: [Violence against civilians, Attack]",
            )
        onto.check(civ[0], civ[1], where)
        civilian = (civ[0], civ[1])
    requires = _parse_condition(node["requires"], where, onto, variant=False) if "requires" in node else None
    vnode = node.get("variants", [])
    if not isinstance(vnode, list):
        raise ConfigError(
            where,
            "'variants' must be a list of conditions",
            "write variants: [{arg: object, lemmas: [...], action: ...}]",
        )
    variants = tuple(_parse_condition(v, where, onto, variant=True) for v in vnode)
    spec = node.get("specificity", 0.5)
    if not isinstance(spec, int | float) or not 0 <= spec <= 1:
        raise ConfigError(where, f"'specificity' must be a number in [0, 1] (got {spec!r})", "write specificity: 0.7")
    return TriggerEntry(
        key=f"{words[0].lower()}#{index}",
        words=tuple(dict.fromkeys(w.strip().lower() for w in words)),
        pos=pos,
        event_type=et,
        sub_event_type=st,
        action=action,
        frame=frames[frame_name],
        state_sub=state_sub,
        civilian=civilian,
        requires=requires,
        variants=variants,
        specificity=float(spec),
        source=where,
        device=bool(node.get("device", False)),
    )


def parse_triggers(data: Any, source: str, onto: Ontology, lexicon: TriggerLexicon | None = None) -> TriggerLexicon:
    """Validate parsed YAML into (or onto) a lexicon; user files may add frames, word lists and triggers."""
    if not isinstance(data, dict):
        raise ConfigError(source, "a trigger file must be a mapping", "start it with `triggers:`")
    allowed = {
        "frames",
        "triggers",
        "place_preps",
        "compass",
        "light_verbs",
        "state_kinds",
        "civilian_lemmas",
        "actions",
        LINE_KEY,
    }
    bad = set(data) - allowed
    if bad:
        raise ConfigError(
            f"{source}:{line_of(data)}", f"unknown top-level key {sorted(bad)[0]!r}", choices_hint(allowed - {LINE_KEY})
        )
    lex = lexicon or TriggerLexicon(entries={}, frames={})
    top = f"{source}:{line_of(data)}"
    if "frames" in data:
        _parse_frames(data["frames"], top, lex.frames)
    for key in ("place_preps", "compass", "light_verbs", "state_kinds", "civilian_lemmas"):
        if key in data:
            setattr(lex, key, getattr(lex, key) | _word_list(data, key, top))
    tnode = data.get("triggers", [])
    if not isinstance(tnode, list):
        raise ConfigError(top, "'triggers' must be a list", "write triggers: [{words: [...], type: ..., sub: ...}]")
    base = len(lex.entries)
    for i, node in enumerate(tnode):
        where = _where(source, node, line_of(data))
        lex.add(_parse_entry(node, where, base + i, onto, lex.frames))
    return lex


def load_triggers(extra_files: Iterable[str | Path] = ()) -> TriggerLexicon:
    """Load the packaged lexicon plus users' trigger files (KbConfig.extra_files; files without `triggers:` are skipped).

    Why: the lexicon is data, so analysts can add words for their conflict without code.

    Raises:
        ConfigError: naming file:line, the bad key or value and the valid choices.
    """
    return _load_cached(tuple(str(p) for p in extra_files))


@lru_cache(maxsize=8)
def _load_cached(extra_files: tuple[str, ...]) -> TriggerLexicon:
    onto = load_ontology(extra_files)
    text, source = read_data_file(None, "triggers.yaml")
    lex = parse_triggers(load_yaml(text, source), source, onto)
    for path in extra_files:
        text, source = read_data_file(path, "")
        data = load_yaml(text, source)
        if isinstance(data, dict) and ("triggers" in data or "frames" in data):
            lex = parse_triggers(data, source, onto, lex)
    return lex
