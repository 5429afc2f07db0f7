"""Measure sitreps.when speed: normalise() calls per second (cached and cold) and find_and_normalise throughput."""

from __future__ import annotations

import time
from datetime import date, timedelta

from sitreps.when import find_and_normalise, normalise
from sitreps.when.normalise import _dateparser_fallback, _resolve_cached

PHRASES = [
    "in September", "last week", "on Friday", "yesterday", "earlier this month", "last month", "a year ago",
    "two days ago", "in 2016", "early January", "mid-December", "late last year", "January 14, 2017",
    "14 January 2017", "Jan. 14", "this week", "Sunday night", "overnight", "in recent weeks", "since March",
]  # fmt: skip
TEXT = (
    "Syrian government forces retook the town of Palmyra on Thursday, eight months after losing it to ISIS in "
    "May 2016. The army said on Friday that air strikes had killed 40 fighters overnight and two days ago. "
    "Clashes have intensified in recent weeks, and the monitor said last week that 2,000 people fled since March. "
)


def _rate(fn: object, n: int) -> float:
    t0 = time.perf_counter()
    for i in range(n):
        fn(i)  # type: ignore[operator]
    return n / (time.perf_counter() - t0)


def main() -> None:
    """Print a table of rates; the cached row is what a pipeline sees (few distinct phrases and dates)."""
    pub = date(2017, 1, 23)
    ctx = "The army said it retook the town, according to a statement."
    rows: list[tuple[str, float]] = []
    rows.append(
        (
            "normalise, common phrases, one date",
            _rate(lambda i: normalise(PHRASES[i % 20], published=pub, context=ctx), 200_000),
        )
    )
    rows.append(
        (
            "normalise, 365 dates x 20 phrases (cache warm)",
            _rate(lambda i: normalise(PHRASES[i % 20], published=pub - timedelta(days=i % 365), context=ctx), 200_000),
        )
    )

    def cold(i: int) -> None:
        _resolve_cached.cache_clear()
        _dateparser_fallback.cache_clear()
        normalise(PHRASES[i % 20], published=pub - timedelta(days=i))

    rows.append(("normalise, cold (cache cleared each call)", _rate(cold, 5_000)))
    n = 300
    t0 = time.perf_counter()
    for i in range(n):
        find_and_normalise(TEXT, published=pub - timedelta(days=i % 30))
    dt = time.perf_counter() - t0
    rows.append(("find_and_normalise, documents/s (300-char text)", n / dt))
    rows.append(("find_and_normalise, characters/s", n * len(TEXT) / dt))
    print(f"{'measure':52}{'per second':>14}")
    for name, rate in rows:
        print(f"{name:52}{rate:14,.0f}")


if __name__ == "__main__":
    main()
