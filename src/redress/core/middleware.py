"""Attach a request id and client address to the request and to the services' context."""

from __future__ import annotations

import re
from collections.abc import Callable

import structlog
from django.http import HttpRequest, HttpResponse
from ipware import get_client_ip

from .context import request_context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        ip, _routable = get_client_ip(request)
        with request_context(
            request_id=incoming if _SAFE_ID.match(incoming) else None,
            client_ip=str(ip) if ip else None,
        ) as rid:
            request.request_id = rid  # type: ignore[attr-defined]
            structlog.contextvars.bind_contextvars(request_id=rid)
            try:
                response = self.get_response(request)
            finally:
                structlog.contextvars.unbind_contextvars("request_id")
        response["X-Request-ID"] = rid
        return response
