"""Throughput of the per-document pipeline against spaCy's parse alone, and its scaling over worker processes.

Usage: .venv/bin/python bench/throughput.py [--articles 650] [--workers 2] [--model en_core_web_sm] [--json]

Generates news-like articles (bench/generate.py; 650 articles is about 2.1 MB of text, `--articles 10000` the
full run), then times over the same text: (1) spaCy's parse alone (the same model, all its default components,
`nlp.pipe`), (2) the whole sitreps per-document pipeline (`process_documents`: rulers, triggers, roles,
geocoding, dates, modality) in one process, (3) the same on `--workers` processes (`ParallelProcessor`,
steady state: from the first chunk back to the last) and (4) spaCy's own `nlp.pipe(n_process=N)` parse for
comparison. Prints words/s, documents/s, the pipeline/parse cost ratio (target <= 1.25), the scaling at N
workers (target >= 1.8x), each worker's peak RSS (target <= 1 GB) and a GDELT day (150,000 articles of 500
words) extrapolated to hours on this machine (target <= 1 h).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import corpus
from sitreps.model import Document
from sitreps.pipeline import load_nlp, make_document, process_documents
from sitreps.scale.parallel import ParallelProcessor, peak_rss_bytes

GDELT_DAY_WORDS = 150_000 * 500


def _documents(n: int, seed: int) -> list[Document]:
    out = []
    for a in corpus(n, seed=seed):
        d = make_document(a.text, published=a.published, outlet=a.outlet, title=a.title)
        d.url = a.url
        out.append(d)
    return out


def _rss_mb() -> float:
    return peak_rss_bytes() / 2**20


def run(articles: int, workers: int, model: str, seed: int) -> dict[str, Any]:
    """All measurements as one dict (the table and --json are made from it)."""

    from sitreps.nlp import load_model

    docs = _documents(articles, seed)
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    res: dict[str, Any] = {"articles": articles, "words": words, "mb": sum(len(t.encode()) for t in texts) / 1e6}

    plain = load_model(model)  # the bare spaCy model, every default component
    res["parse_components"] = list(plain.pipe_names)
    t, c = time.perf_counter(), time.process_time()
    for _ in plain.pipe(texts, batch_size=64):
        pass
    res["parse_s"] = time.perf_counter() - t
    res["parse_cpu_s"] = time.process_time() - c

    nlp = load_nlp(model)
    t, c = time.perf_counter(), time.process_time()
    out = list(process_documents(docs, nlp=nlp, batch_size=64))
    res["pipeline_s"] = time.perf_counter() - t
    res["pipeline_cpu_s"] = time.process_time() - c
    res["mentions"] = sum(len(p.mentions) for p in out)
    res["main_peak_rss_mb"] = _rss_mb()
    del out

    proc = ParallelProcessor(model=model, workers=workers, chunk_size=16, batch_size=64)
    t0 = time.perf_counter()
    stamps: list[float] = []
    n_mentions = 0
    for p in proc(docs):
        stamps.append(time.perf_counter())
        n_mentions += len(p.mentions)
    first_chunk = proc.chunk_size  # documents that came back with the first chunk (startup included there)
    steady_docs = docs[first_chunk:]
    res["workers"] = workers
    res["workers_total_s"] = stamps[-1] - t0
    res["workers_startup_s"] = stamps[first_chunk - 1] - t0
    res["workers_steady_s"] = stamps[-1] - stamps[first_chunk - 1]
    res["workers_steady_words"] = sum(len(d.text.split()) for d in steady_docs)
    res["workers_steady_docs"] = len(steady_docs)
    res["workers_same_mentions"] = n_mentions == res["mentions"]
    res["worker_peak_rss_mb"] = [v / 2**20 for v in proc.worker_peak_rss.values()]

    t = time.perf_counter()
    for _ in plain.pipe(texts, batch_size=64, n_process=workers):
        pass
    res["parse_nproc_s"] = time.perf_counter() - t
    return res


def table(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(measure, value, target) rows."""
    w = r["words"]
    parse_wps = w / r["parse_s"]
    pipe_wps = w / r["pipeline_s"]
    pipe_dps = r["articles"] / r["pipeline_s"]
    par_wps = r["workers_steady_words"] / r["workers_steady_s"]
    par_dps = r["workers_steady_docs"] / r["workers_steady_s"]
    ratio = r["pipeline_s"] / r["parse_s"]
    scale = par_wps / pipe_wps
    n = r["workers"]
    rss = max(r["worker_peak_rss_mb"], default=0.0)
    gdelt_h = GDELT_DAY_WORDS / par_wps / 3600
    # CPU seconds are what other jobs on a shared machine cannot steal: the cost ratio and a GDELT day on
    # idle cores (perfect scaling assumed) from them hold even when the wall-clock figures above are noisy.
    cpu_ratio = r["pipeline_cpu_s"] / r["parse_cpu_s"]
    cpu_wps = w / r["pipeline_cpu_s"]
    gdelt_cpu_h = GDELT_DAY_WORDS / cpu_wps / 3600
    cores = os.cpu_count() or 1
    return [
        ("corpus", f"{r['articles']} articles, {w} words, {r['mb']:.2f} MB", ">= 2 MB quick"),
        (f"spaCy parse alone ({'+'.join(r['parse_components'])})", f"{parse_wps:,.0f} words/s", ""),
        ("sitreps pipeline, 1 process", f"{pipe_wps:,.0f} words/s, {pipe_dps:.1f} docs/s", ""),
        ("pipeline / parse cost", f"{ratio:.2f}x", "<= 1.25x"),
        (f"sitreps pipeline, {n} workers (steady)", f"{par_wps:,.0f} words/s, {par_dps:.1f} docs/s", ""),
        (f"scaling at {n} workers", f"{scale:.2f}x", ">= 1.8x"),
        (
            f"{n} workers: startup (model load) / total",
            f"{r['workers_startup_s']:.1f} s / {r['workers_total_s']:.1f} s",
            "",
        ),
        (f"{n} workers: same mentions as 1", str(r["workers_same_mentions"]), "True"),
        (f"spaCy parse alone, nlp.pipe(n_process={n})", f"{w / r['parse_nproc_s']:,.0f} words/s", ""),
        ("peak RSS per worker", f"{rss:,.0f} MB", "<= 1024 MB"),
        ("peak RSS main process (both models)", f"{r['main_peak_rss_mb']:,.0f} MB", ""),
        (f"GDELT day (150k x 500 words), {n} workers", f"{gdelt_h:.2f} h", "<= 1 h"),
        ("CPU-time: parse / pipeline words per CPU-s", f"{w / r['parse_cpu_s']:,.0f} / {cpu_wps:,.0f}", ""),
        ("CPU-time: pipeline / parse cost", f"{cpu_ratio:.2f}x", "<= 1.25x"),
        (f"CPU-time: GDELT day on {cores} idle cores", f"{gdelt_cpu_h / cores:.2f} h", "<= 1 h"),
    ]


