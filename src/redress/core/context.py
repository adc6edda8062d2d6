"""Per-request context (request id, client address) that services read without a request object.

Invariant: values are set by middleware for web requests and by commands/tasks for their own
runs, and always reset afterwards, so nothing leaks between requests on a reused thread.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
client_ip_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)


def current_request_id() -> str:
    return request_id_var.get()


def current_client_ip() -> str | None:
    return client_ip_var.get()


@contextmanager
def request_context(*, request_id: str | None = None, client_ip: str | None = None) -> Iterator[str]:
    rid = request_id or uuid.uuid4().hex
    t1 = request_id_var.set(rid)
    t2 = client_ip_var.set(client_ip)
    try:
        yield rid
    finally:
        request_id_var.reset(t1)
        client_ip_var.reset(t2)
