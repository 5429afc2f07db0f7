"""Fuse generated mentions at 10k / 100k / 1M and print time, peak memory and B-cubed F1 against the truth.

Usage: .venv/bin/python bench/fuse_scale.py [--sizes 10000,100000,1000000] [--seed 1]

The generator draws happenings across Syria and Iraq over 2016 (400 towns with Zipf popularity, ACLED type
mix, 12 actors), each reported by 1-8 mentions with jitter: spelling left unresolved (nearby coordinates, no
place id), coarser geo precision, dates off by a day or given as a week or month, figures +-30 %, unknown
actors, hedges and denials, monitor attributions in several spellings and syndicated copies. Each size runs
in a fresh process so memory figures do not leak between sizes. Besides the one-pass rebuild it times the
incremental path: the newest 1 % of mentions added in ten batches to a Fuser holding the rest, and checks
the result equals the rebuild.

Memory is the peak resident size of the fusion above what the generated input already held, and that peak
per mention (KiB), which stays flat from 10k to 1M when memory grows linearly; "process peak" adds the input.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sitreps.fuse import DocInfo, Fuser, b_cubed
from sitreps.model import ActorRef, DateInterval, Mention, Place, Span

TYPES = [
    (0.40, "Battles", "Armed clash", None),
    (0.06, "Battles", "Non-state actor overtakes territory", "capture"),
    (0.03, "Battles", "Government regains territory", "recapture"),
    (0.22, "Explosions/Remote violence", "Air/drone strike", None),
    (0.10, "Explosions/Remote violence", "Shelling/artillery/missile attack", None),
    (0.10, "Violence against civilians", "Attack", "execution"),
    (0.04, "Strategic developments", "Change to group/activity", "reinforcement"),
    (0.05, "Protests", "Peaceful protest", None),
]
ACTORS = [
    ("islamic-state", "is"),
    ("syria-military", "gov"),
    ("iraq-military", "gov-iq"),
    ("sdf", "sdf"),
    ("ypg", "sdf"),
    ("fsa", "rebels"),
    ("hts", "jihadist"),
    ("russia-military", "gov"),
    ("us-military", "coalition"),
    ("pmf", "gov-iq"),
    ("turkey-military", "turkey"),
    ("civilians", "civ"),
]
MONITORS = [
    ["the Syrian Observatory for Human Rights", "SOHR", "the Observatory"],
    ["Amaq", "Amaq news agency"],
    ["the Iraqi Joint Operations Command", "JOC"],
    ["Airwars"],
]
WORDS = [
    "fighters",
    "positions",
    "village",
    "checkpoint",
    "outskirts",
    "district",
    "convoy",
    "airbase",
    "bridge",
    "hospital",
    "market",
    "frontline",
]


def _rss_kib() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() // 1024


def generate(n: int, seed: int) -> tuple[list[Mention], dict[str, DocInfo], dict[str, str]]:
    """Mentions, document info and the truth (mention id -> happening id)."""
    rng = random.Random(seed)
    towns = []
    for i in range(400):
        lat, lon = rng.uniform(32.5, 37.2), rng.uniform(36.0, 47.5)
        country = "SY" if lon < 42.0 else "IQ"
        towns.append(Place(id=f"town:{i}", name=f"Town{i}", text=f"Town{i}", lat=lat, lon=lon, country=country))
    town_w = [1.0 / (r + 1) ** 0.8 for r in range(len(towns))]
    actor_refs = [ActorRef(id=a, name=a, text=a, side=s) for a, s in ACTORS]
    militants = ActorRef(id=None, name="militants", text="militants")
    outlets = [f"outlet{i}.example" for i in range(60)]
    type_w = [t[0] for t in TYPES]
    mentions: list[Mention] = []
    docs: dict[str, DocInfo] = {}
    truth: dict[str, str] = {}
    h = 0
    day0 = date(2016, 1, 1)
    while len(mentions) < n:
        h += 1
        _, et, sub, action = rng.choices(TYPES, type_w)[0]
        town = rng.choices(towns, town_w)[0]
        day = day0 + timedelta(days=rng.randrange(366))
        a1, a2 = rng.sample(actor_refs, 2)
        fat = int(rng.expovariate(1 / 8)) if rng.random() < 0.7 else None
        words = rng.sample(WORDS, 4)
        monitor = rng.choice(MONITORS) if rng.random() < 0.4 else None
        k = rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8])
        prev_doc: str | None = None
        for j in range(min(k, n - len(mentions))):
            doc_id = f"h{h}d{j}"
            pub = day + timedelta(days=rng.choice([0, 1, 1, 2, 5]))
            dup: str | None = prev_doc if prev_doc and rng.random() < 0.1 else None
            docs[doc_id] = DocInfo(doc_id, rng.choice(outlets), pub, dup)
            prev_doc = doc_id
            u = rng.random()
            if u < 0.70:
                place = town
            else:
                spread, prec = (5, 1) if u < 0.85 else (15, 2) if u < 0.95 else (60, 3)
                jlat = town.lat + rng.uniform(-spread, spread) / 111 if town.lat is not None else None
                jlon = town.lon + rng.uniform(-spread, spread) / 111 if town.lon is not None else None
                place = Place(
                    id=None,
                    name=f"Town{h}",
                    text="spelling",
                    lat=jlat,
                    lon=jlon,
                    country=town.country,
                    geo_precision=prec,
                )
            u = rng.random()
            if u < 0.75:
                when = DateInterval(day, day, 1)
            elif u < 0.90:
                d = day + timedelta(days=rng.choice([-1, 1]))
                when = DateInterval(d, d, 1)
            elif u < 0.95:
                s = day - timedelta(days=rng.randrange(7))
                when = DateInterval(s, s + timedelta(days=6), 2)
            else:
                s = day.replace(day=1)
                e = (s + timedelta(days=32)).replace(day=1) - timedelta(days=1)
                when = DateInterval(s, e, 3)
            r = rng.random()
            text = f"{a1.text} {sub.lower()} {town.name} {' '.join(rng.sample(words, 3))} {rng.choice(WORDS)}"
            m = Mention(
                document_id=doc_id,
                event_type=et,
                sub_event_type=sub,
                action=action,
                trigger=Span("x", 10, 11),
                evidence=Span(text, 0, len(text)),
                actor1=militants if rng.random() < 0.15 else a1,
                actor2=None if rng.random() < 0.05 else a2,
                place=place,
                date=when,
                fatalities=max(0, round(fat * rng.uniform(0.7, 1.3)))
                if fat is not None and rng.random() < 0.8
                else None,
                modality="asserted" if r < 0.85 else "hedged" if r < 0.95 else "negated",
                attribution=rng.choice(monitor) if monitor and rng.random() < 0.8 else None,
                confidence=rng.uniform(0.5, 0.95),
            )
            mentions.append(m)
            truth[m.id] = f"h{h}"
    return mentions, docs, truth


def run_one(n: int, seed: int, incremental: bool = True) -> dict[str, float]:
    """Generate, rebuild, then time the incremental path (unless told not to); returns the figures for one size."""
    mentions, docs, truth = generate(n, seed)
    base = _rss_kib()
    t0, c0 = time.perf_counter(), time.process_time()
    f = Fuser()
    events = f.rebuild(mentions, docs)
    t_fuse, c_fuse = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pred = f.assignments()
    p, r, f1 = b_cubed(pred, truth)
    out = {
        "mentions": n,
        "events": len(events),
        "truth": len(set(truth.values())),
        "fuse_s": t_fuse,
        "cpu_s": c_fuse,
        "peak_mib": (peak - base) / 1024,
        "process_peak_mib": peak / 1024,
        "p": p,
        "r": r,
        "f1": f1,
        "incr_n": 0,
        "incr_s": float("nan"),
        "incr_equal": float("nan"),
    }
    if not incremental:
        return out
    ordered = sorted(mentions, key=lambda m: (m.date.start if m.date and m.date.start else date.max, m.id))
    cut = len(ordered) - max(1, len(ordered) // 100)
    g = Fuser()
    g.rebuild(ordered[:cut], docs)
    t1 = time.perf_counter()
    rest = ordered[cut:]
    step = max(1, len(rest) // 10)
    for i in range(0, len(rest), step):
        g.add(rest[i : i + step], docs)
    g.events()
    t_incr = time.perf_counter() - t1
    out.update(incr_n=len(rest), incr_s=t_incr, incr_equal=float(g.assignments() == pred))
    return out


def main() -> None:
    """Run each size in a child process and print one table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated mention counts, e.g. 10000,100000,1000000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--incremental-max",
        type=int,
        default=100_000,
        help="check the incremental path only up to this size (it rebuilds 99 %% a second time)",
    )
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed, args.one <= args.incremental_max)))
        return
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        "| mentions | events (truth) | fuse wall s | fuse CPU s | CPU us/mention | fuse peak MiB | KiB/mention "
        "| process peak MiB | B3 P | B3 R | B3 F1 | incr add (n) s | incr == rebuild |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |")
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [
                sys.executable,
                str(Path(__file__)),
                *("--one", str(n), "--seed", str(args.seed), "--incremental-max", str(args.incremental_max)),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        d = json.loads(out.strip().splitlines()[-1])
        incr = "not run | -"
        if d["incr_n"]:
            incr = f"{d['incr_s']:.2f} ({d['incr_n']:,}) | {'yes' if d['incr_equal'] else 'NO'}"
        print(
            f"| {n:,} | {d['events']:,} ({d['truth']:,}) | {d['fuse_s']:.1f} | {d['cpu_s']:.1f} | "
            f"{d['cpu_s'] / n * 1e6:.0f} | {d['peak_mib']:.0f} | {d['peak_mib'] * 1024 / n:.2f} | "
            f"{d['process_peak_mib']:.0f} | {d['p']:.3f} | {d['r']:.3f} | {d['f1']:.3f} | {incr} |",
            flush=True,
        )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
