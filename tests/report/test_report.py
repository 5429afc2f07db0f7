"""Situation reports for Deir ez-Zor, January 2017: content, Markdown/HTML/PDF rendering, empty periods, bad areas."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sitreps.cli import run
from sitreps.errors import UsageError
from sitreps.report import borders, charts
from sitreps.report.render import render_html, render_markdown
from sitreps.report.sitrep import Period, build_sitrep, make_period, parse_last, resolve_area
from sitreps.store import make_engine, session_factory
from sitreps.store.query import get_event
from sitreps.store.reference import describe_event
from tests.export.builders import build_store

BBOX = "39.9,35.1,40.4,35.5"
JAN = ["--since", "2017-01-14", "--until", "2017-01-20"]
SECTIONS = ("Key developments", "Claims to treat with care", "Actors", "Sources")


@pytest.fixture
def db(sqlite_url: str) -> str:
    eng = make_engine(sqlite_url)
    build_store(eng)
    eng.dispose()
    return sqlite_url


def test_build_sitrep_figures_and_ranking(engine: Engine) -> None:
    build_store(engine)
    with session_factory(engine)() as s:
        area = resolve_area(s, bbox=(39.9, 35.1, 40.4, 35.5))
        rep = build_sitrep(s, area, Period(date(2017, 1, 14), date(2017, 1, 20)), now=datetime(2017, 1, 21))
        assert {e.id for e in rep.events} == {"e1battle", "e2strike", "e3civil", "e4reinf"}
        assert rep.previous_events == 1  # e6 on 10 January; e7 has no coordinates so is outside any box
        assert (rep.fatalities_best, rep.fatalities_min, rep.fatalities_max) == (20, 19, 34)
        assert rep.key[0].event.id == "e1battle"  # most killed, three outlets
        assert {c.event.id for c in rep.care} == {"e2strike", "e3civil"}
        assert "Levant Wire" in [c.outlet for c in rep.key[0].citations]
        is_line = next(a for a in rep.actors if a.name == "Islamic State")
        assert is_line.as_actor1 == {"Battles": 1, "Violence against civilians": 1} and is_line.as_actor2 == 1
        assert {x.outlet: x.n_documents for x in rep.sources}["Levant Wire"] == 3
        for eid in rep.cited_event_ids:
            assert get_event(s, eid).id == eid


def test_describe_event_reads_as_a_sentence(engine: Engine) -> None:
    events = {e.id: e for e in build_store(engine)}
    assert describe_event(events["e1battle"]) == (
        "Islamic State fighters clashed with Military Forces of Syria in Deir ez-Zor on 14–15 January 2017; "
        "12–20 killed (best estimate 12)."
    )
    assert describe_event(events["e2strike"]).startswith("Reportedly Military Forces of Russia carried out an air")
    assert describe_event(events["e4reinf"]).endswith("in Deir ez-Zor on 20 January 2017.")


def _cited_ids(text: str) -> set[str]:
    return set(re.findall(r"event[ =]([0-9a-z]+)", text))


def test_report_markdown_has_sections_and_real_event_ids(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--db", db, "report", "--bbox", BBOX, *JAN]) == 0
    md = capsys.readouterr().out
    for heading in ("# Situation report", "## Headline figures", *(f"## {s}" for s in SECTIONS)):
        assert heading in md
    assert "**Events:** 4 (+3 (+300%) against the previous 7 days: 1)" in md
    assert "20 best estimate (range 19–34" in md
    assert "Syrian Observatory for Human Rights" in md  # who claims the hedged strike
    ids = _cited_ids(md)
    assert ids and ids <= {"e1battle", "e2strike", "e3civil", "e4reinf"}
    eng = make_engine(db)
    with session_factory(eng)() as s:
        for eid in ids:
            get_event(s, eid)
    eng.dispose()


def test_report_markdown_file_links_chart_files(db: str, tmp_path: Path) -> None:
    out = tmp_path / "deir.md"
    assert run(["--db", db, "report", "--bbox", BBOX, *JAN, "-o", str(out)]) == 0
    assert "![Map of events by type](deir-map.png)" in out.read_text()
    assert (tmp_path / "deir-map.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "deir-timeline.png").read_bytes()[:4] == b"\x89PNG"


def test_report_html_embeds_charts_and_links_events(db: str, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert (
        run(["--db", db, "report", "--country", "SY", "--admin1", "Deir ez-Zor", *JAN, "-f", "html", "-o", str(out)])
        == 0
    )
    html = out.read_text()
    assert html.count('src="data:image/png;base64,') == 2
    assert 'href="/#event=e1battle"' in html
    for s in SECTIONS:
        assert f"<h2>{s}</h2>" in html
    assert "e5raqqa" not in html  # Raqqa is in another first-level area


def test_report_pdf_renders(db: str, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    assert run(["--db", db, "report", "--bbox", BBOX, *JAN, "-f", "pdf", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 20_000


def test_report_empty_period_is_short_not_an_error(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", db, "report", "--bbox", BBOX, "--since", "2016-06-01", "--until", "2016-06-07"]
    assert run(args) == 0
    md = capsys.readouterr().out
    assert "No events were recorded" in md and "## Key developments" not in md
    assert run([*args, "-f", "pdf", "-o", str(tmp_path / "e.pdf")]) == 0
    assert (tmp_path / "e.pdf").read_bytes()[:5] == b"%PDF-"


def test_report_unknown_place_lists_closest_names(engine: Engine) -> None:
    build_store(engine)
    with session_factory(engine)() as s, pytest.raises(UsageError) as info:
        resolve_area(s, place="Deir ez-Zorr", resolver=lambda name: None)
    assert "unknown place 'Deir ez-Zorr'" in info.value.message
    assert info.value.hint is not None and "Deir ez-Zor" in info.value.hint


def test_report_place_from_store_and_radius(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--db", db, "report", "--place", "Deir ez-Zor", "--radius-km", "3", *JAN]) == 0
    md = capsys.readouterr().out
    # the airport strike is ~6 km from the city centre: outside a 3 km circle
    assert "**Events:** 3" in md and "e2strike" not in md


def test_report_place_through_the_gazetteer(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("sitreps.geo.resolve")
    assert run(["--db", db, "report", "--place", "Deir Ezzor", "--radius-km", "25", *JAN]) == 0
    assert "**Events:** 4" in capsys.readouterr().out


def test_report_bad_options_are_usage_errors(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--db", db, "report", "--last", "7x"]) == 2
    assert run(["--db", db, "report", "-f", "docx"]) == 2
    assert run(["--db", db, "report", "-f", "pdf"]) == 2
    assert "md, html, pdf" in capsys.readouterr().err


def test_make_period_defaults_to_the_latest_event(engine: Engine) -> None:
    build_store(engine)
    with session_factory(engine)() as s:
        p = make_period(s, last="2w")
    assert (p.since, p.until) == (date(2017, 1, 7), date(2017, 1, 20))
    assert parse_last("1m") == 30


def test_borders_decode_topojson_arcs() -> None:
    topo = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "Square"}},
            {"type": "MultiPolygon", "arcs": [[[~1, ~0]]], "properties": {"name": "Reversed"}},
        ]}},
    }  # fmt: skip
    square, rev = borders.decode_countries(topo)
    assert square.polygons[0][0] == [(10, 20), (12, 20), (12, 22), (10, 22), (10, 20)]
    assert rev.polygons[0][0] == square.polygons[0][0][::-1]


def test_map_without_borders_file_says_so(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_store(engine)
    monkeypatch.setattr(charts, "WORLD_ATLAS", tmp_path / "missing.json")
    with session_factory(engine)() as s:
        rep = build_sitrep(s, resolve_area(s, country="SY"), Period(date(2017, 1, 14), date(2017, 1, 20)))
    html = render_html(rep)
    assert "Map drawn without borders" in html
    assert "Map drawn without borders" not in render_markdown(rep)  # no charts on stdout Markdown
