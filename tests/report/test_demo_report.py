"""The report the issue asks for: Deir ez-Zor, January 2017, from the ingested demo corpus, in md, html and pdf."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from sitreps.cli import run
from sitreps.store import make_engine, session_factory
from sitreps.store.query import get_event

AREA = ["--place", "Deir ez-Zor", "--radius-km", "40", "--since", "2017-01-01", "--until", "2017-01-31"]
SECTIONS = ("## Headline figures", "## Key developments", "## Claims to treat with care", "## Actors", "## Sources")


def _cited(text: str) -> set[str]:
    return set(re.findall(r"\bev_[0-9a-f]{6,}\b", text))


def test_demo_report_deir_ez_zor_january_markdown_cites_stored_events(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--db", demo_db, "report", *AREA]) == 0
    md = capsys.readouterr().out
    for heading in SECTIONS:
        assert heading in md
    assert "Deir ez-Zor" in md
    ids = _cited(md)
    assert ids, "the report cites no event"
    eng = make_engine(demo_db)
    with session_factory(eng)() as s:
        for eid in ids:
            event = get_event(s, eid)
            assert event.date is not None and event.date.start is not None
            assert str(event.date.end) >= "2017-01-01" and str(event.date.start) <= "2017-01-31"
    eng.dispose()


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_demo_report_renders_html_and_pdf(demo_db: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"deir.{fmt}"
    assert run(["--db", demo_db, "report", *AREA, "--format", fmt, "-o", str(out)]) == 0
    data = out.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "Key developments" in text and "Deir ez-Zor" in text
    else:
        html = data.decode()
        assert "<h2" in html and "Key developments" in html and "data:image/png;base64," in html
        assert _cited(html)
