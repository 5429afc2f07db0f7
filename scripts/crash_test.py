"""Crash safety: SIGKILL `sitreps ingest` at seeded random moments, re-run, and compare with an uninterrupted run.

Usage:
    .venv/bin/python scripts/crash_test.py [--docs 1000] [--kills 8] [--seed 7] [--workdir DIR]
    .venv/bin/python scripts/crash_test.py --api [--docs 200] [--kills 6]   # kill `sitreps serve` during POSTs

Why a subprocess and SIGKILL: only a real kill (no finally blocks, no atexit, no flush) shows whether every
document is written with its mentions in one transaction and whether a re-run repairs what the kill left.
The store is compared on what an analyst relies on: document ids, mention ids per document, event ids.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable

_ACTORS = [
    "Islamic State",
    "the Syrian army",
    "the Syrian Democratic Forces",
    "Turkish troops",
    "Russian warplanes",
    "rebel fighters",
    "government forces",
    "Kurdish YPG fighters",
]
_PLACES = ["Palmyra", "Deir ez-Zor", "al-Bab", "Raqqa", "Aleppo", "Manbij", "Homs", "Idlib", "Tabqa", "Hama"]
_VERBS = [
    ("attacked", "positions near"),
    ("shelled", "districts of"),
    ("struck", "targets around"),
    ("clashed with", "units outside"),
    ("besieged", "the outskirts of"),
    ("captured", "villages west of"),
]
_SOURCES = [
    "the Syrian Observatory for Human Rights",
    "state media",
    "a local monitor",
    "activists",
    "a military spokesman",
]
_FILLER = [
    "Residents said the electricity had been cut for {n} days.",
    "Aid groups warned that {n} families had fled in the past week.",
    "The road between {p} and {q} was closed, according to {s}.",
    "Prices of bread rose by {n} percent in {p}, traders said.",
    "A ceasefire proposal was discussed in talks on {wd}, {s} said.",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def make_article(i: int, rng: random.Random) -> tuple[str, str]:
    """One short, unique, news-like report (file name, text) with a header the text reader understands."""
    published = date(2017, 1, 1) + timedelta(days=rng.randrange(0, 90))
    sentences = []
    for _ in range(rng.randint(2, 4)):
        a, b = rng.sample(_ACTORS, 2)
        verb, prep = rng.choice(_VERBS)
        p = rng.choice(_PLACES)
        n = rng.randint(2, 60)
        sentences.append(
            f"{a[0].upper()}{a[1:]} {verb} {b} {prep} {p} on {rng.choice(_WEEKDAYS)}, killing at least {n} people, "
            f"according to {rng.choice(_SOURCES)}."
        )
    for _ in range(rng.randint(1, 3)):
        p, q = rng.sample(_PLACES, 2)
        sentences.append(
            rng.choice(_FILLER).format(
                n=rng.randint(2, 900), p=p, q=q, s=rng.choice(_SOURCES), wd=rng.choice(_WEEKDAYS)
            )
        )
    rng.shuffle(sentences)
    sentences.append(f"Report number {i} ({rng.getrandbits(48):x}) was filed by the desk.")
    outlet = rng.choice(["Levant Wire", "Euphrates Monitor", "Middle East Desk", "Frontline"])
    head = (
        f"Title: Report {i}: fighting near {rng.choice(_PLACES)}\nDate: {published.isoformat()}\nSource: {outlet}\n\n"
    )
    return f"{published.isoformat()}-report-{i:05d}.txt", head + " ".join(sentences) + "\n"


def generate_corpus(folder: Path, n: int, seed: int) -> list[Path]:
    """Write n seeded reports into folder; the same seed always writes the same bytes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        name, text = make_article(i, rng)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@dataclass
class Snapshot:
    """What a store holds, in the terms the comparison needs (read in one transaction)."""

    mentions: dict[str, list[str]] = field(default_factory=dict)  # document id -> sorted mention ids
    events: list[str] = field(default_factory=list)
    event_mentions: dict[str, list[str]] = field(default_factory=dict)

    @property
    def n_mentions(self) -> int:
        return sum(len(v) for v in self.mentions.values())


