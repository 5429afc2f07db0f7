#!/usr/bin/env bash
# The whole test command (what `make test` and .ci/run call): set-up, lint, types, tests, quality gate.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/system-deps.sh
echo "== ruff"; .venv/bin/ruff check src tests bench scripts
echo "== ruff format"; .venv/bin/ruff format --check src tests bench scripts
echo "== mypy"; .venv/bin/mypy
if [ -f .importlinter ]; then echo "== import layers"; .venv/bin/lint-imports; fi
echo "== pytest"
set +e
.venv/bin/pytest -n 2 --dist loadfile -q -p no:cacheprovider "$@"
rc=$?
set -e
if [ $rc -eq 5 ]; then echo "pytest collected no tests: the suite is broken" >&2; exit 1; fi
[ $rc -eq 0 ] || exit $rc
if [ -f bench/gate.py ]; then echo "== quality gate"; .venv/bin/python bench/gate.py; fi
