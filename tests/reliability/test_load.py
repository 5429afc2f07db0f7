"""The load script's fast version: concurrent clients against a real uvicorn server see no errors (bench/load.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench import load


@pytest.mark.slow
def test_concurrent_clients_against_served_events_get_no_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "load.db")
    assert load.main(["--events", "500", "--clients", "8", "--seconds", "2", "--db", db]) == 0
    out = capsys.readouterr().out
    row = [line for line in out.splitlines() if line.startswith("| 500 |")]
    assert row, out
    cells = [c.strip() for c in row[0].strip("|").split("|")]
    requests, errors = int(cells[3]), int(cells[4])
    assert requests > 0 and errors == 0
