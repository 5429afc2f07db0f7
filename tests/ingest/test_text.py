"""Tests for plain-text reports: header lines, crawler date headers and headline first lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitreps.ingest import ReadOptions, iter_documents
from sitreps.ingest.text import split_head
from sitreps.model import Document

DATA = Path(__file__).parent.parent / "data" / "ingest"


def read_one(path: Path, options: ReadOptions | None = None) -> Document:
    results = list(iter_documents([str(path)], options or ReadOptions()))
    assert len(results) == 1
    doc = results[0]
    assert isinstance(doc, Document), doc
    return doc


def test_text_reads_header_lines():
    doc = read_one(DATA / "headers.txt")
    assert doc.title == "Militia fighters shell river crossing near Karvan"
    assert doc.published == date(2021, 3, 12)
    assert doc.published_source == "header"
    assert doc.outlet == "Valley Post"
    assert doc.url == "https://www.valleypost.example/news/karvan-crossing"
    assert doc.author == "Mira Sato"
    assert doc.text.startswith("Militia fighters shelled the river crossing")
    assert "Title:" not in doc.text
    assert doc.path == str(DATA / "headers.txt")


def test_text_crawler_date_header_is_the_publication_date_not_a_title():
    doc = read_one(DATA / "crawler_date.txt")
    assert doc.published == date(2017, 1, 23)
    assert doc.published_source == "header"
    assert doc.title is None
    assert doc.text.startswith("A commander of the border brigade said on Sunday")
    assert "2017-01-23" not in doc.text


def test_text_headline_first_line_becomes_the_title():
    doc = read_one(DATA / "headline_first.txt")
    assert doc.title == "Syrian troops"
    assert doc.published is None
    assert doc.published_source is None
    assert doc.text.startswith("Government troops have moved")


def test_text_user_overrides_win():
    opts = ReadOptions(published=date(2017, 1, 19), outlet="Desk Notes")
    doc = read_one(DATA / "headers.txt", opts)
    assert doc.published == date(2017, 1, 19)
    assert doc.published_source == "user"
    assert doc.outlet == "Desk Notes"


def test_text_without_date_never_gets_today():
    doc = read_one(DATA / "headline_first.txt")
    assert doc.published is None


@pytest.mark.parametrize(
    ("text", "title", "body_start"),
    [
        ("# Road cut near Amsa\n\nFighters cut the road on Monday.", "Road cut near Amsa", "Fighters cut"),
        ("---\ntitle: Talks stall\ndate: 2020-05-02\n---\nTalks stalled again.", "Talks stall", "Talks stalled"),
        ("Fighters cut the road on Monday.\nResidents fled.", None, "Fighters cut"),
        ("Only one short line", None, "Only one short line"),
        (
            "The army said it had retaken the airport and the two villages beside it on Monday evening\nMore.",
            None,
            "The army",
        ),
    ],
)
def test_split_head_recognises_headlines(text, title, body_start):
    head = split_head(text)
    assert head.fields.get("title") == title
    assert head.body.startswith(body_start)
