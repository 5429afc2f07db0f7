"""Run every benchmark (throughput, fusion scale, API latency, page draw) and print one table.

Usage: .venv/bin/python bench/run_all.py [--full] [--only throughput,fuse,api,page]

Quick (default): 650 articles (about 2.1 MB), fusion at 10k and 100k mentions, 100,000 events behind the API
and the page. --full: 10,000 articles, fusion up to 1M mentions, 1,000,000 events behind the API. Each bench
runs in its own process (memory figures do not leak between them) and also prints its own table; a bench whose
script or prerequisites are missing is listed as skipped with the reason.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from throughput import ROWS_PREFIX, print_table  # noqa: E402


def _quick_full(full: bool) -> dict[str, list[str]]:
    return {
        "throughput": ["throughput.py", "--articles", "10000" if full else "650"],
        "fuse": ["fuse_scale.py", "--sizes", "10000,100000,1000000" if full else "10000,100000"],
        "api": ["api_latency.py", "--events", "1000000" if full else "100000", "--requests", "1000" if full else "300"],
        "page": ["page_draw.py", "--events", "100000"],
    }


def _fuse_rows(out: str) -> list[tuple[str, str, str]]:
    """The fuse room's markdown table as (measure, value, target) rows."""
    lines = [ln for ln in out.splitlines() if ln.startswith("|") and "---" not in ln]
    if not lines:
        return [("fusion", "no table in the output", "")]
    head = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = []
    for ln in lines[1:]:
        cells = dict(zip(head, (c.strip() for c in ln.strip("|").split("|")), strict=False))
        value = ", ".join(f"{k} {v}" for k, v in cells.items() if k != "mentions")
        rows.append((f"fuse {cells.get('mentions', '?')} mentions", value, ""))
    return rows


def run_one(name: str, argv: list[str]) -> tuple[list[tuple[str, str, str]], float, str]:
    """Run one bench script; its rows, seconds taken and its full output (printed as it is)."""
    script = HERE / argv[0]
    if not script.exists():
        return [(name, f"skipped: bench/{argv[0]} is not there yet", "")], 0.0, ""
    cmd = [sys.executable, str(script), *argv[1:]]
    if name != "fuse":
        cmd.append("--rows-json")
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    secs = time.perf_counter() - t
    out = proc.stdout
    if proc.returncode != 0:
        return [(name, f"failed (exit {proc.returncode}): {proc.stderr.strip()[-300:]}", "")], secs, out
    if name == "fuse":
        return _fuse_rows(out), secs, out
    found = [ln for ln in out.splitlines() if ln.startswith(ROWS_PREFIX)]
    if not found:
        return [(name, "no rows in the output", "")], secs, out
    return [tuple(r) for r in json.loads(found[-1][len(ROWS_PREFIX) :])], secs, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--full", action="store_true", help="the full sizes (takes hours on 2 cores)")
    ap.add_argument("--only", default="throughput,fuse,api,page", help="comma-separated subset")
    args = ap.parse_args(argv)
    plan = _quick_full(args.full)
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in plan]
    if unknown:
        ap.error(f"unknown bench {', '.join(unknown)}: choose from {', '.join(plan)}")
    table: list[tuple[str, str, str]] = []
    for name in wanted:
        rows, secs, out = run_one(name, plan[name])
        sys.stdout.write("\n".join(ln for ln in out.splitlines() if not ln.startswith(ROWS_PREFIX)) + "\n")
        sys.stdout.flush()
        table += [(f"[{name}] {m}", v, t) for m, v, t in rows]
        table.append((f"[{name}] bench wall time", f"{secs:.0f} s", ""))
    print_table(table, f"sitreps benchmarks ({'full' if args.full else 'quick'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
