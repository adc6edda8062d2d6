"""Research & communication entries: contacts and research logged outside the system.

Invariants:
- Entries can be added and edited while the complaint is open AND after it is closed (this is
  how notes on closed complaints work); only a canceled complaint refuses them.
- Every edit is audited with the old and new text; edits carry the entry's version.
- Only Supervisors and Managers of the owning agency write entries; they are agency-only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from redress.accounts.models import User
from redress.audit.services import audit_record
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PreconditionFailed

from .constants import ContactMethod, ContactParty, ResearchKind, Status
from .models import Complaint, ResearchEntry
from .services import authorize_manage
from .validation import FieldErrors, check_date_not_future

_FIELDS = ("kind", "method", "party", "occurred_on", "description")


def _validate(values: dict[str, Any]) -> None:
    errs = FieldErrors()
    if values.get("kind") not in ResearchKind.values:
        errs.add("kind", "Choose Research or Communication.")
    if values.get("method") and values["method"] not in ContactMethod.values:
        errs.add("method", "Choose how the contact happened.")
    if values.get("kind") == ResearchKind.COMMUNICATION and not values.get("method"):
        errs.add("method", "Choose how the contact happened.")
    if values.get("party") not in ContactParty.values:
        errs.add("party", "Choose who the contact was with.")
    if not isinstance(values.get("occurred_on"), dt.date):
        errs.add("occurred_on", "Enter the date.")
    else:
        check_date_not_future(errs, "occurred_on", values["occurred_on"], "date")
    if not (values.get("description") or "").strip():
        errs.add("description", "Describe the research or communication.")
    errs.raise_if_any()


def _writable_complaint(user: User, ref: str, action: str) -> Complaint:
    """Inside the transaction: lock the row and re-check that it can still be written."""
    complaint = Complaint.objects.select_for_update().filter(ref=ref).first()
    if complaint is None:
        raise NotFound("No such complaint.")
    if complaint.status == Status.CANCELED:
        raise ApplicationError("complaint_locked", f"Complaint {complaint.ref} is canceled; nothing more can be added.")
    return complaint


def research_entry_add(
    *,
    actor: User,
    ref: str,
    kind: str,
    occurred_on: dt.date,
    description: str,
    method: str = "",
    party: str = ContactParty.NONE,
) -> ResearchEntry:
    values = {
        "kind": kind,
        "method": method or "",
        "party": party,
        "occurred_on": occurred_on,
        "description": (description or "").strip(),
    }
    _validate(values)
    authorize_manage(actor, ref, "research_add")
    with transaction.atomic():
        complaint = _writable_complaint(actor, ref, "research_add")
        entry = ResearchEntry.objects.create(complaint=complaint, created_by=actor, **values)
        audit_record(
            actor=actor,
            action="complaint.research_added",
            target=complaint,
            new={"entry": entry.pk, **values},
            agency_id=complaint.agency_id,
            company_id=complaint.company_id,
        )
    return entry


def research_entry_update(
    *, actor: User, ref: str, entry_id: int, changes: dict[str, Any], expected_version: int | None
) -> ResearchEntry:
    authorize_manage(actor, ref, "research_update")
    with transaction.atomic():
        complaint = _writable_complaint(actor, ref, "research_update")
        entry = ResearchEntry.objects.select_for_update().filter(pk=entry_id, complaint=complaint).first()
        if entry is None:
            raise NotFound("No such entry.")
        if expected_version is not None and expected_version != entry.version:
            raise PreconditionFailed("This entry was changed by someone else since you opened it. Reload it.")
        values = {f: getattr(entry, f) for f in _FIELDS}
        values.update({k: v for k, v in changes.items() if k in _FIELDS})
        if isinstance(values.get("description"), str):
            values["description"] = values["description"].strip()
        _validate(values)
        old = {f: getattr(entry, f) for f in _FIELDS if getattr(entry, f) != values[f]}
        if old:
            for f in old:
                setattr(entry, f, values[f])
            entry.version += 1
            entry.updated_at = clock.now()
            entry.save(update_fields=[*old, "version", "updated_at"])
            audit_record(
                actor=actor,
                action="complaint.research_updated",
                target=complaint,
                old={"entry": entry.pk, **old},
                new={"entry": entry.pk, **{f: values[f] for f in old}},
                agency_id=complaint.agency_id,
                company_id=complaint.company_id,
            )
    return entry
