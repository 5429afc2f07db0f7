"""Where an event's mentions disagree, and the single value the event shows: fatalities, actors, place, date.

Rules:
- Weight of a mention: its confidence x modality weight (MODALITY_WEIGHT); denials weigh little and never vote
  fatalities.
- Fatalities: `by_mention` holds every figure of a non-denying mention; `min`/`max` span them. Figures are first
  reduced to one per independent outlet (the outlet's low median), so a wire story repeated ten times counts
  once. `best` is the figure a strict majority of outlets give when there is one ("most attributed"), else the
  low median of the per-outlet figures, so `best` is always a figure someone actually reported.
- Actors: weighted vote per role among resolved ids; an unresolved actor wins only when no mention resolved one.
- Place: the most precise geo precision present, then the weighted vote among those places.
- Date: the intersection of all intervals when they overlap (the tightest consistent interval), else the
  interval of the most precise, heaviest mention.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from sitreps.model import ActorRef, DateInterval, Fatalities, Mention, Place

MODALITY_WEIGHT = {"asserted": 1.0, "hedged": 0.6, "planned": 0.5, "threatened": 0.4, "negated": 0.2}
K = TypeVar("K", bound=Hashable)


def weight(m: Mention) -> float:
    """How much a mention's say counts in votes."""
    return max(0.01, m.confidence) * MODALITY_WEIGHT.get(m.modality, 0.5)


def vote(mentions: Sequence[Mention], key: Callable[[Mention], K]) -> tuple[K, dict[K, int]]:
    """The key with the largest total weight (ties: most mentions, then first mention), and counts per key."""
    total: dict[K, float] = defaultdict(float)
    count: Counter[K] = Counter()
    first: dict[K, int] = {}
    for i, m in enumerate(mentions):
        k = key(m)
        total[k] += weight(m)
        count[k] += 1
        first.setdefault(k, i)
    best = max(total, key=lambda k: (round(total[k], 9), count[k], -first[k]))
    return best, dict(count)


def fatalities(mentions: Sequence[Mention], outlet_of: Mapping[str, str]) -> Fatalities:
    """Best, min and max fatalities with the figure of each mention (module rules)."""
    by_mention = {m.id: m.fatalities for m in mentions if m.fatalities is not None and m.modality != "negated"}
    if not by_mention:
        return Fatalities(None, None, None, {})
    per_outlet: dict[str, list[int]] = defaultdict(list)
    for mid, n in by_mention.items():
        per_outlet[outlet_of.get(mid, mid)].append(n)
    figures = sorted(statistics.median_low(v) for v in per_outlet.values())
    common, n = Counter(figures).most_common(1)[0]
    best = common if n * 2 > len(figures) else statistics.median_low(figures)
    vals = list(by_mention.values())
    return Fatalities(best, min(vals), max(vals), by_mention)


def _actor_label(a: ActorRef | None) -> str:
    if a is None:
        return "none"
    return a.id if a.id else f"unknown '{a.text or a.name}'"


def actor(mentions: Sequence[Mention], role: str) -> tuple[ActorRef | None, str | None]:
    """The role's actor by vote, and a note when mentions name different actors."""
    refs: list[ActorRef | None] = [getattr(m, role) for m in mentions]
    labels = Counter(_actor_label(a) for a in refs if a is not None)
    known = [m for m, a in zip(mentions, refs, strict=True) if a is not None and a.id]
    pool = known or [m for m, a in zip(mentions, refs, strict=True) if a is not None]
    if not pool:
        return None, None
    best, _ = vote(pool, lambda m: _actor_label(getattr(m, role)))
    chosen = next(getattr(m, role) for m in pool if _actor_label(getattr(m, role)) == best)
    note = None
    if len(labels) > 1:
        parts = [f"{lab} ({n} mention{'s' if n > 1 else ''})" for lab, n in labels.most_common()]
        note = f"{role}: " + " vs ".join(parts)
    return chosen, note


def _place_label(p: Place) -> str:
    return p.id or p.name or p.text


def place(mentions: Sequence[Mention]) -> tuple[Place | None, str | None]:
    """The most precise place (then by vote), and a note when mentions put it in different places."""
    placed = [m for m in mentions if m.place is not None]
    if not placed:
        return None, None
    top = min(m.place.geo_precision for m in placed if m.place is not None)
    pool = [m for m in placed if m.place is not None and m.place.geo_precision == top]
    best, _ = vote(pool, lambda m: _place_label(m.place) if m.place else "")
    chosen = next(m.place for m in pool if m.place is not None and _place_label(m.place) == best)
    names = Counter((m.place.name or m.place.text) for m in placed if m.place is not None)
    note = None
    if len(names) > 1:
        note = "place: " + " vs ".join(f"{n} ({c})" for n, c in names.most_common())
    return chosen, note


def _precision_of(days: int) -> int:
    return 1 if days <= 1 else 2 if days <= 7 else 3 if days <= 31 else 4


def when(mentions: Sequence[Mention]) -> tuple[DateInterval | None, str | None]:
    """The tightest consistent date interval, and a note when the intervals do not all overlap."""
    dated = [m for m in mentions if m.date is not None and m.date.resolved and m.date.start and m.date.end]
    if not dated:
        return None, None
    starts: list[date] = [m.date.start for m in dated if m.date is not None and m.date.start is not None]
    ends: list[date] = [m.date.end for m in dated if m.date is not None and m.date.end is not None]
    lo, hi = max(starts), min(ends)
    best_m = min(dated, key=lambda m: (m.date.precision if m.date else 9, -weight(m)))
    assert best_m.date is not None
    if lo <= hi:
        prec = min(best_m.date.precision, _precision_of((hi - lo).days + 1))
        return DateInterval(lo, hi, prec, best_m.date.text, "fuse:intersection"), None
    spans = Counter(
        f"{m.date.start}" + (f"..{m.date.end}" if m.date.end != m.date.start else "") for m in dated if m.date
    )
    note = "date: " + " vs ".join(f"{s} ({c})" for s, c in spans.most_common())
    d = best_m.date
    return DateInterval(d.start, d.end, d.precision, d.text, "fuse:most-precise", d.resolved), note
