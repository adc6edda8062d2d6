"""The NinjaAPI instance: authentication, error translation, and router registration."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema

from .auth import BearerTokenAuth, SessionAuthWithCSRF
from .errors import PROBLEM_CONTENT_TYPE, install_error_handlers


class RedressAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # Error bodies are problem+json; say so, so clients and fuzzers expect the right type.
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = RedressAPI(
    title="Redress API",
    version="1",
    description=(
        "Consumer complaint handling for state regulators. Authenticate with `Authorization: Bearer <token>` "
        "(personal access tokens) or the browser session with its CSRF token. Errors are RFC 9457 "
        "`application/problem+json` with a stable `code`. Lists use cursor pagination (`cursor`, `limit`). "
        "Mutable resources return an `ETag`; send it back in `If-Match` to update. Creating calls accept an "
        "`Idempotency-Key` header."
    ),
    urls_namespace="api",
    auth=[BearerTokenAuth(), SessionAuthWithCSRF()],
    # Swagger UI from django-ninja's bundled static files with its external init script: no CDN,
    # no inline script or style, so it runs under the strict Content-Security-Policy.
    docs=Swagger(settings={"persistAuthorization": False}),
)
install_error_handlers(api)

from .routers import register_routers  # noqa: E402

register_routers(api)
