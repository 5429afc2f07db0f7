"""NLP speed: the full sitreps per-document pipeline against spaCy's parse alone, on the same text.

Why: the extraction rules, the actor ruler, the place relabeler and the resolution (KB, gazetteer, dates) must
cost little next to the statistical parse; this prints words/s for both, their ratio (target <= 1.25) and the
peak RSS. The corpus is the demo corpus plus generated varied sentences (bench/generate.py when present),
repeated until it holds at least --mb megabytes.

Usage: python bench/nlp_speed.py [--mb 2.0] [--model en_core_web_sm]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "sitreps" / "data" / "demo"

_ACTORS = [
    "Islamic State fighters",
    "The Syrian army",
    "Turkish-backed rebels",
    "The SDF",
    "Russian warplanes",
    "Government forces",
    "Unidentified gunmen",
    "Houthi rebels",
    "Al-Shabaab militants",
    "Police",
]
_VERBS = ["attacked", "shelled", "seized", "struck", "besieged", "captured", "raided", "bombed", "stormed"]
_PLACES = ["Palmyra", "Deir ez-Zor", "al-Bab", "Raqqa", "Aleppo", "Mogadishu", "Sanaa", "Idlib", "Homs", "Tabqa"]
_TIMES = ["on Sunday", "last week", "in December", "on Jan. 14", "overnight", "earlier this month"]
_TAILS = [
    ", killing at least {n} people",
    ", a monitoring group said",
    ", according to local sources",
    ", the military said",
    "",
    " after days of heavy fighting",
]


def _generated(n: int, seed: int = 7) -> list[str]:
    """Short varied wire-style reports so the bench is not only the demo corpus."""
    rnd = random.Random(seed)
    docs = []
    for _ in range(n):
        sents = []
        for _ in range(rnd.randint(4, 9)):
            tail = rnd.choice(_TAILS).format(n=rnd.randint(2, 40))
            sents.append(
                f"{rnd.choice(_ACTORS)} {rnd.choice(_VERBS)} {rnd.choice(_PLACES)} {rnd.choice(_TIMES)}{tail}."
            )
        docs.append(" ".join(sents))
    return docs


def corpus(megabytes: float) -> list[str]:
    """Demo texts and generated reports, repeated to at least `megabytes` MB."""
    base = [p.read_text(encoding="utf-8", errors="ignore") for p in sorted(DEMO.glob("*.txt"))]
    base += _generated(200)
    out: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        for text in base:
            out.append(text)
            size += len(text.encode("utf-8"))
    return out


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=2.0)
    ap.add_argument("--model", default="en_core_web_sm")
    args = ap.parse_args()

    from sitreps.model import Document, stable_id
    from sitreps.nlp import build_pipeline, extract_mentions, load_model

    texts = corpus(args.mb)
    words = sum(len(t.split()) for t in texts)

    parse_only = load_model(args.model)
    t0 = time.perf_counter()
    for _ in parse_only.pipe(texts, batch_size=64):
        pass
    parse_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    nlp = build_pipeline(args.model)
    build_s = time.perf_counter() - t0
    n_mentions = 0
    t0 = time.perf_counter()
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=64), strict=True):
        document = Document(id=stable_id(text), text=text, published=date(2017, 1, 20))
        n_mentions += len(extract_mentions(doc, document))
    full_s = time.perf_counter() - t0

    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {len(texts)} documents, {mb:.2f} MB, {words} words; pipeline build {build_s:.2f} s")
    print(f"spaCy parse alone : {words / parse_s:10.0f} words/s ({parse_s:.1f} s)")
    print(f"sitreps full      : {words / full_s:10.0f} words/s ({full_s:.1f} s, {n_mentions} mentions)")
    print(f"ratio full/parse  : {full_s / parse_s:.2f} (target <= 1.25)")
    print(f"peak RSS          : {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
