"""Exception handlers that turn every failure into one JSON error shape: ok, error, code, status, details, hint."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitreps.errors import ConfigError, InputError, NotFoundError, SitrepsError, StoreError, UsageError

log = logging.getLogger("sitreps.api")


class ApiError(Exception):
    """An error with an HTTP status and a stable `code` that clients may branch on (e.g. `event_not_found`)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        hint: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint
        self.details = details or []
        self.headers = headers


def error_body(
    status: int, code: str, message: str, *, hint: str | None = None, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The one error shape, so clients and the page parse every failure the same way."""
    return {"ok": False, "error": message, "code": code, "status": status, "details": details or [], "hint": hint}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    hint: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A JSONResponse carrying `error_body`."""
    return JSONResponse(
        error_body(status, code, message, hint=hint, details=details), status_code=status, headers=headers
    )


_HTTP_CODES = {
    400: "bad_request",
    401: "token_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def _sitreps_status(e: SitrepsError) -> int:
    if isinstance(e, NotFoundError):
        return 404
    if isinstance(e, UsageError | InputError):
        return 400
    if isinstance(e, ConfigError | StoreError):
        return 503
    return 500


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, hint=exc.hint, details=exc.details, headers=exc.headers)


async def _sitreps_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SitrepsError)
    status = _sitreps_status(exc)
    details = [{"source": exc.source}] if exc.source else []
    return error_response(status, exc.code, exc.message, hint=exc.hint, details=details)


def _loc(loc: Any) -> list[str | int]:
    return [x if isinstance(x, int) else str(x) for x in loc]


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        {"loc": _loc(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors()
    ]
    first = details[0] if details else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(x) for x in first["loc"])
    message = f"{where}: {first['msg']}" if where else str(first["msg"])
    return error_response(
        422,
        "validation_error",
        message,
        hint="see `details` for every invalid field; the schema is at /openapi.json",
        details=details,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = _HTTP_CODES.get(status, f"http_{status}")
    hint: str | None
    if status == 404:
        code = "route_not_found"
        message = f"no route for {request.url.path}"
        hint = "the API lives under /api/v1; see /openapi.json"
    elif status == 405:
        message = f"method {request.method} not allowed on {request.url.path}"
        hint = f"allowed: {exc.headers.get('Allow', '?')}" if exc.headers else None
    else:
        message = str(exc.detail) if exc.detail else HTTPStatus(status).phrase
        hint = None
    return error_response(status, code, message, hint=hint, headers=dict(exc.headers) if exc.headers else None)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Log the traceback for the operator; the client sees no internals.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "internal server error", hint="the server log has the details")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers: ApiError, SitrepsError, validation, HTTP (404/405/…) and a catch-all 500."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(SitrepsError, _sitreps_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
