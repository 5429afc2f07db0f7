"""Event confidence in [0, 1] from corroboration, modality, mention confidences and precision.

    score  = 0.30 * mean mention confidence (weighted by modality)
           + 0.35 * (1 - 0.5 ** n_outlets)          independent outlets: 1 -> .5, 2 -> .75, 3 -> .875 ...
           + 0.15 * (1 - 0.5 ** n_sources)          distinct original sources
           + 0.20 * share of supporting weight that is asserted (not hedged, planned or threatened)
    conf   = score * (0.6 + 0.4 * geo factor * time factor) * (0.6 if disputed else 1)

geo factor: precision 1 -> 1, 2 -> .9, 3 -> .75, no place .6; time factor: day 1, week .9, month .8, year
.6, no date .6. Holding the rest fixed it rises strictly with independent outlets and sources.
"""

from __future__ import annotations

from collections.abc import Sequence

from sitreps.fuse.disagree import MODALITY_WEIGHT
from sitreps.model import DateInterval, Mention, Place

GEO_FACTOR = {1: 1.0, 2: 0.9, 3: 0.75}
TIME_FACTOR = {1: 1.0, 2: 0.9, 3: 0.8, 4: 0.6}


def event_confidence(
    mentions: Sequence[Mention],
    n_outlets: int,
    n_sources: int,
    place: Place | None,
    when: DateInterval | None,
    disputed: bool,
) -> float:
    """How much to trust that the event happened as shown (formula in the module docstring)."""
    support = [m for m in mentions if m.modality != "negated"] or list(mentions)
    weights = [MODALITY_WEIGHT.get(m.modality, 0.5) for m in support]
    total = sum(weights) or 1.0
    mean_conf = sum(w * min(1.0, max(0.0, m.confidence)) for w, m in zip(weights, support, strict=True)) / total
    asserted = sum(w for w, m in zip(weights, support, strict=True) if m.modality == "asserted") / total
    score = 0.30 * mean_conf + 0.35 * (1 - 0.5**n_outlets) + 0.15 * (1 - 0.5**n_sources) + 0.20 * asserted
    geo = GEO_FACTOR.get(place.geo_precision, 0.6) if place is not None else 0.6
    tim = TIME_FACTOR.get(when.precision, 0.6) if when is not None else 0.6
    conf = score * (0.6 + 0.4 * geo * tim) * (0.6 if disputed else 1.0)
    return min(1.0, max(0.0, conf))
