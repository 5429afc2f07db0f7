"""Tests that each bad input gives one clear InputError and the good inputs in the batch still come through."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitreps.errors import InputError
from sitreps.ingest import ReadOptions, iter_documents
from sitreps.model import Document

DATA = Path(__file__).parent.parent / "data" / "ingest"
GOOD = str(DATA / "headers.txt")


def run(inputs, **opts):
    results = list(iter_documents([*inputs, GOOD], ReadOptions(**opts)))
    assert isinstance(results[-1], Document), "the good input after the bad one must still be read"
    return [r for r in results if isinstance(r, InputError)]


def test_bad_input_binary_file(tmp_path):
    p = tmp_path / "scan.txt"
    p.write_bytes(b"%PDF-1.4\x00\x01\x02\x03" * 50)
    (err,) = run([str(p)])
    assert err.source == str(p)
    assert "binary" in err.reason


def test_bad_input_cp1252_falls_back(tmp_path):
    p = tmp_path / "old.txt"
    p.write_bytes("Caf\u00e9 owners said the shelling \u2013 the worst in weeks \u2013 had stopped.".encode("cp1252"))
    (doc,) = list(iter_documents([str(p)], ReadOptions()))
    assert isinstance(doc, Document)
    assert doc.text == "Caf\u00e9 owners said the shelling - the worst in weeks - had stopped."


def test_bad_input_undecodable_bytes(tmp_path):
    p = tmp_path / "odd.txt"
    p.write_bytes(b"Plain words then \x81\x8d\x8f\x90 undefined in both encodings.")
    (err,) = run([str(p)])
    assert "cannot decode" in err.reason


@pytest.mark.parametrize("content", ["", "   \n\n  ", "Title: Only a title\nDate: 2020-01-01\n"])
def test_bad_input_empty_body(tmp_path, content):
    p = tmp_path / "empty.txt"
    p.write_text(content)
    (err,) = run([str(p)])
    assert "empty document" in err.reason


def test_bad_input_broken_html():
    (err,) = run([str(DATA / "broken.html")])
    assert err.reason == "no article text found"


def test_bad_input_bad_jsonl_line_names_the_line():
    errors = run([str(DATA / "rows.jsonl")])
    assert errors[0].message.startswith(f"{DATA / 'rows.jsonl'}:2: not valid JSON (")


def test_bad_input_oversize_file(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_text("word " * 1_500_000)
    (err,) = run([str(p)])
    assert err.reason == "file is 7.5 MB, over the 5 MB limit"
    assert "ingest.max_bytes" in (err.hint or "")


def test_bad_input_missing_path(tmp_path):
    (err,) = run([str(tmp_path / "nope.txt")])
    assert err.reason == "no such file or folder"


def test_bad_input_unreadable_file(tmp_path):
    p = tmp_path / "locked.txt"
    p.write_text("Secret report.")
    p.chmod(0)
    if os.geteuid() == 0:
        pytest.skip("running as root: file permissions are not enforced")
    (err,) = run([str(p)])
    assert err.reason == "permission denied"


def test_bad_input_empty_folder(tmp_path):
    (err,) = run([str(tmp_path)])
    assert "no readable files" in err.reason


def test_bad_input_invalid_json_file(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('[{"text": "a"},')
    (err,) = run([str(p)])
    assert err.reason.startswith("not valid JSON")


def test_bad_input_broken_feed(tmp_path):
    p = tmp_path / "feed.rss"
    p.write_text("this is not a feed at all")
    (err,) = run([str(p)])
    assert err.source == str(p)
