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

What is timed, so the two sides compare fairly: one-time loading is outside the timing on both sides (spaCy's
model load; the sitreps pipeline's build, which also loads the actor KB and the gazetteer), and both run a few
warm-up documents from another seed first. (1) and (2) are timed in alternating slices of 64 documents (the
spaCy batch size), so a busy machine slows both alike; the cost ratio is taken from CPU time. Scaling is given
twice: by wall clock (true only on an idle machine: the load average is printed) and from CPU time per document
(each worker's own and the parent's share: what the workers could do on idle cores, still meaningful under load).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def _cpu_children() -> float:
    """CPU seconds of this process's finished child processes (spaCy's n_process workers once joined)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


SLICE = 64
"""Documents per alternating timing slice (also the spaCy batch size on both sides)."""


def run(articles: int, workers: int, model: str, seed: int) -> dict[str, Any]:
    """All measurements as one dict (the table and --json are made from it)."""

    from sitreps.nlp import load_model

    docs = _documents(articles, seed)
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    res: dict[str, Any] = {"articles": articles, "words": words, "mb": sum(len(t.encode()) for t in texts) / 1e6}
    res["load_before"] = os.getloadavg()[0]

    plain = load_model(model)  # the bare spaCy model, every default component
    nlp = load_nlp(model)  # the sitreps pipeline, its KB and gazetteer loaded: one-time costs, outside the timing
    res["parse_components"] = list(plain.pipe_names)
    warm = _documents(8, seed + 1000)
    for _ in plain.pipe([d.text for d in warm], batch_size=SLICE):
        pass
    list(process_documents(warm, nlp=nlp, batch_size=SLICE))

    parse_s = parse_cpu = pipe_s = pipe_cpu = 0.0
    mentions = 0
    for i in range(0, len(docs), SLICE):
        t, c = time.perf_counter(), time.process_time()
        for _ in plain.pipe(texts[i : i + SLICE], batch_size=SLICE):
            pass
        parse_s += time.perf_counter() - t
        parse_cpu += time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        out = list(process_documents(docs[i : i + SLICE], nlp=nlp, batch_size=SLICE))
        pipe_s += time.perf_counter() - t
        pipe_cpu += time.process_time() - c
        mentions += sum(len(p.mentions) for p in out)
    res.update(parse_s=parse_s, parse_cpu_s=parse_cpu, pipeline_s=pipe_s, pipeline_cpu_s=pipe_cpu, mentions=mentions)
    res["main_peak_rss_mb"] = _rss_mb()

    proc = ParallelProcessor(model=model, workers=workers, chunk_size=16, batch_size=SLICE)
    t0, c0 = time.perf_counter(), time.process_time()
    stamps: list[float] = []
    n_mentions = 0
    for p in proc(docs):
        stamps.append(time.perf_counter())
        n_mentions += len(p.mentions)
    res["parent_cpu_s"] = time.process_time() - c0  # handing out chunks and taking results back, startup included
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
    res["worker_cpu_s"] = proc.worker_cpu_s  # the chunks' own work, model loading excluded
    res["worker_docs"] = proc.worker_docs

    t, c, cc = time.perf_counter(), time.process_time(), _cpu_children()
    for _ in plain.pipe(texts, batch_size=SLICE, n_process=workers):
        pass
    res["parse_nproc_s"] = time.perf_counter() - t
    res["parse_nproc_cpu_s"] = time.process_time() - c + _cpu_children() - cc  # parent and (joined) children
    res["load_after"] = os.getloadavg()[0]
    return res


def table(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(measure, value, target) rows."""
    w = r["words"]
    n_docs = r["articles"]
    parse_wps = w / r["parse_s"]
    pipe_wps = w / r["pipeline_s"]
    pipe_dps = n_docs / r["pipeline_s"]
    par_wps = r["workers_steady_words"] / r["workers_steady_s"]
    par_dps = r["workers_steady_docs"] / r["workers_steady_s"]
    ratio = r["pipeline_s"] / r["parse_s"]
    scale = par_wps / pipe_wps
    n = r["workers"]
    cores = os.cpu_count() or 1
    rss = max(r["worker_peak_rss_mb"], default=0.0)
    gdelt_h = GDELT_DAY_WORDS / par_wps / 3600
    # CPU seconds are what other jobs on a shared machine cannot steal: the cost ratio and a GDELT day on
    # idle cores (perfect scaling assumed) from them hold even when the wall-clock figures above are noisy.
    cpu_ratio = r["pipeline_cpu_s"] / r["parse_cpu_s"]
    cpu_wps = w / r["pipeline_cpu_s"]
    gdelt_cpu_h = GDELT_DAY_WORDS / cpu_wps / 3600
    # Scaling from CPU time per document: one process needs c1; with N workers each document costs a worker cw
    # and the parent cp, so idle cores could do min(N / cw, cores / (cw + cp)) documents a second.
    c1 = r["pipeline_cpu_s"] / n_docs
    cw = r["worker_cpu_s"] / max(1, r["worker_docs"])
    cp = r["parent_cpu_s"] / n_docs
    cpu_scale = min(n / cw, cores / (cw + cp)) * c1
    return [
        ("corpus", f"{n_docs} articles, {w} words, {r['mb']:.2f} MB", ">= 2 MB quick"),
        (
            "load average at start / end",
            f"{r['load_before']:.1f} / {r['load_after']:.1f}",
            f"< 1 for wall figures ({cores} cores)",
        ),
        (f"spaCy parse alone ({'+'.join(r['parse_components'])})", f"{parse_wps:,.0f} words/s", ""),
        ("sitreps pipeline, 1 process", f"{pipe_wps:,.0f} words/s, {pipe_dps:.1f} docs/s", ""),
        ("pipeline / parse cost (wall)", f"{ratio:.2f}x", ""),
        (f"sitreps pipeline, {n} workers (steady)", f"{par_wps:,.0f} words/s, {par_dps:.1f} docs/s", ""),
        (f"scaling at {n} workers (wall)", f"{scale:.2f}x", ">= 1.8x on an idle machine"),
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
        (
            f"CPU ms per document: 1 process / {n} workers (each) / parent",
            f"{c1 * 1000:.0f} / {cw * 1000:.0f} / {cp * 1000:.1f}",
            "",
        ),
        (
            f"CPU-time: spaCy parse, nlp.pipe(n_process={n}), ms per document",
            f"{r['parse_nproc_cpu_s'] / n_docs * 1000:.0f} (1 process: {r['parse_cpu_s'] / n_docs * 1000:.0f})",
            "",
        ),
        (f"CPU-time: scaling at {n} workers on idle cores", f"{cpu_scale:.2f}x", ">= 1.8x"),
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
