"""ReadOptions: everything a reader needs to know about how to turn inputs into Documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sitreps.config import FetchConfig, IngestConfig

TITLE_FIELDS: tuple[str, ...] = ("title", "headline")
TEXT_FIELDS: tuple[str, ...] = ("text", "body", "content", "article")
DATE_FIELDS: tuple[str, ...] = ("date", "published", "published_at", "pubDate")
URL_FIELDS: tuple[str, ...] = ("url", "link")
OUTLET_FIELDS: tuple[str, ...] = ("source", "outlet", "site", "publisher")


@dataclass(slots=True)
class ReadOptions:
    """How to read inputs; defaults match `IngestConfig` and `FetchConfig`.

    Why a dataclass and not the pydantic settings: readers are library code that tests and
    other rooms call directly, and the CLI maps its flags (--published, --outlet, --glob,
    --text-field, ...) onto these fields one to one. Build it from settings with `from_config`.

    Attributes:
        published: publication date for every document read (overrides any found; source "user").
        outlet: outlet name for every document read (overrides any found).
        glob: pattern applied inside folders (recursive); hidden files and folders are skipped.
        title_field, text_field, date_field, url_field, outlet_field: JSON/CSV column to use;
            None means "detect among the usual names" (see the *_FIELDS tuples).
        max_bytes: largest file, row set or download read; larger inputs are refused.
        timeout, max_redirects, user_agent, allow_private: URL fetching policy.
        fallback_encoding: tried when bytes are not UTF-8 (Windows-1252 covers most old news exports).
        fetch_missing_bodies: fetch a feed entry's link when the entry carries no text.
    """

    published: date | None = None
    outlet: str | None = None
    glob: str = "**/*"
    title_field: str | None = None
    text_field: str | None = None
    date_field: str | None = None
    url_field: str | None = None
    outlet_field: str | None = None
    max_bytes: int = 5_000_000
    max_feed_entries: int = 5_000
    timeout: float = 15.0
    max_redirects: int = 5
    user_agent: str = "sitreps/0.1 (news event extraction; python-httpx)"
    allow_private: bool = False
    fallback_encoding: str = "cp1252"
    fetch_missing_bodies: bool = True

    @classmethod
    def from_config(cls, ingest: IngestConfig, fetch: FetchConfig, **overrides: Any) -> ReadOptions:
        """Options from the validated settings sections, then keyword overrides (e.g. CLI flags)."""
        base: dict[str, Any] = {
            "max_bytes": ingest.max_bytes,
            "max_feed_entries": ingest.max_feed_entries,
            "timeout": fetch.timeout,
            "max_redirects": fetch.max_redirects,
            "allow_private": fetch.allow_private,
            "user_agent": fetch.user_agent,
        }
        base.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**base)
