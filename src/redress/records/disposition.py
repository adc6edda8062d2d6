"""Disposition: destroying the document bytes of complaints past their retention date.

Invariants:
- A complaint's documents are the Document rows attached (``attached_type``/``attached_id``) to the
  complaint itself, to any of its closures, to any of its IRs, or to any response to those IRs.
- Eligible: CLOSED, disposition date (latest closure + agency years) on or before ``as_of``, no
  active hold covering it, and at least one document not yet disposed.
- Each complaint is disposed in its own transaction that locks the complaint row and re-checks
  eligibility (status, ``closed_on``, holds) first; a crash between complaints leaves each one
  either fully marked or untouched.
- Rows are kept: the Document gets ``disposed_at`` and a note, a certificate line
  (DisposedDocument) records ref, name, SHA-256 and size, and an audit event is written, all in
  that transaction. Bytes are deleted only after it commits (``on_commit``); a line whose bytes are
  not yet confirmed deleted is finished by the next run, so the store converges after any crash.
- Idempotent: a disposed document is never selected again. A dry run writes nothing at all.
- Supervisors of the owning agency are warned once per complaint and closure date (N26),
  ``WARNING_LEAD_DAYS`` ahead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet

from redress.agencies.models import Agency
from redress.audit.services import audit_record
from redress.complaints.constants import Status
from redress.complaints.models import Closure, Complaint
from redress.complaints.notices import agency_supervisors, complaint_path
from redress.core import clock
from redress.documents.models import Document
from redress.information_requests.models import InformationRequest, IRResponse
from redress.notifications.services import notify

from .constants import CLOSURE_TYPE, COMPLAINT_TYPE, IR_TYPE, RESPONSE_TYPE, WARNING_LEAD_DAYS
from .models import DisposedDocument, DispositionRun, LegalHold
from .schedule import add_years, disposition_date, is_on_hold, schedule_label

if TYPE_CHECKING:
    from redress.accounts.models import User

# Complaints planned per round of queries: bounds memory and the length of IN lists.
BATCH_SIZE = 500


@dataclass
class PlannedComplaint:
    complaint: Complaint
    due: dt.date
    documents: list[Document]
    held: bool = False


@dataclass
class RunResult:
    as_of: dt.date
    dry_run: bool
    run_id: int | None = None
    planned: list[PlannedComplaint] = field(default_factory=list)
    disposed_complaints: int = 0
    disposed_documents: int = 0
    finished_files: int = 0

    def summary(self) -> str:
        if self.dry_run:
            count = sum(len(p.documents) for p in self.planned)
            return (
                f"dry run as of {self.as_of}: {len(self.planned)} complaint(s), {count} document(s) would be disposed"
            )
        return (
            f"as of {self.as_of}: disposed {self.disposed_documents} document(s) of {self.disposed_complaints} "
            f"complaint(s); finished {self.finished_files} earlier file deletion(s)"
        )


def complaint_documents(complaint: Complaint) -> QuerySet[Document]:
    ir_ids = [str(pk) for pk in InformationRequest.objects.filter(complaint=complaint).values_list("pk", flat=True)]
    response_ids = [
        str(pk)
        for pk in IRResponse.objects.filter(information_request__complaint=complaint).values_list("pk", flat=True)
    ]
    closure_ids = [str(pk) for pk in complaint.closures.values_list("pk", flat=True)]
    return Document.objects.filter(
        Q(attached_type=COMPLAINT_TYPE, attached_id=str(complaint.pk))
        | Q(attached_type=CLOSURE_TYPE, attached_id__in=closure_ids)
        | Q(attached_type=IR_TYPE, attached_id__in=ir_ids)
        | Q(attached_type=RESPONSE_TYPE, attached_id__in=response_ids)
    ).order_by("pk")


def _closed_before(agency: Agency, day: dt.date) -> QuerySet[Complaint]:
    # One day of slack for 29 February; the exact date is checked in Python.
    cutoff = add_years(day, -agency.document_retention_years) + dt.timedelta(days=1)
    return (
        Complaint.objects.filter(agency=agency, status=Status.CLOSED, closed_on__lte=cutoff)
        .select_related("agency")
        .order_by("closed_on", "pk")
    )


def _documents_by_complaint(complaints: list[Complaint]) -> dict[int, list[Document]]:
    """Undisposed documents of a batch of complaints in a fixed number of queries (any batch size)."""
    owner: dict[tuple[str, str], int] = {(COMPLAINT_TYPE, str(c.pk)): c.pk for c in complaints}
    ids = [c.pk for c in complaints]
    for pk, complaint_id in InformationRequest.objects.filter(complaint_id__in=ids).values_list("pk", "complaint_id"):
        owner[(IR_TYPE, str(pk))] = complaint_id
    responses = IRResponse.objects.filter(information_request__complaint_id__in=ids)
    for pk, complaint_id in responses.values_list("pk", "information_request__complaint_id"):
        owner[(RESPONSE_TYPE, str(pk))] = complaint_id
    for pk, complaint_id in Closure.objects.filter(complaint_id__in=ids).values_list("pk", "complaint_id"):
        owner[(CLOSURE_TYPE, str(pk))] = complaint_id
    wanted: dict[str, list[str]] = {}
    for kind, attached_id in owner:
        wanted.setdefault(kind, []).append(attached_id)
    condition = Q()
    for kind, attached_ids in wanted.items():
        condition |= Q(attached_type=kind, attached_id__in=attached_ids)
    found: dict[int, list[Document]] = {}
    for document in Document.objects.filter(condition, disposed_at__isnull=True).order_by("pk"):
        found.setdefault(owner[(document.attached_type, document.attached_id)], []).append(document)
    return found


def _held_ids(agency: Agency, complaints: list[Complaint]) -> set[int]:
    """Which of the agency's complaints an active hold covers (one query for the whole batch)."""
    holds = list(
        LegalHold.objects.filter(agency=agency, lifted_at__isnull=True).values_list(
            "scope", "complaint_id", "company_id"
        )
    )
    if any(scope == "agency" for scope, _, _ in holds):
        return {c.pk for c in complaints}
    held_complaints = {complaint_id for scope, complaint_id, _ in holds if scope == "complaint"}
    held_companies = {company_id for scope, _, company_id in holds if scope == "company"}
    return {c.pk for c in complaints if c.pk in held_complaints or c.company_id in held_companies}


