#!/usr/bin/env bash
# Create .venv with every pinned dependency and the front-end packages.
# Idempotent: a second run only checks that everything is in place.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.sitreps-lock-$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q -U pip
  .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
  rm -f .venv/.sitreps-lock-*
  touch "$stamp"
fi
# Front-end packages (Leaflet, borders) come from npm; no CDN at run time.
if [ -f src/sitreps/web/package.json ]; then
  if [ ! -d src/sitreps/web/node_modules ] || [ src/sitreps/web/package-lock.json -nt src/sitreps/web/node_modules ]; then
    (cd src/sitreps/web && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
# Build the gazetteer index once (about a minute on first use), so the first command or test does not pay for it.
.venv/bin/sitreps gazetteer build >/dev/null
