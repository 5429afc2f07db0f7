"""The ingest entry point: paths, folders, URLs and stdin in any supported format → Documents or InputErrors."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Literal

from sitreps.errors import InputError
from sitreps.ingest.decode import decode_bytes, read_path_bytes, too_big
from sitreps.ingest.feed import iter_feed
from sitreps.ingest.fetch import Fetcher
from sitreps.ingest.html import looks_like_html, read_html
from sitreps.ingest.options import TEXT_FIELDS, ReadOptions
from sitreps.ingest.tabular import iter_csv, iter_json, iter_jsonl
from sitreps.ingest.text import read_text
from sitreps.model import Document

Format = Literal["text", "html", "jsonl", "json", "csv", "tsv", "feed"]
FORMATS: tuple[Format, ...] = ("text", "html", "jsonl", "json", "csv", "tsv", "feed")

SUFFIXES: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:rdf)\b", re.IGNORECASE)

Result = Document | InputError


def sniff_format(data: bytes) -> Format:
    """Guess the format of bytes with no trusted name (stdin, URLs, unknown suffixes) from their opening.

    Why: a feed served as text/html, or JSON Lines piped into stdin, should still be read
    as what it is; the opening bytes say more than the label.
    """
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").decode("utf-8", errors="replace")
    low = head.lower()
    if low.startswith("<?xml") or _FEED_ROOT.match(low):
        return "feed" if _FEED_ROOT.search(low) else "html" if "<html" in low else "feed"
    if low.startswith(("<!doctype html", "<html")) or (low.startswith("<") and looks_like_html(head)):
        return "html"
    if low.startswith("["):
        return "json"
    if low.startswith("{"):
        lines = [line for line in head.splitlines() if line.strip()]
        return "jsonl" if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines[1:2]) else "json"
    first = low.split("\n", 1)[0]
    for delim, fmt in ((",", "csv"), ("\t", "tsv")):
        cols = [c.strip().strip('"') for c in first.split(delim)]
        if len(cols) > 1 and any(c in TEXT_FIELDS for c in cols):
            return fmt  # type: ignore[return-value]
    return "text"


def _format_for(content_type: str, data: bytes) -> Format:
    """A downloaded body's format from its content type, corrected by sniffing where labels are loose."""
    sniffed = sniff_format(data)
    if content_type in _FEED_TYPES:
        return "feed" if sniffed in ("feed", "text") else sniffed
    if content_type in ("text/html", "application/xhtml+xml"):
        return "feed" if sniffed == "feed" else "html"
    if content_type == "text/csv":
        return "csv"
    return sniffed


def iter_bytes(
    data: bytes,
    *,
    source: str,
    options: ReadOptions,
    fmt: Format | None = None,
    url: str | None = None,
    charset: str | None = None,
    fetcher: Callable[[], Fetcher] | None = None,
) -> Iterator[Result]:
    """Documents from bytes already in hand (an upload, a download, a file's content).

    Args:
        data: the raw bytes.
        source: what to call the input in errors and `Document.path`.
        options: overrides, field mapping and policy.
        fmt: one of FORMATS; sniffed when None.
        url: where the bytes came from (HTML pages use it when they lack a canonical URL).
        charset: the declared encoding (HTTP header), tried first.
        fetcher: returns the batch's shared client, for feed entries without a body; when None,
            one is made on first need and closed at the end.
    """
    own: list[Fetcher] = []

    def get_fetcher() -> Fetcher:
        if fetcher is not None:
            return fetcher()
        if not own:
            own.append(Fetcher(options))
        return own[0]

    try:
        if len(data) > options.max_bytes:
            yield too_big(source, len(data), options.max_bytes, what="input")
            return
        fmt = fmt or sniff_format(data)
        if fmt == "feed":
            yield from iter_feed(data, source=source, options=options, fetcher=get_fetcher)
            return
        try:
            text = decode_bytes(data, source, fallback=options.fallback_encoding, declared=charset)
            if fmt == "jsonl":
                yield from iter_jsonl(text, source=source, options=options)
            elif fmt == "json":
                yield from iter_json(text, source=source, options=options)
            elif fmt in ("csv", "tsv"):
                yield from iter_csv(text, source=source, options=options, delimiter="\t" if fmt == "tsv" else None)
            elif fmt == "html":
                yield read_html(text, source=source, options=options, url=url)
            else:
                yield read_text(text, source=source, options=options)
        except InputError as e:
            yield e
    finally:
        for f in own:
            f.close()


