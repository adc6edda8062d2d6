"""How django-axes identifies the account behind a sign-in attempt.

allauth authenticates with ``email=`` while its form field is ``login``; without this, axes sees
no username on failures and counts every account from one address together.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    for key in ("email", "login", "username"):
        value = (credentials or {}).get(key)
        if value:
            return str(value).strip().lower()
    data = getattr(request, "POST", None)
    value = data.get("login") if data is not None else None
    return str(value).strip().lower() if value else None
