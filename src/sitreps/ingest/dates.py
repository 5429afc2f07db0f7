"""Publication dates from header, field and meta values, never guessed from today."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%A %d %B %Y",
    "%A %B %d %Y",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
)
_NOISE = re.compile(r"[,]|(?<=\d)(st|nd|rd|th)\b")


def parse_date(value: object) -> date | None:
    """A calendar date from a header, JSON/CSV field or meta value; None when there is none.

    Why this small parser and not dateparser: a publication date must be absolute and exact.
    Relative words ("yesterday") or partial dates would silently anchor every relative
    phrase in the report on a wrong day, so anything that is not a full date is rejected.
    Accepts ISO 8601 (with or without time), RFC 2822, Unix timestamps and the common
    written forms ("23 January 2017", "Jan 23, 2017", "Monday, 23 January 2017").
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return _from_timestamp(float(value))
    text = str(value).strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if re.fullmatch(r"\d{9,10}(\.\d+)?", text):
        return _from_timestamp(float(text))
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    cleaned = " ".join(_NOISE.sub("", text).split())
    for fmt in _FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def _from_timestamp(ts: float) -> date | None:
    """Unix seconds to a UTC date, refusing values outside 1990-2100 (likely milliseconds or junk)."""
    if not 631_152_000 <= ts <= 4_102_444_800:
        return None
    return datetime.fromtimestamp(ts, tz=UTC).date()
