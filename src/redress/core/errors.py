"""The one error type services raise; interfaces translate it (form error or problem+json).

Invariant: every refusal a user can trigger is an ApplicationError with a stable machine code,
never a bare exception that would surface as a 500.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ApplicationError(Exception):
    """A business rule refused the request. `code` is stable and machine-readable."""

    status: ClassVar[int] = 422

    def __init__(self, code: str, detail: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field
        self.extra = extra


class NotFound(ApplicationError):
    """Missing, or outside the actor's scope: the two answer exactly alike."""

    status = 404

    def __init__(self, detail: str = "Not found.") -> None:
        super().__init__("not_found", detail)


class PermissionDenied(ApplicationError):
    status = 403

    def __init__(self, detail: str = "You do not have permission to do that.", code: str = "forbidden") -> None:
        super().__init__(code, detail)


class Conflict(ApplicationError):
    status = 409


class PreconditionFailed(ApplicationError):
    status = 412

    def __init__(self, detail: str = "The record changed since you loaded it. Reload and try again.") -> None:
        super().__init__("stale_version", detail)
