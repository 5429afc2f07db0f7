"""RSS and Atom feeds: each entry becomes a Document; entries without a body have their link fetched."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import defusedxml
import defusedxml.ElementTree
import feedparser

from sitreps.errors import InputError
from sitreps.ingest.build import domain_of, make_document
from sitreps.ingest.decode import decode_bytes
from sitreps.ingest.fetch import Fetcher
from sitreps.ingest.html import fragment_text, read_html
from sitreps.ingest.options import ReadOptions
from sitreps.model import Document

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def refuse_unsafe_xml(data: bytes, source: str) -> None:
    """Refuse feeds that declare XML entities (billion laughs, external entities / XXE).

    Why before feedparser: feedparser turns off external entities in its strict parser, but
    internal entity expansion is left to expat, and its loose fallback parser is lenient. No
    legitimate news feed needs its own entities, so any declaration is refused outright;
    defusedxml double-checks documents that carry a DOCTYPE.

    Raises:
        InputError: when the feed declares entities.
    """
    refusal = InputError(
        source,
        "refused: the feed declares XML entities (possible entity-expansion or XXE attack)",
        "use a feed without a DTD",
    )
    if _ENTITY_DECL.search(data):
        raise refusal
    if _DOCTYPE.search(data[:4096]):
        try:
            defusedxml.ElementTree.fromstring(data)
        except defusedxml.DefusedXmlException as e:
            raise refusal from e
        except (defusedxml.ElementTree.ParseError, ValueError):
            pass  # malformed XML is feedparser's to judge (its loose parser copes with much of it)


def _entry_date(entry: Any) -> date | None:
    """The entry's published (else updated) date, as feedparser normalised it to UTC."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = dict.get(entry, key)  # plain dict lookup: feedparser's fallback mapping warns (deprecated)
        if t:
            try:
                return date(t.tm_year, t.tm_mon, t.tm_mday)
            except ValueError:
                continue
    return None


def _entry_text(entry: Any) -> str:
    """The longest body the entry carries (full content, else summary), as plain text."""
    bodies: list[tuple[str, str]] = []
    for content in entry.get("content") or []:
        bodies.append((str(content.get("value") or ""), str(content.get("type") or "text/html")))
    if entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        bodies.append((str(entry.get("summary")), str(detail.get("type") or "text/html")))
    texts = [fragment_text(v) if "html" in t or "<" in v else v for v, t in bodies]
    texts = [t.strip() for t in texts if t.strip()]
    return max(texts, key=len) if texts else ""


def iter_feed(
    data: bytes, *, source: str, options: ReadOptions, fetcher: Callable[[], Fetcher] | None = None
) -> Iterator[Document | InputError]:
    """Documents from an RSS/Atom feed's entries, each with path `source#n` (1-based).

    Args:
        data: the feed's bytes (never a URL string: feedparser would fetch it itself).
        source: file path or feed URL.
        options: overrides and fetch policy.
        fetcher: returns the batch's shared Fetcher; used for entries with no body.
    """
    try:
        refuse_unsafe_xml(data, source)
    except InputError as e:
        yield e
        return
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        reason = (
            f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})"
            if parsed.get("bozo")
            else "feed has no entries"
        )
        yield InputError(source, reason, "check it is an RSS or Atom feed with <item> or <entry> elements")
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    if len(entries) > options.max_feed_entries:
        yield InputError(
            source,
            f"feed has {len(entries)} entries; only the first {options.max_feed_entries} are read",
            "raise ingest.max_feed_entries to read more",
        )
        entries = entries[: options.max_feed_entries]
    for n, entry in enumerate(entries, start=1):
        where = f"{source}#{n}"
        try:
            yield _entry_document(entry, where, feed_title, options, fetcher)
        except InputError as e:
            yield e
        except (ValueError, TypeError, AttributeError, LookupError) as e:  # one odd entry never ends the feed
            yield InputError(where, f"entry could not be read ({type(e).__name__}: {e})", "check the entry's markup")


def _entry_document(
    entry: Any, where: str, feed_title: str | None, options: ReadOptions, fetcher: Callable[[], Fetcher] | None
) -> Document:
    """One entry as a Document, fetching and extracting its link when the entry has no text."""
    title = entry.get("title")
    link = entry.get("link")
    published = _entry_date(entry)
    outlet = feed_title or domain_of(link)
    text = _entry_text(entry)
    if text and text != (title or "").strip():
        return make_document(
            text,
            source=where,
            options=options,
            title=title,
            published=published,
            published_source="feed" if published else None,
            outlet=outlet,
            url=link,
            author=entry.get("author"),
        )
    if not link or not options.fetch_missing_bodies or fetcher is None:
        raise InputError(
            where, "feed entry has no text and no link to fetch", "use a feed that carries article text or links"
        )
    page = fetcher().fetch(link)
    html = decode_bytes(page.body, link, fallback=options.fallback_encoding, declared=page.charset)
    doc = read_html(html, source=where, options=options, url=page.url)
    doc.url = doc.url or link
    doc.title = doc.title or title
    doc.outlet = options.outlet or outlet or doc.outlet
    if published and doc.published_source != "user":
        doc.published, doc.published_source = published, "feed"
    return doc
