#!/usr/bin/env bash
# The demo: ingest the bundled corpus into demo.db (SQLite), print what was found, then serve the map.
# SITREPS_DEMO_SERVE=0 stops after the summary (for scripts); the map is at http://127.0.0.1:8000 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${SITREPS_DEMO_DB:-demo.db}
DEMO=src/sitreps/data/demo
set +e
.venv/bin/sitreps --db "$DB" ingest "$DEMO" --quiet
rc=$?
set -e
echo
.venv/bin/sitreps --db "$DB" stats
echo
.venv/bin/sitreps --db "$DB" events --limit 20 --min-outlets 2
if [ "${SITREPS_DEMO_SERVE:-1}" != "0" ]; then
  echo
  echo "Serving the map of $DB at http://127.0.0.1:8000 (Ctrl-C to stop)"
  exec .venv/bin/sitreps --db "$DB" serve
fi
exit $rc
