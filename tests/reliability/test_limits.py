"""Size limits: documents, feed entries, gzip bombs from a local server, and request bodies on the API."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from sitreps.errors import FetchError, InputError
from sitreps.ingest import Fetcher, ReadOptions, iter_bytes, iter_documents


def test_iter_documents_refuses_file_over_max_bytes(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Fighting in Palmyra. " * 2000)
    [item] = list(iter_documents([str(big)], ReadOptions(max_bytes=10_000)))
    assert isinstance(item, InputError) and item.source == str(big)
    assert "over the 10 kB limit" in item.reason and "max_bytes" in (item.hint or "")


def test_iter_bytes_refuses_bytes_over_max_bytes() -> None:
    [item] = list(iter_bytes(b"x" * 2001, source="upload", options=ReadOptions(max_bytes=2000)))
    assert isinstance(item, InputError) and "over the 2 kB limit" in item.reason


def _feed(n: int) -> bytes:
    items = "".join(
        f"<item><title>t{i}</title><description>Clash number {i} in Raqqa.</description></item>" for i in range(n)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode()


@pytest.mark.filterwarnings("ignore:To avoid breaking existing software:DeprecationWarning")
def test_feed_reader_reads_max_feed_entries_and_reports_the_rest() -> None:
    data = _feed(130)
    opts = ReadOptions(fetch_missing_bodies=False, max_feed_entries=100)
    out = list(iter_bytes(data, source="feed.xml", options=opts, fmt="feed"))
    errors = [o for o in out if isinstance(o, InputError)]
    docs = [o for o in out if not isinstance(o, InputError)]
    assert len(docs) == 100 and len(errors) == 1
    assert errors[0].source == "feed.xml" and "feed has 130 entries; only the first 100 are read" in errors[0].reason
    assert "ingest.max_feed_entries" in (errors[0].hint or "")
    assert [d.text for d in docs][-1] == "Clash number 99 in Raqqa."


@pytest.mark.filterwarnings("ignore:To avoid breaking existing software:DeprecationWarning")
def test_feed_reader_under_the_entry_cap_reads_every_entry_and_the_byte_cap_still_applies() -> None:
    data = _feed(3000)
    out = list(iter_bytes(data, source="feed.xml", options=ReadOptions(fetch_missing_bodies=False), fmt="feed"))
    assert len(out) == 3000 and not any(isinstance(o, InputError) for o in out)
    too_big = list(iter_bytes(data, source="feed.xml", options=ReadOptions(max_bytes=len(data) - 1), fmt="feed"))
    assert len(too_big) == 1 and isinstance(too_big[0], InputError) and "limit" in too_big[0].reason


def test_settings_carry_the_feed_entry_cap_to_the_readers() -> None:
    from sitreps.config import load_settings

    settings = load_settings(None, ["ingest.max_feed_entries=7"])
    assert ReadOptions.from_config(settings.ingest, settings.fetch).max_feed_entries == 7


def test_fetcher_stops_gzip_bomb_at_max_bytes_of_decompressed_data(httpserver: HTTPServer) -> None:
    bomb = gzip.compress(b" " * 50_000_000, compresslevel=9)  # 50 MB that travel as ~50 kB
    assert len(bomb) < 100_000
    httpserver.expect_request("/bomb").respond_with_response(
        Response(bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/plain"})
    )
    with Fetcher(ReadOptions(allow_private=True, max_bytes=1_000_000)) as f, pytest.raises(FetchError) as e:
        f.fetch(httpserver.url_for("/bomb"))
    assert "over the 1 MB limit" in e.value.reason and e.value.hint


def test_fetcher_refuses_declared_oversize_before_reading(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data("x" * 20_000, content_type="text/plain")
    with Fetcher(ReadOptions(allow_private=True, max_bytes=10_000)) as f, pytest.raises(FetchError) as e:
        f.fetch(httpserver.url_for("/big"))
    assert "20 kB, over the 10 kB limit" in e.value.reason