def _eligible(as_of: dt.date, agency: Agency | None, include_held: bool) -> Iterator[PlannedComplaint]:
    agencies = [agency] if agency is not None else Agency.objects.order_by("pk")
    for each in agencies:
        candidates = [c for c in _closed_before(each, as_of) if (due := disposition_date(c)) and due <= as_of]
        for start in range(0, len(candidates), BATCH_SIZE):
            batch = candidates[start : start + BATCH_SIZE]
            held = _held_ids(each, batch)
            documents = _documents_by_complaint(batch)
            for complaint in batch:
                if complaint.pk in held and not include_held:
                    continue
                due = disposition_date(complaint)
                if due is not None and documents.get(complaint.pk):
                    yield PlannedComplaint(
                        complaint=complaint, due=due, documents=documents[complaint.pk], held=complaint.pk in held
                    )


def disposition_plan(
    *, as_of: dt.date, agency: Agency | None = None, include_held: bool = False
) -> list[PlannedComplaint]:
    """Complaints whose documents are due by ``as_of`` (every agency unless one is named)."""
    return list(_eligible(as_of, agency, include_held))


def _delete_bytes(item_ids: list[int]) -> int:
    finished = 0
    for item in DisposedDocument.objects.filter(pk__in=item_ids, bytes_deleted_at__isnull=True):
        try:
            default_storage.delete(item.storage_name)
        except OSError:
            continue  # left pending: the next run tries again
        DisposedDocument.objects.filter(pk=item.pk, bytes_deleted_at__isnull=True).update(bytes_deleted_at=clock.now())
        finished += 1
    return finished


def finish_pending_deletions() -> int:
    """Delete the bytes of every certificate line whose row committed but whose bytes may remain."""
    pending = list(DisposedDocument.objects.filter(bytes_deleted_at__isnull=True).values_list("pk", flat=True))
    return _delete_bytes(pending)


