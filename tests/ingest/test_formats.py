"""Tests for each input format: HTML, JSON Lines, JSON, CSV, RSS, Atom, folders and stdin."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from sitreps.errors import InputError
from sitreps.ingest import ReadOptions, iter_bytes, iter_documents, sniff_format
from sitreps.model import Document

DATA = Path(__file__).parent.parent / "data" / "ingest"


def split(results):
    docs = [r for r in results if isinstance(r, Document)]
    errors = [r for r in results if isinstance(r, InputError)]
    assert len(docs) + len(errors) == len(results)
    return docs, errors


def read(*names: str, **opts):
    return split(list(iter_documents([str(DATA / n) for n in names], ReadOptions(**opts))))


def test_html_extracts_text_and_metadata():
    docs, errors = read("article.html")
    assert errors == []
    (doc,) = docs
    assert doc.title == "Drone strike hits fuel depot in Orlen"
    assert doc.published == date(2019, 6, 4)
    assert doc.published_source == "html-meta"
    assert doc.outlet == "Harbour Herald"
    assert doc.author == "Tomas Reyes"
    assert doc.url == "https://harbourherald.example/world/orlen-depot"
    assert doc.text.startswith("A drone strike set a fuel depot")
    assert "Home" not in doc.text and "Copyright" not in doc.text


def test_jsonl_yields_one_document_per_row_and_reports_bad_lines():
    docs, errors = read("rows.jsonl")
    path = str(DATA / "rows.jsonl")
    assert [d.path for d in docs] == [f"{path}:1", f"{path}:4"]
    first = docs[0]
    assert first.title == "Curfew declared in Deslo after clashes"
    assert first.published == date(2020, 9, 14)
    assert first.published_source == "field"
    assert first.outlet == "East Wire"
    assert first.url == "https://www.eastwire.example/deslo-curfew"
    assert docs[1].outlet is None
    assert [e.source for e in errors] == [f"{path}:2", f"{path}:3"]
    assert errors[0].reason.startswith("not valid JSON (")
    assert "text / body / content / article" in errors[1].reason
    assert "--text-field" in (errors[1].hint or "")


def test_jsonl_text_field_option_picks_the_column():
    docs, errors = read("rows.jsonl", text_field="summary")
    assert [d.text for d in docs] == ["no text field here"]
    assert len(errors) == 3


def test_json_array_reads_each_object_and_strips_markup():
    docs, errors = read("array.json")
    assert errors == []
    assert [d.path for d in docs] == [f"{DATA / 'array.json'}#1", f"{DATA / 'array.json'}#2"]
    assert docs[0].text == (
        "Delegations from both sides opened ceasefire talks in Varna Bay on Monday.\n\n"
        "Mediators said they hoped for an agreement within a week."
    )
    assert docs[0].published == date(2021, 7, 5)
    assert docs[0].outlet == "gulfdaily.example"
    assert docs[1].published == date(2021, 7, 6)


def test_csv_rows_with_line_numbers_and_missing_text():
    docs, errors = read("rows.csv")
    path = str(DATA / "rows.csv")
    assert [d.path for d in docs] == [f"{path}:2", f"{path}:4"]
    assert docs[1].published == date(2018, 2, 3)
    assert docs[0].outlet == "North Star"
    assert [e.source for e in errors] == [f"{path}:3"]


def test_rss_feed_entries_become_documents():
    docs, errors = read("feed.xml")
    assert errors == []
    path = str(DATA / "feed.xml")
    assert [d.path for d in docs] == [f"{path}#1", f"{path}#2"]
    assert docs[0].title == "Rebels claim capture of Hill 402"
    assert docs[0].published == date(2017, 1, 20)
    assert docs[0].published_source == "feed"
    assert docs[0].outlet == "Frontline Daily"
    assert docs[0].url == "https://frontline.example/hill-402"
    assert docs[0].text.endswith("The army denied the claim.")
    assert "<p>" not in docs[0].text


def test_atom_feed_entry_becomes_a_document():
    docs, errors = read("atom.xml")
    assert errors == []
    (doc,) = docs
    assert doc.published == date(2022, 4, 1)
    assert doc.outlet == "Coastline Monitor"
    assert doc.text.startswith("The navy said")


def test_feed_refuses_entity_declarations(tmp_path):
    evil = tmp_path / "evil.xml"
    evil.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<rss><channel><title>t</title><item><title>a</title><description>&x;</description></item></channel></rss>"
    )
    docs, errors = split(list(iter_documents([str(evil)], ReadOptions())))
    assert docs == []
    assert "declares XML entities" in errors[0].reason


def test_folder_is_walked_recursively_with_glob_and_hidden_files_skipped(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Title: One\n\nFirst report body.")
    (tmp_path / "two.md").write_text("Second report body, plain.")
    (tmp_path / ".hidden.txt").write_text("Should not be read.")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    docs, errors = split(list(iter_documents([str(tmp_path)], ReadOptions())))
    assert errors == []
    assert sorted(d.text for d in docs) == ["First report body.", "Second report body, plain."]
    docs, _ = split(list(iter_documents([str(tmp_path)], ReadOptions(glob="**/*.md"))))
    assert [d.text for d in docs] == ["Second report body, plain."]


def test_walked_folder_skips_its_readme_and_licence_but_a_named_readme_is_read(tmp_path):
    (tmp_path / "report.txt").write_text("Fighting was reported near the town on Monday.")
    (tmp_path / "README.md").write_text("These files are the reports of the week.")
    (tmp_path / "LICENSE.txt").write_text("Permission is granted to read.")
    docs, errors = split(list(iter_documents([str(tmp_path)], ReadOptions())))
    assert errors == []
    assert [d.text for d in docs] == ["Fighting was reported near the town on Monday."]
    docs, _ = split(list(iter_documents([str(tmp_path / "README.md")], ReadOptions())))
    assert [d.text for d in docs] == ["These files are the reports of the week."]


def test_stdin_is_sniffed():
    jsonl = b'{"text": "Row one."}\n{"text": "Row two."}\n'
    docs, errors = split(list(iter_documents(["-"], ReadOptions(), stdin=io.BytesIO(jsonl))))
    assert errors == []
    assert [d.path for d in docs] == ["-:1", "-:2"]


def test_sniff_format_recognises_each_format():
    assert sniff_format((DATA / "feed.xml").read_bytes()) == "feed"
    assert sniff_format((DATA / "atom.xml").read_bytes()) == "feed"
    assert sniff_format((DATA / "article.html").read_bytes()) == "html"
    assert sniff_format((DATA / "array.json").read_bytes()) == "json"
    assert sniff_format((DATA / "rows.jsonl").read_bytes()) == "jsonl"
    assert sniff_format((DATA / "rows.csv").read_bytes()) == "csv"
    assert sniff_format((DATA / "headers.txt").read_bytes()) == "text"


def test_iter_bytes_reads_an_upload():
    (doc,) = list(iter_bytes(b"Date: 2020-01-02\n\nShelling was reported.", source="upload", options=ReadOptions()))
    assert isinstance(doc, Document)
    assert doc.published == date(2020, 1, 2)
    assert doc.path == "upload"
