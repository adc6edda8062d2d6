"""Who reads the documents attached to a complaint itself (its intake documents).

Invariants:
- Intake documents belong to the owning agency, whose users read them all (documents selectors).
- A company reads only those the agency marked shared, and only while it may see the complaint:
  its company is the complaint's subject company *now* and the first Information Request has
  been sent (``policy.can_view``). Documents therefore follow a subject change, and a company
  learns nothing of a complaint before the exchange starts.
"""

from __future__ import annotations

from redress.accounts.models import User
from redress.accounts.policy import Actor
from redress.documents.models import Document
from redress.documents.selectors import documents_attached_to, register_company_attachment_rule

from . import policy
from .models import Complaint

COMPLAINT_TYPE = "complaints.complaint"


def _company_reads_shared_intake_documents(actor: Actor, document: Document) -> bool:
    if not document.attached_id.isdigit():
        return False
    complaint = Complaint.objects.filter(pk=int(document.attached_id)).first()
    return complaint is not None and complaint.agency_id == document.agency_id and policy.can_view(actor, complaint)


register_company_attachment_rule(COMPLAINT_TYPE, _company_reads_shared_intake_documents)


def complaint_documents_for(*, actor: User, complaint: Complaint) -> list[Document]:
    """The complaint's own documents the actor may read (the caller has the complaint in scope)."""
    return documents_attached_to(actor=actor, attached_type=COMPLAINT_TYPE, attached_id=str(complaint.pk))
