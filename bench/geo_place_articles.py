"""Ambiguous place names the team wrote cases for (facts only: the name, the place's coordinates, a short text
in our own words), each resolved as bench/geo_geowebnews.py resolves gold spans: the text's countries and
places as context.

- bench/gold/place_articles.jsonl: 38 WikToR-style openings of articles on a place whose name a world city or
  another namesake shares ("Lima is ... the county seat of Allen County, Ohio").
- bench/gold/local_news_places.jsonl: 20 LGL-style local news sentences ("Clinton police ... the Iowa State
  Patrol said").

Run: .venv/bin/python bench/geo_place_articles.py [--data FILE ...]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

GOLD = Path(__file__).resolve().parent / "gold"
DEFAULT = [GOLD / "place_articles.jsonl", GOLD / "local_news_places.jsonl"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, nargs="+", default=DEFAULT)
    args = ap.parse_args()

    from sitreps.geo import GeoContext, default_gazetteer
    from sitreps.geo.index import distance_km

    gaz = default_gazetteer()
    print(f"{'cases':<28} within 161 km\n{'-' * 28} -------------")
    misses: list[str] = []
    for path in args.data:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        hits = 0
        for r in rows:
            ctx = GeoContext.from_text(r["text"], gaz)
            gaz.find_places(r["text"], context=ctx)
            p = gaz.resolve_phrase(r["name"], context=ctx)
            km = None
            if p is not None and p.lat is not None and p.lon is not None:
                km = distance_km(p.lat, p.lon, r["lat"], r["lon"])
            if km is not None and km <= 161:
                hits += 1
            else:
                got = f"{p.name} ({p.country}, {p.reason})" if p else "nothing"
                misses.append(f"  {path.stem} / {r['name']}: {got}, {'-' if km is None else f'{km:,.0f} km'}")
        print(f"{path.stem:<28} {hits}/{len(rows)} ({hits / max(len(rows), 1):.1%})")
    if misses:
        print("misses:\n" + "\n".join(misses))


if __name__ == "__main__":
    main()
