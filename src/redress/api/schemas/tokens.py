from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the secret, to recognise it.")
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="The token itself. Shown only in this response; store it now.")


class TokenIn(Schema):
    name: str = Field(max_length=100)
    days: int | None = Field(None, description="Lifetime in days (1–366); the server default when omitted.")


class TokenPage(Schema):
    items: list[TokenOut]
    next_cursor: str | None
