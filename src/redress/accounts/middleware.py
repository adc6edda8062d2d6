"""Require every agency and company user to have MFA before they can use the system."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .policy import actor_for

# Paths a user without MFA may still reach: setting MFA up, signing out, static files, errors.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/")


def needs_mfa_setup(user: object) -> bool:
    if not settings.REDRESS_REQUIRE_MFA:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    actor = actor_for(user)  # type: ignore[arg-type]
    if actor.kind not in ("agency", "company", "system_admin"):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMFAMiddleware:
    """Sends a signed-in user without a TOTP authenticator to the set-up page.

    The API is excluded here because bearer tokens can only be created from a session that has
    already passed this gate; API session calls are checked in the API's own auth.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(_ALLOWED_PREFIXES) and needs_mfa_setup(request.user):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
