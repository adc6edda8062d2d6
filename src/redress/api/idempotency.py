"""Idempotency-Key on creating requests: a retried request creates nothing twice.

Invariants:
- The stored record and the resource it describes commit in one transaction: either both exist
  or neither, so a crash between them cannot leave a created resource without its record.
- A key is scoped to the user. The same key with the same method, path and body replays the
  stored response (``Idempotent-Replayed: true``); with anything different it is refused with
  422 ``idempotency_key_reused`` and nothing runs.
- Refusals (problem responses) are not stored: the client may fix its request and retry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from ninja.renderers import JSONRenderer

from redress.core.errors import ApplicationError

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
_REPLAYED_HEADERS = ("Location", "ETag")

Outcome = tuple[int, Any, dict[str, str]]


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    if request.content_type == "multipart/form-data":
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"field:{name}={value}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"file:{name}:{upload.name}:{upload.size}\n".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _render(request: HttpRequest, status: int, data: Any) -> str:
    content = JSONRenderer().render(request, data, response_status=status)
    return content.decode() if isinstance(content, bytes) else str(content)


def _response(status: int, content: bytes | str, headers: dict[str, str]) -> HttpResponse:
    response = HttpResponse(content, status=status, content_type="application/json; charset=utf-8")
    for name, value in headers.items():
        response[name] = value
    return response


def _replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.request_hash != fingerprint:
        raise ApplicationError(
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different request. Use a new key.",
        )
    response = _response(record.status_code, record.response_body, dict(record.response_headers))
    response["Idempotent-Replayed"] = "true"
    return response


def _check_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise ApplicationError(
            "invalid_idempotency_key",
            f"An Idempotency-Key is 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
            field=HEADER,
        )


def idempotent(request: HttpRequest, key: str | None, create: Callable[[], Outcome]) -> HttpResponse:
    """Run ``create`` (returning status, body, headers) at most once per user and key."""
    if key is None:
        status, data, headers = create()
        return _response(status, _render(request, status, data), headers)
    _check_key(key)
    user_id = request.user.pk
    assert user_id is not None  # authentication ran before the view
    fingerprint = _fingerprint(request)
    existing = IdempotencyRecord.objects.filter(user_id=user_id, key=key).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            status, data, headers = create()
            content = _render(request, status, data)
            kept = {name: value for name, value in headers.items() if name in _REPLAYED_HEADERS}
            IdempotencyRecord.objects.create(
                user_id=user_id,
                key=key,
                method=request.method or "",
                path=request.path[:500],
                request_hash=fingerprint,
                status_code=status,
                response_body=content,
                response_headers=kept,
            )
    except IntegrityError:
        # A concurrent request with the same key won the race; its outcome is the answer.
        existing = IdempotencyRecord.objects.filter(user_id=user_id, key=key).first()
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    return _response(status, content, headers)
