"""B-cubed clustering scores, to measure fusion against gold or generated truth."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping


def b_cubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 over the items in `gold` (item -> cluster id in each mapping).

    Per item: precision is the share of its predicted cluster that shares its gold cluster, recall the share
    of its gold cluster that shares its predicted cluster; both are averaged over items. Items missing from
    `pred` count as singletons, so a fuser that drops mentions is penalised in recall, not ignored.
    """
    items = list(gold)
    if not items:
        return 0.0, 0.0, 0.0
    p_of = {i: pred.get(i, f"\x00singleton:{i}") for i in items}
    both: Counter[tuple[str, str]] = Counter((p_of[i], gold[i]) for i in items)
    p_size: Counter[str] = Counter(p_of.values())
    g_size: Counter[str] = Counter(gold[i] for i in items)
    prec = rec = 0.0
    for (p, g), n in both.items():
        prec += n * n / p_size[p]
        rec += n * n / g_size[g]
    prec /= len(items)
    rec /= len(items)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def clusters(assign: Mapping[str, str]) -> dict[str, list[str]]:
    """Invert item -> cluster into cluster -> sorted items."""
    out: dict[str, list[str]] = defaultdict(list)
    for item, c in assign.items():
        out[c].append(item)
    return {c: sorted(v) for c, v in out.items()}
