"""Find every time expression in a text and normalise each against the publication date."""

from __future__ import annotations

import bisect
import re
from datetime import date

from sitreps.model import DateInterval, Span
from sitreps.when.normalise import normalise
from sitreps.when.phrases import find_time_expressions

_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\"'(\u201c])|\n\s*\n")
_ANCHORED = re.compile(
    r"\b(?:earlier|later|before|after|afterwards?|previously|previous|prior|following|same|entire|whole|full)\b|"
    r"^(?:(?:that|the)\s+)?(?:day|morning|afternoon|evening|night)$|\bof\s+the\s+day$|\byear[-\s]ago\b",
    re.IGNORECASE,
)


def is_anchored(phrase: str) -> bool:
    """Whether a phrase counts from a date the narrative named ("two days later", "the day before", "that
    morning", "the same period last year") rather than from publication."""
    return _ANCHORED.search(phrase.strip()) is not None


def find_and_normalise(text: str, *, published: date | None) -> list[tuple[Span, DateInterval]]:
    """Every time expression in `text` with its interval, for the `sitreps dates` command.

    Each phrase is normalised with its sentence as context (for tense, and the day of a bare clock
    time). An anchored phrase ("two days later", "the day before", "that morning") counts from the
    latest date named before it that is fine enough for its unit (narrative order), else from the
    publication date. Phrases no rule can read are left out; impossible dates are kept, unresolved,
    with the reason as rule.
    """
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    out: list[tuple[Span, DateInterval]] = []
    named: list[DateInterval] = []  # resolved non-anchored dates so far, in text order
    for span in find_time_expressions(text):
        k = bisect.bisect_right(ends, span.start)
        lo = ends[k - 1] if k else 0
        hi = ends[k] if k < len(ends) else len(text)
        anchored = is_anchored(span.text)
        anchor = tuple(named) if anchored else None
        interval = normalise(span.text, published=published, context=text[lo:hi], anchor=anchor)
        if interval is None:
            continue
        out.append((span, interval))
        if interval.resolved and interval.start is not None and not anchored:
            named.append(interval)
    return out
