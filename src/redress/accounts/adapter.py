"""allauth adapter: accounts are provisioned by administrators, never self-registered, and every
email allauth sends (password reset, unknown-account notice, MFA changes) goes through the outbox."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.http import HttpRequest

from redress.notifications.services import enqueue_email

from .models import User


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

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
