"""Measure sitreps.when speed in CPU time (the machine is shared): normalise() calls per second (cached and cold) and find_and_normalise throughput."""

from __future__ import annotations

import time
from datetime import date, timedelta

from sitreps.when import find_and_normalise, find_time_expressions, normalise
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


def _rate(fn: object, n: int, repeats: int = 3) -> float:
    """Calls per CPU second, the best of `repeats` runs (other processes on a shared machine only slow a run)."""
    best = 0.0
    for _ in range(repeats):
        t0 = time.process_time()
        for i in range(n):
            fn(i)  # type: ignore[operator]
        best = max(best, n / max(time.process_time() - t0, 1e-9))
    return best


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
    docs = _rate(lambda i: find_and_normalise(TEXT, published=pub - timedelta(days=i % 30)), 300)
    rows.append(("find_and_normalise, documents/s (300-char text)", docs))
    rows.append(("find_and_normalise, characters/s", docs * len(TEXT)))
    rows.append(
        (
            "find_time_expressions, characters/s (no cache)",
            _rate(lambda i: find_time_expressions(TEXT), 1_000) * len(TEXT),
        )
    )
    print(f"{'measure':52}{'per second':>14}")
    for name, rate in rows:
        print(f"{name:52}{rate:14,.0f}")


if __name__ == "__main__":
    main()