def snapshot(db: Path) -> Snapshot:
    """Read a SQLite store with the stdlib driver in one read transaction (independent of the code under test)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        conn.execute("BEGIN")
        snap = Snapshot()
        for (doc_id,) in conn.execute("SELECT id FROM documents"):
            snap.mentions[doc_id] = []
        for mid, doc_id in conn.execute("SELECT id, document_id FROM mentions ORDER BY id"):
            snap.mentions.setdefault(doc_id, []).append(mid)
        snap.events = sorted(r[0] for r in conn.execute("SELECT id FROM events"))
        for eid, mid in conn.execute("SELECT event_id, mention_id FROM event_mentions ORDER BY event_id, mention_id"):
            snap.event_mentions.setdefault(eid, []).append(mid)
        conn.execute("COMMIT")
        return snap
    finally:
        conn.close()


def count_documents(db: Path) -> int:
    """Documents stored so far (0 when the store does not exist yet)."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


BATCH_SIZE = 4  # small NLP batches so documents are committed one after another, not 32 at once


def ingest_cmd(db: Path, corpus: Path) -> list[str]:
    """One worker: documents are committed a small batch at a time, in order, so a kill by progress lands between
    commits; with a pool, finished batches arrive in bursts and can jump past every kill point."""
    return [
        PYTHON, "-m", "sitreps", "--db", str(db), "--set", f"nlp.batch_size={BATCH_SIZE}",
        "ingest", str(corpus), "--quiet", "--workers", "1",
    ]  # fmt: skip


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_to_completion(db: Path, corpus: Path, timeout: float = 1800) -> float:
    """One uninterrupted ingest; returns its wall time. Raises when the run fails."""
    t0 = time.perf_counter()
    out = subprocess.run(ingest_cmd(db, corpus), capture_output=True, text=True, timeout=timeout, env=_env())
    if out.returncode != 0:
        raise RuntimeError(f"ingest failed ({out.returncode}): {out.stderr[-2000:]}")
    return time.perf_counter() - t0


@dataclass
class KillRecord:
    """One kill: when (seconds after start) and how many documents were stored at that moment."""

    at_s: float
    documents_before: int
    documents_after: int


