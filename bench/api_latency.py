"""API latency over a large store: p50/p95/p99 of filtered event listings and the timeline, SQLite and PostgreSQL.

Usage: .venv/bin/python bench/api_latency.py [--events 1000000] [--requests 1000] [--concurrency 4]
                                             [--backends sqlite,postgres] [--sqlite-db FILE] [--pg-url URL]
                                             [--workers 1]

Builds a store with N generated events (a bulk load into the events table of rows that `check_rows` proves
equal to `store.write.event_row_values`; --sqlite-db / --pg-url keep the store for the next run), serves it
with uvicorn on 127.0.0.1 in a child process (one worker, as `sitreps serve` does by default, or --workers N
as `sitreps serve --workers N`), and measures with an asyncio + httpx client at bounded concurrency a fixed
number of requests of two kinds: /api/v1/events with bbox + since/until + type, and /api/v1/timeline with the same
filters. PostgreSQL runs on a throwaway cluster (scripts/pg-cluster.sh) that is stopped at the end. Besides
latency it reports the server's CPU time per request, which (unlike latency on a shared machine) does not
depend on what else runs, and the load average. Target: p99 < 100 ms. Loopback only; bounded request counts.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
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


ROW_COLUMNS = (
    "id", "rejected", "reviewed", "event_type", "sub_event_type", "action", "actor1_id", "actor2_id", "place_id",
    "place_name", "lat", "lon", "country", "date_start", "date_end", "fatalities_best", "modality", "n_mentions",
    "n_outlets", "n_sources", "status", "confidence", "search_text", "data", "updated_at", "sort_key",
)  # fmt: skip
"""The events table's columns in the order `_rows` yields them."""


def _rows(n: int, seed: int) -> Iterator[tuple[Any, ...]]:
    """Events table rows (ROW_COLUMNS order, dates as ISO text, JSON as text) for `_events(n, seed)`.

    Made without the model classes, about 5x faster; `check_rows` proves on a sample that they hold what
    `store.write.event_row_values` makes of the same events.
    """
    rng = random.Random(seed)
    w, s, e, nn = AREA
    now = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    dumps = json.dumps
    for i in range(n):
        etype, sub = rng.choice(TYPES)
        day = (START + timedelta(days=rng.randrange(DAYS))).isoformat()
        lat, lon = round(rng.uniform(s, nn), 4), round(rng.uniform(w, e), 4)
        a1 = rng.choice(ACTORS)
        f = rng.choice([None, 0, 1, 2, 3, 5, 8, 12, 20])
        nm = rng.randint(1, 6)
        conf = round(rng.random(), 3)
        eid, town, pid = f"b{i:015d}", f"Town {i % 5000}", f"geonames:{1000 + i % 5000}"
        name = a1.replace("-", " ").title()
        evidence = f"Generated evidence sentence {i} about {etype.lower()} near {town}."
        status = "corroborated" if nm > 1 else "single-source"
        data = {
            "id": eid, "event_type": etype, "sub_event_type": sub, "action": None,
            "actor1": {"id": a1, "name": name, "text": a1, "kind": "unknown"}, "actor2": None,
            "place": {"id": pid, "name": town, "text": town, "lat": lat, "lon": lon, "country": "SY", "admin1": None,
                      "geo_precision": 1, "kind": None, "reason": ""},
            "date": {"start": day, "end": day, "precision": 1, "text": "on Monday", "rule": "", "resolved": True},
            "fatalities": {"best": f, "min": f, "max": f}, "modality": "asserted", "attribution": None,
            "evidence": {"text": evidence, "start": 0, "end": 60}, "confidence": conf,
            "mentions": [f"m{i}-{k}" for k in range(nm)], "documents": [f"d{i}-{k}" for k in range(nm)],
            "outlets": [f"outlet{k}.example" for k in range(nm)], "n_mentions": nm, "n_outlets": nm, "n_sources": nm,
            "status": status, "first_reported": day, "disagreements": [],
        }  # fmt: skip
        yield (
            eid, False, "{}", etype, sub, None, a1, None, pid, town, lat, lon, "SY", day, day, f, "asserted", nm, nm,
            nm, status, conf, f"{etype} {sub}  {name} {a1} {town} {town} {evidence}".lower(), dumps(data), now,
            f"{day}|{eid}",
        )  # fmt: skip


