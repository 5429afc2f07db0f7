# The two commands of the README: `make demo` and `make test`.
.PHONY: demo test setup serve lint fix bench

setup:
	bash scripts/setup.sh

demo: setup
	bash scripts/demo.sh

serve: setup
	.venv/bin/sitreps --db demo.db serve

test:
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check src tests bench scripts && .venv/bin/ruff format --check src tests bench scripts && .venv/bin/mypy

fix: setup
	.venv/bin/ruff check --fix src tests bench scripts && .venv/bin/ruff format src tests bench scripts

bench: setup
	.venv/bin/python bench/run_all.py
