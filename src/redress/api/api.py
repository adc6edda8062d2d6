"""The NinjaAPI instance: authentication, error translation, and router registration."""

from __future__ import annotations

from ninja import NinjaAPI

from .auth import BearerTokenAuth, SessionAuthWithCSRF
from .errors import install_error_handlers

api = NinjaAPI(
    title="Redress API",
    version="1",
    description="Consumer complaint handling for state regulators. Errors are RFC 9457 problem+json.",
    urls_namespace="api",
    auth=[BearerTokenAuth(), SessionAuthWithCSRF()],
)
install_error_handlers(api)

from .routers import register_routers  # noqa: E402

register_routers(api)
