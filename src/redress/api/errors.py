"""Translate every error into RFC 9457 problem+json with a stable machine ``code``.

Invariants:
- Every response with status >= 400 that the API produces is ``application/problem+json`` with
  ``type``, ``title``, ``status``, ``detail`` and ``code``.
- An unexpected exception is logged with its traceback and answered with a generic 500 problem;
  the traceback never reaches the client.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from redress.core.errors import ApplicationError

logger = logging.getLogger("redress.api")

PROBLEM_TYPE_BASE = "https://redress.invalid/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"


class FieldProblem(Schema):
    field: str | None = None
    message: str


class Problem(Schema):
    """RFC 9457 problem details, with a stable machine-readable ``code``."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldProblem] | None = None


TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    422: "Unprocessable content",
    428: "Precondition required",
    500: "Internal server error",
}

# Every authenticated operation can answer these; operations add the rest they can produce.
COMMON_PROBLEMS = (400, 401, 403, 422)


def problem_responses(*codes: int) -> dict[int, Any]:
    """Response declarations for the problem statuses an operation may answer."""
    return {code: Problem for code in sorted({*COMMON_PROBLEMS, *codes})}


def responses(ok: dict[int, Any], *codes: int) -> dict[int, Any]:
    """Success responses plus the problem statuses, for ``@router.<method>(response=...)``."""
    return {**ok, **problem_responses(*codes)}


def problem(
    api: NinjaAPI, request: HttpRequest, *, status: int, code: str, detail: str, title: str | None = None, **extra: Any
) -> HttpResponse:
    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
    }
    body.update(extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", [])]
        # The first element is the parameter source (body, query, path, header, file, form).
        field = ".".join(loc[1:]) if len(loc) > 1 else (loc[0] if loc else None)
        errors.append({"field": field or None, "message": str(err.get("msg", ""))})
    return errors


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        extra: dict[str, Any] = {k: v for k, v in exc.extra.items() if k not in ("type", "title", "status", "code")}
        # A service that collected several field errors passes them all in extra["errors"].
        if exc.field and not isinstance(extra.get("errors"), list):
            extra["errors"] = [{"field": exc.field, "message": exc.detail}]
        return problem(api, request, status=exc.status, code=exc.code, detail=exc.detail, **extra)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem(
            api,
            request,
            status=422,
            code="validation_error",
            detail="The request has invalid fields.",
            errors=_field_errors(exc),
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(
            api, request, status=401, code="not_authenticated", detail="Send a valid bearer token or sign in."
        )
        response["WWW-Authenticate"] = 'Bearer realm="redress"'
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, status=404, code="not_found", detail="Not found.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {400: "bad_request", 403: "forbidden", 404: "not_found", 429: "throttled"}.get(
            exc.status_code, "http_error"
        )
        return problem(api, request, status=exc.status_code, code=code, detail=str(exc))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem(api, request, status=413, code="request_too_large", detail="The request body is too large.")

    @api.exception_handler(TooManyFilesSent)
    def too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
        return problem(api, request, status=422, code="too_many_files", detail="Too many files in one request.")

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in API view %s %s", request.method, request.path)
        return problem(
            api, request, status=500, code="internal_error", detail="An unexpected error occurred. It has been logged."
        )
