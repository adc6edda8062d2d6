"""Re-derive the hash chain and report the first broken link."""

from __future__ import annotations

from dataclasses import dataclass

from .models import AuditChainHead, AuditEvent
from .services import GENESIS_HASH, compute_hash


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_at: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(*, batch_size: int = 2000) -> VerifyResult:
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != expected_prev:
            return VerifyResult(checked, event.pk, "previous-hash link does not match the row before it")
        if compute_hash(event) != event.hash:
            return VerifyResult(checked, event.pk, "row content does not match its hash")
        expected_prev = event.hash
        last_id = event.pk
        checked += 1
    head = AuditChainHead.objects.filter(singleton=1).first()
    if head is not None and (head.last_hash != expected_prev or head.last_event_id != last_id):
        return VerifyResult(checked, head.last_event_id, "the newest rows are missing (chain head mismatch)")
    return VerifyResult(checked, None, "")
