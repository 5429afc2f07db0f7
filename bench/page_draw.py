"""Web page draw time over a large store: seconds from navigation until the map's markers are drawn, headless.

Usage: .venv/bin/python bench/page_draw.py [--events 100000] [--runs 3]

Builds a SQLite store with N generated events (as bench/api_latency.py does), serves the API and page with
uvicorn on 127.0.0.1 in a child process, opens `/` in Debian's Chromium driven by Playwright (no downloads,
no network beyond loopback) and waits until the page says it is ready (`body[data-ready="1"]`, or
`window.__sitrepsDrawn`) and at least one marker is on the map (`.leaflet-marker-icon, .leaflet-interactive`).
The first run warms the server; the table gives every later run and their median. Target: < 2 s.
Skips with a message when the API, the page, Playwright or Chromium is not there.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_latency import api_missing, build_store, serve_child
from throughput import emit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DRAWN_JS = """() => {
  const ready = document.body && (document.body.dataset.ready === "1" || window.__sitrepsDrawn === true);
  const n = document.querySelectorAll(".leaflet-marker-icon, .leaflet-interactive").length;
  return ready && n > 0 ? n : false;
}"""


def missing() -> str | None:
    """Why the page cannot be measured here, or None."""
    why = api_missing()
    if why:
        return why
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed in the virtualenv"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    return None


def measure(base: str, runs: int, timeout_s: float) -> list[tuple[float, int]]:
    """(seconds to markers drawn, markers) for each run; a fresh browser context every run (cold page cache)."""
    from playwright.sync_api import sync_playwright

    out: list[tuple[float, int]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for _ in range(runs):
                ctx = browser.new_context(viewport={"width": 1280, "height": 800})
                page = ctx.new_page()
                t = time.perf_counter()
                resp = page.goto(f"{base}/", wait_until="commit", timeout=timeout_s * 1000)
                if resp is None or resp.status != 200:
                    raise RuntimeError(
                        f"GET / answered {resp.status if resp else 'nothing'}: the page is not served yet"
                    )
                handle = page.wait_for_function(DRAWN_JS, polling="raf", timeout=timeout_s * 1000)
                out.append((time.perf_counter() - t, int(handle.json_value())))
                ctx.close()
        finally:
            browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3, help="measured runs after one warm-up")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for markers per run")
    ap.add_argument("--rows-json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    title = "page draw (headless Chromium, 1280x800, loopback)"
    why = missing()
    if why:
        emit([("page draw", f"skipped: {why}", "< 2 s")], title, args.rows_json)
        return 0
    tmp = tempfile.mkdtemp(prefix="sitreps-pagebench-")
    try:
        url = f"sqlite:///{tmp}/bench.db"
        build_s = build_store(url, args.events)
        with serve_child(url) as base:
            try:
                results = measure(base, args.runs + 1, args.timeout)
            except Exception as e:  # the page is being built: a missing page or flag is a skip, not a crash
                why = f"the page did not draw markers ({type(e).__name__}: {str(e)[:300]})"
                emit([("page draw", f"skipped: {why}", "< 2 s")], title, args.rows_json)
                return 0
        warm = results[1:]
        rows = [(f"store: {args.events:,} events (SQLite)", f"built in {build_s:.0f} s", "")]
        rows.append(("first load (cold server)", f"{results[0][0]:.2f} s, {results[0][1]} markers", ""))
        for i, (s, n) in enumerate(warm, 1):
            rows.append((f"run {i}: until markers drawn", f"{s:.2f} s, {n} markers", "< 2 s"))
        rows.append(("median", f"{statistics.median(s for s, _ in warm):.2f} s", "< 2 s"))
        emit(rows, title, args.rows_json)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
