"""allauth adapter: accounts are provisioned by administrators, never self-registered, and every
email allauth sends (password reset, unknown-account notice, MFA changes) goes through the outbox."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.http import HttpRequest

from redress.notifications.services import enqueue_email

from .middleware import needs_mfa_setup
from .models import User


def _signed_in_recently(request: HttpRequest) -> bool:
    from allauth.account import app_settings as account_settings
    from allauth.account.internal.flows.login import get_authentication_records

    records = get_authentication_records(request, request.user)
    if not records:
        return False
    return bool(time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT)


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # The first authenticator set-up, forced by RequireMFAMiddleware right after a password
        # sign-in, should not ask for the password a second time; the sign-in itself is recent proof.
        request = allauth_context.request
        if app == "allauth.mfa" and request is not None and needs_mfa_setup(request.user):
            return not _signed_in_recently(request)
        return bool(super().is_reauthentication_required(app=app, **kwargs))

    def format_email_subject(self, subject: str) -> str:
        return f"Redress: {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        ctx: dict[str, Any] = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
        user = context.get("user")
        with transaction.atomic():
            enqueue_email(
                to=email,
                subject=str(message.subject),
                text_body=str(message.body),
                html_body=str(html),
                event="account." + template_prefix.rsplit("/", 1)[-1],
                user=user if isinstance(user, User) else None,
            )


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # With MFA required, a user without an authenticator app is sent straight back to set one
        # up, so removing it would only open a window where a stolen password suffices.
        return not (settings.REDRESS_REQUIRE_MFA and authenticator.type == Authenticator.Type.TOTP)
