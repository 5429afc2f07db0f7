#!/usr/bin/env bash
# The demo: ingest the bundled corpus into demo.db (SQLite) and print what was found.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${SITREPS_DEMO_DB:-demo.db}
DEMO=src/sitreps/data/demo
.venv/bin/sitreps --db "$DB" ingest "$DEMO" --glob '*.*' --quiet || true
echo
.venv/bin/sitreps --db "$DB" stats
echo
.venv/bin/sitreps --db "$DB" events --limit 15 2>/dev/null || true
