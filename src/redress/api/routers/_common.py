"""Small helpers every router uses."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.params import functions as params

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.core.errors import NotFound

MAX_PK = 2**63 - 1

COMPLAINT_REF = params.Path(..., pattern=r"^[A-Za-z0-9-]{1,20}$", description="The Complaint ID, e.g. CMP-2026-000123.")

IF_MATCH = params.Header(None, alias="If-Match", description="The ETag from your last read of the resource.")
IDEMPOTENCY_KEY = params.Header(
    None,
    alias="Idempotency-Key",
    max_length=255,
    description="Any unique string; retrying with the same key replays the first response.",
)


def caller(request: HttpRequest) -> User:
    """The authenticated user (set by the bearer or session authentication)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def agency_caller(request: HttpRequest) -> User:
    """The agency's view of a complaint. Company users have their own projection under /company/
    that carries only the fields they may see, so here a complaint answers them exactly like one
    that does not exist."""
    user = caller(request)
    if not actor_for(user).is_agency_user:
        raise NotFound("No such complaint.")
    return user


def pk_path(description: str = "Numeric identifier.") -> Any:
    return params.Path(..., ge=1, le=MAX_PK, description=description)
