"""Typed, layered configuration: packaged defaults < user file < SITREPS_* env < --set overrides."""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sitreps.errors import ConfigError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NlpConfig(_Section):
    model: str = "en_core_web_sm"
    batch_size: int = Field(64, ge=1, le=10_000)


class KbConfig(_Section):
    extra_files: list[str] = []


class GeoConfig(_Section):
    cache_dir: str = ""
    user_features: list[str] = []


class IngestConfig(_Section):
    max_bytes: int = Field(5_000_000, ge=1_000)
    max_feed_entries: int = Field(5_000, ge=1)
    near_duplicate_threshold: float = Field(0.8, gt=0.0, le=1.0)


class FetchConfig(_Section):
    timeout: float = Field(15.0, gt=0)
    max_redirects: int = Field(5, ge=0, le=20)
    user_agent: str = "sitreps/0.1"
    allow_private: bool = False


class FuseConfig(_Section):
    window_days: int = Field(2, ge=0, le=60)
    max_km: float = Field(25.0, gt=0)


class ServeConfig(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    tile_url: str = ""

    @field_validator("tile_url")
    @classmethod
    def _tile_url_is_http(cls, v: str) -> str:
        if v and not v.startswith(("https://", "http://")):
            raise ValueError(
                "tile_url must be an http(s) URL template such as https://tile.example.org/{z}/{x}/{y}.png"
            )
        return v


class Settings(_Section):
    """Every setting of sitreps, validated; see docs in default_config.toml."""

    db: str = "sqlite:///sitreps.db"
    nlp: NlpConfig = NlpConfig()
    kb: KbConfig = KbConfig()
    geo: GeoConfig = GeoConfig()
    ingest: IngestConfig = IngestConfig()
    fetch: FetchConfig = FetchConfig()
    fuse: FuseConfig = FuseConfig()
    serve: ServeConfig = ServeConfig()


def default_config_text() -> str:
    """The packaged, commented default configuration."""
    return resources.files("sitreps").joinpath("default_config.toml").read_text(encoding="utf-8")


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _parse_value(raw: str) -> Any:
    """Read an override value as TOML (numbers, booleans, lists), else as a plain string."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _set_path(data: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = data
    for p in parts[:-1]:
        node = node.setdefault(p, {})
        if not isinstance(node, dict):
            raise ConfigError(key, "is not a section", "use section.key=value, e.g. fuse.window_days=3")
    node[parts[-1]] = value


def load_settings(
    config_file: str | Path | None = None,
    overrides: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> Settings:
    """Merge the layers and validate.

    Args:
        config_file: a TOML file overriding the keys it sets (default: $SITREPS_CONFIG).
        overrides: `section.key=value` strings, applied last.
        env: environment to read SITREPS_* variables from (default: os.environ).

    Raises:
        ConfigError: naming the file or key, what is wrong and how to fix it.
    """
    env = dict(os.environ) if env is None else env
    data: dict[str, Any] = tomllib.loads(default_config_text())
    path = config_file or env.get("SITREPS_CONFIG")
    if path:
        p = Path(path)
        try:
            user = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise ConfigError(
                str(p), "config file not found", "check the path given to --config / SITREPS_CONFIG"
            ) from e
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(
                str(p), f"not valid TOML: {e}", "fix the syntax; see `sitreps config show` for the shape"
            ) from e
        data = _merge(data, user)
    if env.get("SITREPS_DB"):
        data["db"] = env["SITREPS_DB"]
    for name, raw in env.items():
        if name.startswith("SITREPS_") and "__" in name:
            key = name[len("SITREPS_") :].lower().replace("__", ".")
            _set_path(data, key, _parse_value(raw))
    for item in overrides or []:
        if "=" not in item:
            raise ConfigError(
                item, "override is not key=value", "write it as --set section.key=value, e.g. --set fuse.window_days=3"
            )
        key, raw = item.split("=", 1)
        _set_path(data, key.strip(), _parse_value(raw.strip()))
    try:
        return Settings.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise ConfigError(
            loc,
            f"{first['msg']} (got {first.get('input')!r})",
            "fix it in your config file, SITREPS_* variable or --set; `sitreps config show` prints the defaults",
        ) from e


def settings_as_toml(settings: Settings) -> str:
    """Render resolved settings as TOML-ish text for `sitreps config show`."""
    data = settings.model_dump()
    lines = [f"db = {data.pop('db')!r}".replace("'", '"')]
    for section, values in data.items():
        lines.append(f"\n[{section}]")
        for k, v in values.items():
            if isinstance(v, str):
                lines.append(f'{k} = "{v}"')
            elif isinstance(v, bool):
                lines.append(f"{k} = {'true' if v else 'false'}")
            else:
                lines.append(f"{k} = {v!r}".replace("'", '"'))
    return "\n".join(lines) + "\n"