def print_table(rows: list[tuple[str, str, str]], title: str) -> None:
    """A plain fixed-width table (also used by run_all.py)."""
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    print(f"\n{title}")
    print(f"{'measure':<{w0}}  {'value':<{w1}}  target")
    print(f"{'-' * w0}  {'-' * w1}  ------")
    for a, b, c in rows:
        print(f"{a:<{w0}}  {b:<{w1}}  {c}")


ROWS_PREFIX = "ROWS_JSON: "
"""run_all.py reads the table rows from the last line a bench prints with --rows-json."""


def emit(rows: list[tuple[str, str, str]], title: str, rows_json: bool) -> None:
    """Print the bench's own table, plus its rows as JSON for run_all.py when asked."""
    print_table(rows, title)
    if rows_json:
        print(ROWS_PREFIX + json.dumps(rows), flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--articles", type=int, default=650, help="650 = about 2.1 MB (quick); 10000 for the full run")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--model", default="en_core_web_sm")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print the raw measurements as JSON too")
    ap.add_argument("--rows-json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    r = run(args.articles, args.workers, args.model, args.seed)
    title = f"throughput ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end)"
    emit(table(r), title, args.rows_json)
    if args.json:
        print(json.dumps(r))
    return 0


if __name__ == "__main__":  # the guard matters: worker processes are spawned and re-import this file
    raise SystemExit(main())
