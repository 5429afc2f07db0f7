"""`sitreps ingest` end to end: real files, the real pipeline, a real SQLite store; bad inputs never lose data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from sitreps.cli import run
from tests.conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"

GOOD = """Title: Clashes near the airport
Date: 2017-01-16
Source: Test Wire

Islamic State fighters attacked Syrian army positions near Deir ez-Zor airport on Sunday, a monitor said.
At least 12 soldiers were killed in the fighting, according to the Syrian Observatory for Human Rights.
"""

OTHER = """Title: Shelling in Raqqa
Date: 2017-01-18
Source: Other Wire

Shelling hit a market in Raqqa on Tuesday and killed four civilians, residents said.
"""


def ingest(db: Path, *args: str) -> tuple[int, dict[str, object]]:
    code = run(["--db", str(db), "ingest", "--json", "--quiet", *args])
    return code, {}


def summary(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = capsys.readouterr().out.strip().splitlines()
    data: dict[str, object] = json.loads(out[-1])
    return data


def stats(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert run(["--db", str(db), "stats", "--json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_ingest_stores_then_reingest_is_a_noop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "good.txt"
    f.write_text(GOOD)
    db = tmp_path / "s.db"
    assert run(["--db", str(db), "ingest", "--json", str(f)]) == 0
    first = summary(capsys)
    assert first["counts"] == {"stored": 1, "duplicate": 0, "near-duplicate": 0, "skipped": 0, "failed": 0}
    assert run(["--db", str(db), "ingest", "--json", str(f)]) == 0
    second = summary(capsys)
    assert second["counts"]["duplicate"] == 1  # type: ignore[index]
    assert second["counts"]["stored"] == 0  # type: ignore[index]
    assert stats(db, capsys)["documents"] == 1


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("binary.txt", b"\x00\x01\x02\x03PNG\x00\x00" * 50, "binary"),
        ("empty.txt", b"   \n\n  ", "empty"),
        ("broken.html", b"<html><head><title>x</title></head><body><div></div></body>", "text"),
        (
            "rows.jsonl",
            b'{"title": "ok", "text": "Shelling hit Raqqa on Friday.", "date": "2017-01-20"}\nnot json at all\n',
            "JSON",
        ),
    ],
)
def test_ingest_bad_input_names_it_and_keeps_what_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, reason: str
) -> None:
    db = tmp_path / "s.db"
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    assert run(["--db", str(db), "ingest", "--quiet", str(good)]) == 0
    bad = tmp_path / name
    bad.write_bytes(content)
    other = tmp_path / "other.txt"
    other.write_text(OTHER)
    capsys.readouterr()
    code = run(["--db", str(db), "ingest", "--json", str(bad), str(other)])
    captured = capsys.readouterr()
    data = json.loads(captured.out.strip().splitlines()[-1])
    failed = [o for o in data["outcomes"] if o["status"] == "failed"]
    assert code == 1
    assert len(failed) == 1 and name in failed[0]["source"]
    assert reason.lower() in (failed[0]["reason"] + " " + (failed[0]["hint"] or "")).lower()
    assert f"failed {bad}" in captured.err or name in captured.err
    assert stats(db, capsys)["documents"] >= 2  # the earlier document and the good one of this batch


def test_ingest_oversize_and_missing_path_fail_with_hints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Clashes were reported in Raqqa. " * 1000)
    code = run(
        [
            "--db",
            str(tmp_path / "s.db"),
            "--set",
            "ingest.max_bytes=2000",
            "ingest",
            "--json",
            str(big),
            str(tmp_path / "missing.txt"),
        ]
    )
    data = summary(capsys)
    assert code == 1
    reasons = " ".join(o["reason"] + " " + (o["hint"] or "") for o in data["outcomes"])  # type: ignore[attr-defined]
    assert "max_bytes" in reasons
    assert data["counts"]["failed"] == 2  # type: ignore[index]


def test_ingest_404_url_is_reported_and_run_goes_on(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/missing").respond_with_data("nope", status=404)
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    code = run(
        [
            "--db",
            str(tmp_path / "s.db"),
            "ingest",
            "--json",
            "--allow-private",
            httpserver.url_for("/missing"),
            str(good),
        ]
    )
    data = summary(capsys)
    assert code == 1
    assert data["counts"]["stored"] == 1  # type: ignore[index]
    failed = [o for o in data["outcomes"] if o["status"] == "failed"]  # type: ignore[attr-defined]
    assert "404" in failed[0]["reason"]


def test_ingest_near_duplicate_is_linked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = GOOD.split("\n\n", 1)[1] * 3
    (tmp_path / "a.txt").write_text("Title: IS attacks airport\nDate: 2017-01-16\nSource: Test Wire\n\n" + body)
    trimmed = body.rsplit("\n", 2)[0]
    (tmp_path / "b.txt").write_text(
        "Title: Airport attacked\nDate: 2017-01-16\nSource: Second Paper\n\n" + trimmed + "\n"
    )
    assert (
        run(["--db", str(tmp_path / "s.db"), "ingest", "--json", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 0
    )
    data = summary(capsys)
    statuses = sorted(o["status"] for o in data["outcomes"])  # type: ignore[attr-defined]
    assert statuses == ["near-duplicate", "stored"]


def test_ingest_undated_document_is_flagged_not_dated_today(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "undated.txt"
    f.write_text("Syrian troops\nSyrian troops held their positions in Deir ez-Zor after heavy fighting with IS.\n")
    db = tmp_path / "s.db"
    assert run(["--db", str(db), "ingest", "--quiet", str(f)]) == 0
    capsys.readouterr()
    assert run(["--db", str(db), "documents", "--json"]) == 0
    [doc] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert doc["published"] is None and doc["published_missing"] is True
    assert doc["title"] == "Syrian troops"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present beside the checkout")
def test_ingest_seeds_dates_and_headlines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    assert run(["--db", str(db), "ingest", "--quiet", str(SEEDS / "004_9cebd7433be18435.txt")]) == 0
    assert run(["--db", str(db), "ingest", "--quiet", str(SEEDS / "000_cf738dbb4a0f3d86.txt")]) == 0
    capsys.readouterr()
    assert run(["--db", str(db), "documents", "--json"]) == 0
    docs = {Path(d["path"]).name: d for d in (json.loads(x) for x in capsys.readouterr().out.splitlines())}
    d004, d000 = docs["004_9cebd7433be18435.txt"], docs["000_cf738dbb4a0f3d86.txt"]
    assert d004["published"] == "2017-01-23"
    assert d004["title"] is None or "date" not in d004["title"].lower()
    assert d000["title"] == "Syrian troops" and d000["published"] is None
    db2 = tmp_path / "s2.db"
    assert (
        run(
            [
                "--db",
                str(db2),
                "ingest",
                "--quiet",
                "--published",
                "2017-01-19",
                str(SEEDS / "000_cf738dbb4a0f3d86.txt"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert run(["--db", str(db2), "documents", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["published"] == "2017-01-19"


def test_cli_usage_errors_exit_2_with_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["--db", str(tmp_path / "s.db"), "ingest", "--published", "19/01/2017", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "--published" in err and "YYYY-MM-DD" in err


def test_cli_bad_setting_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["--set", "fuse.window_days=many", "config", "show"])
    err = capsys.readouterr().err
    assert code == 1 and "fuse.window_days" in err and "hint:" in err


def test_cli_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.startswith("sitreps ")
