"""User features (YAML or CSV: name, aliases, lat, lon, kind, country, parent): sites no gazetteer lists."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from sitreps.errors import ConfigError

if TYPE_CHECKING:
    from sitreps.geo.index import GeoIndex

__all__ = ["FEATURE_KINDS", "Feature", "load_features", "parse_features_csv", "parse_features_yaml"]

FEATURE_KINDS = frozenset(
    [
        "city",
        "town",
        "village",
        "capital",
        "admin1",
        "admin2",
        "country",
        "region",
        "site",
        "seat",
        "airport",
        "base",
        "dam",
        "crossing",
        "camp",
        "mountain",
        "plant",
        "port",
        "bridge",
        "hospital",
        "checkpoint",
        "river",
        "island",
        "district",
        "neighbourhood",
    ]
)
_LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping, so errors can say `file:line`."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def slug(text: str) -> str:
    """Lower-case ASCII slug for feature ids ("Tabqa Dam" → "tabqa-dam")."""
    from sitreps.geo.normalise import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@dataclass(slots=True)
class Feature:
    """One user feature; `parent` names the place it belongs to (for the admin1 and a fallback position)."""

    name: str
    lat: float
    lon: float
    kind: str = "site"
    country: str = ""
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    precision: int = 1
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = f"feature:{self.country.lower() + ':' if self.country else ''}{slug(self.name)}"

    def add_to(self, idx: GeoIndex) -> int:
        """Add the feature to an index; its admin1 comes from the nearest named area of its country."""
        admin1 = ""
        if self.parent:
            from sitreps.geo.normalise import fold

            for j in idx.postings(idx.fold_keys, fold(self.parent)):
                if not self.country or idx.cc[j] == self.country:
                    admin1 = idx.admin1[j]
                    break
        return idx.add(
            self.id, self.name, self.lat, self.lon, self.country, admin1, self.kind, 0,
            aliases=self.aliases, precision=self.precision,
        )  # fmt: skip


def _feature(raw: dict[str, Any], source: str) -> Feature:
    where = f"{source}:{raw.get(_LINE, '?')}"
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(where, "feature has no name", "give every feature a `name:`")
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except KeyError as e:
        raise ConfigError(
            where, f"feature {name!r} has no {e.args[0]}", "give decimal degrees, e.g. lat: 35.285"
        ) from e
    except (TypeError, ValueError) as e:
        raise ConfigError(where, f"feature {name!r}: lat/lon are not numbers", "use decimal degrees") from e
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ConfigError(where, f"feature {name!r}: lat/lon out of range", "lat in [-90, 90], lon in [-180, 180]")
    kind = str(raw.get("kind") or "site")
    if kind not in FEATURE_KINDS:
        raise ConfigError(
            where, f"feature {name!r}: unknown kind {kind!r}", f"use one of {', '.join(sorted(FEATURE_KINDS))}"
        )
    aliases = raw.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a.strip() for a in aliases.split(";") if a.strip()]
    if not isinstance(aliases, list):
        raise ConfigError(where, f"feature {name!r}: aliases is not a list", "write aliases: [A, B] or A;B in CSV")
    country = str(raw.get("country") or "").upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise ConfigError(where, f"feature {name!r}: country {country!r} is not ISO 3166 alpha-2", "e.g. SY, IQ, YE")
    precision = int(raw.get("precision") or (3 if kind == "region" else 1))
    if precision not in (1, 2, 3):
        raise ConfigError(where, f"feature {name!r}: precision must be 1, 2 or 3", "1 exact, 2 near, 3 region")
    return Feature(
        name=name.strip(), lat=lat, lon=lon, kind=kind, country=country, aliases=[str(a) for a in aliases],
        parent=str(raw["parent"]) if raw.get("parent") else None, precision=precision, id=str(raw.get("id") or ""),
    )  # fmt: skip


def parse_features_yaml(text: str, source: str) -> list[Feature]:
    """Features from YAML: a list, or a mapping with a `features:` list.

    Raises:
        ConfigError: naming `file:line` and the key at fault.
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        raise ConfigError(where, f"not valid YAML: {getattr(e, 'problem', e)}", "fix the syntax") from e
    if isinstance(data, dict):
        data = data.get("features")
    if not isinstance(data, list):
        raise ConfigError(
            source, "no list of features", "write `features:` followed by `- {name: …, lat: …, lon: …}` items"
        )
    out = []
    for item in data:
        if not isinstance(item, dict):
            raise ConfigError(source, f"feature is not a mapping: {item!r}", "write each feature as name/lat/lon keys")
        out.append(_feature(item, source))
    return out


def parse_features_csv(text: str, source: str) -> list[Feature]:
    """Features from CSV with a header row (name, lat, lon, kind, country, aliases separated by `;`, parent)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"name", "lat", "lon"} - set(reader.fieldnames or ())
    if missing:
        raise ConfigError(
            f"{source}:1",
            f"CSV header lacks {', '.join(sorted(missing))}",
            "header: name,lat,lon,kind,country,aliases,parent",
        )
    out = []
    for row in reader:
        raw: dict[str, Any] = {k: v for k, v in row.items() if k and v not in (None, "")}
        raw[_LINE] = reader.line_num
        out.append(_feature(raw, source))
    return out


def load_features(path: str | Path) -> list[Feature]:
    """Read a user feature file (`.yaml`/`.yml` or `.csv`).

    Raises:
        ConfigError: the file is missing or a feature is invalid (with `file:line`).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ConfigError(str(p), "feature file not found", "check geo.user_features in your config") from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(str(p), f"cannot read feature file: {e}", "save it as UTF-8 text") from e
    if p.suffix.lower() == ".csv":
        return parse_features_csv(text, str(p))
    return parse_features_yaml(text, str(p))
