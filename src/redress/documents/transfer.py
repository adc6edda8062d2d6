"""Moving a record's documents to another owning agency, when the record itself changes owner
(a complaint referral that the receiving agency accepted).

Invariants:
- Only documents the old agency owns are moved (a company's own files, such as IR responses, keep
  their company owner); the bytes, hashes and references stay as they are.
- It runs inside the caller's transaction (the ownership change it follows), and the move is
  audited per document there; the old agency reads the moved documents no more.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from redress.audit.services import audit_record

from .models import Document

if TYPE_CHECKING:
    from redress.accounts.models import User


def documents_transfer_agency(
    *,
    actor: User,
    keys: Sequence[tuple[str, Sequence[str]]],
    from_agency_id: int,
    to_agency_id: int,
) -> int:
    """Give the documents attached to the records named by ``keys`` ((attached_type, ids) pairs)
    and owned by ``from_agency_id`` to ``to_agency_id``; returns how many moved."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("documents_transfer_agency must run inside the ownership change it follows")
    condition = Q()
    for attached_type, ids in keys:
        if ids:
            condition |= Q(attached_type=attached_type, attached_id__in=[str(i) for i in ids])
    if not condition:
        return 0
    documents = list(Document.objects.select_for_update().filter(condition, agency_id=from_agency_id).order_by("pk"))
    for document in documents:
        document.agency_id = to_agency_id
        document.version += 1
        document.save(update_fields=["agency", "version"])
        audit_record(
            actor=actor,
            action="document.owner_changed",
            target=document,
            old={"agency_id": from_agency_id},
            new={"agency_id": to_agency_id},
            agency_id=to_agency_id,
        )
    return len(documents)
