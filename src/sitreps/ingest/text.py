"""Plain text and Markdown reports: header lines, crawler date headers and headline first lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sitreps.ingest.build import make_document
from sitreps.ingest.dates import parse_date
from sitreps.ingest.options import ReadOptions
from sitreps.model import Document

_HEADER = re.compile(
    r"^\s*(title|headline|date|published|source|outlet|url|link|author|by|language|lang)\s*:\s*(.*?)\s*$", re.IGNORECASE
)
_KEYS = {
    "title": "title",
    "headline": "title",
    "date": "date",
    "published": "date",
    "source": "outlet",
    "outlet": "outlet",
    "url": "url",
    "link": "url",
    "author": "author",
    "by": "author",
    "language": "language",
    "lang": "language",
}
_CRAWLER_DATE = re.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+|$)")
_MD_HEADING = re.compile(r"^#{1,3}\s+(.+?)\s*#*\s*$")
_HEADLINE_MAX_WORDS = 12


@dataclass(slots=True)
class TextHead:
    """What the top of a plain-text report says about itself."""

    body: str
    fields: dict[str, str] = field(default_factory=dict)
    published: date | None = None


def split_head(text: str) -> TextHead:
    """Separate header lines, a crawler date header and a headline first line from the body.

    Why: crawls and hand-made corpora put metadata at the top in several shapes. `Title:`/`Date:`
    style headers (also inside `---` front matter); a crawler's ` date 2017-01-23 ` prefix followed
    directly by the body (the publication date, and never a headline); a Markdown `# heading`; or
    a bare short first line with no final period (a headline). Each is taken out of the body so
    that extraction does not read the headline as a sentence of the report.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    head = TextHead(body=text)
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    m = _CRAWLER_DATE.match(lines[i]) if i < len(lines) else None
    if m:
        head.published = parse_date(m[1])
        if head.published is not None:
            head.fields["date"] = m[1]
            head.body = "\n".join([lines[i][m.end() :], *lines[i + 1 :]]).strip()
            return head
    fenced = i < len(lines) and lines[i].strip() == "---"
    j = i + 1 if fenced else i
    fields: dict[str, str] = {}
    while j < len(lines):
        hm = _HEADER.match(lines[j])
        if not hm:
            break
        key = _KEYS[hm[1].lower()]
        if hm[2]:
            fields.setdefault(key, hm[2])
        j += 1
    if fenced:
        if fields and j < len(lines) and lines[j].strip() == "---":
            j += 1
        else:
            fields, j = {}, i
    head.fields = fields
    if "date" in fields:
        head.published = parse_date(fields["date"])
    rest = lines[j:]
    if "title" not in fields:
        title, rest = _take_headline(rest)
        if title:
            fields["title"] = title
    head.body = "\n".join(rest).strip()
    return head


def _take_headline(lines: list[str]) -> tuple[str | None, list[str]]:
    """A Markdown heading or a short, unpunctuated first line followed by more text is the headline."""
    k = 0
    while k < len(lines) and not lines[k].strip():
        k += 1
    if k >= len(lines):
        return None, lines
    first = lines[k].strip()
    if not any(line.strip() for line in lines[k + 1 :]):
        return None, lines
    md = _MD_HEADING.match(first)
    if md:
        return md[1], lines[k + 1 :]
    words = first.split()
    if (
        len(words) <= _HEADLINE_MAX_WORDS
        and len(first) <= 150
        and not first.endswith((".", "!", "?", ",", ";", ":", '"'))
    ):
        return first, lines[k + 1 :]
    return None, lines


def read_text(text: str, *, source: str, options: ReadOptions) -> Document:
    """A plain-text or Markdown report as a Document.

    Raises:
        InputError: when nothing but headers is left.
    """
    head = split_head(text)
    f = head.fields
    return make_document(
        head.body,
        source=source,
        options=options,
        title=f.get("title"),
        published=head.published,
        published_source="header" if head.published else None,
        outlet=f.get("outlet"),
        url=f.get("url"),
        author=f.get("author"),
        language=f.get("language"),
    )
