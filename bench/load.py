"""Load test: N concurrent clients hit /api/v1/events on a store of generated events served by uvicorn on 127.0.0.1.

Usage:
    .venv/bin/python bench/load.py [--events 100000] [--clients 50] [--seconds 60] [--db FILE]

Why: the API must stay correct (zero errors) and quick under many readers; the figures go in docs/reliability.md.
Prints the load average before and after (the development machine is shared) and p50/p95/p99/max latency; the
seconds column is the measured run (requests started before the end are waited for). Exit 1 on any error.
Events are bulk-inserted with SQLAlchemy core from `store.write.event_row_values`, so no NLP is needed.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert

from sitreps.model import ActorRef, DateInterval, Event, Fatalities, Place, Span
from sitreps.store import make_engine
from sitreps.store.schema import EventRow
from sitreps.store.write import event_row_values

ROOT = Path(__file__).resolve().parents[1]
TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Protests", "Peaceful protest"),
]
PLACES = [("Deir ez-Zor", 35.336, 40.141), ("Palmyra", 34.56, 38.27), ("al-Bab", 36.37, 37.52), ("Raqqa", 35.95, 39.01)]
FILTERS = [{}, {"type": "Battles"}, {"country": "SY", "limit": "50"}, {"q": "palmyra"}, {"bbox": "38,34,41,36.5"}]


def make_event(i: int, rng: random.Random) -> Event:
    """One plausible fused event (ids unique by index)."""
    etype, sub = rng.choice(TYPES)
    name, lat, lon = rng.choice(PLACES)
    day = date(2016, 1, 1) + timedelta(days=rng.randrange(0, 1000))
    return Event(
        id=f"ev{i:08d}",
        event_type=etype,
        sub_event_type=sub,
        action=None,
        actor1=ActorRef("islamic-state", "Islamic State", "IS", "rebel-group"),
        actor2=None,
        place=Place(f"geonames:{i % 4}", name, name, lat, lon, "SY", name, 1, "city"),
        date=DateInterval(day, day, 1, None, "generated"),
        fatalities=Fatalities(rng.randint(0, 40), 0, 40),
        modality="asserted",
        evidence=Span(f"Generated event {i} at {name}.", 0, 20),
        mentions=[f"m{i:08d}"],
        documents=[f"d{i:08d}"],
        outlets=["Levant Wire"],
        n_mentions=1,
        n_outlets=1,
        n_sources=1,
        status="single-source",
        confidence=round(rng.random(), 3),
    )


def fill(db: str, n: int, seed: int = 1) -> None:
    """Bulk-insert n generated events (10,000 per statement)."""
    engine = make_engine(db)
    rng = random.Random(seed)
    with engine.begin() as conn:
        for start in range(0, n, 10_000):
            rows = []
            for i in range(start, min(n, start + 10_000)):
                e = make_event(i, rng)
                rows.append({"id": e.id, "rejected": False, "reviewed": {}, **event_row_values(e)})
            conn.execute(insert(EventRow), rows)
    engine.dispose()


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(db: str, port: int) -> subprocess.Popen[bytes]:
    """uvicorn on 127.0.0.1 only, over the generated store."""
    code = (
        "import uvicorn; from sitreps.api.app import create_app; from sitreps.config import load_settings; "
        f"uvicorn.run(create_app(load_settings(None, ['db={db}'])), host='127.0.0.1', port={port}, "
        "log_level='warning')"
    )
    return subprocess.Popen([sys.executable, "-c", code])


def load_average() -> str:
    """The 1/5/15-minute load averages, printed with the figures: this machine's 2 cores are shared."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def wait_until_up(server: subprocess.Popen[bytes], base: str, timeout: float = 120) -> None:
    """Return once /api/v1/meta answers; raise (never measure a dead server) when it exits or stays silent."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode} before answering")
        try:
            if httpx.get(f"{base}/api/v1/meta", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Load-test /api/v1/events.")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--db", default=None, help="reuse this SQLite file (filled when empty)")
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="sitreps-load-")
    db = args.db or str(Path(tmp) / "load.db")
    t0 = time.perf_counter()
    if not Path(db).exists() or Path(db).stat().st_size < 100_000:
        fill(db, args.events)
    print(f"store ready in {time.perf_counter() - t0:.1f} s ({args.events} events)")
    port = _port()
    server = serve(db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(server, base)
        print(f"load average before: {load_average()}", flush=True)
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        # Clients are built before the clock starts: building one loads TLS settings, slow on a busy machine.
        sessions = [httpx.Client(base_url=base, timeout=30) for _ in range(args.clients)]
        started = time.perf_counter()
        stop = started + args.seconds

        def client(k: int) -> None:
            rng = random.Random(k)
            with sessions[k] as c:
                while time.perf_counter() < stop:
                    t = time.perf_counter()
                    try:
                        r = c.get("/api/v1/events", params=rng.choice(FILTERS))
                        ok = r.status_code == 200 and "events" in r.json()
                        err = None if ok else f"HTTP {r.status_code}"
                    except httpx.HTTPError as e:
                        err = type(e).__name__
                    with lock:
                        latencies.append(time.perf_counter() - t)
                        if err:
                            errors.append(err)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        print(f"load average after: {load_average()}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    print("| events | clients | seconds | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.events} | {args.clients} | {elapsed:.0f} | {len(latencies)} | {len(errors)} | "
        f"{len(latencies) / elapsed:.1f} | {q[49] * 1000:.0f} | {q[94] * 1000:.0f} | {q[98] * 1000:.0f} | "
        f"{max(latencies, default=0) * 1000:.0f} |"
    )
    for kind, n in collections.Counter(errors).most_common():
        print(f"error {kind}: {n}")
    return 1 if errors or not latencies else 0


if __name__ == "__main__":
    sys.exit(main())
