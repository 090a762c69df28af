"""Every failure the web app answers, mapped to a status and one error shape, in one place.

The JSON API answers ``{"error": {"code", "message", "field", "fix"}}``; pages answer the
same facts as an HTML page. :data:`STATUS` maps Kreator's exception classes to statuses;
web-only failures are the :class:`WebError` subclasses below, each with its own status.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from kreator.core.errors import (
    CardError,
    CurrencyError,
    InputFileError,
    KreatorError,
    LedgerError,
    ProfileError,
)
from kreator.ledger.db import LedgerUnavailable

log = logging.getLogger("kreator.web")


class WebError(KreatorError):
    """A failure of the HTTP request itself (not of the creator's numbers)."""

    code = "bad_request"
    status = 400


class BadHost(WebError):
    """The Host header names a host this server does not answer (DNS rebinding defence)."""

    code = "bad_host"
    status = 400


class CsrfFailed(WebError):
    """A form post without a valid CSRF token."""

    code = "csrf_failed"
    status = 403


class NotFound(WebError):
    """Nothing by that name (a card id, a page)."""

    code = "not_found"
    status = 404


class UnsupportedMedia(WebError):
    """A request body of a type this route does not take."""

    code = "unsupported_media_type"
    status = 415


class BodyTooLarge(HTTPException):
    """The request body is over the limit. An HTTPException so that FastAPI's body parsing
    passes it through unchanged (it turns other exceptions into 400)."""

    def __init__(self, limit: int) -> None:
        mb = f"{limit / 2**20:,.1f}".removesuffix(".0")
        super().__init__(413, f"the request body is over the limit of {mb} MB.")
        self.limit = limit


STATUS: dict[type[KreatorError], int] = {
    ProfileError: 422, CardError: 422, CurrencyError: 422, InputFileError: 422, LedgerError: 422,
    LedgerUnavailable: 503,
}
"""Kreator's own errors: a value the user can fix -> 422; the database failing -> 503;
anything else -> 400."""

HTTP_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              413: "too_large", 415: "unsupported_media_type", 422: "invalid_request",
              500: "internal", 503: "unavailable"}


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    fix: str | None = None


class ErrorBody(BaseModel):
    """Every API error: ``{"error": {"code", "message", "field", "fix"}}``."""

    error: ErrorDetail


def status_of(exc: KreatorError) -> int:
    if isinstance(exc, WebError):
        return exc.status
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def error_response(request: Request, status: int, detail: ErrorDetail,
                   headers: dict[str, str] | None = None) -> Response:
    """The one place an error becomes a response: JSON under /api, an HTML page elsewhere."""
    headers = {**(headers or {}), **({"Connection": "close"} if status == 413 else {})}
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept",
                                                                                      "text/html"):
        body = ErrorBody(error=detail).model_dump()
        return JSONResponse(body, status_code=status, headers=headers)
    from kreator.web.render import render_error

    return render_error(request, status, detail, headers)


def kreator_detail(exc: KreatorError, lang: str | None = None) -> ErrorDetail:
    """The error's facts; ``message`` and ``fix`` in ``lang`` (a page's language, in the web's
    wording: no command-line options), else as raised (English, as the JSON API answers)."""
    if lang is None:
        return ErrorDetail(code=exc.code, message=exc.render(), field=exc.field, fix=exc.fix)
    from kreator.i18n import error_translator

    translate = error_translator(lang, web=True)
    fix = exc.localized(translate)[2]
    return ErrorDetail(code=exc.code, message=exc.render(translate), field=exc.field, fix=fix)


def page_lang(request: Request) -> str | None:
    """The visitor's language for an error shown as a page; None for the JSON API."""
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
            "accept", "text/html"):
        return None
    from kreator.web.render import ui_for

    try:
        return ui_for(request).lang
    except Exception:  # the error page must not fail (e.g. before app state exists)
        return None


def validation_detail(exc: RequestValidationError) -> ErrorDetail:
    """The first problem in a request that failed validation, naming its field."""
    err: dict[str, Any] = exc.errors()[0]
    inner = (err.get("ctx") or {}).get("error")
    if isinstance(inner, KreatorError):
        return kreator_detail(inner)
    loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
    field = ".".join(loc) or None
    msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
    message = f"{field}: {msg}." if field else f"{msg}."
    return ErrorDetail(code="invalid_request", message=message, field=field,
                       fix="check the value against the API description at /api.")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at this path (routes may share a path)."""
    from starlette.routing import Match, Route

    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, Route) and route.methods:
            match, _ = route.matches({**request.scope, "method": next(iter(route.methods))})
            if match is Match.FULL:
                methods |= route.methods
    return sorted(methods)


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the shape above."""

    async def on_kreator(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, KreatorError)
        return error_response(request, status_of(exc), kreator_detail(exc, page_lang(request)))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(request, 422, validation_detail(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = HTTP_CODES.get(exc.status_code, "error")
        message = str(exc.detail)
        headers = dict(exc.headers or {})
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}."
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
            message = f"{request.method} is not allowed here; use {headers['Allow']}."
        return error_response(request, exc.status_code, ErrorDetail(code=code, message=message),
                              headers)

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, 500, ErrorDetail(
            code="internal", message=f"internal error: {type(exc).__name__}.",
            fix="run kreator serve with KREATOR_DEBUG=1 and report the log."))

    app.add_exception_handler(KreatorError, on_kreator)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Exception, on_crash)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in ((400, "Bad request or Host header not allowed"),
                         (403, "A form, text or untyped body without the CSRF token, or a "
                          "request from another site"),
                         (413, "Request body over the limit"),
                         (422, "A value is invalid; `field` names it"))
}
"""The error responses every API operation documents (OpenAPI)."""


class ListenError(WebError):
    """``kreator serve`` cannot listen where asked (port in use, no such address)."""

    code = "cannot_listen"
