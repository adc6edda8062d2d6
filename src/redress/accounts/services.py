"""Writing user accounts: profile changes and password set-up links.

Invariants:
- A user edits only their own profile; organisation membership, roles and activation are changed
  by the agency or company services, never here.
- A password set-up link is allauth's signed password-reset key (it expires after
  ``PASSWORD_RESET_TIMEOUT`` and stops working once the password changes), and the email goes
  through the notifications outbox inside the caller's transaction, so it is sent only if the
  change that caused it commits.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from redress.audit.services import audit_record, changed_fields
from redress.core.errors import ApplicationError, PermissionDenied
from redress.notifications.services import enqueue_email

from .models import User


def password_setup_url(user: User) -> str:
    from allauth.account import app_settings as allauth_settings
    from allauth.account.utils import user_pk_to_url_str

    key = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    return settings.SITE_URL.rstrip("/") + path


def user_send_password_setup(*, actor: User | None, user: User, reason: str = "invitation") -> None:
    """Email ``user`` a link to choose a password (new accounts, or an administrator's reset)."""
    context: dict[str, Any] = {
        "user": user,
        "invited_by": actor,
        "password_url": password_setup_url(user),
        "site_url": settings.SITE_URL,
        "timeout_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    subject = render_to_string("account/email/invitation_subject.txt", context).strip()
    text = render_to_string("account/email/invitation_message.txt", context)
    html = render_to_string("account/email/invitation_message.html", context)
    with transaction.atomic():
        enqueue_email(
            to=user.email, subject=subject, text_body=text, html_body=html, event="account.invitation", user=user
        )
        audit_record(actor=actor, action="account.password_setup_sent", target=user, new={"reason": reason})


def user_update_profile(*, actor: User, user: User, full_name: str, phone: str = "") -> User:
    if actor.pk != user.pk:
        raise PermissionDenied("You can only change your own profile.")
    full_name = (full_name or "").strip()
    phone = (phone or "").strip()
    if not full_name:
        raise ApplicationError("required", "Enter your full name.", field="full_name")
    if len(full_name) > 200:
        raise ApplicationError("too_long", "Your name can be at most 200 characters.", field="full_name")
    if len(phone) > 40:
        raise ApplicationError("too_long", "The phone number can be at most 40 characters.", field="phone")
    values = {"full_name": full_name, "phone": phone}
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        old, new = changed_fields(locked, list(values), values)
        if new:
            for field, value in new.items():
                setattr(locked, field, value)
            locked.save(update_fields=list(new))
            audit_record(actor=actor, action="account.profile_updated", target=locked, old=old, new=new)
    user.refresh_from_db(fields=["full_name", "phone"])
    return user