def check_rows(sample: int = 50) -> None:
    """Fail loudly if the fast rows drift from `event_row_values` (the path the store itself writes)."""
    from sitreps.store.write import event_row_values

    for values, ev in zip(_rows(sample, 3), _events(sample, 3), strict=True):
        got = dict(zip(ROW_COLUMNS, values, strict=True))
        got.update(data=json.loads(got["data"]), reviewed=json.loads(got["reviewed"]))
        want = {"id": ev.id, "rejected": False, "reviewed": {}, **event_row_values(ev)}
        want.update(date_start=ev.date.start.isoformat(), date_end=ev.date.end.isoformat())  # type: ignore[union-attr]
        for k in want.keys() - {"updated_at"}:
            if got[k] != want[k]:
                raise AssertionError(f"bench row {ev.id} differs in {k}: {got[k]!r} != {want[k]!r}")


def build_store(url: str, n: int, seed: int = 1) -> float:
    """Fill the events table with `n` generated events (bulk load); returns seconds taken.

    The secondary indexes are dropped for the load and rebuilt after it, as any bulk load does; SQLite gets
    one `executemany` per batch on the raw connection, PostgreSQL a COPY.
    """
    from sitreps.store import make_engine
    from sitreps.store.schema import EventRow

    check_rows()
    eng = make_engine(url)  # creates and migrates the schema; not part of the timed insert
    table = EventRow.__table__
    assert {c.name for c in table.columns} == set(ROW_COLUMNS), "bench rows out of step with the schema"
    indexes = sorted(table.indexes, key=lambda ix: str(ix.name))
    t = time.perf_counter()
    try:
        with eng.begin() as conn:
            for ix in indexes:
                ix.drop(conn)
        raw = eng.raw_connection()
        try:
            cur = raw.cursor()
            names = ", ".join(ROW_COLUMNS)
            if eng.dialect.name == "postgresql":
                with cur.copy(f"COPY events ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for r in _rows(n, seed):
                        copy.write_row(r)
            else:
                sql = f"INSERT INTO events ({names}) VALUES ({', '.join('?' * len(ROW_COLUMNS))})"
                rows = _rows(n, seed)
                while batch := list(itertools.islice(rows, 20_000)):
                    cur.executemany(sql, batch)
            raw.commit()
        finally:
            raw.close()
        with eng.begin() as conn:
            for ix in indexes:
                ix.create(conn)
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


def serve(url: str, port: int, workers: int = 1) -> None:
    """Child-process entry: the API over `url` on 127.0.0.1:`port` (quiet logs), as `sitreps serve --workers`."""
    import uvicorn

    from sitreps.api.app import SETTINGS_ENV, create_app
    from sitreps.config import load_settings
    from sitreps.store import make_engine

    settings = load_settings(None, [f'db="{url}"'])
    if workers > 1:
        os.environ[SETTINGS_ENV] = settings.model_dump_json()
        os.environ["SITREPS_TOKEN"] = ""
        uvicorn.run(
            "sitreps.api.app:app_from_env",
            factory=True,
            workers=workers,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
        )
        return
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

    async with httpx.AsyncClient(base_url=base, timeout=300.0) as client:  # a cold 1M store on a busy machine

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
def serve_child(url: str, workers: int = 1) -> Iterator[tuple[str, int]]:
    """The API over `url` in a child process (so the load client does not share its GIL).

    Yields the base URL and the child's process id (for its CPU time).
    """
    import httpx

    port = _free_port()
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve", url, "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                # /openapi.json, not /meta: meta counts the whole store, and a poll every 2 s would pile them up
                if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"API did not start: {child.stderr.read()[-2000:] if child.stderr else ''}")
            time.sleep(0.3)
        yield base, child.pid
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if child.stderr:
            child.stderr.close()


