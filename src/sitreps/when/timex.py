"""TIMEX3 values for time phrases, so sitreps can be scored against TimeML corpora such as MEANTIME."""

from __future__ import annotations

import re
from datetime import date

from sitreps.when.normalise import Anchor, resolve
from sitreps.when.phrases import number_value

_DUR_UNITS = {
    "second": ("PT", "S"),
    "minute": ("PT", "M"),
    "hour": ("PT", "H"),
    "day": ("P", "D"),
    "week": ("P", "W"),
    "month": ("P", "M"),
    "quarter": ("P", "Q"),
    "year": ("P", "Y"),
    "decade": ("P", "DE"),
    "century": ("P", "CE"),
}
_HALF_OF = {"hour": "PT30M", "day": "PT12H", "week": "P3.5D", "month": "P0.5M", "year": "P6M", "decade": "P5Y",
            "century": "P50Y", "minute": "PT30S"}  # fmt: skip
"""'half an hour' PT30M: half a unit in the next smaller unit where it is whole."""
_SETS = {"annual": "P1Y", "annually": "P1Y", "yearly": "P1Y", "monthly": "P1M", "weekly": "P1W", "daily": "P1D",
         "hourly": "PT1H", "quarterly": "P3M", "nightly": "P1D", "biannual": "P6M", "fortnightly": "P2W",
         "semiannual": "P6M", "biweekly": "P2W"}  # fmt: skip
_VAGUE_COUNTS = frozenset(("few", "a few", "several", "many", "some", "couple", "coming", "recent", "numerous",
                           "multiple", "countless", "various", "past", "last", "next", "ensuing", "subsequent",
                           "intervening", "preceding", "previous", "following", "final", "first"))  # fmt: skip
"""Words before a plural unit that count it vaguely ('several days' PXD, 'the coming weeks' PXW)."""
_EVERY = re.compile(r"^(?:each|every|per|a|an)\s+(?P<n>\w+\s+)?(?P<u>day|week|month|quarter|year|hour|minute)s?$", re.I)
_DURATION = re.compile(
    r"^(?:the\s+(?:past|last|next|previous|coming|following|first|final)\s+|the\s+|(?:for\s+)?(?:almost|nearly|about|more\s+than|over|"
    r"less\s+than|some|around|just\s+over)\s+|a\s+|an\s+)?(?P<n>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"[-\s](?:one|two|three|four|five|six|seven|eight|nine)|(?:a|one)\s+hundred|[\w.]+(?:\s+few)?)?"
    r"(?P<half>[-\s]+and[-\s]+a[-\s]+half)?[-\s]*"
    r"(?:(?:straight|consecutive|trading|full|long)\s+)?(?P<u>seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|"
    r"years?|decades?|century|centuries)(?P<half2>\s+and\s+a\s+half)?(?:[-\s]+(?:long|old|history))?$",
    re.IGNORECASE,
)


_HALF = re.compile(
    r"^(?:(?:almost|nearly|about|more\s+than|over|less\s+than|some|around|just\s+over)\s+)?(?:half\s+an?|a\s+half)[-\s]+"
    r"(?P<u>hour|day|week|month|year|decade|century|minute)$",
    re.IGNORECASE,
)


def duration_value(phrase: str) -> str | None:
    """TIMEX3 duration ("two years" -> P2Y, "a decade" -> P10Y, "several days" -> PXD); None if not a duration."""
    text = re.sub(r"\s+", " ", phrase.strip())
    if text.lower() in _SETS:
        return _SETS[text.lower()]
    every = _EVERY.match(text)
    if every is not None and text.split()[0].lower() in ("each", "every", "per"):
        # a SET: 'every year' P1Y, 'every two weeks' P2W
        return duration_value(f"{(every['n'] or 'one ').strip()} {every['u']}")
    half = _HALF.match(text)
    if half is not None:
        return _HALF_OF[half["u"].lower()]
    m = _DURATION.match(text)
    if m is None:
        return None
    unit = "century" if m["u"].lower().startswith("centur") else m["u"].lower().rstrip("s")
    prefix, code = _DUR_UNITS[unit]
    word = (m["n"] or "").lower()
    plural = m["u"].lower().endswith(("s", "ies"))
    if word in ("", "the", "a", "an", "one", "single", "entire", "whole", "full"):
        n: float | None = None if plural and word in ("", "the") else 1
    elif word.replace(".", "", 1).isdigit():
        n = float(word)
    elif number_value(word) is not None:
        n = number_value(word)
    elif word in _VAGUE_COUNTS and plural:
        n = None
    else:
        return None  # 'the prior year', 'the same day': a word that is no count makes no duration
    if n is not None and (m["half"] or m["half2"]):
        n += 0.5
    if unit in ("decade", "century") and n is not None:
        n, code = n * (10 if unit == "decade" else 100), "Y"
    count = "X" if n is None else (str(int(n)) if float(n).is_integer() else str(n))
    return f"{prefix}{count}{code}"


def timex_value(
    phrase: str, *, published: date | None, context: str | None = None, anchor: Anchor = None
) -> str | None:
    """The TIMEX3 `value` for a phrase: a date/time value via normalise, else a duration, else None."""
    res = resolve(phrase, published=published, context=context, anchor=anchor)
    if res is not None and res.timex is not None:
        return res.timex
    dur = duration_value(phrase)
    if dur is not None:
        return dur
    return None
