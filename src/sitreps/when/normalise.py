"""Normalise a time phrase against the publication date into an inclusive DateInterval with ACLED precision.

Choices (documented here because callers and analysts rely on them):

- Precision: 1 day, 2 a few days or a week, 3 month (or a vaguer span up to a season), 4 year or longer.
- An impossible date ("31 February") is not dropped: `normalise` returns a DateInterval with
  start/end None, resolved=False and rule "invalid: 31 February does not exist", so the phrase
  and the reason are kept for the analyst.
- With no publication date, relative phrases return resolved=False with rule
  "relative phrase needs a publication date" (precision still set); absolute dates with a year resolve.
- A weekday ("on Friday") is the most recent such day on or before publication; when it IS the
  publication weekday, news usage means that very day. "last Friday" is strictly before it.
- A month without a year is the most recent such month not after the publication month; a day and
  month without a year ("June 3") the most recent one not after publication plus a 31-day grace, since
  reporters add the year when the date is not the nearby one.
- Future wording in the context sentence ("will", "is expected to", "scheduled") turns these
  searches forwards.
- Anchored phrases ("two days later", "the day before", "that morning", "the same period last year",
  "a year earlier") count from the latest date the narrative named that is fine enough for their
  unit (a year named says nothing about which day), else from publication. A bare clock time takes
  the day named in its own sentence.
- "the past week/year/decade" (and "the last decade") is the stretch of that length up to publication
  (TimeML: a duration); "last week/year" the calendar unit before. Ranges ("from 2009 to 2011") are one interval.
- A date that opens its clause takes the tense of the verb after it ("On Monday, the envoy will arrive").
- A date outside the years 1-9999 ("10000 years ago") is kept unresolved like an impossible one, with the reason.
- Recurring times ("every Friday", "on Mondays") are TimeML SETs: unresolved, rule "recurring: ...".
"""

from __future__ import annotations

import calendar
import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from sitreps.model import DateInterval
from sitreps.when.phrases import MONTHS, WEEKDAYS, number_value

MONTH_NAMES = frozenset(calendar.month_name[1:])

NEEDS_PUBLISHED = "relative phrase needs a publication date"
_PLACEHOLDER = date(2001, 6, 15)
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON_CODE = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_PART_CODE = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4}
_FUTURE = re.compile(
    r"\b(?:will|shall|won't|is\s+to|are\s+to|(?:is|are|was|were)\s+(?:expected|scheduled|due|set|slated|going)\s+to|"
    r"scheduled|upcoming|(?:plans?|intends?|wants?|hopes?|aims?|seeks?|expects?|vows?|threatens?)\s+to|planned|"
    r"should|would|next)\b|\b(?:until|till)\s+$",
    re.IGNORECASE,
)


class _NeedsPublishedError(Exception):
    """Raised inside a rule that needs the publication date when there is none."""


class _VagueError(Exception):
    """Raised inside a rule for a vague reference (the future, the past) that has no date."""


class _RecurringError(Exception):
    """Raised inside a rule for a recurring time (every Monday): a TimeML SET, no single date."""


class _InvalidDateError(Exception):
    """Raised inside a rule when the phrase names a date that does not exist."""


class _NotThisRuleError(Exception):
    """Raised inside a rule whose pattern matched text it does not read after all; the next rule is tried."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a rule made of a phrase: the interval and its TIMEX3 value."""

    interval: DateInterval
    timex: str | None


@dataclass(frozen=True, slots=True)
class _Ctx:
    published_or_none: date | None
    future: bool
    anchors: tuple[tuple[date, date, int], ...] = ()
    """Dates named earlier in the narrative (start, end, precision), the most recent last."""

    @property
    def pub(self) -> date:
        if self.published_or_none is None:
            raise _NeedsPublishedError
        return self.published_or_none

    @property
    def anchor_or_none(self) -> date | None:
        return self.anchors[-1][0] if self.anchors else None

    @property
    def anchor(self) -> date:
        return self.anchors[-1][0] if self.anchors else self.pub

    def anchor_at(self, precision: int) -> date | None:
        """The latest anchor known at least to `precision` (a year says nothing about which day), else None."""
        return next((d for d, _e, p in reversed(self.anchors) if p <= precision), None)

    def base(self, precision: int) -> date:
        """The anchor when it is fine enough for a count in units of `precision`, else the publication date."""
        found = self.anchor_at(precision)
        return found if found is not None else self.pub


@dataclass(frozen=True, slots=True)
class _Out:
    start: date
    end: date
    precision: int
    rule: str
    timex: str | None


_Handler = Callable[[re.Match[str], _Ctx], _Out]
_RULES: list[tuple[re.Pattern[str], _Handler]] = []


def _rule(pattern: str) -> Callable[[_Handler], _Handler]:
    def register(fn: _Handler) -> _Handler:
        _RULES.append((re.compile(pattern, re.IGNORECASE), fn))
        return fn

    return register


