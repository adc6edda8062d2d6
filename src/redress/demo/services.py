"""Writes the demonstration seed needs and no other part of the system offers.

Invariants:
- Both functions are idempotent: calling them again with the same arguments changes nothing and
  records nothing.
- Every change is atomic and writes its audit event in the same transaction; the password itself
  is never written to the audit trail.
- ``demo_system_admin_ensure`` never turns an existing agency or company user into a system
  administrator: a person belongs to one organisation only.
"""

from __future__ import annotations

from django.db import transaction

from redress.accounts.models import User
from redress.audit.services import audit_record
from redress.core.errors import Conflict


def demo_system_admin_ensure(*, actor: User | None, email: str, full_name: str) -> User:
    """Return the system administrator with ``email``, creating the account when missing."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None:
            if not user.is_system_admin:
                raise Conflict(
                    "user_has_organisation",
                    f"{email} already exists and is not a system administrator.",
                    field="email",
                )
            return user
        user = User.objects.create_user(email, None, full_name=full_name, is_system_admin=True)
        audit_record(
            actor=actor,
            action="account.system_admin_created",
            target=user,
            new={"email": user.email, "full_name": full_name, "source": "demo"},
        )
    return user


def demo_password_set(*, actor: User | None, user: User, password: str) -> bool:
    """Give ``user`` the shared demo password; returns whether anything changed."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        # A fresh account has no usable password: skip the (deliberately slow) hash comparison.
        if locked.has_usable_password() and locked.check_password(password):
            return False
        locked.set_password(password)
        locked.save(update_fields=["password"])
        audit_record(actor=actor, action="account.demo_password_set", target=locked, new={"source": "demo"})
    user.password = locked.password
    return True
