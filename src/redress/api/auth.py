"""API authentication: bearer personal access tokens, or the browser session with CSRF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from redress.accounts.middleware import needs_mfa_setup
from redress.accounts.tokens import authenticate_token


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token)
        if user is None:
            return None
        request.user = user
        return user


class SessionAuthWithCSRF(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token (ninja checks it)."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or needs_mfa_setup(user):
            return None
        return user
