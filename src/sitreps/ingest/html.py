"""HTML pages: main text and metadata (title, date, site name, author, canonical URL) via trafilatura."""

from __future__ import annotations

import html as html_lib
import logging
import re
from typing import Any

import lxml.etree
import lxml.html
import trafilatura

from sitreps.errors import InputError
from sitreps.ingest.build import make_document
from sitreps.ingest.dates import parse_date
from sitreps.ingest.options import ReadOptions
from sitreps.model import Document

# trafilatura logs every page it cannot parse at WARNING; our InputError already says it, once.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)

_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def extract_html(html: str) -> dict[str, Any] | None:
    """trafilatura's text and metadata as a dict, or None when it finds no article.

    Why `extensive_search` is off: htmldate's deep search reads dates out of the article text
    and URLs, which for conflict reporting are usually dates of events, not of publication.
    """
    try:
        result = trafilatura.bare_extraction(html, with_metadata=True, date_extraction_params=_DATE_PARAMS)
    except (
        ValueError,
        TypeError,
        AttributeError,
        LookupError,
        AssertionError,
    ):  # malformed markup inside lxml/htmldate
        return None
    if result is None:
        return None
    out: dict[str, Any] = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    return out


def read_html(html: str, *, source: str, options: ReadOptions, url: str | None = None) -> Document:
    """An HTML page as a Document (the article text, not menus and footers).

    Args:
        html: the decoded page.
        source: the file path or URL, used in errors and as `Document.path`.
        options: overrides and policy.
        url: where the page was fetched from; the page's canonical URL wins when present.

    Raises:
        InputError: "no article text found" when trafilatura finds nothing readable.
    """
    meta = extract_html(html)
    text = str(meta.get("text") or "") if meta else ""
    if meta is None or not text.strip():
        raise InputError(
            source, "no article text found", "check it is an article page (not a login, index or script-only page)"
        )
    title = meta.get("title")
    lines = text.split("\n")
    if title and lines and lines[0].strip() == str(title).strip() and len(lines) > 1:
        text = "\n".join(lines[1:])
    text = text.replace("\n", "\n\n")
    published = parse_date(meta.get("date"))
    return make_document(
        text,
        source=source,
        options=options,
        title=title,
        published=published,
        published_source="html-meta" if published else None,
        outlet=meta.get("sitename") or None,
        url=meta.get("url") or url,
        author=meta.get("author"),
        language=meta.get("language"),
    )


_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article", "pre"}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def fragment_text(markup: str) -> str:
    """Plain text from an HTML fragment (a feed summary, a JSON `body` with tags), paragraphs kept.

    Why not trafilatura here: fragments have no page around them, and its boilerplate removal
    drops short but real paragraphs; the markup is the article already.
    """
    if "<" not in markup:
        return html_lib.unescape(markup)
    markup = _CONTROL.sub(" ", markup)  # lxml refuses control characters that XML cannot hold
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return html_lib.unescape(re.sub(r"<[^>]*>", " ", markup))
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n\n" + (el.tail or "")
    return str(root.text_content())


def looks_like_html(text: str) -> bool:
    """True when a field or file is markup rather than prose (tags such as <p>, <div>, <br>, <html>)."""
    return bool(_TAGS.search(text[:4096]))


_TAGS = re.compile(r"<(?:p|div|br|span|a|html|body|article|h[1-6]|ul|li|table|em|strong|b|i)\b[^>]*>", re.IGNORECASE)
