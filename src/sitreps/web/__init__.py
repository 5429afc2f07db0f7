"""The web page's assets and their paths; front-end libraries come from npm (node_modules), never a CDN."""

from __future__ import annotations

from pathlib import Path

from sitreps.errors import ConfigError

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATES_DIR = WEB_DIR / "templates"
NODE_MODULES = WEB_DIR / "node_modules"

VENDOR: dict[str, Path] = {
    "leaflet": NODE_MODULES / "leaflet" / "dist",
    "markercluster": NODE_MODULES / "leaflet.markercluster" / "dist",
    "topojson": NODE_MODULES / "topojson-client" / "dist",
    "world-atlas": NODE_MODULES / "world-atlas",
}
"""URL name under /vendor/ → the folder of one npm package that the page may load (nothing else is served)."""

REQUIRED_FILES: tuple[Path, ...] = (
    VENDOR["leaflet"] / "leaflet.js",
    VENDOR["leaflet"] / "leaflet.css",
    VENDOR["markercluster"] / "leaflet.markercluster.js",
    VENDOR["markercluster"] / "MarkerCluster.css",
    VENDOR["topojson"] / "topojson-client.min.js",
    VENDOR["world-atlas"] / "countries-110m.json",
)

MISSING_ASSETS = "front-end packages missing: run `make setup` (npm ci in src/sitreps/web)"


def missing_assets() -> list[Path]:
    """The front-end files the page needs that are not installed (empty when the npm step ran)."""
    return [p for p in REQUIRED_FILES if not p.is_file()]


def check_assets() -> None:
    """Fail early with the fix when `npm ci` has not been run, instead of serving a page with no map.

    Raises:
        ConfigError: naming the first missing file and the command that installs it.
    """
    missing = missing_assets()
    if missing:
        raise ConfigError(
            str(missing[0]), MISSING_ASSETS, "cd src/sitreps/web && npm ci --no-audit --no-fund (needs Node.js and npm)"
        )


__all__ = ["MISSING_ASSETS", "NODE_MODULES", "STATIC_DIR", "TEMPLATES_DIR", "VENDOR", "check_assets", "missing_assets"]
