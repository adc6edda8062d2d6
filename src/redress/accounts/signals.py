"""Security events raised by the sign-in machinery, recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

from redress.audit.services import audit_record_security

from .models import User


@receiver(user_locked_out, dispatch_uid="redress.accounts.audit_lockout")
def record_lockout(
    sender: Any, request: Any = None, username: str | None = None, ip_address: str | None = None, **kwargs: Any
) -> None:
    email = (username or "").strip().lower()
    user = User.objects.filter(email__iexact=email).first() if email else None
    audit_record_security(
        actor=None,
        action="account.locked_out",
        target=user,
        reason=f"Too many failed sign-in attempts for {email or 'an unknown account'} from {ip_address or 'unknown'}.",
    )
