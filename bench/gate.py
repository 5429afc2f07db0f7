"""Quality gate: fail when extraction quality drops below the floors in bench/baseline.json.

`python bench/gate.py` checks; `--update` raises floors to the current figures (never lowers them) and records
the gold's hash; `--allow-regression` together with `--update` also lowers floors (a reviewed, explicit change).
A changed gold file fails the gate until `--update` records its new hash.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.quality import GOLD, evaluate, flat_scores

BASELINE = Path(__file__).with_name("baseline.json")
SLACK = 0.005  # floating noise allowed below a floor


def gold_hash(path: Path = GOLD) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--update", action="store_true", help="raise floors to the current figures and record the gold hash"
    )
    ap.add_argument("--allow-regression", action="store_true", help="with --update: also lower floors")
    args = ap.parse_args()
    scores = flat_scores(evaluate())
    base = json.loads(BASELINE.read_text()) if BASELINE.exists() else {"gold_sha256": None, "floors": {}}
    floors: dict[str, float] = base["floors"]
    failures = []
    print(f"{'measure':<28}{'now':>8}{'floor':>8}")
    for k, v in scores.items():
        fl = floors.get(k)
        mark = ""
        if fl is not None and v < fl - SLACK:
            failures.append(f"{k}: {v:.3f} < floor {fl:.3f}")
            mark = "  REGRESSION"
        print(f"{k:<28}{v:>8.3f}{(f'{fl:.3f}' if fl is not None else '-'):>8}{mark}")
    h = gold_hash()
    if args.update:
        new = {k: round(max(v, floors.get(k, 0.0)) if not args.allow_regression else v, 3) for k, v in scores.items()}
        if not args.allow_regression:
            new = {k: max(new[k], floors.get(k, 0.0)) if k not in failures else floors.get(k, 0.0) for k in new}
            if failures:
                print("refusing to lower floors without --allow-regression:", *failures, sep="\n  ", file=sys.stderr)
                return 1
        BASELINE.write_text(json.dumps({"gold_sha256": h, "floors": new}, indent=2, sort_keys=True) + "\n")
        print(f"floors written to {BASELINE}")
        return 0
    if base.get("gold_sha256") != h:
        print(f"gold changed (sha256 {h[:12]}): review the figures and run `bench/gate.py --update`", file=sys.stderr)
        return 1
    if failures:
        print("quality regression:", *failures, sep="\n  ", file=sys.stderr)
        return 1
    print("quality gate passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
