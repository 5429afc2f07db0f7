"""Gazetteer speed and memory: index build time, startup from cache, resolve() look-ups per second, RSS.

Times are CPU seconds of this process (time.process_time): the machine is shared, and wall time there
measures the neighbours. The load average is printed beside them.

Run: .venv/bin/python bench/geo_speed.py [--build]   (--build rebuilds the index into a temp folder, ~1 min)
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter

STARTUP = (
    "import time; t = time.process_time(); from sitreps.geo import Gazetteer; g = Gazetteer.load(); "
    "print(time.process_time() - t)"
)


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", action="store_true", help="also time a fresh index build (about a minute)")
    ap.add_argument("--n", type=int, default=50_000, help="look-ups to time")
    args = ap.parse_args()

    from sitreps.geo import Gazetteer, GeoContext, default_gazetteer

    rows: list[tuple[str, str]] = []
    if args.build:
        t = time.perf_counter()
        with tempfile.TemporaryDirectory() as d:
            Gazetteer.load(d, rebuild=True)
        rows.append(("index build + write (s)", f"{time.perf_counter() - t:.1f}"))
    runs = [
        float(subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True, check=True).stdout)
        for _ in range(3)
    ]
    rows.append(("startup from cache, fresh process (CPU s, best of 3)", f"{min(runs):.2f}"))

    base = _rss_mb()
    gaz = default_gazetteer()
    rows.append(("index entries", f"{len(gaz):,}"))
    rows.append(("recorded build time in cache meta (s)", gaz.index.meta.get("build_s", "?")))
    rows.append(("RSS after load (MB)", f"{_rss_mb():.0f} (+{_rss_mb() - base:.0f} for the index)"))

    rng = random.Random(7)
    ix = gaz.index
    picks = [ix.names[rng.randrange(len(ix))] for _ in range(args.n // 2)]
    variants = [n.replace("a", "e", 1).replace("al-", "el-") for n in picks]
    names = picks + variants
    rng.shuffle(names)
    ctx = GeoContext(countries=Counter({"SY": 2, "IQ": 1}))
    for label, context in (("resolve() look-ups/s, no context", None), ("resolve() look-ups/s, context SY+IQ", ctx)):
        t = time.process_time()
        hits = sum(gaz.resolve(n, context=context) is not None for n in names)
        dt = time.process_time() - t
        rows.append((label, f"{len(names) / dt:,.0f} ({hits / len(names):.0%} resolved)"))
    text = "Government forces shelled al-Bab and Deir Ezzor while fighters moved near Palmyra in Homs province. " * 50
    t = time.process_time()
    for _ in range(20):
        gaz.find_places(text)
    rows.append(("find_places() words/s", f"{20 * len(text.split()) / (time.process_time() - t):,.0f}"))
    rows.append(("peak RSS (MB)", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"))
    rows.append(("load average (1 min) at the end", f"{os.getloadavg()[0]:.2f}"))

    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  -----")
    for k, v in rows:
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()