def _dispose_complaint(
    *, run: DispositionRun, complaint_id: int, expected_closed_on: dt.date, as_of: dt.date, actor: User | None
) -> int:
    """Mark one complaint's documents disposed in one transaction; returns how many."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().select_related("agency").get(pk=complaint_id)
        due = disposition_date(complaint)
        if complaint.closed_on != expected_closed_on or due is None or due > as_of or is_on_hold(complaint):
            return 0
        now = clock.now()
        label = schedule_label(complaint.agency)
        note = f"Disposed on {clock.today():%Y-%m-%d} under schedule: {label}."
        documents = list(complaint_documents(complaint).filter(disposed_at__isnull=True).select_for_update())
        item_ids: list[int] = []
        for document in documents:
            document.disposed_at = now
            document.disposition_note = note[:500]
            document.version += 1
            document.save(update_fields=["disposed_at", "disposition_note", "version"])
            item = DisposedDocument.objects.create(
                run=run,
                agency=complaint.agency,
                complaint=complaint,
                document=document,
                document_ref=str(document.ref),
                name=document.original_name,
                sha256=document.sha256,
                size=document.size,
                storage_name=document.storage_name,
                schedule=label[:200],
                disposed_at=now,
            )
            item_ids.append(item.pk)
            audit_record(
                actor=actor,
                action="document.disposed",
                target=document,
                old={"disposed_at": None},
                new={"disposed_at": now, "sha256": document.sha256, "size": document.size, "run": run.pk},
                reason=note,
                agency_id=complaint.agency_id,
                company_id=document.company_id,
            )
        if documents:
            audit_record(
                actor=actor,
                action="records.complaint_disposed",
                target=complaint,
                new={"documents": len(documents), "run": run.pk, "due": due},
                reason=note,
                agency_id=complaint.agency_id,
                company_id=complaint.company_id,
            )
            transaction.on_commit(lambda: _delete_bytes(item_ids), robust=True)
        return len(documents)


def disposition_run(*, as_of: dt.date, dry_run: bool, actor: User | None = None) -> RunResult:
    result = RunResult(as_of=as_of, dry_run=dry_run)
    result.planned = disposition_plan(as_of=as_of)
    if dry_run:
        return result
    _finish_after_commit(result)
    if not result.planned:
        return result
    with transaction.atomic():
        run = DispositionRun.objects.create(as_of=as_of, started_by=actor)
        audit_record(actor=actor, action="records.disposition_started", target=run, new={"as_of": as_of})
    result.run_id = run.pk
    for planned in result.planned:
        assert planned.complaint.closed_on is not None
        count = _dispose_complaint(
            run=run,
            complaint_id=planned.complaint.pk,
            expected_closed_on=planned.complaint.closed_on,
            as_of=as_of,
            actor=actor,
        )
        if count:
            result.disposed_complaints += 1
            result.disposed_documents += count
    with transaction.atomic():
        run.complaint_count = result.disposed_complaints
        run.document_count = result.disposed_documents
        run.finished_at = clock.now()
        run.save(update_fields=["complaint_count", "document_count", "finished_at"])
        audit_record(
            actor=actor,
            action="records.disposition_finished",
            target=run,
            new={"complaints": run.complaint_count, "documents": run.document_count},
        )
    _finish_after_commit(result)
    return result


def _finish_after_commit(result: RunResult) -> None:
    # Never delete bytes whose rows could still roll back: run at once outside a transaction,
    # otherwise when the caller's transaction commits (the scheduler wraps each job in one).
    def finish() -> None:
        result.finished_files += finish_pending_deletions()

    transaction.on_commit(finish, robust=True)


def disposition_warn(*, as_of: dt.date) -> int:
    """N26: tell the owning agency's Supervisors about dispositions due within the lead time."""
    horizon = as_of + dt.timedelta(days=WARNING_LEAD_DAYS)
    warned = 0
    for planned in disposition_plan(as_of=horizon):
        if planned.due <= as_of:
            continue
        complaint = planned.complaint
        with transaction.atomic():
            sent = notify(
                event="records.disposition_due",
                recipients=list(agency_supervisors(complaint.agency_id)),
                subject=f"Documents of {complaint.ref} will be disposed on {planned.due:%B %-d, %Y}",
                template="generic",
                context={
                    "message": (
                        f"Under your agency's retention schedule, the {len(planned.documents)} document(s) of "
                        f"complaint {complaint.ref} will be destroyed on {planned.due:%B %-d, %Y}. "
                        "Place a legal hold before then if they must be kept."
                    ),
                    "details": [("Complaint", complaint.ref), ("Latest closure", f"{complaint.closed_on}")],
                },
                link=complaint_path(complaint),
                agency_id=complaint.agency_id,
                dedupe_key=f"records.n26:{complaint.pk}:{complaint.closed_on}",
            )
        warned += 1 if sent else 0
    return warned
