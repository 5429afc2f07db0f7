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


@pytest.mark.filterwarnings("ignore:To avoid breaking existing software:DeprecationWarning")
def test_feed_reader_entry_count_is_bounded_only_by_max_bytes() -> None:
    """There is no cap on entries per feed: a 5 MB feed of tiny entries yields one document each.

    Reported to the lead (ingest room): add ingest.max_feed_entries. This test pins today's behaviour: the
    byte cap is the only bound, so entries x per-entry cost stay bounded.
    """
    n = 3000
    items = "".join(
        f"<item><title>t{i}</title><description>Clash number {i} in Raqqa.</description></item>" for i in range(n)
    )
    data = f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode()
    out = list(iter_bytes(data, source="feed.xml", options=ReadOptions(fetch_missing_bodies=False), fmt="feed"))
    assert len(out) == n
    too_big = list(iter_bytes(data, source="feed.xml", options=ReadOptions(max_bytes=len(data) - 1), fmt="feed"))
    assert len(too_big) == 1 and isinstance(too_big[0], InputError)


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
