"""API latency over a large store: p50/p95/p99 of filtered event listings and the timeline, SQLite and PostgreSQL.

Usage: .venv/bin/python bench/api_latency.py [--events 1000000] [--requests 1000] [--concurrency 4]
                                             [--backends sqlite,postgres]

Builds a store with N generated events (bulk inserts into the events table, rows from
`store.write.event_row_values`), serves it with uvicorn on 127.0.0.1 in a child process (one worker, as
`sitreps serve` does), and measures with an asyncio + httpx client at bounded concurrency a fixed number of
requests of two kinds: /api/v1/events with bbox + since/until + type, and /api/v1/timeline with the same
filters. PostgreSQL runs on a throwaway cluster (scripts/pg-cluster.sh) that is stopped at the end. Target:
p99 < 100 ms. Loopback only; bounded request counts.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Strategic developments", "Arrests"),
]
ACTORS = ["islamic-state", "syria-military", "sdf", "turkey-military", "iraq-military", "hts", "civilians"]
# lon/lat boxes the generated events fall in (Syria and Iraq) and the query boxes are drawn from
AREA = (35.7, 32.3, 48.5, 37.3)
START = date(2014, 1, 1)
DAYS = 365 * 4


def api_missing() -> str | None:
    """Why the API cannot be benchmarked yet, or None when `sitreps.api.app.create_app` imports."""
    try:
        from sitreps.api.app import create_app  # noqa: F401
    except Exception as e:  # the API room is being built: any import failure means "not there yet"
        return f"sitreps.api.app.create_app is not importable yet ({type(e).__name__}: {e})"
    return None


def _events(n: int, seed: int) -> Iterator[Any]:
    from sitreps.model import ActorRef, DateInterval, Event, Fatalities, Place, Span

    rng = random.Random(seed)
    w, s, e, nn = AREA
    for i in range(n):
        etype, sub = rng.choice(TYPES)
        d = START + timedelta(days=rng.randrange(DAYS))
        lat, lon = rng.uniform(s, nn), rng.uniform(w, e)
        a1 = rng.choice(ACTORS)
        f = rng.choice([None, 0, 1, 2, 3, 5, 8, 12, 20])
        nm = rng.randint(1, 6)
        yield Event(
            id=f"b{i:015d}",
            event_type=etype,
            sub_event_type=sub,
            action=None,
            actor1=ActorRef(a1, a1.replace("-", " ").title(), a1),
            actor2=None,
            place=Place(
                f"geonames:{1000 + i % 5000}",
                f"Town {i % 5000}",
                f"Town {i % 5000}",
                round(lat, 4),
                round(lon, 4),
                "SY",
                None,
                1,
            ),
            date=DateInterval(d, d, 1, "on Monday"),
            fatalities=Fatalities(f, f, f),
            modality="asserted",
            mentions=[f"m{i}-{k}" for k in range(nm)],
            documents=[f"d{i}-{k}" for k in range(nm)],
            outlets=[f"outlet{k}.example" for k in range(nm)],
            n_mentions=nm,
            n_outlets=nm,
            n_sources=nm,
            status="corroborated" if nm > 1 else "single-source",
            confidence=round(rng.random(), 3),
            first_reported=d,
            evidence=Span(f"Generated evidence sentence {i} about {etype.lower()} near Town {i % 5000}.", 0, 60),
        )


def build_store(url: str, n: int, seed: int = 1) -> float:
    """Fill the events table with `n` generated events; returns seconds taken."""
    from sqlalchemy import insert

    from sitreps.store import make_engine
    from sitreps.store.schema import EventRow
    from sitreps.store.write import event_row_values

    eng = make_engine(url)  # creates and migrates the schema; not part of the timed insert
    t = time.perf_counter()
    try:
        batch: list[dict[str, Any]] = []
        with eng.begin() as conn:
            for e in _events(n, seed):
                batch.append({"id": e.id, "rejected": False, "reviewed": {}, **event_row_values(e)})
                if len(batch) >= 5000:
                    conn.execute(insert(EventRow), batch)
                    batch = []
            if batch:
                conn.execute(insert(EventRow), batch)
        # Planner statistics, as a real store has them: `replace_events` refreshes SQLite's after fusion and
        # PostgreSQL's autovacuum analyses on its own (here at once, not minutes later).
        if eng.dialect.name == "postgresql":
            with eng.connect() as conn:
                conn.exec_driver_sql("ANALYZE events")
                conn.commit()
        else:
            from sitreps.store import session_factory
            from sitreps.store.write import refresh_statistics

            with session_factory(eng)() as session:
                refresh_statistics(session)
    finally:
        eng.dispose()
    return time.perf_counter() - t


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, port: int) -> None:
    """Child-process entry: the API over `url` on 127.0.0.1:`port` (quiet logs)."""
    import uvicorn

    from sitreps.api.app import create_app
    from sitreps.config import load_settings
    from sitreps.store import make_engine

    settings = load_settings(None, [f'db="{url}"'])
    app = create_app(settings, engine=make_engine(url), token="")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _queries(kind: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    w, s, e, nn = AREA
    out = []
    for _ in range(n):
        # a province-sized box (1.5 x 1 degrees), a 30-day window and one or two event types
        x, y = rng.uniform(w, e - 1.5), rng.uniform(s, nn - 1.0)
        d0 = START + timedelta(days=rng.randrange(DAYS - 30))
        types = "&".join(f"type={t}" for t in {rng.choice(TYPES)[0] for _ in range(rng.randint(1, 2))})
        q = f"bbox={x:.3f},{y:.3f},{x + 1.5:.3f},{y + 1.0:.3f}&since={d0}&until={d0 + timedelta(days=30)}&{types}"
        out.append(f"/api/v1/events?{q}&limit=100" if kind == "events" else f"/api/v1/timeline?{q}&interval=day")
    return out


async def _load(base: str, paths: list[str], concurrency: int) -> tuple[list[float], int, float]:
    """Latencies in ms of every request (bounded concurrency), non-200 count and wall seconds."""
    import httpx

    sem = asyncio.Semaphore(concurrency)
    lat: list[float] = []
    bad = 0

    async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:

        async def one(p: str) -> None:
            nonlocal bad
            async with sem:
                t = time.perf_counter()
                r = await client.get(p)
                lat.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    bad += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(one(p) for p in paths))
        return lat, bad, time.perf_counter() - t0


def _pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


@contextmanager
def serve_child(url: str) -> Iterator[str]:
    """The API over `url` in a child process (so the load client does not share its GIL); yields the base URL."""
    import httpx

    port = _free_port()
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve", url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/api/v1/meta", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"API did not start: {child.stderr.read()[-2000:] if child.stderr else ''}")
            time.sleep(0.3)
        yield base
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if child.stderr:
            child.stderr.close()


def measure(url: str, requests: int, concurrency: int) -> list[dict[str, Any]]:
    """Serve `url` in a child process and run both request kinds against it."""
    rows = []
    with serve_child(url) as base:
        for kind in ("events", "timeline"):
            asyncio.run(_load(base, _queries(kind, 30, 99), concurrency))  # warm caches and connections
            lat, bad, wall = asyncio.run(_load(base, _queries(kind, requests, 7), concurrency))
            rows.append(
                {
                    "kind": kind,
                    "n": len(lat),
                    "errors": bad,
                    "p50": _pct(lat, 50),
                    "p95": _pct(lat, 95),
                    "p99": _pct(lat, 99),
                    "rps": len(lat) / wall,
                }
            )
    return rows


def _pg_start(folder: str) -> str:
    script = ROOT / "scripts" / "pg-cluster.sh"
    out = subprocess.run(
        ["bash", str(script), "start", folder, str(_free_port())],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def run(events: int, requests: int, concurrency: int, backends: list[str]) -> list[tuple[str, str, str]]:
    """Table rows (measure, value, target) for every backend."""
    rows: list[tuple[str, str, str]] = []
    for backend in backends:
        tmp = tempfile.mkdtemp(prefix="sitreps-apibench-")
        Path(tmp).chmod(0o777)  # the PostgreSQL server runs as the postgres user
        try:
            if backend == "sqlite":
                url = f"sqlite:///{tmp}/bench.db"
            elif backend == "postgres":
                if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
                    rows.append(("postgres", "skipped: PostgreSQL server not installed", ""))
                    continue
                url = _pg_start(f"{tmp}/pg")
            else:
                raise SystemExit(f"unknown backend {backend!r}: use sqlite or postgres")
            secs = build_store(url, events, 1)
            rows.append((f"{backend}: build {events:,} events", f"{secs:.0f} s ({events / secs:,.0f} rows/s)", ""))
            for r in measure(url, requests, concurrency):
                label = "events bbox+date+type" if r["kind"] == "events" else "timeline bbox+date+type"
                value = (
                    f"p50 {r['p50']:.1f} / p95 {r['p95']:.1f} / p99 {r['p99']:.1f} ms, "
                    f"{r['rps']:.0f} req/s, {r['errors']} errors"
                )
                rows.append((f"{backend}: {label} (c={concurrency}, n={r['n']})", value, "p99 < 100 ms"))
        finally:
            if backend == "postgres":
                subprocess.run(
                    ["bash", str(ROOT / "scripts" / "pg-cluster.sh"), "stop", f"{tmp}/pg"],
                    capture_output=True,
                    timeout=60,
                )
            shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    from throughput import emit

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--events", type=int, default=1_000_000, help="events in the store (100000 for a quick run)")
    ap.add_argument("--requests", type=int, default=1000, help="requests per kind")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--rows-json", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        serve(args.serve, args.port)
        return 0
    why = api_missing()
    if why:
        emit([("API latency", f"skipped: {why}", "p99 < 100 ms")], "API latency", args.rows_json)
        return 0
    rows = run(args.events, args.requests, args.concurrency, [b.strip() for b in args.backends.split(",") if b.strip()])
    emit(rows, f"API latency ({args.events:,} events, loopback, uvicorn 1 worker)", args.rows_json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
