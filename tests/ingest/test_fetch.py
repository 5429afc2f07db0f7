"""Tests for URL ingest against a real HTTP server on 127.0.0.1, and for the private-address guard."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from werkzeug import Response

from sitreps.errors import FetchError, InputError
from sitreps.ingest import ReadOptions, check_addresses, fetch_url, is_public_address, iter_documents
from sitreps.ingest.fetch import Fetcher, _check_url
from sitreps.model import Document

DATA = Path(__file__).parent.parent / "data" / "ingest"
LOCAL = ReadOptions(allow_private=True)
HTML = "text/html; charset=utf-8"


def results(url, options=LOCAL):
    return list(iter_documents([url], options))


def test_fetch_html_page(httpserver):
    httpserver.expect_request("/world/orlen").respond_with_data((DATA / "article.html").read_bytes(), content_type=HTML)
    (doc,) = results(httpserver.url_for("/world/orlen"))
    assert isinstance(doc, Document)
    assert doc.title == "Drone strike hits fuel depot in Orlen"
    assert doc.published == date(2019, 6, 4)
    assert doc.path == httpserver.url_for("/world/orlen")


def test_fetch_sends_a_clear_user_agent(httpserver):
    httpserver.expect_request("/ua", headers={"User-Agent": LOCAL.user_agent}).respond_with_data(
        "Report text.", content_type="text/plain"
    )
    (doc,) = results(httpserver.url_for("/ua"))
    assert isinstance(doc, Document)
    assert LOCAL.user_agent.startswith("sitreps/")


def test_fetch_feed_entry_without_body_fetches_its_link(httpserver):
    page = (DATA / "article.html").read_text()
    httpserver.expect_request("/story/1").respond_with_data(
        page.replace('<meta property="article:published_time" content="2019-06-04T08:30:00+00:00">', ""),
        content_type=HTML,
    )
    link = httpserver.url_for("/story/1")
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire Digest</title><link>{httpserver.url_for("/")}</link>
<item><title>Depot fire</title><link>{link}</link><pubDate>Tue, 04 Jun 2019 10:00:00 GMT</pubDate></item>
</channel></rss>"""
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="application/rss+xml")
    (doc,) = results(httpserver.url_for("/feed.xml"))
    assert isinstance(doc, Document), doc
    assert doc.text.startswith("A drone strike set a fuel depot")
    assert doc.path == httpserver.url_for("/feed.xml") + "#1"
    assert doc.outlet == "Wire Digest"
    assert doc.published == date(2019, 6, 4)
    assert doc.published_source == "feed"


def test_fetch_404_names_url_and_status(httpserver):
    httpserver.expect_request("/gone").respond_with_data("nope", status=404)
    url = httpserver.url_for("/gone")
    (err,) = results(url)
    assert isinstance(err, FetchError)
    assert err.source == url
    assert err.reason == "HTTP 404 NOT FOUND"


def test_fetch_500_is_a_fetch_error(httpserver):
    httpserver.expect_request("/boom").respond_with_data("oops", status=503)
    (err,) = results(httpserver.url_for("/boom"))
    assert isinstance(err, FetchError)
    assert "HTTP 503" in err.reason


def test_fetch_oversize_declared_length(httpserver):
    httpserver.expect_request("/big").respond_with_data("x" * 5000, content_type="text/plain")
    with pytest.raises(FetchError, match=r"response is 5 kB, over the 1 kB limit"):
        fetch_url(httpserver.url_for("/big"), ReadOptions(allow_private=True, max_bytes=1000))


def test_fetch_oversize_streamed_body_stops_at_the_cap(httpserver):
    def handler(_request):
        return Response((b"y" * 1000 for _ in range(50)), content_type="text/plain")

    httpserver.expect_request("/stream").respond_with_handler(handler)
    with pytest.raises(FetchError, match=r"over the 10 kB limit"):
        fetch_url(httpserver.url_for("/stream"), ReadOptions(allow_private=True, max_bytes=10_000))


def test_fetch_wrong_content_type(httpserver):
    httpserver.expect_request("/pic").respond_with_data(b"\x89PNG", content_type="image/png")
    (err,) = results(httpserver.url_for("/pic"))
    assert isinstance(err, FetchError)
    assert err.reason == "unsupported content type 'image/png'"


def test_fetch_follows_redirects_within_the_cap(httpserver):
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("Moved report text.", content_type="text/plain")
    page = fetch_url(httpserver.url_for("/old"), LOCAL)
    assert page.url == httpserver.url_for("/new")
    assert page.body == b"Moved report text."


def test_fetch_redirect_chain_over_the_cap(httpserver):
    for i in range(5):
        httpserver.expect_request(f"/r{i}").respond_with_data("", status=302, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(FetchError, match=r"too many redirects \(more than 2\)"):
        fetch_url(httpserver.url_for("/r0"), ReadOptions(allow_private=True, max_redirects=2))


def test_fetch_refuses_local_server_without_allow_private(httpserver):
    httpserver.expect_request("/x").respond_with_data("secret", content_type="text/plain")
    (err,) = results(httpserver.url_for("/x"), ReadOptions())
    assert isinstance(err, FetchError)
    assert "non-public address" in err.reason
    assert "allow_private" in (err.hint or "")
    assert len(httpserver.log) == 0


def test_fetch_transport_guard_refuses_at_connect_time(httpserver):
    """The connection layer checks again, so a DNS answer that changes after the first check cannot slip through."""
    httpserver.expect_request("/x").respond_with_data("secret", content_type="text/plain")
    with Fetcher(ReadOptions()) as fetcher, pytest.raises(FetchError, match="non-public"):
        fetcher._client.get(httpserver.url_for("/x"))
    assert len(httpserver.log) == 0


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::",
        "not-an-ip",
    ],
)
def test_is_public_address_refuses_non_public(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_is_public_address_allows_public(address):
    assert is_public_address(address)


def test_check_addresses_refuses_when_any_resolved_address_is_private():
    with pytest.raises(FetchError, match=r"non-public address 10\.0\.0\.7"):
        check_addresses("news.example", ["93.184.216.34", "10.0.0.7"], allow_private=False)
    check_addresses("news.example", ["93.184.216.34"], allow_private=False)
    check_addresses("news.example", ["10.0.0.7"], allow_private=True)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "non-public address 169.254.169.254"),
        ("http://[::1]:8080/", "non-public address ::1"),
        ("http://10.0.0.1/", "non-public address 10.0.0.1"),
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
    ],
)
def test_check_url_refuses_metadata_private_and_other_schemes(url, reason):
    with pytest.raises(FetchError, match=reason) as info:
        _check_url(url, allow_private=False)
    assert info.value.source == url


def test_fetch_error_is_an_input_error():
    assert issubclass(FetchError, InputError)
