"""Reading a user's own account data.

Invariant: every function here returns only rows that belong to ``actor`` themself.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from .models import ApiToken, User


def tokens_for(actor: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor).order_by("revoked_at", "-created_at")


def mfa_status_for(actor: User) -> dict[str, bool]:
    types = set(Authenticator.objects.filter(user=actor).values_list("type", flat=True))
    return {
        "totp": Authenticator.Type.TOTP in types,
        "recovery_codes": Authenticator.Type.RECOVERY_CODES in types,
    }
