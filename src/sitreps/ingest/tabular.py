"""JSON Lines, JSON and CSV/TSV inputs: one Document per row, each with its own title, date and outlet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sitreps.errors import InputError
from sitreps.ingest.build import make_document
from sitreps.ingest.dates import parse_date
from sitreps.ingest.html import fragment_text, looks_like_html
from sitreps.ingest.options import (
    DATE_FIELDS,
    OUTLET_FIELDS,
    TEXT_FIELDS,
    TITLE_FIELDS,
    URL_FIELDS,
    ReadOptions,
)
from sitreps.model import Document

_LIST_KEYS = ("documents", "articles", "items", "data", "results", "rows", "entries")


def _pick(row: Mapping[str, Any], chosen: str | None, candidates: Sequence[str]) -> Any:
    """The value of the chosen field, else of the first usual name present (case-insensitive) and non-empty."""
    if chosen is not None:
        return row.get(chosen)
    lower = {str(k).lower(): k for k in row}
    for name in candidates:
        key = lower.get(name.lower())
        if key is not None and row[key] not in (None, ""):
            return row[key]
    return None


def row_document(row: Any, *, source: str, options: ReadOptions) -> Document:
    """One JSON object or CSV row as a Document, fields found by name.

    Raises:
        InputError: the row is not an object, or has no text in the fields tried.
    """
    if not isinstance(row, Mapping):
        raise InputError(
            source,
            f"row is a JSON {type(row).__name__}, not an object",
            'write one object per row: {"title": …, "text": …}',
        )
    text = _pick(row, options.text_field, TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        tried = [options.text_field] if options.text_field else list(TEXT_FIELDS)
        have = ", ".join(str(k) for k in row) or "none"
        raise InputError(
            source,
            f"no text in field {' / '.join(tried)} (fields here: {have})",
            "name the column that holds the article text with --text-field",
        )
    if looks_like_html(text):
        text = fragment_text(text)
    published = parse_date(_pick(row, options.date_field, DATE_FIELDS))
    return make_document(
        text,
        source=source,
        options=options,
        title=_pick(row, options.title_field, TITLE_FIELDS),
        published=published,
        published_source="field" if published else None,
        outlet=_pick(row, options.outlet_field, OUTLET_FIELDS),
        url=_pick(row, options.url_field, URL_FIELDS),
        author=_pick(row, None, ("author", "byline", "authors")),
        language=_pick(row, None, ("language", "lang")),
    )


def _row(row: Any, source: str, options: ReadOptions) -> Document | InputError:
    """row_document, with its InputError returned so the batch goes on."""
    try:
        return row_document(row, source=source, options=options)
    except InputError as e:
        return e


def _or_empty(items: Iterator[Document | InputError], source: str, hint: str) -> Iterator[Document | InputError]:
    """Pass items through; an input that yields nothing at all is reported, never dropped silently."""
    empty = True
    for item in items:
        empty = False
        yield item
    if empty:
        yield InputError(source, "no records found", hint)


def iter_jsonl(text: str, *, source: str, options: ReadOptions) -> Iterator[Document | InputError]:
    """JSON Lines: each non-blank line is one object; a broken line is reported as `file:line` and skipped."""
    return _or_empty(_iter_jsonl(text, source=source, options=options), source, "give one JSON object per line")


def _iter_jsonl(text: str, *, source: str, options: ReadOptions) -> Iterator[Document | InputError]:
    """JSON Lines: each non-blank line is one object; a broken line is reported as `file:line` and skipped."""
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputError(
                where, f"not valid JSON ({e.msg} at column {e.colno})", "fix or remove the line; the others are read"
            )
            continue
        yield _row(row, where, options)


def iter_json(text: str, *, source: str, options: ReadOptions) -> Iterator[Document | InputError]:
    """A JSON array of objects, an object holding such a list, or one article object."""
    return _or_empty(
        _iter_json(text, source=source, options=options), source, "give an array of objects with a text field"
    )


def _iter_json(text: str, *, source: str, options: ReadOptions) -> Iterator[Document | InputError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        if text.count("\n") > 1 and text.lstrip().startswith("{"):
            yield from iter_jsonl(text, source=source, options=options)
            return
        yield InputError(
            source,
            f"not valid JSON ({e.msg} at line {e.lineno} column {e.colno})",
            "fix the JSON, or save one object per line as .jsonl",
        )
        return
    if isinstance(data, dict):
        lists = [data[k] for k in _LIST_KEYS if isinstance(data.get(k), list)]
        if lists:
            data = lists[0]
        else:
            yield _row(data, source, options)
            return
    if not isinstance(data, list):
        yield InputError(
            source, f"JSON holds a {type(data).__name__}, not articles", "give an array of objects with a text field"
        )
        return
    for i, row in enumerate(data, start=1):
        yield _row(row, f"{source}#{i}", options)


def iter_csv(
    text: str, *, source: str, options: ReadOptions, delimiter: str | None = None
) -> Iterator[Document | InputError]:
    """CSV or TSV with a header row; each row is reported as `file:line` (the line the row starts on)."""
    rows = _iter_csv(text, source=source, options=options, delimiter=delimiter)
    return _or_empty(rows, source, "add rows under the header line")


def _iter_csv(
    text: str, *, source: str, options: ReadOptions, delimiter: str | None = None
) -> Iterator[Document | InputError]:
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes))
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t|", key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 2
    try:
        for row in reader:
            where = f"{source}:{start}"
            start = reader.line_num + 1
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            clean = {k: v for k, v in row.items() if k is not None}
            yield _row(clean, where, options)
    except csv.Error as e:
        yield InputError(
            f"{source}:{reader.line_num}", f"broken CSV ({e})", "fix the quoting on that line; rows before it were read"
        )
    if reader.fieldnames is None:
        yield InputError(
            source, "empty CSV (no header row)", "the first line must name the columns, e.g. title,date,text"
        )
