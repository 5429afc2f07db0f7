"""`sitreps dates`: every time expression with offsets, interval, precision and rule, on files and stdin."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sitreps.cli import run

TEXT = "Rebels shelled the base on Friday and again last week. The town fell on 31 February."


def _rows(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]


def test_dates_cli_lists_interval_precision_and_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert run(["dates", str(path), "--published", "2017-01-23", "--json"]) == 0
    rows = {r["text"]: r for r in _rows(capsys)}
    friday = rows["Friday"]
    assert (friday["start"], friday["end"], friday["precision"]) == ("2017-01-20", "2017-01-20", 1)
    assert friday["rule"] and rows["last week"]["precision"] == 2


def test_dates_cli_json_keeps_character_offsets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert run(["dates", str(path), "--published", "2017-01-23", "--json"]) == 0
    row = {r["text"]: r for r in _rows(capsys)}["Friday"]
    assert (row["offset_start"], row["offset_end"]) == (TEXT.index("Friday"), TEXT.index("Friday") + len("Friday"))


def test_dates_cli_keeps_an_impossible_date_unresolved_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert run(["dates", str(path), "--published", "2017-01-23", "--json"]) == 0
    bad = {r["text"]: r for r in _rows(capsys)}["31 February"]
    assert bad["resolved"] is False and str(bad["rule"]).startswith("invalid:")


def test_dates_cli_reads_stdin_and_flags_missing_publication_date(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"The army attacked last week and on 14 January 2017."), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    assert run(["dates", "-", "--json"]) == 0
    captured = capsys.readouterr()
    rows = {r["text"]: r for r in (json.loads(line) for line in captured.out.strip().splitlines())}
    assert rows["last week"]["resolved"] is False
    assert rows["14 January 2017"]["resolved"] is True
    assert "no publication date" in captured.err
