"""Translate every error into RFC 9457 problem+json with a stable machine ``code``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from redress.core.errors import ApplicationError

PROBLEM_TYPE_BASE = "https://redress.invalid/problems/"


def problem(
    api: NinjaAPI, request: HttpRequest, *, status: int, code: str, title: str, detail: str, **extra: Any
) -> HttpResponse:
    body = {"type": PROBLEM_TYPE_BASE + code, "title": title, "status": status, "detail": detail, "code": code}
    body.update(extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


_TITLES = {400: "Bad request", 401: "Not authenticated", 403: "Forbidden", 404: "Not found",
           409: "Conflict", 412: "Precondition failed", 422: "Unprocessable content", 428: "Precondition required"}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        extra: dict[str, Any] = dict(exc.extra)
        if exc.field:
            extra["errors"] = [{"field": exc.field, "message": exc.detail}]
        return problem(api, request, status=exc.status, code=exc.code,
                       title=_TITLES.get(exc.status, "Error"), detail=exc.detail, **extra)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": ".".join(str(p) for p in err.get("loc", [])[1:]) or None, "message": err.get("msg", "")}
            for err in exc.errors
        ]
        return problem(api, request, status=422, code="validation_error", title=_TITLES[422],
                       detail="The request has invalid fields.", errors=errors)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(api, request, status=401, code="not_authenticated", title=_TITLES[401],
                           detail="Send a valid bearer token or sign in.")
        response["WWW-Authenticate"] = 'Bearer realm="redress"'
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, status=404, code="not_found", title=_TITLES[404], detail="Not found.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(api, request, status=exc.status_code, code="http_error",
                       title=_TITLES.get(exc.status_code, "Error"), detail=str(exc))
