"""One place that turns extracted pieces into a Document, applying user overrides and the id rule."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from sitreps.errors import InputError
from sitreps.ingest.normalise import document_id, normalise_text
from sitreps.ingest.options import ReadOptions
from sitreps.model import Document


def domain_of(url: str | None) -> str | None:
    """The outlet name a URL implies: its host, lower-cased, without `www.`."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _clean(value: object) -> str | None:
    """A one-line metadata value, or None when empty."""
    if value is None:
        return None
    text = " ".join(normalise_text(str(value)).split())
    return text or None


def make_document(
    text: str,
    *,
    source: str,
    options: ReadOptions,
    title: object = None,
    published: date | None = None,
    published_source: str | None = None,
    outlet: object = None,
    url: object = None,
    author: object = None,
    language: object = None,
) -> Document:
    """Build a Document: normalised text, id from it, user overrides applied last.

    Why one builder: every reader must agree on the id rule, the override rule
    (--published/--outlet win, and say so in `published_source`) and the empty-body check.

    Raises:
        InputError: when no text is left after normalisation.
    """
    body = normalise_text(text)
    if not body:
        raise InputError(
            source, "empty document (no text found)", "check the input has a body, not only headers or markup"
        )
    url_s = _clean(url)
    if options.published is not None:
        published, published_source = options.published, "user"
    elif published is None:
        published_source = None
    outlet_s = options.outlet or _clean(outlet) or domain_of(url_s)
    return Document(
        id=document_id(body),
        text=body,
        title=_clean(title),
        published=published,
        outlet=outlet_s,
        url=url_s,
        author=_clean(author),
        language=_clean(language),
        path=source,
        published_source=published_source,
    )
