"""ETag / If-Match for optimistic concurrency.

Invariants:
- The ETag of a mutable resource is its ``version`` (strong, quoted: ``"7"``).
- An update without ``If-Match`` is refused with 428 before anything is read or written; an
  ``If-Match`` that names no version is a 412. The version is handed to the service as
  ``expected_version``, which re-checks it under a row lock, so two editors never silently
  overwrite each other.
"""

from __future__ import annotations

import re

from django.http import HttpResponse

from redress.core.errors import ApplicationError, PreconditionFailed

_ETAG_RE = re.compile(r'^\s*(?:W/)?"(\d{1,9})"\s*$')


class PreconditionRequired(ApplicationError):
    status = 428

    def __init__(self) -> None:
        super().__init__(
            "precondition_required",
            "Send If-Match with the ETag from your last read, so a concurrent change is not overwritten.",
        )


def etag_for(version: int) -> str:
    return f'"{version}"'


def set_etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = etag_for(version)


def expected_version(if_match: str | None) -> int:
    """The version the client last saw, from its If-Match header."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired()
    match = _ETAG_RE.match(if_match)
    if match is None:
        raise PreconditionFailed()
    return int(match.group(1))


def version_from(if_match: str | None, body: object | None = None) -> int:
    """The version the caller saw: If-Match wins, else the body's ``version``; neither is 428."""
    if if_match is not None and if_match.strip():
        return expected_version(if_match)
    version = getattr(body, "version", None)
    if isinstance(version, int):
        return version
    raise PreconditionRequired()
