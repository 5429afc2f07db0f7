"""Place articles (WikToR-style): the first lines of an encyclopedia article on a place whose name a world city
or another namesake shares ("Lima is ... the county seat of Allen County, Ohio"). The team wrote the 38 cases in
bench/gold/place_articles.jsonl (facts only: name, the place's coordinates, a description in our own words); each
is resolved as bench/geo_geowebnews.py resolves gold spans: the text's countries and places as context.

Run: .venv/bin/python bench/geo_place_articles.py [--data FILE]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent / "gold" / "place_articles.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT)
    args = ap.parse_args()

    from sitreps.geo import GeoContext, default_gazetteer
    from sitreps.geo.index import distance_km

    gaz = default_gazetteer()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    hits, misses = 0, []
    for r in rows:
        ctx = GeoContext.from_text(r["text"], gaz)
        gaz.find_places(r["text"], context=ctx)
        p = gaz.resolve_phrase(r["name"], context=ctx)
        km = distance_km(p.lat, p.lon, r["lat"], r["lon"]) if p and p.lat is not None and p.lon is not None else None
        if km is not None and km <= 161:
            hits += 1
        else:
            got = f"{p.name} ({p.country}, {p.reason})" if p else "nothing"
            misses.append(f"  {r['name']}: {got}, {'-' if km is None else f'{km:,.0f} km'}")
    print(f"{'place articles':<28} value\n{'-' * 28} -----")
    print(f"{'cases':<28} {len(rows)}")
    print(f"{'within 161 km':<28} {hits}/{len(rows)} ({hits / max(len(rows), 1):.1%})")
    if misses:
        print("misses:\n" + "\n".join(misses))


if __name__ == "__main__":
    main()