def kill_at(db: Path, corpus: Path, delay: float) -> KillRecord:
    """Start an ingest and SIGKILL it after `delay` seconds (or let it finish if it is quicker)."""
    before = count_documents(db)
    proc = subprocess.Popen(
        ingest_cmd(db, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(), start_new_session=True
    )
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    return KillRecord(delay, before, count_documents(db))


def kill_after_documents(db: Path, corpus: Path, target: int, extra_delay: float, timeout: float = 600) -> KillRecord:
    """Start an ingest, wait until `target` documents are stored, wait `extra_delay` more, then SIGKILL it.

    Why by progress and not only by clock: start-up (loading spaCy) takes most of a short run, so clock-only
    kills in a small test would all land before the first commit and prove nothing.
    """
    before = count_documents(db)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        ingest_cmd(db, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(), start_new_session=True
    )
    while proc.poll() is None and count_documents(db) < target and time.perf_counter() - t0 < timeout:
        time.sleep(0.05)
    time.sleep(extra_delay)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return KillRecord(round(time.perf_counter() - t0, 2), before, count_documents(db))


@dataclass
class CrashResult:
    """The comparison of a killed-and-resumed store with a clean one."""

    documents: int
    mentions: int
    events: int
    kills: list[KillRecord]
    clean_s: float
    problems: list[str]

    def to_json(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "mentions": self.mentions,
            "events": self.events,
            "clean_run_s": round(self.clean_s, 1),
            "kills": [k.__dict__ for k in self.kills],
            "problems": self.problems,
        }


def compare(clean: Snapshot, crashed: Snapshot) -> list[str]:
    """Every difference that matters, as readable lines (empty when the stores agree)."""
    problems = []
    missing = set(clean.mentions) - set(crashed.mentions)
    extra = set(crashed.mentions) - set(clean.mentions)
    if missing or extra:
        problems.append(f"document ids differ: {len(missing)} missing, {len(extra)} extra")
    torn = [d for d in clean.mentions if d in crashed.mentions and clean.mentions[d] != crashed.mentions[d]]
    if torn:
        problems.append(f"{len(torn)} documents have different mentions than the clean run (e.g. {torn[0]})")
    if clean.events != crashed.events:
        problems.append(f"event ids differ: clean {len(clean.events)}, after crashes {len(crashed.events)}")
    elif clean.event_mentions != crashed.event_mentions:
        problems.append("events group different mentions than the clean run")
    return problems


def kill_targets(docs: int, kills: int, rng: random.Random) -> list[tuple[int, float]]:
    """Seeded random kill moments as (documents stored, extra seconds): spread over the run, one during fusion.

    Why counted in documents: a clock-only kill lands wherever the machine's load puts it (often during start-up
    or after the end); counting stored documents puts every kill inside the run, at a random document.
    """
    n_mid = kills - 1 if kills >= 3 else kills
    mid = sorted(rng.sample(range(1, docs), min(n_mid, docs - 1)))
    out = [(t, round(rng.uniform(0.0, 0.3), 2)) for t in mid]
    if n_mid < kills:
        out.append((docs, round(rng.uniform(0.0, 0.5), 2)))  # all documents stored: the kill hits fusion
    return out


def crash_test(work: Path, *, docs: int, kills: int, seed: int) -> CrashResult:
    """Clean run, then `kills` seeded SIGKILLs on a second store, a final run to completion, and the comparison."""
    corpus = work / "corpus"
    generate_corpus(corpus, docs, seed)
    clean_db, crash_db = work / "clean.db", work / "crashed.db"
    clean_s = run_to_completion(clean_db, corpus)
    records = []
    for target, delay in kill_targets(docs, kills, random.Random(seed + 1)):
        # Each run resumes the last one's work (stored documents are skipped) and is killed at the next target.
        records.append(kill_after_documents(crash_db, corpus, target, delay))
        print(json.dumps({"kill": len(records), **records[-1].__dict__}), file=sys.stderr, flush=True)
    run_to_completion(crash_db, corpus)
    clean, crashed = snapshot(clean_db), snapshot(crash_db)
    return CrashResult(
        len(clean.mentions), clean.n_mentions, len(clean.events), records, clean_s, compare(clean, crashed)
    )


# --- the API's ingest endpoint: SIGKILL `sitreps serve` while clients POST documents -------------------------

API_TOKEN = "crash-test-token-0123456789abcdef"


def api_documents(n: int, seed: int) -> list[dict[str, str]]:
    """The same seeded reports as `generate_corpus`, as POST /api/v1/documents bodies."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        _name, text = make_article(i, rng)
        head, body = text.split("\n\n", 1)
        fields = dict(line.split(": ", 1) for line in head.splitlines())
        out.append({"text": body, "title": fields["Title"], "published": fields["Date"], "outlet": fields["Source"]})
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, timeout: float = 300) -> tuple[subprocess.Popen[bytes], str]:
    """`sitreps serve` on a free loopback port with a write token; returns once /api/v1/meta answers."""
    port = _free_port()
    env = _env() | {"SITREPS_TOKEN": API_TOKEN}
    log_path = db.with_suffix(".serve.log")
    log = log_path.open("ab")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen(
        [PYTHON, "-m", "sitreps", "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=log, env=env, start_new_session=True,
    )  # fmt: skip
    log.close()  # the child holds its own descriptor
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}): {log_path.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/api/v1/meta", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError(f"server did not answer within {timeout:.0f} s")


def post_documents(base: str, docs: list[dict[str, str]], start: int, timeout: float = 600) -> int:
    """POST documents from `start` on, as a client would; returns the index of the first one not acknowledged.

    A dropped connection (the server was killed) ends the run: the caller restarts the server and calls again from
    the returned index, re-posting the one in flight (the API makes a re-post a no-op).
    """
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    with httpx.Client(base_url=base, headers=headers, timeout=timeout) as client:
        for i in range(start, len(docs)):
            try:
                r = client.post("/api/v1/documents", json=docs[i])
            except httpx.HTTPError:
                return i
            if r.status_code not in (200, 201):
                raise RuntimeError(f"document {i}: HTTP {r.status_code} {r.text[:500]}")
    return len(docs)


def stop_server(proc: subprocess.Popen[bytes], kill: bool = False) -> None:
    """SIGKILL (the crash) or SIGTERM (a clean stop) the server's whole process group."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def api_run_to_completion(db: Path, docs: list[dict[str, str]], start: int = 0) -> float:
    """Start a server, post every document from `start`, stop it cleanly; returns the wall time."""
    t0 = time.perf_counter()
    proc, base = start_server(db)
    try:
        if post_documents(base, docs, start) != len(docs):
            raise RuntimeError("the server dropped a request without being killed")
    finally:
        stop_server(proc)
    return time.perf_counter() - t0


def api_kill_after_documents(
    db: Path, docs: list[dict[str, str]], start: int, target: int, extra_delay: float, timeout: float = 600
) -> tuple[KillRecord, int]:
    """Serve, post from `start` in a client thread, SIGKILL the server once `target` documents are stored.

    Returns the kill record and the index the client must resume from.
    """
    before = count_documents(db)
    proc, base = start_server(db)
    t0 = time.perf_counter()
    resume = [start]
    client = threading.Thread(target=lambda: resume.__setitem__(0, post_documents(base, docs, start)), daemon=True)
    client.start()
    while client.is_alive() and count_documents(db) < target and time.perf_counter() - t0 < timeout:
        time.sleep(0.05)
    time.sleep(extra_delay)
    stop_server(proc, kill=True)
    client.join(timeout=60)
    return KillRecord(round(time.perf_counter() - t0, 2), before, count_documents(db)), resume[0]


def api_crash_test(work: Path, *, docs: int, kills: int, seed: int) -> CrashResult:
    """The crash test through the API: a clean served run, `kills` SIGKILLed servers, a final run, the comparison."""
    bodies = api_documents(docs, seed)
    clean_db, crash_db = work / "api-clean.db", work / "api-crashed.db"
    clean_s = api_run_to_completion(clean_db, bodies)
    records = []
    resume = 0
    for target, delay in kill_targets(docs, kills, random.Random(seed + 1)):
        record, resume = api_kill_after_documents(crash_db, bodies, resume, target, delay)
        records.append(record)
        print(json.dumps({"kill": len(records), "resume_at": resume, **record.__dict__}), file=sys.stderr, flush=True)
    api_run_to_completion(crash_db, bodies, resume)
    clean, crashed = snapshot(clean_db), snapshot(crash_db)
    return CrashResult(
        len(clean.mentions), clean.n_mentions, len(clean.events), records, clean_s, compare(clean, crashed)
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--kills", type=int, default=8)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=None, help="keep the stores here (default: a temp folder)")
    ap.add_argument("--api", action="store_true", help="kill `sitreps serve` during POST /api/v1/documents instead")
    args = ap.parse_args(argv)
    if args.kills < 1:
        ap.error("--kills must be at least 1")
    with tempfile.TemporaryDirectory(prefix="sitreps-crash-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        run = api_crash_test if args.api else crash_test
        res = run(work, docs=args.docs, kills=args.kills, seed=args.seed)
    print(json.dumps(res.to_json(), indent=1))
    mid = sum(k.documents_before < k.documents_after < res.documents for k in res.kills)
    print("| mode | documents | mentions | events | clean run s | kill points | killed mid-run | problems |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {'api' if args.api else 'cli'} | {res.documents} | {res.mentions} | {res.events} | {res.clean_s:.1f} | "
        f"{len(res.kills)} | {mid} | {len(res.problems)} |"
    )
    return 1 if res.problems else 0


if __name__ == "__main__":
    sys.exit(main())
