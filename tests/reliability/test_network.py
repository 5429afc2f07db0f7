"""SSRF guard and timeouts of the fetcher, against loopback servers this test starts (no other address is used)."""

from __future__ import annotations

import time

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
    def slow(_request: Request) -> Response:
        time.sleep(1.5)
        return Response("late", content_type="text/plain")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    url = httpserver.url_for("/slow")
    t0 = time.perf_counter()
    with Fetcher(ReadOptions(allow_private=True, timeout=0.3)) as f, pytest.raises(FetchError) as e:
        f.fetch(url)
    assert e.value.source == url and "timed out" in e.value.reason
    assert time.perf_counter() - t0 < 1.4


def test_fetcher_stops_redirect_loops(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/loop").respond_with_response(Response(status=302, headers={"Location": "/loop"}))
    with Fetcher(ReadOptions(allow_private=True, max_redirects=3)) as f, pytest.raises(FetchError) as e:
        f.fetch(httpserver.url_for("/loop"))
    assert "too many redirects" in e.value.reason
