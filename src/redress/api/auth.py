"""API authentication: bearer personal access tokens, or the browser session with CSRF.

Invariants:
- A request that carries an ``Authorization`` header is judged by that header alone: a bad
  token is refused even when a session cookie would have been accepted.
- The session path requires CSRF on unsafe methods and refuses users who still have to set
  up multi-factor authentication, exactly like the web portal does.
- Either way the operation acts as the token's or session's user, with that user's permissions.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from redress.accounts.middleware import needs_mfa_setup
from redress.accounts.tokens import authenticate_token
from redress.core.errors import PermissionDenied

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token.strip())
        if user is None:
            return None
        request.user = user
        return user


class SessionAuthWithCSRF(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        if "Authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        csrf_applies = request.method not in _SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False)
        if csrf_applies and check_csrf(request) is not None:
            raise PermissionDenied("The CSRF token is missing or wrong. Reload the page.", code="csrf_failed")
        if needs_mfa_setup(user):
            raise PermissionDenied("Set up multi-factor authentication before using the API.", code="mfa_required")
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return self(request)