# ---------------------------------------------------------------- calendar helpers


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _shift(d: date, n: int, unit: str) -> date:
    """Move a date by n units (negative for the past), clamping the day to the target month."""
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(weeks=n)
    months = n * {"month": 1, "year": 12, "decade": 120}[unit]
    y, m = _add_months(d.year, d.month, months)
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _valid(y: int, m: int, d: int, text: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        if not 1 <= m <= 12:
            raise _InvalidDateError(f"invalid: {text} names month {m}; months run 1-12") from None
        raise _InvalidDateError(f"invalid: {d} {calendar.month_name[m]} does not exist") from None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _week_timex(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _span_precision(start: date, end: date) -> int:
    days = (end - start).days + 1
    return 1 if days <= 1 else 2 if days <= 7 else 3 if days <= 31 else 4 if days > 122 else 3


def _day(d: date, rule: str, precision: int = 1) -> _Out:
    return _Out(d, d, precision, rule, d.isoformat())


def _month(y: int, m: int, rule: str) -> _Out:
    return _Out(date(y, m, 1), _month_end(y, m), 3, rule, f"{y:04d}-{m:02d}")


def _year(y: int, rule: str) -> _Out:
    return _Out(date(y, 1, 1), date(y, 12, 31), 4, rule, f"{y:04d}")


def _number(word: str) -> int | None:
    """Turn '3', 'three', 'a' into an int; None for vague counts ('few', 'several')."""
    return number_value(word)


def _unit(word: str) -> str:
    return word.lower().rstrip("s")


def _month_no(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _pick_month_year(m: int, ctx: _Ctx, which: str | None) -> int:
    """The year of a month named without one: last = strictly before, next = strictly after, else tense decides."""
    p = ctx.pub
    if which == "last":
        return p.year if m < p.month else p.year - 1
    if which == "next":
        return p.year if m > p.month else p.year + 1
    if which == "this":
        return p.year
    if ctx.future:
        return p.year if m >= p.month else p.year + 1
    return p.year if m <= p.month else p.year - 1


def _modify(start: date, end: date, mod: str | None) -> tuple[date, date]:
    """Narrow a month to its early (1-10), mid (11-20) or late (21-end) part."""
    if not mod:
        return start, end
    mod = mod.lower()
    if mod in ("early", "beginning of", "start of"):
        return start, start.replace(day=10)
    if mod in ("mid", "middle of"):
        return start.replace(day=11), start.replace(day=20)
    return start.replace(day=21), end


def _modify_year(y: int, mod: str) -> tuple[date, date]:
    """Narrow a year: early/beginning Jan-Mar, mid May-Aug, late/end Oct-Dec."""
    mod = mod.lower()
    if mod in ("early", "beginning of", "start of"):
        return date(y, 1, 1), date(y, 3, 31)
    if mod in ("mid", "middle of"):
        return date(y, 5, 1), date(y, 8, 31)
    return date(y, 10, 1), date(y, 12, 31)


def _clean_mod(mod: str | None) -> str | None:
    if mod is None:
        return None
    return re.sub(r"^the\s+|\s+", " ", mod.lower()).strip().replace("  ", " ")


# ---------------------------------------------------------------- rules: absolute

_MONTH_RX = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY_RX = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RX = r"(?P<year>\d{4})"
_WD_RX = r"(?:(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"


@_rule(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
def _iso(m: re.Match[str], ctx: _Ctx) -> _Out:
    return _day(_valid(int(m["year"]), int(m["month"]), int(m["day"]), m[0]), "ISO date")


def _pick_day_year(mo: int, d: int, ctx: _Ctx, text: str) -> date:
    """The year of a day and month named without one: most recent not after publication + 31 days."""
    p = ctx.pub
    found: list[date] = []
    for y in (p.year - 1, p.year, p.year + 1):
        try:
            found.append(date(y, mo, d))
        except ValueError:
            continue
    if not found:
        _valid(2001, mo, d, text)
    if ctx.future:
        after = [c for c in found if c >= p]
        if after:
            return after[0]
    before = [c for c in found if c <= p + timedelta(days=31)]
    return before[-1] if before else found[0]


def _absolute(mo: int, d: int, year: str | None, ctx: _Ctx, text: str) -> _Out:
    if year:
        return _day(_valid(int(year), mo, d, text), "date with day, month and year")
    _valid(2000, mo, d, text)  # leap year: rejects 31 February, keeps 29 February
    day = _pick_day_year(mo, d, ctx, text)
    return _day(day, "day and month without year: the nearest one not after publication (31-day grace)")


@_rule(rf"{_WD_RX}{_MONTH_RX}\s+{_DAY_RX}(?:\s*,?\s*{_YEAR_RX})?")
def _month_day(m: re.Match[str], ctx: _Ctx) -> _Out:
    return _absolute(_month_no(m["month"]), int(m["day"]), m["year"], ctx, m[0])


@_rule(rf"{_WD_RX}(?:the\s+)?{_DAY_RX}(?:\s+of)?\s+{_MONTH_RX}(?:\s*,?\s*{_YEAR_RX})?")
def _day_month(m: re.Match[str], ctx: _Ctx) -> _Out:
    return _absolute(_month_no(m["month"]), int(m["day"]), m["year"], ctx, m[0])


@_rule(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})")
def _numeric(m: re.Match[str], ctx: _Ctx) -> _Out:
    """d/m/y or m/d/y: an impossible reading loses; when both exist, the one nearest before publication wins."""
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if y < 100:
        y += 2000 if y < 70 else 1900
    readings: list[date] = []
    for mo, d in ((b, a), (a, b)):
        try:
            readings.append(date(y, mo, d))
        except ValueError:
            continue
    if not readings:
        raise _InvalidDateError(f"invalid: {m[0]} is not a date in day/month or month/day order")
    if len(readings) == 2 and readings[0] != readings[1]:
        p = ctx.published_or_none
        if p is None:
            raise _NeedsPublishedError
        past = [r for r in readings if r <= p]
        best = max(past) if past else min(readings)
        return _day(best, "numeric date, ambiguous order: the reading nearest before publication")
    return _day(readings[0], "numeric date")


@_rule(rf"{_MONTH_RX},?\s+(?:of\s+)?{_YEAR_RX}")
def _month_year(m: re.Match[str], ctx: _Ctx) -> _Out:
    return _month(int(m["year"]), _month_no(m["month"]), "month and year")


@_rule(rf"(?P<mod>early|mid|late|the\s+(?:end|beginning|start|middle)\s+of)[-\s]+{_MONTH_RX}(?:,?\s+{_YEAR_RX})?")
def _modified_month(m: re.Match[str], ctx: _Ctx) -> _Out:
    mo = _month_no(m["month"])
    y = int(m["year"]) if m["year"] else _pick_month_year(mo, ctx, None)
    mod = _clean_mod(m["mod"])
    start, end = _modify(date(y, mo, 1), _month_end(y, mo), mod)
    return _Out(start, end, 2, f"{mod} <month>: days {start.day}-{end.day}", f"{y:04d}-{mo:02d}")


@_rule(rf"{_MONTH_RX},?\s+(?:of\s+)?(?P<which>next|last|this|the\s+following|the\s+previous)\s+year")
def _month_of_rel_year(m: re.Match[str], ctx: _Ctx) -> _Out:
    which = m["which"].lower().replace("the ", "").strip()
    n = {"next": 1, "following": 1, "last": -1, "previous": -1, "this": 0}[which]
    base = ctx.base(4) if which in ("following", "previous") else ctx.pub
    return _month(base.year + n, _month_no(m["month"]), f"<month> of {which} year")


@_rule(rf"(?:the\s+)?(?P<nth>first|second|third|fourth|fifth|last|final)\s+week\s+of\s+{_MONTH_RX}(?:,?\s+{_YEAR_RX})?")
def _week_of_month(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'the last week of March': ISO weeks belong to the month holding their Thursday."""
    mo = _month_no(m["month"])
    y = int(m["year"]) if m["year"] else _pick_month_year(mo, ctx, None)
    thursdays = [
        d for d in (date(y, mo, 1) + timedelta(days=i) for i in range(31)) if d.month == mo and d.weekday() == 3
    ]
    nth = m["nth"].lower()
    k = len(thursdays) - 1 if nth in ("last", "final") else min(_ORDINAL_WEEK[nth], len(thursdays)) - 1
    mon = _monday(thursdays[k])
    return _Out(mon, mon + timedelta(days=6), 2, f"the {nth} week of a month (ISO weeks)", _week_timex(mon))


_ORDINAL_WEEK = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


@_rule(rf"(?P<which>last|this|next|past)?\s*{_MONTH_RX}")
def _bare_month(m: re.Match[str], ctx: _Ctx) -> _Out:
    mo = _month_no(m["month"])
    which = (m["which"] or "").lower() or None
    which = "last" if which == "past" else which
    y = _pick_month_year(mo, ctx, which)
    if which:
        return _month(y, mo, f"{which} <month>: the month {'before' if which == 'last' else 'of'} publication")
    if ctx.future:
        return _month(y, mo, "month without year, future wording: the next such month")
    return _month(y, mo, "month without year: the most recent such month not after publication")


_RANGE_SEP = r"\s*(?:-|\u2013|to|until|till|through|and)\s*"


@_rule(rf"(?:between\s+)?(?P<y1>\d{{4}}){_RANGE_SEP}(?P<y2>\d{{4}}|\d\d)")
def _year_range(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'from 2009 to 2011', '2014-16': the years from the first to the last; TimeML values it as a duration."""
    y1, y2 = int(m["y1"]), int(m["y2"])
    if y2 < 100:
        y2 += y1 // 100 * 100
    if y2 <= y1 or (" and " in m[0].lower() and not m[0].lower().startswith("between")):
        raise _NotThisRuleError
    return _Out(date(y1, 1, 1), date(y2, 12, 31), 4, "range of years", f"P{y2 - y1}Y")


@_rule(
    rf"(?:between\s+)?{_MONTH_RX}(?:\s+(?P<y1>\d{{4}}))?{_RANGE_SEP}"
    rf"(?P<month2>[a-z]+)\.?(?:,?\s+(?:of\s+)?(?P<y2>\d{{4}}))?"
)
def _month_range(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'from March to May 2016', 'between September and October': first to last month (a duration in TimeML)."""
    m2 = MONTHS.get(m["month2"].lower())
    if m2 is None or (" and " in m[0].lower() and not m[0].lower().startswith("between")):
        raise _NotThisRuleError
    m1 = _month_no(m["month"])
    y2 = int(m["y2"]) if m["y2"] else _pick_month_year(m2, ctx, None)
    y1 = int(m["y1"]) if m["y1"] else (y2 if m1 <= m2 else y2 - 1)
    start, end = date(y1, m1, 1), _month_end(y2, m2)
    if end < start:
        raise _NotThisRuleError
    n = (y2 - y1) * 12 + m2 - m1
    return _Out(start, end, 3 if n < 4 else 4, "range of months", f"P{n}M")


@_rule(rf"(?:the\s+)?(?:year\s+)?{_YEAR_RX}")
def _bare_year(m: re.Match[str], ctx: _Ctx) -> _Out:
    return _year(int(m["year"]), "year")


@_rule(rf"(?P<mod>early|mid|late|the\s+(?:end|beginning|start|middle)\s+of)[-\s]+{_YEAR_RX}")
def _modified_year(m: re.Match[str], ctx: _Ctx) -> _Out:
    mod = _clean_mod(m["mod"]) or ""
    y = int(m["year"])
    start, end = _modify_year(y, mod)
    return _Out(start, end, 3, f"{mod} <year>: {start:%B}-{end:%B}", f"{y:04d}")


@_rule(r"(?:the\s+)?(?:(?P<mod>early|mid|late)[-\s]+)?(?:(?P<c>1[89]|20)(?P<d>\d)0s|'?(?P<d2>[1-9])0s)")
def _decade(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'the 1990s' (TimeML 199); 'the early/mid/late 1990s' the first, middle or last four years of it."""
    century = int(m["c"]) if m["c"] else 19
    y = century * 100 + int(m["d"] or m["d2"]) * 10
    mod = (m["mod"] or "").lower()
    first, last = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(mod, (0, 9))
    rule = f"{mod + ' ' if mod else ''}decade"
    return _Out(date(y + first, 1, 1), date(y + last, 12, 31), 4, rule, f"{y // 10:03d}")


@_rule(
    r"(?:the\s+)?(?:(?P<q>first|second|third|fourth)[-\s]+quarter\s+of\s+)?(?:fiscal|fy)(?:\s+year)?\s*(?P<year>\d{4}|'?\d\d)"
    r"(?:\s+(?P<q2>first|second|third|fourth)[-\s]+quarter)?|"
    r"(?:the\s+)?(?P<which>current|this|last|next|previous|past)?\s*fiscal\s+year|"
    r"(?:the\s+)?(?P<year3>\d{4})\s+fiscal\s+year|(?:the\s+)?fiscal\s+(?P<q3>first|second|third|fourth)[-\s]+quarter"
)
def _fiscal(m: re.Match[str], ctx: _Ctx) -> _Out:
    """Fiscal years (TimeML FY1998); the interval is the calendar year, since fiscal calendars differ by body."""
    if m["year"] or m["year3"]:
        y = int((m["year"] or m["year3"]).lstrip("'"))
        if y < 100:
            y += 2000 if y < 70 else 1900
    else:
        which = (m["which"] or "").lower()
        y = ctx.pub.year + {"last": -1, "previous": -1, "past": -1, "next": 1}.get(which, 0)
    q = _ORDINAL.get((m["q"] or m["q2"] or m["q3"] or "").lower())
    if q:
        out = _quarter_out(y, q, "quarter of a fiscal year (calendar quarters assumed)")
        return replace(out, timex=f"FY{y:04d}-Q{q}")
    return replace(_year(y, "fiscal year (the calendar year assumed)"), timex=f"FY{y:04d}")


@_rule(
    r"(?:the\s+)?(?P<h>first|second|latter)\s+half(?:\s+of\s+(?:(?P<which>this|last|next|the)\s+year|(?P<year>\d{4})))?"
)
def _half(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'the first half of 2016' (TimeML 2016-H1); without a year, the publication year."""
    y = int(m["year"]) if m["year"] else ctx.pub.year + {"last": -1, "next": 1}.get((m["which"] or "").lower(), 0)
    h = 1 if m["h"].lower() == "first" else 2
    start = date(y, 1 if h == 1 else 7, 1)
    end = _month_end(y, 6 if h == 1 else 12)
    return _Out(start, end, 4, "half of a year", f"{y:04d}-H{h}")


_HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
             "new year's eve": (12, 31), "new year": (1, 1), "boxing day": (12, 26)}  # fmt: skip


@_rule(r"(?P<h>christmas(?:\s+day|\s+eve)?|new\s+year'?s?(?:\s+day|\s+eve)?|boxing\s+day)(?:\s*,?\s*(?P<year>\d{4}))?")
def _holiday(m: re.Match[str], ctx: _Ctx) -> _Out:
    """Fixed-date holidays: the one nearest before publication (31-day grace) unless a year is given."""
    name = (
        re.sub(r"\s+", " ", m["h"].lower()).replace("new years", "new year's").replace("new year day", "new year's day")
    )
    mo, d = _HOLIDAYS.get(name, (1, 1))
    if m["year"]:
        return _day(date(int(m["year"]), mo, d), "holiday with year")
    return _day(_pick_day_year(mo, d, ctx, m[0]), "holiday: the nearest one not after publication (31-day grace)")


_CENTURY_WORDS = {"this": 0, "the current": 0, "last": -1, "the last": -1, "the previous": -1, "the past": -1,
                  "next": 1, "the next": 1, "the coming": 1}  # fmt: skip


@_rule(
    r"(?:the\s+)?(?P<nth>\d{1,2})(?:st|nd|rd|th)\s+century|(?P<which>this|the\s+current|last|the\s+last|the\s+previous|"
    r"the\s+past|next|the\s+next|the\s+coming)\s+century|the\s+turn\s+of\s+the\s+century"
)
def _century(m: re.Match[str], ctx: _Ctx) -> _Out:
    """Centuries (TimeML '19' for the 1900s); 'the turn of the century' the years either side of the nearest one."""
    if m["nth"]:
        c = int(m["nth"]) - 1
    elif m["which"]:
        c = ctx.pub.year // 100 + _CENTURY_WORDS[re.sub(r"\s+", " ", m["which"].lower())]
    else:
        y = (ctx.pub.year + 50) // 100 * 100
        return _Out(date(y - 3, 1, 1), date(y + 2, 12, 31), 4, "the turn of the century: three years either side", None)
    return _Out(date(max(c * 100, 1), 1, 1), date(c * 100 + 99, 12, 31), 4, "century", f"{c:02d}")


# ---------------------------------------------------------------- rules: weekdays and clock times


def _weekday_date(wd: int, ctx: _Ctx, which: str | None) -> tuple[date, str]:
    p = ctx.pub
    back = (p.weekday() - wd) % 7
    if which == "last":
        back = back or 7
        return p - timedelta(days=back), "last <weekday>: the most recent one strictly before publication"
    if which == "next":
        fwd = (wd - p.weekday()) % 7 or 7
        return p + timedelta(days=fwd), "next <weekday>: the first one after publication"
    if which == "this":
        return _monday(p) + timedelta(days=wd), "this <weekday>: that day in the publication week"
    if ctx.future and back:
        fwd = (wd - p.weekday()) % 7
        return p + timedelta(days=fwd), "weekday, future wording: the next such day"
    return p - timedelta(days=back), "weekday: the most recent such day, publication day included"


@_rule(
    r"(?P<which>this\s+past|last|this|next|early|late)?\s*(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
)
def _weekday(m: re.Match[str], ctx: _Ctx) -> _Out:
    which = re.sub(r"this\s+past", "last", (m["which"] or "").lower())
    d, rule = _weekday_date(WEEKDAYS[m["weekday"].lower()], ctx, which if which in ("last", "this", "next") else None)
    part = (m["part"] or "").lower()
    return _Out(d, d, 1, rule, d.isoformat() + (f"T{_PART_CODE[part]}" if part else ""))


@_rule(
    r"(?P<h>\d{1,2})(?:[:.]?(?P<mi>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<z>utc|gmt)?"
    r"(?:\s*\(\s*(?:gmt|utc)\s*[+-]\s*\d+\s*\))?(?:\s+(?:[ecmp][sd]t|bst|cest|cet|eest|eet|msk|ist|jst|local\s+time))?"
    r"(?:\s+(?:on\s+)?(?P<rest>\w+))?"
)
def _clock(m: re.Match[str], ctx: _Ctx) -> _Out:
    if not (m["ampm"] or m["z"]) and not (m["mi"] and ":" in m[0]):
        raise _NotThisRuleError  # '14:30' is a 24-hour clock; '1530' or '20.16' alone are not
    if int(m["h"]) > 23:
        raise _InvalidDateError(f"invalid: {m[0]} is not a clock time")
    h, mi = int(m["h"]), int(m["mi"] or 0)
    if m["ampm"] and not 1 <= h <= 12:
        raise _InvalidDateError(f"invalid: {m[0]} is not a clock time (a.m./p.m. hours run 1-12)")
    if m["ampm"] and m["ampm"].lower().startswith("p") and h < 12:
        h += 12
    elif m["ampm"] and h == 12:
        h = 0  # 12 a.m. is midnight
    if h > 23:
        raise _InvalidDateError(f"invalid: {m[0]} is not a clock time")
    rest = (m["rest"] or "").lower()
    if rest in WEEKDAYS:
        d, _ = _weekday_date(WEEKDAYS[rest], ctx, None)
    elif rest in ("yesterday", "tomorrow"):
        d = ctx.pub + timedelta(days=-1 if rest == "yesterday" else 1)
    else:
        d = ctx.base(1)
    return _Out(
        d,
        d,
        1,
        "clock time: on the day named beside it, else the publication day",
        f"{d}T{h:02d}:{mi:02d}" + ("Z" if m["z"] else ""),
    )


@_rule(
    r"(?:every|each)\s+(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?|"
    r"(?P<wd2>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s"
)
def _every_weekday(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'every Friday', 'on Fridays': a TimeML SET (XXXX-WXX-5) with no single date."""
    wd = WEEKDAYS[(m["wd"] or m["wd2"]).lower()] + 1
    part = _PART_CODE.get((m["part"] or "").lower())
    raise _RecurringError(f"XXXX-WXX-{wd}" + (f"T{part}" if part else ""))


@_rule(r"(?P<w>noon|midday|midnight)(?:\s+(?:on\s+)?(?P<rest>\w+))?")
def _noon(m: re.Match[str], ctx: _Ctx) -> _Out:
    """Noon and midnight (TimeML T12:00, T24:00) on the day named after them, else as a bare clock time."""
    rest = (m["rest"] or "").lower()
    if rest in WEEKDAYS:
        d, _ = _weekday_date(WEEKDAYS[rest], ctx, None)
    elif rest in ("yesterday", "tomorrow", "today"):
        d = ctx.pub + timedelta(days={"yesterday": -1, "tomorrow": 1, "today": 0}[rest])
    elif rest:
        raise _NotThisRuleError
    else:
        d = ctx.base(1)
    clock = "24:00" if m["w"].lower() == "midnight" else "12:00"
    return _Out(d, d, 1, f"{m['w'].lower()}: on the day named beside it, else the publication day", f"{d}T{clock}")


# ---------------------------------------------------------------- rules: deictic


@_rule(r"today|tonight|this\s+(?P<part>morning|afternoon|evening)|(?:earlier|later)\s+today")
def _today(m: re.Match[str], ctx: _Ctx) -> _Out:
    d = ctx.pub
    part = "NI" if m[0].lower() == "tonight" else _PART_CODE.get((m["part"] or "").lower())
    return _Out(d, d, 1, "today: the publication day", d.isoformat() + (f"T{part}" if part else ""))


@_rule(r"(?P<w>yesterday|tomorrow)(?:\s+(?P<part>morning|afternoon|evening|night))?")
def _yesterday(m: re.Match[str], ctx: _Ctx) -> _Out:
    back = m["w"].lower() == "yesterday"
    d = ctx.pub + timedelta(days=-1 if back else 1)
    part = _PART_CODE.get((m["part"] or "").lower())
    rule = "yesterday: the day before publication" if back else "tomorrow: the day after publication"
    return _Out(d, d, 1, rule, d.isoformat() + (f"T{part}" if part else ""))


@_rule(r"the\s+day\s+(?P<w>before\s+yesterday|after\s+tomorrow)")
def _two_days(m: re.Match[str], ctx: _Ctx) -> _Out:
    d = ctx.pub + timedelta(days=-2 if m["w"].lower().startswith("before") else 2)
    return _day(d, "two days from publication")


@_rule(r"last\s+night|overnight")
def _last_night(m: re.Match[str], ctx: _Ctx) -> _Out:
    d = ctx.pub - timedelta(days=1)
    return _Out(d, d, 1, "overnight / last night: the night before publication, dated to its first day", f"{d}TNI")


@_rule(
    r"now|right\s+now|just\s+now|currently|at\s+present|current|ongoing|nowadays|these\s+days|"
    r"(?:at\s+)?the\s+(?:moment|present(?:\s+time)?)|present(?:\s+day)?|the\s+time\s+being|today'?s"
)
def _now(m: re.Match[str], ctx: _Ctx) -> _Out:
    d = ctx.pub
    return _Out(d, d, 1, "present reference: the publication day", "PRESENT_REF")


@_rule(
    r"(?:more\s+|most\s+)?recently|lately|the\s+other\s+day|recent|(?:the\s+)?(?:most\s+)?recent\s+(?P<u>days|weeks|months|years)"
)
def _recent(m: re.Match[str], ctx: _Ctx) -> _Out:
    p = ctx.pub
    back = {"days": 6, "weeks": 30, "months": 182, "years": 1826}.get((m["u"] or "").lower(), 30)
    start = p - timedelta(days=back)
    return _Out(start, p, _span_precision(start, p), f"recent: the {back} days up to publication", "PAST_REF")


@_rule(
    r"(?P<fut>(?:the\s+)?(?:(?:near|foreseeable|distant|immediate)\s+)?(?:future|long\s+term|near\s+term|short\s+term|long-term|short-term)|(?:very\s+)?soon|later|"
    r"in\s+due\s+course)|(?P<past>the\s+past|history|in\s+the\s+past|formerly)"
)
def _vague_ref(m: re.Match[str], ctx: _Ctx) -> _Out:
    """Vague future/past references carry no date; kept so the phrase is not read as something else."""
    raise _VagueError("FUTURE_REF" if m["fut"] else "PAST_REF")


@_rule(r"'(?P<yy>\d\d)")
def _short_year(m: re.Match[str], ctx: _Ctx) -> _Out:
    yy = int(m["yy"])
    base = ctx.published_or_none.year if ctx.published_or_none else 2000
    y = 2000 + yy if 2000 + yy <= base else 1900 + yy
    return _year(y, "two-digit year: the latest one not after publication")


@_rule(r"so\s+far\s+this\s+year")
def _ytd(m: re.Match[str], ctx: _Ctx) -> _Out:
    p = ctx.pub
    return _Out(date(p.year, 1, 1), p, 4, "this year up to publication", f"{p.year:04d}")


# ---------------------------------------------------------------- rules: relative units


_SPAN_DAYS = {"week": 7, "month": 30, "year": 365, "decade": 3652}
_SPAN_CODE = {"week": "P1W", "month": "P1M", "year": "P1Y", "decade": "P10Y"}


def _span_back(p: date, u: str) -> _Out:
    """'the past week', 'the past year': the stretch of that length ending at publication (TimeML: a duration)."""
    start = p - timedelta(days=_SPAN_DAYS[u] - 1)
    return _Out(start, p, _span_precision(start, p), f"the past {u}: the {u} up to publication", _SPAN_CODE[u])


@_rule(
    r"(?P<which>this|last|next|past|previous|coming|current|the\s+(?:past|previous|prior|last|following|next|coming)|"
    r"this\s+past)\s+(?P<u>week|month|quarter|year|decade)"
)
def _rel_unit(m: re.Match[str], ctx: _Ctx) -> _Out:
    which = m["which"].lower().replace("the ", "").replace("this past", "last").replace("prior", "previous").strip()
    u = m["u"].lower()
    p = ctx.pub
    if u == "quarter":
        if "past" in m["which"].lower() and "this" not in m["which"].lower():
            raise _NotThisRuleError  # 'the past quarter' is a duration
        step = {"this": 0, "current": 0, "last": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}[which]
        base = ctx.base(3) if which in ("previous", "following") else p
        k = base.year * 4 + (base.month - 1) // 3 + step
        return _quarter_out(k // 4, k % 4 + 1, f"{which} quarter: the calendar quarter")
    if re.match(r"the\s+past", m["which"], re.IGNORECASE) or (
        u == "decade" and which == "last" and "the" in m["which"]
    ):
        return _span_back(p, u)  # 'the last decade', like 'the past decade', is the ten years up to publication
    if which in ("following", "previous"):
        p = ctx.base(_UNIT_PRECISION[u])
    n = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}[which]
    if u == "week":
        mon = _monday(p) + timedelta(weeks=n)
        end = p if n == 0 else mon + timedelta(days=6)
        return _Out(
            mon,
            end,
            2,
            f"{which} week: Monday-Sunday week ({'up to publication' if n == 0 else 'calendar'})",
            _week_timex(mon),
        )
    if u == "month":
        y, mo = _add_months(p.year, p.month, n)
        out = _month(y, mo, f"{which} month: calendar month")
        if n == 0:
            return _Out(out.start, p, _span_precision(out.start, p), "this month: up to publication", out.timex)
        return out
    if u == "year":
        y = p.year + n
        if n == 0:
            return _Out(date(y, 1, 1), p, 4, "this year: up to publication", f"{y:04d}")
        return _year(y, f"{which} year: calendar year")
    first = (p.year // 10 + n) * 10
    start, end = date(first, 1, 1), (p if n == 0 else date(first + 9, 12, 31))
    return _Out(start, end, 4, f"{which} decade: the calendar decade", f"{first // 10:03d}")


@_rule(
    r"(?P<mod>earlier|later|early|late|the\s+(?:end|beginning|start|middle)\s+of)\s+(?:in\s+)?(?P<which>this|last|next|the)\s+(?P<u>week|month|year)"
)
def _mod_rel_unit(m: re.Match[str], ctx: _Ctx) -> _Out:
    mod = _clean_mod(m["mod"]) or ""
    which = m["which"].lower()
    u = m["u"].lower()
    p = ctx.pub
    n = {"this": 0, "the": 0, "last": -1, "next": 1}[which]
    if u == "week":
        mon = _monday(p) + timedelta(weeks=n)
        sun = mon + timedelta(days=6)
        if mod == "earlier" and n == 0:
            start, end = mon, max(mon, p - timedelta(days=1))  # earlier than the day of the report
        elif mod in ("early", "beginning of", "start of"):
            start, end = mon, mon + timedelta(days=2)
        elif mod in ("late", "end of"):
            start, end = mon + timedelta(days=3), sun
        else:
            start, end = mon, sun
        return _Out(start, end, 2, f"{mod} {which} week", _week_timex(mon))
    if u == "month":
        y, mo = _add_months(p.year, p.month, n)
        first, last = date(y, mo, 1), _month_end(y, mo)
        if mod == "earlier" and n == 0:
            start, end = first, p
            return _Out(
                start,
                end,
                2 if (end - start).days < 7 else 3,
                "earlier this month: from the 1st to publication",
                f"{y:04d}-{mo:02d}",
            )
        if mod == "later" and n == 0:
            start, end = p, last
        else:
            start, end = _modify(first, last, mod)
        return _Out(start, end, 2, f"{mod} {which} month: days {start.day}-{end.day}", f"{y:04d}-{mo:02d}")
    y = p.year + n
    if mod == "earlier" and n == 0:
        start, end = date(y, 1, 1), p
        return _Out(
            start, end, _span_precision(start, end), "earlier this year: from 1 January to publication", f"{y:04d}"
        )
    if mod == "later" and n == 0:
        return _Out(p, date(y, 12, 31), 4, "later this year: from publication to 31 December", f"{y:04d}")
    start, end = _modify_year(y, mod)
    return _Out(start, end, 3, f"{mod} {which} year: {start:%B}-{end:%B}", f"{y:04d}")


@_rule(r"the\s+(?P<u>day|week|weekend|month|year)\s+(?P<w>before\s+last|after\s+next)")
def _two_units(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'the week before last', 'the year after next': two calendar units from publication."""
    u, back = m["u"].lower(), m["w"].lower().startswith("before")
    p, sign = ctx.pub, -1 if back else 1
    rule = f"the {u} {m['w'].lower()}: two units from publication"
    if u == "weekend":
        sat = _monday(p) + timedelta(days=5, weeks=2 * sign)  # one weekend past 'last weekend' / 'next weekend'
        return _Out(sat, sat + timedelta(days=1), 2, rule, f"{_week_timex(sat)}-WE")
    if u == "day":
        return _day(p + timedelta(days=2 * sign), rule)
    if u == "week":
        return _unit_of(p + timedelta(weeks=2 * sign), "week", rule)
    if u == "month":
        y, mo = _add_months(p.year, p.month, 2 * sign)
        return _month(y, mo, rule)
    return _year(p.year + 2 * sign, rule)


@_rule(r"(?P<which>this\s+past|this|last|next|the|the\s+past)\s+weekend")
def _weekend(m: re.Match[str], ctx: _Ctx) -> _Out:
    p = ctx.pub
    which = re.sub(r"\s+", " ", m["which"].lower())
    which = "last" if which in ("this past", "the past") else which
    sat = _monday(p) + timedelta(days=5)
    if which == "last" or (which in ("the", "this") and not ctx.future and sat > p):
        sat -= timedelta(weeks=1)
    elif which == "next":
        sat += timedelta(weeks=1)
    return _Out(sat, sat + timedelta(days=1), 2, f"{which} weekend: Saturday-Sunday", f"{_week_timex(sat)}-WE")


# ---------------------------------------------------------------- rules: counted offsets

_NUM_RX = (
    r"(?P<n>\d{1,6}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|"
    r"seven|eight|nine))?|(?:a|one)\s+hundred|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+few|few|several|"
    r"a\s+couple(?:\s+of)?|couple\s+of)"
)
_APPROX_RX = r"(?:(?P<approx>more\s+than|less\s+than|about|nearly|almost|some|over|around|just\s+over|only)\s+)?"


def _offset(base: date, count: str, unit: str, sign: int, what: str) -> _Out:
    """base moved by a counted unit, at the unit's precision; vague counts ('several') become a range."""
    n = 2 if "couple" in count.lower() else _number(count)
    if n is None:
        lo, hi = 2, 7
        a, b = _shift(base, sign * lo, unit), _shift(base, sign * hi, unit)
        start, end = min(a, b), max(a, b)
        return _Out(start, end, _span_precision(start, end), f"{count} {unit}s {what}: a range", None)
    d = _shift(base, sign * n, unit)
    if unit == "day":
        return _day(d, f"{n} day(s) {what}")
    if unit == "week":
        return _Out(
            d - timedelta(days=3), d + timedelta(days=3), 2, f"{n} week(s) {what}, within 3 days", d.isoformat()
        )
    if unit == "month":
        return _month(d.year, d.month, f"{n} month(s) {what}: that month")
    if unit == "year" and n == 1:
        return _month(d.year, d.month, f"a year {what}: about that month")
    return _year(d.year, f"{n} {unit}(s) {what}: that year")


@_rule(
    rf"{_APPROX_RX}{_NUM_RX}\s+(?P<u>days?|weeks?|months?|years?|decades?)\s+ago|"
    r"(?:many\s+|some\s+)?(?P<bare>days|weeks|months|years|decades)\s+ago"
)
def _ago(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'two days ago' that day; 'years ago', 'many years ago' an unnamed stretch back (TimeML PAST_REF)."""
    if m["bare"]:
        out = _offset(ctx.pub, "several", _unit(m["bare"]), -1, "before publication")
        return replace(out, timex="PAST_REF")
    out = _offset(ctx.pub, m["n"], _unit(m["u"]), -1, "before publication")
    return out if out.timex is not None else replace(out, timex="PAST_REF")  # 'a few days ago': TimeML's PAST_REF


@_rule(rf"{_APPROX_RX}{_NUM_RX}\s+(?P<u>days?|weeks?|months?|years?|decades?)\s+from\s+(?:now|today)")
def _from_now(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'two weeks from now', 'a year from today': publication moved forwards (TimeML dates them like 'ago')."""
    out = _offset(ctx.pub, m["n"], _unit(m["u"]), 1, "after publication")
    return out if out.timex is not None else replace(out, timex="FUTURE_REF")


_UNIT_PRECISION = {"day": 1, "week": 2, "month": 3, "quarter": 3, "year": 4, "decade": 4}


@_rule(
    rf"{_APPROX_RX}{_NUM_RX}\s+(?P<u>days?|weeks?|months?|years?)\s+(?P<dir>earlier|later|before|after|afterwards?|previously)"
)
def _anchored(m: re.Match[str], ctx: _Ctx) -> _Out:
    sign = -1 if m["dir"].lower() in ("earlier", "before", "previously") else 1
    u = _unit(m["u"])
    n = _number(m["n"])
    if u == "year" and n is not None and ctx.anchors and ctx.anchors[-1][2] >= 3:
        # 'third-quarter profit rose from $2m a year earlier': the same month, quarter or year, n years away
        a, b, _p = ctx.anchors[-1]
        start, end = _shift(a, sign * n, "year"), _shift(b, sign * n, "year")
        end = _month_end(end.year, end.month) if b == _month_end(b.year, b.month) else end
        timex = _interval_timex(start, end) or f"{start.year:04d}"
        return _Out(start, end, _span_precision(start, end), f"{n} year(s) from the stretch last named", timex)
    anchor = ctx.anchor_at(_UNIT_PRECISION[u])
    what = ("before" if sign < 0 else "after") + (" the anchor date" if anchor else " publication")
    return _offset(anchor or ctx.pub, m["n"], u, sign, what)


def _unit_of(d: date, u: str, rule: str) -> _Out:
    """The calendar day, week, month or year that contains d."""
    if u == "week":
        mon = _monday(d)
        return _Out(mon, mon + timedelta(days=6), 2, rule, _week_timex(mon))
    if u == "month":
        return _month(d.year, d.month, rule)
    if u == "year":
        return _year(d.year, rule)
    return _day(d, rule)


_PARTS = r"morning|afternoon|evening|night"


@_rule(
    rf"the\s+(?P<w>same|following|next|previous)\s+(?P<u>day|week|month|year|{_PARTS})|"
    r"the\s+(?P<u2>day|week|month|year)\s+(?P<w2>before|after|previous|prior|earlier|later)|the\s+night\s+before|"
    r"a\s+day\s+(?P<w3>earlier|later|before|after)|(?:that|the)\s+(?P<u3>day)|"
    rf"(?:that|the)\s+(?P<part>{_PARTS})|(?P<part2>{_PARTS})|(?:the\s+)?(?P<pmod>early|late|later|earlier)\s+in\s+the\s+day|"
    r"the\s+(?:start|beginning|end|rest|remainder|course)\s+of\s+the\s+day|"
    r"the\s+(?P<whole>entire|whole|full)\s+(?P<u4>day|week|month|year)"
)
def _anchored_next(m: re.Match[str], ctx: _Ctx) -> _Out:
    """A unit counted from the date the narrative last named ("the day before", "the following week", "that
    morning"), else from publication; a bare part of day ("morning trading") is that day's part."""
    if m["part"] or m["part2"]:
        part = (m["part"] or m["part2"]).lower()
        d = ctx.base(1)
        return _Out(d, d, 1, f"{part}: of the last date named, else publication", f"{d}T{_PART_CODE[part]}")
    w = (m["w"] or m["w2"] or m["w3"] or ("before" if "night" in m[0].lower() else "same")).lower()
    sign = {
        "previous": -1,
        "prior": -1,
        "before": -1,
        "earlier": -1,
        "following": 1,
        "next": 1,
        "after": 1,
        "later": 1,
        "same": 0,
    }[w]
    u = (m["u"] or m["u2"] or m["u3"] or m["u4"] or "day").lower()
    if u in _PART_CODE:
        d = ctx.base(1) + timedelta(days=sign)
        return _Out(d, d, 1, f"the {w} {u}: of the last date named", f"{d}T{_PART_CODE[u]}")
    base = ctx.base(_UNIT_PRECISION[u])
    if sign and u in ("week", "month", "year"):
        y, mo = _add_months(base.year, base.month, sign * (12 if u == "year" else 1))
        shifted = base + timedelta(weeks=sign) if u == "week" else date(y, mo, 1)
        return _unit_of(shifted, u, f"the {u} {'before' if sign < 0 else 'after'} the last date named")
    if u in ("week", "month", "year"):
        return _unit_of(base, u, f"the {u} of the last date named, else of publication")
    d = base + timedelta(days=sign)
    return _day(d, "the day " + ("before" if sign < 0 else "after" if sign > 0 else "of") + " the anchor date")


@_rule(
    r"the\s+same\s+(?P<u>period|time|day|week|month|quarter|year)\s*,?\s*(?:of\s+)?(?:a\s+year\s+(?:ago|earlier|before)|"
    r"(?:the\s+)?(?:last|previous|prior|preceding)\s+year|the\s+year\s+before)|"
    r"the\s+(?:year|a[-\s]year)[-\s](?:earlier|ago|before)\s+(?P<u2>period|time|day|week|month|quarter|year)"
)
def _same_period(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'the same period last year', 'the year-ago quarter': the last stretch named (else publication's month),
    a year back."""
    u = (m["u"] or m["u2"]).lower()
    want = {"day": 1, "week": 2, "month": 3, "quarter": 3, "year": 4}.get(u, 4)
    lowest = 2 if u in ("period", "time") else 1  # a period is a stretch, not the day last named
    found = next(((a, b) for a, b, p in reversed(ctx.anchors) if lowest <= p <= want), None)
    rule = "the same period a year earlier"
    if found is None:
        p = ctx.pub
        back = _shift(p, -1, "year")
        if u == "quarter":
            return _quarter_out(back.year, (back.month - 1) // 3 + 1, rule)
        return _unit_of(back, {"day": "day", "week": "week", "year": "year"}.get(u, "month"), rule)
    start, end = _shift(found[0], -1, "year"), _shift(found[1], -1, "year")
    if end.month == 2 and found[1].day == 29:
        end = _month_end(end.year, 2)
    return _Out(start, end, _span_precision(start, end), rule, _interval_timex(start, end))


def _interval_timex(start: date, end: date) -> str | None:
    """The TIMEX3 value naming a calendar day, week, month, quarter or year exactly; None for other stretches."""
    if start == end:
        return start.isoformat()
    if start.weekday() == 0 and end == start + timedelta(days=6):
        return _week_timex(start)
    if start.day == 1 and end == _month_end(end.year, end.month):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 1:
            return f"{start.year:04d}-{start.month:02d}"
        if months == 3 and start.month % 3 == 1:
            return f"{start.year:04d}-Q{start.month // 3 + 1}"
        if months == 12 and start.month == 1:
            return f"{start.year:04d}"
    return None


# ---------------------------------------------------------------- rules: seasons and quarters


def _season_bounds(y: int, s: str) -> tuple[date, date]:
    """Meteorological (northern) seasons; winter Y runs December Y to February Y+1."""
    start_m = _SEASON_START[s]
    ey, em = _add_months(y, start_m, 2)
    return date(y, start_m, 1), _month_end(ey, em)


@_rule(
    r"(?P<which>last|this|next|early|late|mid|in\s+the|the)?[-\s]*(?P<s>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(?P<year>\d{4}))?"
)
def _season(m: re.Match[str], ctx: _Ctx) -> _Out:
    s = m["s"].lower()
    which = re.sub(r"\s+", " ", (m["which"] or "").lower())
    if m["year"]:
        y = int(m["year"])
    else:
        p = ctx.pub
        y = p.year if p.month >= _SEASON_START[s] or s == "winter" else p.year - 1
        if s == "winter" and p.month < 12:
            y = p.year - 1
        start, end = _season_bounds(y, s)
        # y is now the season that started most recently on or before publication
        if which == "this":
            y = p.year - 1 if s == "winter" and p.month <= 2 else p.year
        elif which == "last" and end >= p:
            y -= 1
        elif which == "next" or (ctx.future and end < p and which not in ("last", "this")):
            y += 1
    start, end = _season_bounds(y, s)
    if which in ("early", "late", "mid"):
        start, end = (
            (start, _month_end(start.year, start.month))
            if which == "early"
            else ((date(end.year, end.month, 1), end) if which == "late" else _season_mid(start))
        )
    return _Out(
        start, end, 3, f"{which + ' ' if which else ''}{s}: meteorological season", f"{y:04d}-{_SEASON_CODE[s]}"
    )


def _season_mid(start: date) -> tuple[date, date]:
    y, mo = _add_months(start.year, start.month, 1)
    return date(y, mo, 1), _month_end(y, mo)


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8,
                 "nineties": 9}  # fmt: skip


@_rule(
    r"(?:the\s+)?(?:(?P<mod>early|mid|late)[-\s]+)?(?:nineteen[-\s]+)?(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)"
)
def _decade_word(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'the nineties' is the 1990s (TimeML 199): a decade in words means the twentieth century's."""
    y = 1900 + _DECADE_WORDS[m["w"].lower()] * 10
    first, last = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get((m["mod"] or "").lower(), (0, 9))
    return _Out(date(y + first, 1, 1), date(y + last, 12, 31), 4, "decade in words", f"{y // 10:03d}")


@_rule(
    r"(?:the\s+)?(?:(?P<fy>fiscal\s+)?(?P<year>\d{4})|(?P<which>last|this|next)\s+year)(?:'s)?\s+"
    r"(?P<q>first|second|third|fourth)[-\s]+quarter"
)
def _year_quarter(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'the 1997 fourth quarter', '1997's third quarter', 'last year's third quarter' (business news)."""
    q = _ORDINAL[m["q"].lower()]
    if m["which"]:
        y = ctx.pub.year + {"last": -1, "next": 1}.get(m["which"].lower(), 0)
    else:
        y = int(m["year"])
    out = _quarter_out(y, q, "year and quarter")
    return replace(out, timex=f"FY{y:04d}-Q{q}") if m["fy"] else out


@_rule(r"(?P<which>this\s+|last\s+|next\s+)?year(?:-|\s+|'s\s+)end")
def _year_end(m: re.Match[str], ctx: _Ctx) -> _Out:
    """'year-end', 'by year's end': the last quarter of the publication year (TimeML values the year)."""
    p = ctx.pub
    which = (m["which"] or "").strip().lower()
    y = p.year + {"last": -1, "next": 1}.get(which, 0)
    if not which and not ctx.future and p.month <= 2:
        y -= 1  # early in a year, a year-end already reported is the last one
    return _Out(date(y, 10, 1), date(y, 12, 31), 3, "year-end: October-December", f"{y:04d}")


@_rule(
    r"(?:the\s+)?(?P<q>first|second|third|fourth|final|last|latest|current|previous)[-\s]+quarter(?:\s+of\s+(?P<which>this|last|next|the)\s+year|(?:\s+of|,)?\s+(?P<year>\d{4}))?|q(?P<qn>\d),?\s+(?P<year2>\d{4})"
)
def _quarter(m: re.Match[str], ctx: _Ctx) -> _Out:
    year = m["year"] or m["year2"]
    qword = (m["q"] or "").lower()
    if m["qn"]:
        q = int(m["qn"])
        if not 1 <= q <= 4:
            raise _InvalidDateError(f"invalid: {m[0]} names quarter {q}; a year has quarters 1-4")
    elif qword in _ORDINAL and not (qword == "final" and not year and not m["which"]):
        q = _ORDINAL[qword]
    else:
        p = ctx.pub
        cur = (p.month - 1) // 3 + 1
        y, q = (p.year, cur) if qword == "current" else ((p.year, cur - 1) if cur > 1 else (p.year - 1, 4))
        if qword == "final":
            y, q = p.year if cur == 4 else p.year - 1, 4
        return _quarter_out(y, q, f"{qword} quarter: relative to publication")
    if year:
        return _quarter_out(int(year), q, "quarter of a year")
    p = ctx.pub
    which = (m["which"] or "").lower()
    if which in ("this", "the", "last", "next"):
        return _quarter_out(p.year + {"this": 0, "the": 0, "last": -1, "next": 1}[which], q, f"quarter of {which} year")
    cur = (p.month - 1) // 3 + 1
    if ctx.future:
        y = p.year if q >= cur else p.year + 1
        return _quarter_out(y, q, "quarter without year, future wording: the next such quarter")
    now = p.year * 4 + cur - 1
    y = min((p.year - 1, p.year, p.year + 1), key=lambda yy: (abs(yy * 4 + q - 1 - now), yy > p.year))
    return _quarter_out(y, q, "quarter without year: the occurrence nearest publication")


def _quarter_out(y: int, q: int, rule: str) -> _Out:
    ey, em = _add_months(y, q * 3 - 2, 2)
    return _Out(date(y, q * 3 - 2, 1), _month_end(ey, em), 3, rule, f"{y:04d}-Q{q}")


# Rare forms are tried last, so common phrases meet their rule sooner (each fullmatch tried costs time).
_RARE = {_year_range, _month_range, _fiscal, _half, _holiday, _century, _noon, _week_of_month, _month_of_rel_year,
         _same_period, _decade_word, _year_quarter, _year_end, _from_now, _two_units, _every_weekday}  # fmt: skip
_RULES.sort(key=lambda rule: rule[1] in _RARE)


# ---------------------------------------------------------------- public API

_LEAD = re.compile(
    r"^(?:(?:in|on|since|during|by|until|till|from|at|of|around|about|circa|before|after|through|throughout|as\s+of|"
    r"over)\s+)+",
    re.IGNORECASE,
)


def _clean(phrase: str) -> str:
    p = re.sub(r"\s+", " ", phrase).strip().strip('.,;:!?"()[]')
    p = p.replace("\u2019", "'")
    p = re.sub(r"\s*'s$", "", p)
    return _LEAD.sub("", p).strip()


def _resolve_text(text: str, ctx: _Ctx) -> Resolution | None:
    for pattern, handler in _RULES:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        try:
            out = handler(m, ctx)
        except _NotThisRuleError:
            continue
        except _InvalidDateError as exc:
            return Resolution(DateInterval(None, None, 1, text, str(exc), resolved=False), None)
        except _RecurringError as exc:
            rule = f"recurring: {text}, no single date"
            return Resolution(DateInterval(None, None, 1, text, rule, resolved=False), str(exc))
        except _VagueError as exc:
            rule = "vague reference to the " + ("future" if str(exc) == "FUTURE_REF" else "past") + ": no date"
            return Resolution(DateInterval(None, None, 4, text, rule, resolved=False), str(exc))
        except _NeedsPublishedError:
            prec = 1
            with contextlib.suppress(
                _InvalidDateError,
                _NeedsPublishedError,
                _NotThisRuleError,
                _VagueError,
                _RecurringError,
                ValueError,
                OverflowError,
            ):
                prec = handler(m, _Ctx(_PLACEHOLDER, ctx.future, ctx.anchors)).precision
            return Resolution(DateInterval(None, None, prec, text, NEEDS_PUBLISHED, resolved=False), None)
        except OverflowError:
            return _out_of_range(text)
        except ValueError as exc:
            if "out of range" in str(exc):  # 'ten thousand years ago': before year 1 or after 9999
                return _out_of_range(text)
            return None
        return Resolution(DateInterval(out.start, out.end, out.precision, text, out.rule), out.timex)
    return None


def _out_of_range(text: str) -> Resolution:
    """A phrase whose date falls outside the calendar Python can hold: kept, unresolved, with the reason."""
    rule = f"invalid: {text} falls outside the years 1-9999"
    return Resolution(DateInterval(None, None, 4, text, rule, resolved=False), None)


@lru_cache(maxsize=65536)
def _resolve_cached(
    phrase: str, published: date | None, future: bool, anchors: tuple[tuple[date, date, int], ...]
) -> Resolution | None:
    text = _clean(phrase)
    if not text:
        return None
    ctx = _Ctx(published, future, anchors)
    res = _resolve_text(text, ctx)
    if res is None:
        # A longer phrase (e.g. a spaCy DATE entity): resolve the longest time expression inside it.
        from sitreps.when.phrases import find_time_expressions

        spans = find_time_expressions(text)
        if spans:
            best = max(spans, key=lambda s: s.end - s.start)
            if best.text != text:
                res = _resolve_text(_clean(best.text), ctx)
    if res is None:
        res = _dateparser_fallback(text, published)
    if res is None:
        return None
    iv = res.interval
    return Resolution(DateInterval(iv.start, iv.end, iv.precision, phrase, iv.rule, iv.resolved), res.timex)


_LEAD_PREP = re.compile(r"\b(?:on|in|at|during)\s*$", re.IGNORECASE)
_FUTURE_AFTER = re.compile(
    r"[\s,]*(?P<lead>(?:[\w'-]+\s+){0,4}?)(?:will|shall|is\s+to|are\s+to|(?:is|are)\s+(?:expected|scheduled|due|set|slated|going)\s+to)\b",
    re.IGNORECASE,
)
_PAST_VERB = re.compile(r"\b(?:said|says|was|were|had|did|told|\w+ed)\b", re.IGNORECASE)


def _is_future(phrase: str, context: str | None) -> bool:
    """Future wording in the context sentence, before the phrase when the phrase can be found in it."""
    if "next" in phrase.lower():
        return False
    if not context:
        return False
    i = context.find(phrase)
    window = context[max(0, i - 80) : i] if i >= 0 else context
    window = _LEAD_PREP.sub("", window)
    if _FUTURE.search(window) is not None:
        return True
    if i < 0 or _PAST_VERB.search(window):
        return False
    # 'On Monday, the envoy will arrive': a phrase that opens its clause takes the tense of the verb after it
    after = _FUTURE_AFTER.match(context, i + len(phrase))
    return after is not None and not _PAST_VERB.search(after["lead"])


Anchor = date | DateInterval | Sequence[DateInterval] | None
"""Dates an anchored phrase may count from: one date (a day), an interval, or the intervals named so far
in narrative order (each rule takes the latest one fine enough for its unit)."""


def _anchors(anchor: Anchor) -> tuple[tuple[date, date, int], ...]:
    if anchor is None:
        return ()
    if isinstance(anchor, date):
        return ((anchor, anchor, 1),)
    items = [anchor] if isinstance(anchor, DateInterval) else list(anchor)
    return tuple((iv.start, iv.end or iv.start, iv.precision) for iv in items if iv.start is not None and iv.resolved)


_BARE_CLOCK = re.compile(
    r"(?:at\s+)?(?:\d{1,2}(?:[:.][0-5]\d)?\s*(?:a\.m\.|p\.m\.|am|pm|utc|gmt)(?:\s*(?:utc|gmt))?|(?:[01]?\d|2[0-3]):[0-5]\d)"
    r"(?:\s*\(\s*(?:gmt|utc)\s*[+-]\s*\d+\s*\))?(?:\s+(?:[ecmp][sd]t|bst|cest|cet|eest|eet|msk|ist|jst|local\s+time))?",
    re.IGNORECASE,
)


def _sentence_day(phrase: str, context: str, published: date | None) -> tuple[tuple[date, date, int], ...]:
    """For a clock time with no day: the day named in the same sentence nearest to it ("Tuesday ... at 18:00")."""
    from sitreps.when.phrases import find_time_expressions

    at = context.find(phrase)
    best: tuple[int, date] | None = None
    for sp in find_time_expressions(context):
        if _BARE_CLOCK.fullmatch(sp.text.strip()) or (at >= 0 and sp.start <= at < sp.end):
            continue
        res = _resolve_cached(sp.text, published, False, ())
        iv = res.interval if res is not None else None
        if iv is None or iv.start is None or iv.precision != 1 or res is None or res.timex == "PRESENT_REF":
            continue
        dist = abs(sp.start - at) if at >= 0 else 0
        if best is None or dist < best[0]:
            best = (dist, iv.start)
    return ((best[1], best[1], 1),) if best is not None else ()


_OF_YEAR_AFTER = re.compile(r"\s*,?\s+(of\s+(?:next|last|this|the\s+following|the\s+previous)\s+year)\b", re.IGNORECASE)


def resolve(
    phrase: str, *, published: date | None, context: str | None = None, anchor: Anchor = None
) -> Resolution | None:
    """normalise() plus the TIMEX3 value, for evaluation against TimeML-annotated corpora."""
    anchors = _anchors(anchor)
    text = phrase
    if context:
        if _BARE_CLOCK.fullmatch(phrase.strip()):
            anchors = _sentence_day(phrase, context, published)
        elif phrase.strip() in MONTH_NAMES:
            # "after October of next year" where the phrase found is only "October"
            i = context.find(phrase)
            after = _OF_YEAR_AFTER.match(context, i + len(phrase)) if i >= 0 else None
            if after is not None:
                res = _resolve_cached(f"{phrase} {after[1]}", published, False, anchors)
                if res is not None:
                    return Resolution(replace(res.interval, text=phrase), res.timex)
    return _resolve_cached(text, published, _is_future(phrase, context), anchors)


def normalise(
    phrase: str, *, published: date | None, context: str | None = None, anchor: Anchor = None
) -> DateInterval | None:
    """Turn a time phrase into an inclusive date interval with a precision and the rule that made it.

    Relative phrases are resolved against `published`; anchored ones ("two days later", "the day before",
    "the same period last year") against `anchor` (dates named before it in the narrative, see `Anchor`)
    or else `published`. `context`, the sentence around the phrase, decides tense (future wording searches
    forwards), gives a bare clock time the day named beside it, and reads "October of next year" when
    only "October" was found. Returns None when the phrase is not a time expression; an impossible date
    returns an unresolved interval whose rule starts with "invalid:" (see the module docstring).
    """
    res = resolve(phrase, published=published, context=context, anchor=anchor)
    return res.interval if res is not None else None


def default_date(published: date | None) -> DateInterval:
    """The date of a mention with no time phrase: the week up to publication, precision 2.

    News reports events of the last few days; the interval lets those mentions still meet
    dated mentions of the same event when events are fused.
    """
    if published is None:
        return DateInterval(None, None, 2, None, "no time phrase and no publication date", resolved=False)
    return DateInterval(published - timedelta(days=6), published, 2, None, "reported within days of publication")


_DATEPARSER_SHAPES = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)
_RELATIVE_WORDS = re.compile(
    r"\b(?:ago|last|next|this|past|previous|earlier|later|before|after|seconds?|minutes?|hours?|days?|weeks?|"
    r"months?|years?|decades?)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=16384)
def _dateparser_fallback(text: str, published: date | None) -> Resolution | None:
    """dateparser for absolute forms the rules miss; never for relative words (it guesses those)."""
    if not _DATEPARSER_SHAPES.search(text) or _RELATIVE_WORDS.search(text) or len(text) > 60:
        return None
    if published is None and not re.search(r"\d{4}", text):
        return None  # dateparser would fill the year from today's clock
    from dateparser.date import DateDataParser

    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past"}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    rule = "dateparser fallback"
    if data.period == "year":
        out = _year(d.year, rule)
    elif data.period == "month":
        out = _month(d.year, d.month, rule)
    elif data.period == "week":
        mon = _monday(d)
        out = _Out(mon, mon + timedelta(days=6), 2, rule, _week_timex(mon))
    else:
        out = _day(d, rule)
    return Resolution(DateInterval(out.start, out.end, out.precision, text, out.rule), out.timex)
