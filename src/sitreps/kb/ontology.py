"""The event ontology (ACLED types, sub-types, action tags) loaded and validated from YAML."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sitreps.errors import ConfigError

LINE_KEY = "__line__"
"""Key the line-aware loader adds to every mapping, so validation errors can name file:line."""


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that records the 1-based line of every mapping, for error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, source: str) -> Any:
    """Parse YAML keeping line numbers, turning syntax errors into ConfigError naming file:line."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else 0
        raise ConfigError(f"{source}:{line}", f"not valid YAML: {e.problem}", "fix the YAML syntax at that line") from e
    except yaml.YAMLError as e:
        raise ConfigError(source, f"not valid YAML: {e}", "fix the YAML syntax") from e


def line_of(node: Mapping[str, Any], default: int = 0) -> int:
    """The source line of a mapping read by `load_yaml` (0 when unknown)."""
    value = node.get(LINE_KEY, default)
    return value if isinstance(value, int) else default


def read_data_file(path: str | Path | None, package_file: str) -> tuple[str, str]:
    """Read a user file, or the packaged `kb/data/<package_file>` when path is None; returns (text, source name)."""
    if path is None:
        ref = resources.files("sitreps.kb").joinpath("data", package_file)
        return ref.read_text(encoding="utf-8"), f"sitreps/kb/data/{package_file}"
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8"), str(p)
    except FileNotFoundError as e:
        raise ConfigError(str(p), "KB file not found", "check the path in kb.extra_files") from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(str(p), f"KB file cannot be read: {e}", "make it a readable UTF-8 YAML file") from e


def choices_hint(valid: Iterable[str]) -> str:
    """A hint listing the valid choices, spaCy-style, so the user can fix the value at once."""
    return "valid choices: " + ", ".join(repr(v) for v in sorted(valid))


@dataclass(frozen=True, slots=True)
class ActionTag:
    """A finer action tag; `event_type`/`sub_event_type` are the defaults it implies (None when it implies none)."""

    name: str
    definition: str
    event_type: str | None = None
    sub_event_type: str | None = None


@dataclass(frozen=True, slots=True)
class Ontology:
    """Event types with their sub-types and definitions, and the action tags."""

    event_types: dict[str, str]
    sub_event_types: dict[str, dict[str, str]]
    actions: dict[str, ActionTag] = field(default_factory=dict)

    def check(self, event_type: str, sub_event_type: str | None, source: str) -> None:
        """Raise ConfigError unless the pair is in the ontology, naming the source and the choices."""
        if event_type not in self.event_types:
            raise ConfigError(source, f"unknown event_type {event_type!r}", choices_hint(self.event_types))
        if sub_event_type is not None and sub_event_type not in self.sub_event_types[event_type]:
            raise ConfigError(
                source,
                f"unknown sub_event_type {sub_event_type!r} for event_type {event_type!r}",
                choices_hint(self.sub_event_types[event_type]),
            )

    def check_action(self, action: str | None, source: str) -> None:
        """Raise ConfigError unless the action tag is known (None is allowed)."""
        if action is not None and action not in self.actions:
            raise ConfigError(source, f"unknown action {action!r}", choices_hint(self.actions))


def _str_field(node: Mapping[str, Any], key: str, source: str, *, required: bool = True) -> str | None:
    value = node.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(source, f"{key!r} must be a non-empty string (got {value!r})", f"write {key}: <text>")
    return value.strip()


def parse_ontology(data: Any, source: str, base: Ontology | None = None) -> Ontology:
    """Validate parsed YAML into an Ontology; a user file (with `base`) may add action tags only."""
    if not isinstance(data, dict):
        raise ConfigError(source, "an ontology file must be a mapping", "start it with `event_types:` or `actions:`")
    unknown = set(data) - {"event_types", "actions", LINE_KEY}
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(
            f"{source}:{line_of(data)}", f"unknown top-level key {key!r}", choices_hint({"event_types", "actions"})
        )
    if base is None:
        types_node = data.get("event_types")
        if not isinstance(types_node, dict):
            raise ConfigError(source, "'event_types' is missing or not a mapping", "list the ACLED event types")
        event_types: dict[str, str] = {}
        subs: dict[str, dict[str, str]] = {}
        for name, node in types_node.items():
            if name == LINE_KEY:
                continue
            where = f"{source}:{line_of(node, line_of(types_node)) if isinstance(node, dict) else line_of(types_node)}"
            if not isinstance(node, dict):
                raise ConfigError(
                    where, f"event type {name!r} must be a mapping", "give it definition: and sub_event_types:"
                )
            event_types[name] = _str_field(node, "definition", where) or ""
            sub_node = node.get("sub_event_types")
            if not isinstance(sub_node, dict) or len(sub_node) <= 1:
                raise ConfigError(
                    where,
                    f"event type {name!r} needs a 'sub_event_types' mapping",
                    "map each sub-type to its definition",
                )
            subs[name] = {k: str(v) for k, v in sub_node.items() if k != LINE_KEY}
        onto = Ontology(event_types, subs, {})
    else:
        if "event_types" in data:
            raise ConfigError(
                f"{source}:{line_of(data)}",
                "user files cannot change the ACLED event types",
                "add action tags under `actions:` only",
            )
        onto = Ontology(base.event_types, base.sub_event_types, dict(base.actions))
    actions_node = data.get("actions") or {}
    if not isinstance(actions_node, dict):
        raise ConfigError(
            f"{source}:{line_of(data)}", "'actions' must be a mapping", "map each action tag to its definition"
        )
    for name, node in actions_node.items():
        if name == LINE_KEY:
            continue
        where = f"{source}:{line_of(node, line_of(actions_node)) if isinstance(node, dict) else line_of(actions_node)}"
        if not isinstance(node, dict):
            raise ConfigError(
                where, f"action {name!r} must be a mapping", "give it definition: (and optionally event_type:)"
            )
        bad = set(node) - {"definition", "event_type", "sub_event_type", LINE_KEY}
        if bad:
            raise ConfigError(
                where,
                f"unknown key {sorted(bad)[0]!r} in action {name!r}",
                choices_hint({"definition", "event_type", "sub_event_type"}),
            )
        et = _str_field(node, "event_type", where, required=False)
        st = _str_field(node, "sub_event_type", where, required=False)
        if st is not None and et is None:
            raise ConfigError(where, f"action {name!r} has a sub_event_type but no event_type", "add event_type:")
        if et is not None:
            onto.check(et, st, where)
        onto.actions[name] = ActionTag(name, _str_field(node, "definition", where) or "", et, st)
    return onto


def load_ontology(extra_files: Iterable[str | Path] = ()) -> Ontology:
    """Load the packaged ontology plus users' action tags.

    Args:
        extra_files: YAML files that add action tags (KbConfig.extra_files entries with an `actions:` key).

    Raises:
        ConfigError: naming file:line, the bad key or value and the valid choices.
    """
    return _load_ontology_cached(tuple(str(p) for p in extra_files))


@lru_cache(maxsize=8)
def _load_ontology_cached(extra_files: tuple[str, ...]) -> Ontology:
    text, source = read_data_file(None, "ontology.yaml")
    onto = parse_ontology(load_yaml(text, source), source)
    for path in extra_files:
        text, source = read_data_file(path, "")
        data = load_yaml(text, source)
        if isinstance(data, dict) and "actions" in data:
            onto = parse_ontology({"actions": data["actions"], LINE_KEY: line_of(data)}, source, base=onto)
    return onto
