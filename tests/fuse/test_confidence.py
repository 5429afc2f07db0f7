"""Event confidence stays in [0, 1] and rises with independent outlets."""

from __future__ import annotations

from sitreps.fuse import fuse
from sitreps.fuse.confidence import event_confidence

from .builders import doc, mention


def test_event_confidence_monotone_in_outlets() -> None:
    prev = -1.0
    for n in range(1, 7):
        docs = {f"d{i}": doc(f"d{i}", f"outlet{i}") for i in range(n)}
        (ev,) = fuse([mention(f"d{i}", attribution="SOHR") for i in range(n)], docs)
        assert ev.n_outlets == n
        assert 0.0 <= ev.confidence <= 1.0
        assert ev.confidence > prev
        prev = ev.confidence


def test_event_confidence_disputed_is_lower() -> None:
    ms = [mention("a")]
    base = event_confidence(ms, 1, 1, None, None, disputed=False)
    assert event_confidence(ms, 1, 1, None, None, disputed=True) < base
