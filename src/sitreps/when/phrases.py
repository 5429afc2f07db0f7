"""Find time phrases in text with deterministic regular-expression rules and character offsets."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from sitreps.model import Span

MONTHS: dict[str, int] = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
WEEKDAYS: dict[str, int] = {
    d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
NUMBER_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"a": 1, "an": 1, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
     "hundred": 100, "a hundred": 100, "one hundred": 100}  # fmt: skip
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"


def number_value(word: str) -> int | None:
    """'3', 'three', 'twenty-five', 'a hundred' as an int; None for vague counts ('few') and other words."""
    w = re.sub(r"[\s-]+", " ", word.lower().strip())
    if w.isdigit():
        return int(w)
    if w in NUMBER_WORDS:
        return NUMBER_WORDS[w]
    tens, _, unit = w.partition(" ")
    if tens in NUMBER_WORDS and unit in NUMBER_WORDS and NUMBER_WORDS[tens] >= 20 and 1 <= NUMBER_WORDS[unit] <= 9:
        return NUMBER_WORDS[tens] + NUMBER_WORDS[unit]
    return None


# Month and weekday names are matched case-sensitively (capitalised): "may have", "a march" and "sun" stay out.
MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
MONTH_SAFE = r"(?:January|February|April|June|July|August|September|October|November|December)"
MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
MONTH_ANY = rf"(?:{MONTH_FULL}|{MONTH_ABBR})"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
NUM = (  # the lookahead rejects a word that starts no count before trying each alternative (a third of the cost)
    rf"(?i:(?=[\daotfsenc])(?:\d{{1,3}}|{_TENS}(?:[-\s]{_UNITS})?|(?:a|one)\s+hundred|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+few|few|several|"
    r"a\s+couple\s+of|a\s+couple|couple\s+of))"
)
PART_OF_DAY = r"(?i:morning|afternoon|evening|night)"
SEASON = r"(?i:spring|summer|autumn|winter)"
UNIT = r"(?i:days?|weeks?|months?|years?|decades?)"
_MOD = r"(?i:early|mid|late|the\s+(?:end|beginning|start|middle)\s+of)"
_REL = r"(?i:this|last|next|past|previous|coming|current|the\s+(?:past|previous|prior|last|following|next|coming|same))"
CLOCK_ZONE = r"(?:[ECMP][SD]T|BST|CEST|CET|EEST|EET|MSK|IST|JST|(?i:local\s+time))\b"
"""A zone after a clock time belongs to its extent ('10 a.m. EST'); TimeML keeps the local clock reading."""
_CLOCK = r"(?:\d{1,2}[:.][0-5]\d(?:\s*(?:UTC|GMT|(?i:a\.m\.|p\.m\.|am|pm)))+|\d{3,4}\s*(?:UTC|GMT)|\d{1,2}\s*(?i:a\.m\.|p\.m\.))"


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    accept: Callable[[re.Match[str], str], bool] | None = None


_YEAR_NOUN = re.compile(r"\s+(?P<w>[a-z][a-z-]*)")
_DETERMINER_BEFORE = re.compile(r"\b(?i:the|its|their|his|her|our|this|that)\s+$")
_NOT_NOUNS = frozenset(
    ("km", "kg", "mph", "ft", "m", "mm", "cm", "strong", "odd", "plus", "per", "percent", "or", "to", "mark", "level",
     "barrier", "threshold", "figure", "point", "line", "block", "metre", "meter", "mile", "kilometre", "calorie")
)  # fmt: skip
"""Singular words after a number that count or measure it ('the 2000 mark'), so the number is no year."""


def _cued(cue: re.Pattern[str], m: re.Match[str], text: str) -> bool:
    """Whether a cue word ('in', 'since', 'early') stands right before the match, as a whole word. Checking
    behind a match found by its own digits or name is far cheaper than trying every cue at every position."""
    start = m.start("t")
    found = cue.search(text, max(0, start - 24), start)
    if found is None:
        return False
    i = found.start()
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")


def _year_ok(m: re.Match[str], text: str) -> bool:
    """A bare year counts after a cue word, or before punctuation, so '2000 fighters' is not a year; after a
    determiner it may name a singular noun ('the 1991 agreement', never 'the 2000 fighters'); between two
    capitalised words it is part of a name ('the Russell 2000 Index')."""
    if _cued(_CUE_YEAR_BEFORE, m, text):
        return True
    start, end = m.start("t"), m.end("t")
    rest = text[end : end + 12]
    if re.match(r" [A-Z]", rest) and re.search(r"[A-Z][a-z]+ $", text[max(0, start - 20) : start]):
        return False
    noun = _YEAR_NOUN.match(text, end, end + 30)
    if noun is not None and _DETERMINER_BEFORE.search(text, max(0, start - 8), start):
        w = noun["w"]
        return w not in _NOT_NOUNS and (not w.endswith("s") or w.endswith("ss"))
    return not re.match(r"\s+(?![Aa]nd\b|[Tt]o\b|[Oo]r\b|[A-Z])[A-Za-z]", rest) and not rest.startswith((",0", ",1"))


_NAME_BEFORE = re.compile(r"(?:^|[^.!?:\"'\u201c\s])\s*[A-Z][\w-]*\s+$")


def _in_name(m: re.Match[str], text: str) -> bool:
    """'Today' capitalised after a capitalised word mid-sentence names an outlet ('told Kurdistan Today')."""
    t = m.group("t")
    return t[0].isupper() and _NAME_BEFORE.search(text, max(0, m.start("t") - 40), m.start("t")) is not None


_SHORT_YEAR_CUE = re.compile(r"\b(?i:since|in|until|till|by|from|of)\s$")


def _short_year_ok(m: re.Match[str], text: str) -> bool:
    """ "since '82": an apostrophe year counts after a cue word only (a quoted number is no year)."""
    return _SHORT_YEAR_CUE.search(text, max(0, m.start() - 7), m.start()) is not None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_CUE_MONTH = r"(?i:in|since|until|till|by|during|from|through|before|after|between|and|or|to|of|last|this|next|early|late|mid|end\s+of|beginning\s+of|start\s+of|middle\s+of)"
_CUE_YEAR = r"(?i:in|since|until|till|by|during|from|through|before|after|between|and|or|to|of|early|late|mid|end\s+of|beginning\s+of|start\s+of|circa|around|year|for)"

_CUE_MONTH_BEFORE = re.compile(rf"{_CUE_MONTH}[-\s]+$")
_CUE_YEAR_BEFORE = re.compile(rf"{_CUE_YEAR}[-\s]+$")

RULES: tuple[_Rule, ...] = (
    _Rule("iso", _rx(r"(?<![\d-])(?P<t>(?:19|20)\d\d-[01]\d-[0-3]\d)(?![\d-])")),
    _Rule("numeric", _rx(r"(?<![\d/.,])(?P<t>[0-3]?\d/[0-3]?\d/(?:\d{4}|\d{2}))(?![\d/])")),
    _Rule(
        "month-day",
        _rx(
            rf"\b(?P<t>(?:{WEEKDAY},?[ \t]+)?{MONTH_ANY}\s+{DAY}(?![\d:.,]\d)(?:\s*,?\s*{YEAR})?(?![\d:.]\d))"
            rf"(?!\s*(?:%|per\s*cent|percent))"
        ),
    ),
    _Rule(
        "day-month",
        _rx(rf"\b(?P<t>(?:{WEEKDAY},?[ \t]+)?(?:(?i:the)\s+)?{DAY}(?:\s+of)?\s+{MONTH_ANY}(?:\s*,?\s*{YEAR})?)\b"),
    ),
    _Rule("month-year", _rx(rf"\b(?P<t>{MONTH_ANY},?\s+(?:of\s+)?{YEAR})\b")),
    _Rule(
        "modified",
        _rx(
            rf"\b(?P<t>{_MOD}[-\s]+(?:{MONTH_FULL}(?:,?\s+{YEAR})?|{YEAR}s?|"
            rf"(?i:this|last|next|the)\s+(?:week|month|year|decade)|{SEASON}(?:\s+{YEAR})?))\b"
        ),
    ),
    _Rule("month", _rx(rf"(?P<t>{MONTH_FULL})\b"), lambda m, text: _cued(_CUE_MONTH_BEFORE, m, text)),
    _Rule("month", _rx(rf"\b(?P<t>(?i:last|this|next|early|late)\s+{MONTH_FULL})\b")),
    _Rule("month", _rx(rf"\b(?P<t>{MONTH_SAFE})\b(?!\s+[A-Z][a-z])")),
    _Rule(
        "weekday",
        _rx(
            rf"\b(?P<t>(?:(?i:this\s+past|last|this|next|early|late)\s+)?{WEEKDAY}(?:\s+{PART_OF_DAY})?)\b"
            r"(?!'s\s+(?i:child))"
        ),
    ),
    _Rule(
        "clock-24",
        _rx(
            r"\b(?i:at|around|about|by|until|till|before|after|from|since|approximately|shortly\s+after)\s+"
            rf"(?P<t>(?:[01]?\d|2[0-3]):[0-5]\d(?:\s+{CLOCK_ZONE})?(?:\s+(?:(?i:on)\s+)?(?:{WEEKDAY}|(?i:today|yesterday|tomorrow)))?)"
            r"(?![\d:]|\.\d|\s*(?i:a\.m|p\.m|am\b|pm\b|UTC|GMT))"
        ),
    ),
    _Rule(
        "every-weekday",
        _rx(
            rf"\b(?P<t>(?i:every|each)\s+{WEEKDAY}(?:\s+{PART_OF_DAY})?)\b|"
            rf"\b(?i:on)\s+(?P<t2>(?:Mondays|Tuesdays|Wednesdays|Thursdays|Fridays|Saturdays|Sundays))\b"
        ),
    ),
    _Rule(
        "clock",
        _rx(
            rf"(?<![\d:.])(?P<t>{_CLOCK}(?:\s*\(\s*(?:GMT|UTC)\s*[+-]\s*\d+\s*\))?(?:\s+{CLOCK_ZONE})?"
            rf"(?:\s+(?:(?i:on)\s+)?(?:{WEEKDAY}|(?i:today|yesterday|tomorrow)))?)(?![\d:])"
        ),
    ),
    _Rule(
        "deictic",
        _rx(
            r"\b(?P<t>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tonight|"
            r"tomorrow|overnight|(?:earlier|later)\s+today|(?:this|yesterday|tomorrow)\s+(?:morning|afternoon|evening)|"
            r"last\s+night|the\s+other\s+day|nowadays|these\s+days|at\s+the\s+moment|currently|at\s+present|recently|"
            r"lately|(?:more|most)\s+recently|so\s+far\s+this\s+year))\b"
        ),
        lambda m, text: not _in_name(m, text),
    ),
    _Rule(
        "noon",
        _rx(
            r"\b(?i:at|by|until|till|after|before|around|about|since)\s+(?P<t>(?i:noon|midday|midnight)"
            rf"(?:\s+(?:(?i:on)\s+)?(?:{WEEKDAY}|(?i:yesterday|today|tomorrow)))?)\b"
        ),
    ),
    _Rule(
        "century",
        _rx(
            r"\b(?P<t>(?i:the\s+(?:1[0-9]|2[01])(?:st|nd|rd|th)\s+century|(?:this|last|next|the\s+(?:current|last|"
            r"previous|past|next|coming))\s+century|the\s+turn\s+of\s+the\s+century))\b"
        ),
    ),
    _Rule("now", _rx(r"(?<![\w-])(?P<t>(?i:now|right\s+now|just\s+now))\b(?!\s+that\b|-)")),
    _Rule(
        "relative",
        _rx(rf"\b(?P<t>{_REL}\s+(?:(?i:week|weekend|month|year|decade|quarter)|{SEASON}|(?i:fall)))\b"),
    ),
    _Rule(
        "relative",
        _rx(r"\b(?P<t>(?i:(?:earlier|later|early|late)\s+(?:this|last|next|in\s+the)\s+(?:week|month|year|decade)))\b"),
    ),
    _Rule("relative", _rx(r"\b(?P<t>(?i:the\s+weekend|(?:this|last|next|this\s+past|the\s+past)\s+weekend))\b")),
    _Rule("two-units", _rx(r"\b(?P<t>(?i:the\s+(?:week|weekend|month|year)\s+(?:before|after)\s+(?:last|next)))\b")),
    _Rule(
        "fiscal",
        _rx(
            rf"\b(?P<t>(?i:(?:the\s+(?:first|second|third|fourth)[-\s]+quarter\s+of\s+)?fiscal(?:\s+year)?\s+{YEAR}|"
            rf"(?:the\s+)?(?:current|previous|past)\s+fiscal\s+year|(?:the|this|last|next)\s+fiscal\s+year|"
            rf"(?:the\s+)?{YEAR}\s+fiscal\s+year|(?:the\s+)?fiscal\s+(?:first|second|third|fourth)[-\s]+quarter)|"
            r"FY\s?(?:19|20)\d\d)\b"
        ),
    ),
    _Rule(
        "half",
        _rx(
            rf"\b(?P<t>(?i:the\s+(?:first|second|latter)\s+half(?:\s+of\s+(?:(?:this|last|next|the)\s+year|{YEAR}))?))\b"
        ),
    ),
    _Rule(
        "holiday",
        _rx(rf"\b(?P<t>(?:Christmas(?:\s+Day|\s+Eve)?|New\s+Year'?s\s+(?:Day|Eve)|Boxing\s+Day)(?:,?\s+{YEAR})?)\b"),
    ),
    _Rule(
        "same-period",
        _rx(
            r"\b(?P<t>(?i:the\s+same\s+(?:period|time|day|week|month|quarter)\s*,?\s*(?:of\s+)?(?:a\s+year\s+"
            r"(?:ago|earlier|before)|(?:the\s+)?(?:last|previous|prior|preceding)\s+year)|the\s+year[-\s](?:earlier|ago)\s+"
            r"(?:period|quarter|month|week)))\b"
        ),
    ),
    _Rule("recent", _rx(r"\b(?P<t>(?i:(?:the\s+)?(?:most\s+)?recent\s+(?:days|weeks|months|years)))\b")),
    _Rule(
        "recent",
        _rx(
            r"\b(?P<t>(?i:the\s+past\s+(?:few|several|\d+|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:days|weeks|months|years)))\b"
        ),
    ),
    _Rule(
        "ago",
        _rx(
            rf"\b(?P<t>(?:(?i:more\s+than|less\s+than|about|nearly|almost|some|over|around|just\s+over|only)\s+)?{NUM}\s+{UNIT}\s+(?i:ago)|"
            r"(?<![\d,.]\s)(?i:(?:many\s+|some\s+)?(?:days|weeks|months|years|decades)\s+ago))\b"
        ),
    ),
    _Rule(
        "anchored",
        _rx(
            rf"\b(?P<t>(?:{NUM}\s+{UNIT}\s+(?:(?i:earlier|later|afterwards|afterward|previously)|(?i:before|after)(?=\s*[.,;:)]|\s+that\b)))|"
            r"(?i:the\s+(?:previous|following|next|same)\s+(?:day|week|month|year|morning|afternoon|evening|night)|"
            r"the\s+day\s+(?:before|after)(?=\s*[.,;:)]|\s+that\b)|the\s+night\s+before|a\s+day\s+(?:earlier|later)|that\s+day))\b"
        ),
    ),
    _Rule(
        "year",
        _rx(rf"(?<![\d,.$£€#/:-])(?P<t>{YEAR})(?![\d]|,\d|\.\d|-\d|/\d|%)"),
        _year_ok,
    ),
    _Rule("decade", _rx(r"(?<![\w'])(?P<t>(?:(?i:the)\s+)?(?:(?:1[89]|20)[0-9]0s|'?[1-9]0s))\b")),
    _Rule(
        "season",
        _rx(
            rf"\b(?P<t>(?:(?i:last|this|next|early|late|mid)[-\s]+(?:{SEASON}|(?i:fall))(?:\s+(?:of\s+)?{YEAR})?)|"
            rf"{SEASON}\s+(?:of\s+)?{YEAR}|(?<=\b(?:in|In)\s)(?:(?:the|this)\s+)?{SEASON}|(?<=\bduring\s)the\s+{SEASON})\b"
        ),
    ),
    _Rule(
        "week-of",
        _rx(
            rf"\b(?P<t>(?i:the\s+(?:first|second|third|fourth|last|final)\s+week\s+of)\s+{MONTH_FULL}(?:,?\s+{YEAR})?)\b"
        ),
    ),
    _Rule(
        "vague",
        _rx(
            r"\b(?P<t>(?i:the\s+(?:near|foreseeable|distant|immediate)\s+future|the\s+(?:long|short|near)\s+term|"
            r"the\s+time\s+being|very\s+soon))\b(?!-)"
        ),
    ),
    _Rule(
        "vague-cued",
        _rx(
            r"\b(?i:in|for|into|of|from|to)\s+(?P<t>(?i:the\s+(?:past|future)))\b(?![\w-]|\s+of\b|"
            r"\s+(?:\S+\s+){0,2}(?i:days?|weeks?|months?|years?|decades?|centur(?:y|ies)|quarters?|hours?|minutes?|"
            r"weekends?|fortnights?|seasons?)\b)"
        ),
    ),
    _Rule(
        "day-end",
        _rx(
            r"\b(?i:end(?:s|ed|ing)?|finish(?:es|ed|ing)?|clos(?:e|es|ed|ing)|open(?:s|ed|ing)?|start(?:s|ed|ing)?)\s+"
            r"(?P<t>(?i:the\s+day))\b(?!\s+(?i:of|before|after|when|that|on|in|with\s+a\s+(?:rally|prayer)))|"
            r"\b(?i:for)\s+(?P<t2>(?i:the\s+day))(?=\s*[,.;])"
        ),
    ),
    _Rule(
        "unit-ref",
        _rx(
            r"\b(?P<t>(?i:(?:early|late|earlier|later)\s+in\s+the\s+(?:day|week|month|year)|"
            r"the\s+(?:entire|whole|full)\s+(?:day|week|month|year)(?!\s+(?:of|before|after)\b)))\b"
        ),
    ),
    _Rule(
        "unit-ref-after",
        _rx(
            r"\b(?P<t>(?i:the\s+(?:day|week|month|year)\s+(?:previous|prior|earlier)|"
            r"the\s+(?:week|month|year)\s+(?:before|after)(?=\s*[.,;:)]|\s+that\b)))\b"
        ),
    ),
    _Rule(
        "decade-word",
        _rx(
            r"\b(?P<t>(?i:the\s+(?:(?:early|mid|late)[-\s]+)?(?:nineteen[-\s]+)?"
            r"(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)))\b"
        ),
    ),
    _Rule(
        "year-quarter",
        _rx(
            rf"\b(?P<t>(?i:the\s+)?(?:(?i:fiscal\s+)?{YEAR}|(?i:last|this|next)\s+(?i:year))(?:'s)?\s+"
            r"(?i:first|second|third|fourth)[-\s]+(?i:quarter))\b"
        ),
    ),
    _Rule("year-end", _rx(r"\b(?P<t>(?i:(?:this|last|next)\s+)?(?i:year(?:-|\s+|'s\s+)end))\b(?!-)")),
    _Rule(
        "from-now",
        _rx(rf"\b(?P<t>{NUM}\s+{UNIT}\s+(?i:from\s+(?:now|today)))\b"),
    ),
    _Rule("short-year", _rx(r"(?P<t>['\u2019][0-9]\d)\b(?![\w'\u2019])"), _short_year_ok),
    _Rule(
        "quarter",
        _rx(
            rf"\b(?P<t>(?i:the\s+(?:first|second|third|fourth|final|last|latest|current|previous)\s+quarter"
            rf"(?:\s+of\s+(?:this|last|next|the)\s+year|\s+of\s+{YEAR}|,?\s+{YEAR})?|"
            rf"(?:first|second|third|fourth)-quarter)|Q[1-4],?\s+{YEAR})\b"
        ),
    ),
)

_NEEDS: dict[str, tuple[str, ...]] = {
    "iso": ("-",),
    "numeric": ("/",),
    "noon": ("noon", "midday", "midnight"),
    "century": ("century",),
    "now": ("now",),
    "fiscal": ("fiscal", "fy"),
    "half": ("half",),
    "holiday": ("christmas", "new year", "boxing"),
    "same-period": ("same", "year-", "year ago", "year earlier"),
    "recent": ("recent", "past"),
    "ago": ("ago",),
    "anchored": ("earlier", "later", "afterward", "previously", "before", "after", "previous", "following", "next",
                 "same", "that day"),
    "decade": ("0s",),
    "season": ("spring", "summer", "autumn", "winter", "fall"),
    "quarter": ("quarter", "q1", "q2", "q3", "q4"),
    "deictic": ("day", "night", "tomorrow", "morning", "afternoon", "evening", "moment", "current", "present",
                "recent", "late", "year"),
    "relative": ("week", "month", "year", "decade", "quarter", "spring", "summer", "autumn", "winter", "fall"),
    "modified": ("early", "mid", "late", "end", "beginning", "start"),
    "week-of": ("week of",),
    "vague": ("future", "term", "time being", "soon"),
    "vague-cued": ("the past", "the future"),
    "day-end": ("the day",),
    "unit-ref": ("in the day", "in the week", "in the month", "in the year", "entire", "whole", "full"),
    "unit-ref-after": tuple(f"{u} {w}" for u in ("day", "week", "month", "year") for w in ("previous", "prior", "earlier",
                                                                                     "before", "after")),
    "two-units": ("before last", "after next"),
    "clock-24": (":",),
    "every-weekday": ("every", "each", "days"),
    "short-year": ("'", "\u2019"),
    "duration-bare": ("years", "decades", "months", "weeks", "days", "hours", "minutes"),
    "set": ("annual", "weekly", "monthly", "quarterly", "daily", "yearly", "hourly", "nightly", "fortnightly"),
    "decade-word": ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"),
    "year-quarter": ("quarter",),
    "year-end": ("year-end", "year end", "year's end"),
    "from-now": ("from now", "from today"),
}  # fmt: skip
"""Words a rule cannot match without (lower case): skipping a rule whose words are absent saves a regex scan."""
_MONTH_STEMS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NEEDS_CASED: dict[str, tuple[str, ...]] = {
    "month-day": _MONTH_STEMS,
    "day-month": _MONTH_STEMS,
    "month-year": _MONTH_STEMS,
    "month": _MONTH_STEMS,
    "weekday": ("day",),
    "year": ("18", "19", "20"),
    "clock": tuple("0123456789"),
}
"""Text a rule cannot match without, as written: month and weekday names are matched capitalised only, and
years and clock times need their digits. Most sentences name no month, so most rules are skipped."""

DURATION_RULE = _Rule(
    "duration",
    _rx(
        rf"\b(?P<t>(?:(?i:the\s+(?:past|last|next|previous|coming|following)|(?:almost|nearly|about|more\s+than|over|"
        rf"less\s+than|some|around|just\s+over)|over)\s+)?(?:{NUM}(?:[-\s]+and[-\s]+a[-\s]+half)?[-\s]+(?:(?i:straight|"
        rf"consecutive|trading|full|long)\s+)?(?i:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|quarters?|"
        rf"century|centuries)(?:\s+and\s+a\s+half)?|(?i:half\s+an?|a\s+half)[-\s](?i:hour|day|year|century|decade)|"
        rf"(?i:the\s+(?:coming|next|past|last)\s+(?:days|weeks|months|years|decades))|"
        rf"(?i:decades|years)(?=\s+(?:of|ago|later|earlier))|(?i:a|the)\s+(?:decade|year|month|week)(?=\s+(?:of|ago|long))))\b"
    ),
)


DURATION_RULES: tuple[_Rule, ...] = (
    DURATION_RULE,
    _Rule(
        "duration-bare",
        _rx(
            r"\b(?i:for|in|over|within)\s+(?:(?i:just|only)\s+)?(?P<t>(?i:(?:the\s+)?(?:years|decades)|"
            r"months|weeks|days|hours|minutes))\b(?!\s+(?i:ago|of|later|earlier|before|after|to\s+come)\b|-)"
        ),
    ),
    _Rule(
        "set",
        _rx(
            r"\b(?P<t>(?i:annual|annually|weekly|monthly|quarterly|daily|yearly|hourly|nightly|fortnightly|biannual|"
            r"semiannual|biweekly))\b(?!-)"
        ),
    ),
)
"""Durations ('two years', 'for years', 'in minutes') and frequencies ('annual', 'weekly'), found on request."""


def find_time_expressions(text: str, *, durations: bool = False) -> list[Span]:
    """Find time phrases (dates, weekdays, relative and anchored phrases) in text, with character offsets.

    Rules are regular expressions, so the whole text is scanned in one pass per rule with no
    model. Where rules overlap, the longest phrase wins. Leading prepositions ("in", "on",
    "since") stay outside the span, as in TimeML. Durations ("for two years") are not dates of
    events; ask for them with `durations=True`.
    """
    candidates: list[tuple[int, int, str]] = []
    rules = (*RULES, *DURATION_RULES) if durations else RULES
    lower = text.lower()
    present: dict[str, bool] = {}
    for rule in rules:
        needs = _NEEDS.get(rule.kind)
        if needs is not None and not any(w in lower for w in needs):
            continue
        cased = _NEEDS_CASED.get(rule.kind)
        if cased is not None:
            ok = present.get(rule.kind)
            if ok is None:
                ok = present[rule.kind] = any(w in text for w in cased)
            if not ok:
                continue
        for m in rule.pattern.finditer(text):
            if rule.accept is not None and not rule.accept(m, text):
                continue
            start, end = m.span("t") if m.group("t") is not None else m.span("t2")
            candidates.append((start, end, rule.kind))
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    # Longest first; the phrases kept never overlap, so sorted by start their ends are sorted too and one
    # bisection finds the only neighbours a candidate can clash with (a text of thousands of dates stays linear).
    starts: list[int] = []
    ends: list[int] = []
    for start, end, _kind in candidates:
        i = bisect.bisect_right(starts, start)
        if (i and ends[i - 1] > start) or (i < len(starts) and starts[i] < end):
            continue
        starts.insert(i, start)
        ends.insert(i, end)
    return [Span(text=text[s:e], start=s, end=e) for s, e in zip(starts, ends, strict=True)]
