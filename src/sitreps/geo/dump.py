"""GeoNames dump loader: the tab-separated `geoname` table (19 columns) and alternateNamesV2 (10 columns)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitreps.errors import InputError
from sitreps.geo.gazetteer import Gazetteer
from sitreps.geo.index import _keep_alias

__all__ = ["LoadReport", "feature_kind", "load_geonames_dump"]

GEONAME_COLUMNS = 19
ALTNAME_COLUMNS = 10
_SKIP_LANGS = {"link", "post", "iata", "icao", "faac", "abbr", "wkdt", "unlc", "fr_1793", "phon", "piny"}
_CODE_KINDS = {
    "PPLC": "capital", "ADM1": "admin1", "ADM1H": "admin1", "ADM2": "admin2", "ADM3": "district",
    "PCLI": "country", "PCLD": "country", "PCLF": "country", "PCLS": "country", "TERR": "region",
    "AIRP": "airport", "AIRF": "airport", "AIRH": "airport", "AIRB": "base", "MILB": "base", "INSM": "base",
    "NVB": "base", "DAM": "dam", "DAMSB": "dam", "RUIN": "site", "ANS": "site", "HSTS": "site", "CSTL": "site",
    "CMP": "camp", "CMPRF": "camp", "CMPMN": "camp", "HSP": "hospital", "HSPC": "hospital", "BDG": "bridge",
    "PRT": "port", "PSTB": "crossing", "CKP": "checkpoint", "PPLX": "neighbourhood",
    "MT": "mountain", "MTS": "mountain", "HLL": "mountain", "HLLS": "mountain", "PK": "mountain",
    "RGN": "region", "AREA": "region", "VAL": "region", "DSRT": "region", "PLN": "region",
    "STM": "river", "ISL": "island",
}  # fmt: skip
_REGION_PRECISION = {"country": 3, "admin1": 3, "admin2": 3, "region": 3, "district": 2}


def feature_kind(feature_class: str, feature_code: str, population: int) -> str:
    """sitreps feature kind for a GeoNames class/code (PPLC → capital, AIRB → base, ADM1 → admin1 …)."""
    if feature_code in _CODE_KINDS:
        return _CODE_KINDS[feature_code]
    if feature_class == "P":
        return "city" if population >= 100_000 else "town" if population >= 10_000 else "village"
    if feature_class == "A":
        return "region"
    return "site"


@dataclass(slots=True)
class LoadReport:
    """What a dump load did: entries added, existing entries given more names, and the lines skipped."""

    path: str
    added: int = 0
    updated: int = 0
    aliases: int = 0
    lines: int = 0
    errors: list[str] = field(default_factory=list)
    """`file:line: reason` for every malformed line skipped."""

    @property
    def skipped(self) -> int:
        return len(self.errors)


def _read_lines(path: Path) -> list[str]:
    try:
        with open(path, encoding="utf-8", newline="\n") as f:
            return f.read().split("\n")
    except FileNotFoundError as e:
        raise InputError(
            str(path), "GeoNames dump not found", "give the path of a file such as SY.txt or allCountries.txt"
        ) from e
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(
            str(path),
            f"cannot read GeoNames dump: {e}",
            "use the UTF-8 text files from download.geonames.org/export/dump/",
        ) from e


def load_geonames_dump(
    path: str | Path,
    alternate_names_path: str | Path | None = None,
    *,
    into: Gazetteer | None = None,
) -> LoadReport:
    """Load a GeoNames `geoname` table (e.g. SY.txt) and optionally its alternateNamesV2 file into a gazetteer.

    Rows become user-layer entries ("geonames:<id>"); a row whose id is already present only adds its
    names. Malformed lines are reported as "file:line: reason" in the report and skipped; the load goes on.

    Raises:
        InputError: a file cannot be opened or read at all.
    """
    from sitreps.geo.resolve import default_gazetteer

    gaz = into if into is not None else default_gazetteer()
    ix = gaz.index
    p = Path(path)
    report = LoadReport(path=str(p))
    loaded: dict[int, int] = {}
    for n, line in enumerate(_read_lines(p), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        report.lines += 1
        cols = line.rstrip("\r").split("\t")
        where = f"{p}:{n}"
        if len(cols) != GEONAME_COLUMNS:
            report.errors.append(f"{where}: expected {GEONAME_COLUMNS} tab-separated columns, got {len(cols)}")
            continue
        gid_s, name, ascii_name, alt, lat_s, lon_s, fclass, fcode, cc = cols[:9]
        admin1, pop_s = cols[10], cols[14]
        if not gid_s.isdigit():
            report.errors.append(f"{where}: geonameid {gid_s!r} is not a number")
            continue
        if not name.strip():
            report.errors.append(f"{where}: empty name")
            continue
        try:
            lat, lon = float(lat_s), float(lon_s)
        except ValueError:
            report.errors.append(f"{where}: latitude/longitude {lat_s!r}/{lon_s!r} are not numbers")
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            report.errors.append(f"{where}: latitude/longitude {lat}/{lon} out of range")
            continue
        try:
            pop = int(pop_s or 0)
        except ValueError:
            report.errors.append(f"{where}: population {pop_s!r} is not a whole number")
            continue
        gid = int(gid_s)
        aliases = [a for a in (ascii_name, *alt.split(",")) if a and a != name and _keep_alias(a)]
        existing = gaz.entry_of(f"geonames:{gid}")
        if existing is not None:
            for a in (name, *aliases):
                ix.register(a, existing)
            report.updated += 1
            loaded[gid] = existing
            continue
        kind = feature_kind(fclass, fcode, pop)
        i = ix.add(
            f"geonames:{gid}", name, lat, lon, cc.upper(), admin1, kind, pop,
            aliases=aliases, precision=_REGION_PRECISION.get(kind, 1),
        )  # fmt: skip
        if kind == "admin1" and admin1:
            key = f"{cc.upper()}.{admin1}"
            ix.admin1_names.setdefault(key, name)
            ix.admin1_entry.setdefault(key, i)
        gaz.add_feature_entry(i)
        loaded[gid] = i
        report.added += 1
    if alternate_names_path is not None:
        _load_alternates(gaz, Path(alternate_names_path), loaded, report)
    return report


def _load_alternates(gaz: Gazetteer, path: Path, loaded: dict[int, int], report: LoadReport) -> None:
    """Add alternateNamesV2 rows as aliases of entries in the gazetteer (loaded now or before)."""
    for n, line in enumerate(_read_lines(path), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        report.lines += 1
        cols = line.rstrip("\r").split("\t")
        where = f"{path}:{n}"
        if len(cols) != ALTNAME_COLUMNS:
            report.errors.append(f"{where}: expected {ALTNAME_COLUMNS} tab-separated columns, got {len(cols)}")
            continue
        _alt_id, gid_s, lang, name = cols[:4]
        if not gid_s.isdigit():
            report.errors.append(f"{where}: geonameid {gid_s!r} is not a number")
            continue
        if lang in _SKIP_LANGS or not name.strip():
            continue
        i = loaded.get(int(gid_s))
        if i is None:
            i = gaz.entry_of(f"geonames:{gid_s}")
        if i is None:
            report.errors.append(f"{where}: geonameid {gid_s} is in neither the dump nor the gazetteer")
            continue
        if _keep_alias(name) or (lang == "en" and name.strip()):
            gaz.index.register(name, i)
            report.aliases += 1


def _registry(cache_dir: str | Path | None) -> Path:
    from sitreps.geo.index import default_cache_dir

    return (Path(cache_dir) if cache_dir else default_cache_dir()) / "dumps.json"


def registered_dumps(cache_dir: str | Path | None = None) -> list[tuple[str, str | None]]:
    """GeoNames dumps `sitreps gazetteer load` registered, applied every time the gazetteer loads."""
    import json

    reg = _registry(cache_dir)
    if not reg.exists():
        return []
    return [(d["path"], d.get("alternates")) for d in json.loads(reg.read_text(encoding="utf-8"))]


def register_dump(
    path: str | Path, alternates: str | Path | None = None, *, cache_dir: str | Path | None = None
) -> Path:
    """Remember a dump (absolute paths) so later runs load it too; returns the registry file."""
    import json

    reg = _registry(cache_dir)
    entry = {"path": str(Path(path).resolve()), "alternates": str(Path(alternates).resolve()) if alternates else None}
    items = [{"path": p, "alternates": a} for p, a in registered_dumps(cache_dir) if p != entry["path"]]
    items.append(entry)
    reg.parent.mkdir(parents=True, exist_ok=True)
    tmp = reg.with_suffix(".tmp")
    tmp.write_text(json.dumps(items, indent=1), encoding="utf-8")
    tmp.replace(reg)
    return reg
