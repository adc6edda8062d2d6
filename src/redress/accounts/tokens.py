"""Personal access tokens: create, revoke, authenticate.

Invariants:
- The secret is shown once at creation; only its SHA-256 is stored.
- A token authenticates only while unrevoked, unexpired, and its user active; it carries
  exactly its user's permissions (no scopes of its own).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction

from redress.audit.services import audit_record
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound

from .models import ApiToken, User

TOKEN_PREFIX = "rdr_"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, actor: User, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user`` (only the user themself may). Returns the token and its secret."""
    if actor.pk != user.pk:
        raise ApplicationError("forbidden", "You can only create tokens for yourself.")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ApplicationError("invalid_token_name", "Give the token a name of 1 to 100 characters.", field="name")
    days = settings.REDRESS_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= 366:
        raise ApplicationError("invalid_token_lifetime", "A token must expire within 1 to 366 days.", field="days")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            secret_hash=_hash(secret),
            expires_at=clock.now() + dt.timedelta(days=days),
        )
        audit_record(
            actor=actor, action="token.created", target=token, new={"name": name, "expires_at": token.expires_at}
        )
    return token, secret


def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
        if token is None:
            raise NotFound("No such token.")
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="token.revoked", target=token)
    return token


def authenticate_token(secret: str) -> User | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(secret_hash=_hash(secret)).first()
    if token is None or not token.is_usable:
        return None
    now = clock.now()
    # Touch last_used at most once a minute so busy integrations do not write on every call.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
