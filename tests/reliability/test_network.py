"""SSRF guard and timeouts of the fetcher, against loopback servers this test starts (no other address is used)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sitreps.errors import FetchError
from sitreps.ingest import Fetcher, ReadOptions, check_addresses, is_public_address

REFUSED = [
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "127.0.0.1",
    "::1",
    "169.254.169.254",
    "fe80::1",
    "0.0.0.0",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "100.64.0.1",
    "fc00::1",
    "224.0.0.1",
    "::",
]


@pytest.mark.parametrize("address", REFUSED)
def test_check_addresses_refuses_non_public(address: str) -> None:
    assert not is_public_address(address)
    with pytest.raises(FetchError) as e:
        check_addresses("evil.example", [address], allow_private=False)
    assert address in e.value.reason and e.value.hint


def test_check_addresses_refuses_a_name_with_one_private_record() -> None:
    with pytest.raises(FetchError):
        check_addresses("mixed.example", ["93.184.216.34", "10.0.0.1"], allow_private=False)


def test_check_addresses_accepts_public_and_allow_private() -> None:
    check_addresses("example.org", ["93.184.216.34", "2606:2800:220:1:248:1893:25c3:1946"], allow_private=False)
    check_addresses("localhost", ["127.0.0.1"], allow_private=True)


def test_fetcher_refuses_loopback_server(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/news").respond_with_data("Fighting in Palmyra.", content_type="text/plain")
    with Fetcher(ReadOptions(allow_private=False)) as f, pytest.raises(FetchError) as e:
        f.fetch(httpserver.url_for("/news"))
    assert "non-public address 127.0.0.1" in e.value.reason
    assert not httpserver.log, "the guard must refuse before any request is sent"


def test_fetcher_refuses_loopback_before_redirecting_to_metadata(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/r").respond_with_response(
        Response(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    )
    with Fetcher(ReadOptions(allow_private=False)) as f, pytest.raises(FetchError) as e:
        f.fetch(httpserver.url_for("/r"))
    assert "non-public" in e.value.reason


def test_fetcher_checks_every_redirect_hop(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first hop is allowed (a public name resolving to our server), the redirect to a private address is not."""
    import sitreps.ingest.fetch as fetch

    real = fetch.resolve_host
    port = httpserver.port

    def fake_resolve(host: str, p: int) -> list[str]:
        return ["127.0.0.1"] if host == "public.test" else real(host, p)

    def fake_public(address: str) -> bool:
        return address == "127.0.0.1" and allowed["loopback"]

    allowed = {"loopback": True}
    monkeypatch.setattr(fetch, "resolve_host", fake_resolve)
    monkeypatch.setattr(fetch, "is_public_address", fake_public)
    httpserver.expect_request("/start").respond_with_response(
        Response(status=302, headers={"Location": "http://10.0.0.1/internal"})
    )
    with Fetcher(ReadOptions(allow_private=False)) as f, pytest.raises(FetchError) as e:
        f.fetch(f"http://public.test:{port}/start")
    assert e.value.source == "http://10.0.0.1/internal" and "10.0.0.1" in e.value.reason
    assert len(httpserver.log) == 1, "the first hop was fetched, the private second hop never"


def test_fetcher_times_out_with_url_in_message(httpserver: HTTPServer) -> None:
    """The server holds its answer until the test releases it: the fetch must give up first, on its own."""
    release, answered = threading.Event(), threading.Event()

    def slow(_request: Request) -> Response:
        release.wait(timeout=30)
        answered.set()
        return Response("late", content_type="text/plain")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    url = httpserver.url_for("/slow")
    try:
        with Fetcher(ReadOptions(allow_private=True, timeout=0.3)) as f, pytest.raises(FetchError) as e:
            f.fetch(url)
        assert not answered.is_set(), "the fetch waited for the answer"
    finally:
        release.set()
    assert e.value.source == url and "timed out" in e.value.reason


def test_fetcher_stops_redirect_loops(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/loop").respond_with_response(Response(status=302, headers={"Location": "/loop"}))
    with Fetcher(ReadOptions(allow_private=True, max_redirects=3)) as f, pytest.raises(FetchError) as e:
        f.fetch(httpserver.url_for("/loop"))
    assert "too many redirects" in e.value.reason


def test_fetcher_stops_a_server_that_drips_bytes_at_the_total_deadline(httpserver: HTTPServer) -> None:
    """Each byte arrives inside the read timeout, so only the whole-download deadline can end the fetch."""
    sent = {"chunks": 0}

    def drip(_request: Request) -> Response:
        def body() -> Iterator[bytes]:
            for _ in range(60):
                sent["chunks"] += 1
                yield b"Fighting in Palmyra. "
                time.sleep(0.1)

        return Response(body(), content_type="text/plain")

    httpserver.expect_request("/drip").respond_with_handler(drip)
    url = httpserver.url_for("/drip")
    with Fetcher(ReadOptions(allow_private=True, timeout=0.4)) as f, pytest.raises(FetchError) as e:
        f.fetch(url)
    assert e.value.source == url and "timed out" in e.value.reason and "in all" in e.value.reason
    assert e.value.hint and sent["chunks"] < 60, "the fetch waited for the whole drip"


def test_fetcher_checks_addresses_again_at_connect_time(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name looks public when the URL is checked, then resolves to loopback for the connection."""
    import sitreps.ingest.fetch as fetch

    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers, ["127.0.0.1"]) if host == "rebind.test" else [host]

    monkeypatch.setattr(fetch, "resolve_host", rebinding)
    httpserver.expect_request("/x").respond_with_data("internal", content_type="text/plain")
    with Fetcher(ReadOptions(allow_private=False)) as f, pytest.raises(FetchError) as e:
        f.fetch(f"http://rebind.test:{httpserver.port}/x")
    assert "non-public address 127.0.0.1" in e.value.reason
    assert not httpserver.log, "the rebound address was connected to"


@pytest.mark.parametrize("host", ["localhost", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "[::ffff:127.0.0.1]"])
def test_fetcher_refuses_loopback_spelled_any_way(httpserver: HTTPServer, host: str) -> None:
    """Every spelling resolves (getaddrinfo) to loopback, where the test server listens: refused before any request."""
    httpserver.expect_request("/x").respond_with_data("internal", content_type="text/plain")
    url = f"http://{host}:{httpserver.port}/x"
    with Fetcher(ReadOptions(allow_private=False)) as f, pytest.raises(FetchError) as e:
        f.fetch(url)
    assert e.value.source == url and "non-public address" in e.value.reason and e.value.hint
    assert not httpserver.log


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1:70/", "http:///x"])
def test_fetcher_refuses_other_schemes_and_hostless_urls(url: str) -> None:
    with Fetcher(ReadOptions(allow_private=True)) as f, pytest.raises(FetchError) as e:
        f.fetch(url)
    assert e.value.source == url and e.value.reason and e.value.hint
