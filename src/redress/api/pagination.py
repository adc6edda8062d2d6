"""Keyset (cursor) pagination for list operations.

Invariants:
- The cursor is opaque to clients: URL-safe base64 of the ordering-key values of the last item
  on the page. The ordering always ends with a unique key, so pages never overlap or skip rows
  even when rows are added between requests.
- One query per page whatever the limit: ``limit + 1`` rows are fetched to learn whether there
  is a next page, never a COUNT.
- A malformed cursor is a 422 problem (``invalid_cursor``), never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from ninja import Field, Schema

from redress.core.errors import ApplicationError

M = TypeVar("M", bound=models.Model)

DEFAULT_LIMIT = 50
MAX_CURSOR_LENGTH = 1000


class PageParams(Schema):
    cursor: str | None = Field(
        None, max_length=MAX_CURSOR_LENGTH, description="Opaque cursor from the previous page's next_cursor."
    )
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        description="Items per page; values above the server maximum are reduced to it.",
    )


@dataclass
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def _invalid() -> ApplicationError:
    return ApplicationError("invalid_cursor", "The cursor is not valid. Start again without one.", field="cursor")


def _key_value(obj: models.Model, name: str) -> Any:
    value = getattr(obj, name)
    field = obj._meta.get_field(name)
    assert isinstance(field, models.Field)
    # JSON keeps strings and ints as they are; everything else (dates, decimals) travels as text.
    return value if isinstance(value, str | int) and not isinstance(value, bool) else field.value_to_string(obj)


def encode_cursor(obj: models.Model, keys: Sequence[str]) -> str:
    values = [_key_value(obj, key.lstrip("-")) for key in keys]
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(model: type[models.Model], cursor: str, keys: Sequence[str]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise _invalid() from exc
    if not isinstance(values, list) or len(values) != len(keys):
        raise _invalid()
    parsed = []
    for key, value in zip(keys, values, strict=True):
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise _invalid()
        field = model._meta.get_field(key.lstrip("-"))
        assert isinstance(field, models.Field)
        try:
            python_value = field.to_python(value)
        except (DjangoValidationError, ValueError, TypeError, OverflowError) as exc:
            raise _invalid() from exc
        if isinstance(python_value, int) and not -(2**63) <= python_value < 2**63:
            raise _invalid()
        if isinstance(python_value, str) and "\x00" in python_value:
            raise _invalid()
        parsed.append(python_value)
    return parsed


def _after(keys: Sequence[str], values: Sequence[Any]) -> models.Q:
    """Rows strictly after ``values`` in the order given by ``keys``."""
    condition = models.Q()
    for i in range(len(keys) - 1, -1, -1):
        name = keys[i].lstrip("-")
        op = "lt" if keys[i].startswith("-") else "gt"
        step = models.Q(**{f"{name}__{op}": values[i]})
        if i < len(keys) - 1:
            step |= models.Q(**{name: values[i]}) & condition
        condition = step
    return condition


def clamp_limit(limit: int) -> int:
    return max(1, min(limit, settings.REDRESS_API_PAGE_MAX))


def paginate(
    queryset: models.QuerySet[M],
    *,
    keys: Sequence[str],
    cursor: str | None,
    limit: int,
) -> Page[M]:
    """One page of ``queryset`` ordered by ``keys`` (the last must be unique, e.g. ``id``)."""
    limit = clamp_limit(limit)
    qs = queryset.order_by(*keys)
    if cursor:
        qs = qs.filter(_after(keys, decode_cursor(queryset.model, cursor, keys)))
    rows = list(qs[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1], keys) if has_more and rows else None
    return Page(items=rows, next_cursor=next_cursor)


def page_response(page: Page[M], convert: Callable[[M], Any]) -> dict[str, Any]:
    return {"items": [convert(item) for item in page.items], "next_cursor": page.next_cursor}
