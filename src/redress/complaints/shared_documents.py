"""Agency readers of a complaint's documents beyond its owning agency.

Invariants:
- The owning agency reads the documents it owns directly (documents selectors). These rules only
  add readers from other agencies: one whose agency holds a granted access request, or that a
  pending referral was sent to (``policy.can_view``), for every document the complaint's current
  owner holds on the complaint itself and on its closures.
- A document of another agency (one that no longer owns the complaint) is never widened here.
- Companies are not concerned: their rules are separate (``register_company_attachment_rule``).
"""

from __future__ import annotations

from redress.accounts.policy import Actor
from redress.documents.models import Document
from redress.documents.selectors import register_attachment_rule

from . import policy
from .models import Closure, Complaint

COMPLAINT_TYPE = "complaints.complaint"
CLOSURE_TYPE = "complaints.closure"


def _reads(actor: Actor, complaint: Complaint | None, document: Document) -> bool:
    return (
        complaint is not None
        and document.agency_id is not None
        and document.agency_id == complaint.agency_id
        and policy.can_view(actor, complaint)
    )


def _complaint_documents(actor: Actor, document: Document) -> bool:
    if not (document.attached_id.isdigit() and len(document.attached_id) < 19):
        return False
    return _reads(actor, Complaint.objects.filter(pk=int(document.attached_id)).first(), document)


def _closure_documents(actor: Actor, document: Document) -> bool:
    if not (document.attached_id.isdigit() and len(document.attached_id) < 19):
        return False
    closure = Closure.objects.select_related("complaint").filter(pk=int(document.attached_id)).first()
    return _reads(actor, closure.complaint if closure else None, document)


register_attachment_rule(COMPLAINT_TYPE, _complaint_documents)
register_attachment_rule(CLOSURE_TYPE, _closure_documents)
