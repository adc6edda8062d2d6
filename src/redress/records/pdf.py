"""The complaint record as one accessible PDF, for examiners and public-records requests.

Invariants:
- Same audience as the ZIP export: only agency users of the owning agency who may view the
  complaint; anyone else (another agency, company users, system administrators) gets NotFound,
  exactly as for a missing complaint. Every export is audited (``records.exported``, format pdf).
- The owning agency sees everything, so restricted complainant details are printed, marked as
  restricted.
- Content comes from the same selectors as the complaint pages (details, IRs with their
  submitted responses, research and communication, alleged violations, closures, related items,
  the complaint's and each IR's audit history). Company draft responses and their files are not
  part of the agency's record, as on the IR pages.
- The documents list carries each file's SHA-256 and whether its bytes were disposed of; the
  PDF never embeds a document.
- The number of queries does not depend on the number of IRs, responses, entries or documents.
- Rendering fetches nothing: the fetcher refuses every URL and the fonts are the system's.
- The PDF is PDF/UA-1: tagged, with the document title and language taken from the HTML.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from redress.accounts.policy import actor_for
from redress.audit.models import AuditEvent
from redress.audit.selectors import histories_for, history_for
from redress.audit.services import audit_record
from redress.companies.constants import BusinessType
from redress.complaints.models import Closure, Complaint
from redress.complaints.related import related_items_for
from redress.complaints.selectors import complaint_get_for
from redress.complaints.ui_selectors import closures_for, research_entries_for, violations_for
from redress.core import clock
from redress.core.errors import NotFound
from redress.information_requests.models import InformationRequest, IRResponse
from redress.information_requests.selectors import irs_for_complaint

from .constants import CLOSURE_TYPE, COMPLAINT_TYPE, IR_TYPE, RESPONSE_TYPE
from .disposition import complaint_documents
from .selectors import retention_for

if TYPE_CHECKING:
    from redress.accounts.models import User

TEMPLATE = "records/complaint_record_pdf.html"
PDF_VARIANT = "pdf/ua-1"


class _NoFetch(URLFetcher):  # type: ignore[misc]
    """The record template needs no outside resource; refusing all of them keeps rendering offline
    and stops any stored text from reaching a URL."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise ValueError(f"The record PDF fetches no resources ({url[:40]}).")


@dataclass(frozen=True)
class HistoryRow:
    occurred_at: dt.datetime
    who: str
    action: str
    changes: list[tuple[str, Any, Any]]
    reason: str


@dataclass(frozen=True)
class DocumentRow:
    ref: str
    name: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    belongs_to: str
    disposed_at: dt.datetime | None


@dataclass(frozen=True)
class ResponseSection:
    response: IRResponse
    documents: list[DocumentRow]


@dataclass(frozen=True)
class IRSection:
    ir: InformationRequest
    documents: list[DocumentRow]
    responses: list[ResponseSection]
    history: list[HistoryRow]


@dataclass(frozen=True)
class ClosureSection:
    closure: Closure
    relief: str
    documents: list[DocumentRow]


@dataclass
class _Documents:
    """The complaint's files grouped by the record they are attached to."""

    rows: list[DocumentRow] = field(default_factory=list)
    by_owner: dict[tuple[str, str], list[DocumentRow]] = field(default_factory=lambda: defaultdict(list))

    def of(self, attached_type: str, pk: int) -> list[DocumentRow]:
        return self.by_owner.get((attached_type, str(pk)), [])


def dollars(cents: int | None) -> str:
    return "" if cents is None else f"${(Decimal(cents) / 100):,.2f}"


def _name(user: Any) -> str:
    return (user.full_name or user.email) if user is not None else ""


def _history_rows(events: list[AuditEvent]) -> list[HistoryRow]:
    return [
        HistoryRow(
            occurred_at=e.occurred_at,
            who=_name(e.actor) if e.actor_id else e.actor_label,
            action=e.action,
            changes=[(n, e.old_values.get(n), e.new_values.get(n)) for n in sorted({*e.old_values, *e.new_values})],
            reason=e.reason,
        )
        for e in events
    ]


