"""Safe URL fetching: timeouts, a size cap, checked redirects, content types and no private addresses."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from sitreps.errors import FetchError
from sitreps.ingest.decode import human_size
from sitreps.ingest.options import ReadOptions

ALLOWED_TYPES: frozenset[str] = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/json",
        "application/x-ndjson",
        "application/jsonl",
        "text/csv",
    }
)
_REDIRECTS = {301, 302, 303, 307, 308}
TOTAL_TIMEOUT_FACTOR = 4  # a whole download (every redirect hop and the body) gets this many fetch.timeout
_PRIVATE_HINT = "only public web addresses are fetched; for a local test server set fetch.allow_private=true"


@dataclass(slots=True)
class Fetched:
    """A successful download: the final URL (after redirects), its media type and charset, and the body."""

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses.

    Why `is_global` and the extra checks: it rules out loopback, private (10/8, 172.16/12,
    192.168/16, fc00::/7), link-local (169.254/16 — cloud metadata at 169.254.169.254 — and
    fe80::/10), carrier-grade NAT (100.64/10), reserved and unspecified ranges; multicast is
    excluded separately because some multicast ranges count as global. IPv4-mapped IPv6
    (::ffff:127.0.0.1) is judged by the IPv4 address it carries.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


def check_addresses(host: str, addresses: Sequence[str], *, allow_private: bool) -> None:
    """Refuse a host when any address it resolves to is not public (unless allow_private).

    Why every address: a name with one public and one private record could be connected
    to either; DNS answers are the attacker's to choose.

    Raises:
        FetchError: naming the host and the refused address.
    """
    if allow_private:
        return
    if not addresses:
        raise FetchError(host, "host has no addresses", "check the URL's host name")
    for address in addresses:
        if not is_public_address(address):
            raise FetchError(host, f"refused: resolves to non-public address {address}", _PRIVATE_HINT)


def resolve_host(host: str, port: int) -> list[str]:
    """Every address a host name resolves to (IP literals resolve to themselves).

    Raises:
        FetchError: when the name does not resolve.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError(host, f"cannot resolve host ({e})", "check the URL and your network") from e
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _GuardedBackend(httpcore.SyncBackend):
    """Checks addresses again at connect time and connects to a checked address (no DNS rebinding window)."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve_host(host, port)
        check_addresses(host, addresses, allow_private=self.allow_private)
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as e:
                last = e
        raise last if last else httpcore.ConnectError(f"cannot connect to {host}")


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the guarded network backend and no proxies from the environment."""

    def __init__(self, allow_private: bool) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=_GuardedBackend(allow_private),
        )


def _check_url(url: str, allow_private: bool) -> None:
    """Scheme and address policy for one hop, before any connection is made."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(url, f"unsupported URL scheme {parts.scheme!r}", "only http:// and https:// URLs are fetched")
    if not parts.hostname:
        raise FetchError(url, "URL has no host", "write the full address, e.g. https://example.org/news/1")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise FetchError(url, "URL has an invalid port", "check the URL") from e
    try:
        check_addresses(parts.hostname, resolve_host(parts.hostname, port), allow_private=allow_private)
    except FetchError as e:
        raise FetchError(url, e.reason, e.hint) from e


class Fetcher:
    """One HTTP client with the fetch policy of a ReadOptions, reused across a batch (use as a context manager)."""

    def __init__(self, options: ReadOptions) -> None:
        self.options = options
        self._client = httpx.Client(
            transport=_GuardedTransport(options.allow_private),
            timeout=httpx.Timeout(options.timeout),
            headers={"User-Agent": options.user_agent, "Accept": ", ".join(sorted(ALLOWED_TYPES)) + ", */*;q=0.1"},
            follow_redirects=False,
            trust_env=False,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def fetch(self, url: str) -> Fetched:
        """Download a URL under the policy: each redirect hop checked, body capped at max_bytes.

        Raises:
            FetchError: refused address or scheme, too many redirects, HTTP 4xx/5xx, timeout,
                connection failure, disallowed content type or oversize body; each names the URL.
        """
        opts = self.options
        current = url
        deadline = time.monotonic() + opts.timeout * TOTAL_TIMEOUT_FACTOR
        for _hop in range(opts.max_redirects + 1):
            self._check_deadline(current, deadline)
            _check_url(current, opts.allow_private)
            try:
                with self._client.stream("GET", current) as resp:
                    if resp.status_code in _REDIRECTS and "location" in resp.headers:
                        current = urljoin(current, resp.headers["location"])
                        continue
                    return self._finish(current, resp, deadline)
            except FetchError as e:
                if e.source == current:
                    raise
                raise FetchError(current, e.reason, e.hint) from e
            except httpx.TimeoutException as e:
                raise FetchError(
                    current, f"timed out after {opts.timeout:g} s", "try again later or raise fetch.timeout"
                ) from e
            except httpx.HTTPError as e:
                raise FetchError(
                    current, f"cannot fetch ({type(e).__name__}: {e})", "check the URL and your network"
                ) from e
        raise FetchError(
            url,
            f"too many redirects (more than {opts.max_redirects})",
            "fetch the final address directly or raise fetch.max_redirects",
        )

    def _check_deadline(self, url: str, deadline: float) -> None:
        """Refuse to go on past the whole download's deadline.

        Why besides httpx's timeout: that one bounds each connect and each read, so a server that drips a byte
        just inside it (or redirects slowly, hop after hop) could hold a batch for hours.
        """
        if time.monotonic() > deadline:
            total = self.options.timeout * TOTAL_TIMEOUT_FACTOR
            raise FetchError(
                url,
                f"timed out: the download took over {total:g} s in all ({TOTAL_TIMEOUT_FACTOR} x fetch.timeout)",
                "the server sends too slowly; try again later or raise fetch.timeout",
            )

    def _finish(self, url: str, resp: httpx.Response, deadline: float) -> Fetched:
        """Status, content type, size and deadline checks on a final (non-redirect) response."""
        opts = self.options
        if resp.status_code >= 400:
            raise FetchError(
                url,
                f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip(),
                "check the address" if resp.status_code < 500 else "the server failed; try again later",
            )
        raw_type = resp.headers.get("content-type", "")
        media = raw_type.split(";", 1)[0].strip().lower()
        if media and media not in ALLOWED_TYPES:
            raise FetchError(
                url,
                f"unsupported content type {media!r}",
                "sitreps reads HTML pages, RSS/Atom feeds, plain text, JSON and CSV; download other files and convert them",
            )
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > opts.max_bytes:
            raise FetchError(
                url,
                f"response is {human_size(int(declared))}, over the {human_size(opts.max_bytes)} limit",
                "raise ingest.max_bytes",
            )
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_bytes():
            self._check_deadline(url, deadline)
            size += len(chunk)
            if size > opts.max_bytes:
                raise FetchError(
                    url, f"response is over the {human_size(opts.max_bytes)} limit", "raise ingest.max_bytes"
                )
            chunks.append(chunk)
        return Fetched(
            url=str(resp.url),
            status=resp.status_code,
            content_type=media,
            charset=resp.charset_encoding,
            body=b"".join(chunks),
        )


def fetch_url(url: str, options: ReadOptions) -> Fetched:
    """Fetch one URL with a throwaway client; use `Fetcher` to reuse connections across a batch."""
    with Fetcher(options) as fetcher:
        return fetcher.fetch(url)
