"""ASGI middleware: security headers on every response and a request body size limit with a clear 413."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitreps.api.errors import error_body

MAX_BODY_BYTES = 2 * 1024 * 1024


def tile_source(tile_url: str) -> str | None:
    """The CSP source for a tile URL template (`{s}` subdomains become a wildcard), None when unset."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}", "a"))
    host = parts.hostname or ""
    if "{s}" in tile_url:
        host = "*." + host.split(".", 1)[1] if "." in host else host
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def content_security_policy(tile_url: str = "") -> str:
    """Only our own scripts, styles and data; images may also come from the configured tile host."""
    img = "'self' data:"
    src = tile_source(tile_url)
    if src:
        img += f" {src}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {img}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityMiddleware:
    """Adds CSP, nosniff, Referrer-Policy and frame headers; refuses bodies over `max_body` bytes with 413."""

    def __init__(self, app: ASGIApp, *, csp: str, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body
        self.headers: list[tuple[bytes, bytes]] = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        too_large = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if too_large:
                return  # the app's answer to a cut-off body is replaced by the 413 below
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in self.headers if h[0] not in names]
            await send(message)

        raw_query: bytes = scope.get("query_string", b"")
        if b"%00" in raw_query or b"\x00" in raw_query or "\x00" in scope.get("path", ""):
            # NUL ends a LIKE pattern in SQLite and is refused by PostgreSQL drivers: refuse it for every route.
            await self._refuse(
                send_with_headers, 400, "invalid_request", "the URL contains a NUL character", "remove %00 from the URL"
            )
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await self._too_large(send_with_headers)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body and not started:
                    # Streamed bodies have no Content-Length: stop reading and tell the app the client left.
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, limited_receive, send_with_headers)
        if too_large:
            too_large = False
            await self._too_large(send_with_headers)

    async def _too_large(self, send: Send) -> None:
        mb = self.max_body / (1024 * 1024)
        await self._refuse(
            send,
            413,
            "body_too_large",
            f"request body is larger than {mb:g} MB",
            "send a smaller document (split long texts) or ingest large batches with `sitreps ingest`",
        )

    async def _refuse(self, send: Send, status: int, code: str, message: str, hint: str) -> None:
        raw = json.dumps(error_body(status, code, message, hint=hint)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": raw})


def _content_length(scope: Scope) -> int | None:
    for k, v in scope.get("headers", []):
        if k == b"content-length":
            try:
                return int(v)
            except ValueError:
                return None
    return None
