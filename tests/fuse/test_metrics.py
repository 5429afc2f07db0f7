"""B-cubed scores."""

from __future__ import annotations

import pytest

from sitreps.fuse import b_cubed


def test_b_cubed_perfect_and_lumped() -> None:
    gold = {"a": "1", "b": "1", "c": "2"}
    assert b_cubed(gold, gold) == (1.0, 1.0, 1.0)
    p, r, f = b_cubed({"a": "x", "b": "x", "c": "x"}, gold)
    assert p == pytest.approx(5 / 9) and r == 1.0 and f == pytest.approx(2 * p / (p + 1))


def test_b_cubed_missing_prediction_is_singleton() -> None:
    p, r, _ = b_cubed({"a": "x"}, {"a": "1", "b": "1"})
    assert p == 1.0 and r == 0.5