def _is_hidden(path: Path, root: Path) -> bool:
    """Dot-files and anything inside dot-folders (.git, .venv) under the walked folder."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


PROJECT_FILES = frozenset({"readme", "license", "licence", "changelog", "contributing", "notice", "copying", "authors"})
"""Stems of a folder's own notes (README.md, LICENSE.txt): not reports, so a walked folder skips them; a file named
on the command line is still read."""


def _walk(root: Path, options: ReadOptions) -> Iterator[Path | InputError]:
    """Files under a folder that match the glob, are not hidden, are not the folder's README or licence and have a
    known suffix, in sorted order."""
    try:
        found = sorted(
            p
            for p in root.glob(options.glob)
            if p.is_file()
            and not _is_hidden(p, root)
            and p.suffix.lower() in SUFFIXES
            and p.stem.lower() not in PROJECT_FILES
        )
    except (OSError, ValueError) as e:
        yield InputError(
            str(root), f"cannot list the folder ({e})", "check the folder's permissions and the --glob pattern"
        )
        return
    if not found:
        yield InputError(
            str(root),
            f"no readable files matching {options.glob!r}",
            f"sitreps reads {', '.join(sorted(SUFFIXES))}; check the folder or --glob",
        )
    yield from found


def _read_stdin(stream: BinaryIO, options: ReadOptions) -> bytes | InputError:
    """stdin read up to the size cap (one byte more, to know it was exceeded)."""
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        return too_big("-", len(data), options.max_bytes, what="stdin")
    return data


def iter_documents(
    inputs: Sequence[str], options: ReadOptions | None = None, *, stdin: BinaryIO | None = None
) -> Iterator[Result]:
    """Every Document the inputs hold, and one InputError per input (or row, or entry) that cannot be read.

    Why errors are yielded, not raised: a batch of thousands of reports must not stop at the
    first broken file; the caller stores the good ones, reports the bad ones and sets the exit code.

    Args:
        inputs: file paths, folders (read recursively with `options.glob`), http(s) URLs, or "-" for stdin.
        options: overrides, field mapping, size cap and fetch policy (defaults when None).
        stdin: the stream "-" reads (default: sys.stdin.buffer).

    Yields:
        Document or InputError (FetchError for URLs), in input order.
    """
    options = options or ReadOptions()
    fetchers: list[Fetcher] = []

    def fetcher() -> Fetcher:
        if not fetchers:
            fetchers.append(Fetcher(options))
        return fetchers[0]

    try:
        for item in inputs:
            if item == "-":
                data = _read_stdin(stdin or sys.stdin.buffer, options)
                if isinstance(data, InputError):
                    yield data
                else:
                    yield from iter_bytes(data, source="-", options=options, fetcher=fetcher)
            elif item.lower().startswith(("http://", "https://")):
                yield from _iter_url(item, options, fetcher())
            else:
                yield from _iter_path(Path(item), options, fetcher)
    finally:
        for f in fetchers:
            f.close()


def _iter_url(url: str, options: ReadOptions, fetcher: Fetcher) -> Iterator[Result]:
    """A URL: fetched under the policy, then read as the format its type and opening say."""
    try:
        page = fetcher.fetch(url)
    except InputError as e:
        yield e
        return
    fmt = _format_for(page.content_type, page.body)
    source = url if fmt in ("html", "text") else page.url
    yield from iter_bytes(
        page.body, source=source, options=options, fmt=fmt, url=page.url, charset=page.charset, fetcher=lambda: fetcher
    )


def _iter_path(path: Path, options: ReadOptions, fetcher: Callable[[], Fetcher]) -> Iterator[Result]:
    """A file (format by suffix, else sniffed) or a folder (walked)."""
    if path.is_dir():
        for found in _walk(path, options):
            if isinstance(found, InputError):
                yield found
            else:
                yield from _iter_file(found, options, fetcher)
        return
    yield from _iter_file(path, options, fetcher)


def _iter_file(path: Path, options: ReadOptions, fetcher: Callable[[], Fetcher]) -> Iterator[Result]:
    """One file, read whole under the size cap."""
    try:
        data = read_path_bytes(path, options.max_bytes)
    except InputError as e:
        yield e
        return
    fmt = SUFFIXES.get(path.suffix.lower())
    yield from iter_bytes(data, source=str(path), options=options, fmt=fmt, fetcher=fetcher)