def measure(url: str, requests: int, concurrency: int, workers: int = 1) -> list[dict[str, Any]]:
    """Serve `url` in a child process (with `workers` uvicorn workers) and run both request kinds against it."""
    rows = []
    with serve_child(url, workers) as (base, pid):
        for kind in ("events", "timeline"):
            asyncio.run(_load(base, _queries(kind, 30, 99), concurrency))  # warm caches and connections
            cpu = cpu_seconds(pid)
            lat, bad, wall = asyncio.run(_load(base, _queries(kind, requests, 7), concurrency))
            cpu = cpu_seconds(pid) - cpu
            rows.append(
                {
                    "kind": kind,
                    "n": len(lat),
                    "errors": bad,
                    "p50": _pct(lat, 50),
                    "p95": _pct(lat, 95),
                    "p99": _pct(lat, 99),
                    "rps": len(lat) / wall,
                    "cpu_ms": cpu * 1000 / len(lat),
                }
            )
    return rows


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process and its live child processes (uvicorn workers) have used, all
    threads: what requests cost the server, whatever else the machine is running (latency on a shared
    machine also counts time spent waiting)."""
    total = 0.0
    found = False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: parent pid
            found = found or stat.parent.name == str(pid)
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total if found else float("nan")


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


def stored_events(url: str) -> int:
    """Events already in the store at `url` (0 when it has no schema yet); migrates it like `serve` would."""
    from sqlalchemy import func, select

    from sitreps.store import make_engine
    from sitreps.store.schema import EventRow

    eng = make_engine(url)
    try:
        with eng.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(EventRow)).scalar_one())
    finally:
        eng.dispose()


def _measure_rows(
    backend: str, url: str, requests: int, concurrency: int, workers: int = 1
) -> list[tuple[str, str, str]]:
    rows = []
    for r in measure(url, requests, concurrency, workers):
        label = "events bbox+date+type" if r["kind"] == "events" else "timeline bbox+date+type"
        value = (
            f"p50 {r['p50']:.1f} / p95 {r['p95']:.1f} / p99 {r['p99']:.1f} ms, {r['rps']:.0f} req/s, "
            f"server CPU {r['cpu_ms']:.1f} ms/req, {r['errors']} errors, load {os.getloadavg()[0]:.1f}"
        )
        rows.append((f"{backend}: {label} (c={concurrency}, n={r['n']})", value, "p99 < 100 ms"))
    return rows


def run(
    events: int,
    requests: int,
    concurrency: int,
    backends: list[str],
    urls: dict[str, str] | None = None,
    workers: int = 1,
) -> list[tuple[str, str, str]]:
    """Table rows (measure, value, target) for every backend.

    `urls` names stores to reuse (backend → URL): one that already holds `events` events is measured as it
    is (after migrating it), else it is filled first; either way it is kept. Others are built in a temporary
    folder (PostgreSQL on a throwaway cluster) and removed.
    """
    rows: list[tuple[str, str, str]] = []
    for backend in backends:
        if backend not in ("sqlite", "postgres"):
            raise SystemExit(f"unknown backend {backend!r}: use sqlite or postgres")
        given = (urls or {}).get(backend)
        if given:
            t = time.perf_counter()
            have = stored_events(given)
            if have not in (0, events):
                raise SystemExit(f"{given} holds {have:,} events, not {events:,}: give an empty store or --events")
            if have == 0:
                secs = build_store(given, events, 1)
                rows.append((f"{backend}: build {events:,} events", f"{secs:.0f} s ({events / secs:,.0f} rows/s)", ""))
            else:
                rows.append((f"{backend}: reused {events:,} events", f"opened in {time.perf_counter() - t:.0f} s", ""))
            rows += _measure_rows(backend, given, requests, concurrency, workers)
            continue
        tmp = tempfile.mkdtemp(prefix="sitreps-apibench-")
        Path(tmp).chmod(0o777)  # the PostgreSQL server runs as the postgres user
        try:
            if backend == "sqlite":
                url = f"sqlite:///{tmp}/bench.db"
            else:
                if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
                    rows.append(("postgres", "skipped: PostgreSQL server not installed", ""))
                    continue
                url = _pg_start(f"{tmp}/pg")
            secs = build_store(url, events, 1)
            rows.append((f"{backend}: build {events:,} events", f"{secs:.0f} s ({events / secs:,.0f} rows/s)", ""))
            rows += _measure_rows(backend, url, requests, concurrency, workers)
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
    ap.add_argument("--sqlite-db", help="reuse (or fill once) this SQLite file instead of a temporary one")
    ap.add_argument("--pg-url", help="reuse (or fill once) this PostgreSQL database instead of a throwaway cluster")
    ap.add_argument("--rows-json", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes, as `sitreps serve --workers`")
    args = ap.parse_args(argv)
    if args.serve:
        serve(args.serve, args.port, args.workers)
        return 0
    why = api_missing()
    if why:
        emit([("API latency", f"skipped: {why}", "p99 < 100 ms")], "API latency", args.rows_json)
        return 0
    urls = {
        k: v for k, v in (("sqlite", args.sqlite_db and f"sqlite:///{args.sqlite_db}"), ("postgres", args.pg_url)) if v
    }
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    rows = run(args.events, args.requests, args.concurrency, backends, urls, args.workers)
    title = (
        f"API latency ({args.events:,} events, loopback, uvicorn {args.workers} worker"
        f"{'s' if args.workers > 1 else ''}, {os.cpu_count()} cores)"
    )
    emit(rows, title, args.rows_json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