def _documents(
    complaint: Complaint, labels: dict[tuple[str, str], str], submitted_response_ids: set[str]
) -> _Documents:
    found = _Documents()
    for d in complaint_documents(complaint).select_related("uploaded_by"):
        key = (d.attached_type, d.attached_id)
        if d.attached_type == RESPONSE_TYPE and d.attached_id not in submitted_response_ids:
            continue  # a company draft's file: not the agency's until the response is submitted
        row = DocumentRow(
            ref=str(d.ref),
            name=d.original_name,
            size=d.size,
            sha256=d.sha256,
            uploaded_at=d.uploaded_at,
            belongs_to=labels.get(key, "Complaint"),
            disposed_at=d.disposed_at,
        )
        found.rows.append(row)
        found.by_owner[key].append(row)
    found.rows.sort(key=lambda r: (r.uploaded_at, r.ref))
    return found


def _record_context(actor: User, complaint: Complaint) -> dict[str, Any]:
    ref = complaint.ref
    irs = list(irs_for_complaint(actor=actor, ref=ref))
    closures = list(closures_for(actor=actor, complaint=complaint).order_by("closed_at", "id"))
    responses = {str(r.pk): r for ir in irs for r in ir.submitted_responses}  # type: ignore[attr-defined]

    labels: dict[tuple[str, str], str] = {(COMPLAINT_TYPE, str(complaint.pk)): "Complaint"}
    for c in closures:
        labels[(CLOSURE_TYPE, str(c.pk))] = f"Closure of {c.closed_on:%Y-%m-%d}"
    for ir in irs:
        labels[(IR_TYPE, str(ir.pk))] = ir.ref
        for r in ir.submitted_responses:  # type: ignore[attr-defined]
            labels[(RESPONSE_TYPE, str(r.pk))] = f"{ir.ref} response, round {r.round}"
    documents = _documents(complaint, labels, set(responses))

    ir_events: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in histories_for(actor=actor, target_type=IR_TYPE, target_ids=[str(ir.pk) for ir in irs]):
        ir_events[event.target_id].append(event)
    complaint_events = list(history_for(actor=actor, target_type=COMPLAINT_TYPE, target_id=str(complaint.pk)))

    return {
        "complaint": complaint,
        "business_type_label": dict(BusinessType.choices).get(complaint.business_type, complaint.business_type),
        "amount_in_dispute": dollars(complaint.amount_in_dispute_cents),
        "retention": retention_for(complaint),
        "irs": [
            IRSection(
                ir=ir,
                documents=documents.of(IR_TYPE, ir.pk),
                responses=[
                    ResponseSection(response=r, documents=documents.of(RESPONSE_TYPE, r.pk))
                    for r in sorted(ir.submitted_responses, key=lambda r: r.round)  # type: ignore[attr-defined]
                ],
                history=_history_rows(ir_events[str(ir.pk)]),
            )
            for ir in irs
        ],
        "entries": list(research_entries_for(actor=actor, complaint=complaint)),
        "violations": list(violations_for(actor=actor, complaint=complaint)),
        "closures": [
            ClosureSection(
                closure=c, relief=dollars(c.monetary_relief_cents), documents=documents.of(CLOSURE_TYPE, c.pk)
            )
            for c in closures
        ],
        "related": related_items_for(actor=actor, ref=ref),
        "documents": documents.rows,
        "history": _history_rows(complaint_events),
        "time_zone": settings.TIME_ZONE,
        "generated_at": clock.now(),
        "generated_by": _name(actor),
    }


def complaint_record_pdf(*, actor: User, ref: str) -> bytes:
    """The whole record of one complaint as a tagged PDF (PDF/UA-1)."""
    who = actor_for(actor)
    if not who.is_agency_user:
        raise NotFound("Complaint not found.")
    complaint = complaint_get_for(actor=actor, ref=ref)
    if who.agency_id != complaint.agency_id:
        raise NotFound("Complaint not found.")
    context = _record_context(actor, complaint)
    html = render_to_string(TEMPLATE, context)
    pdf: bytes = HTML(string=html, url_fetcher=_NoFetch()).write_pdf(pdf_variant=PDF_VARIANT)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="records.exported",
            target=complaint,
            new={
                "format": "pdf",
                "information_requests": len(context["irs"]),
                "documents": len(context["documents"]),
            },
            agency_id=complaint.agency_id,
            company_id=complaint.company_id,
        )
    return pdf


def record_pdf_filename(ref: str) -> str:
    return f"{ref}-record.pdf"
