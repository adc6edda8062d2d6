"""Reading documents, scoped to the actor.

Invariants:
- A document out of the actor's scope answers exactly like a missing one (NotFound).
- Agency users see every document of their agency, except that a user with no complaints role
  (supervisory activities only) sees none of the complaint files, only company-record files;
  company users see only documents of their
  company that the agency shares (visibility agency_and_company), and need complaints access
  unless the document is a company-record file; system administrators see none (they do not
  read case files). Disposed documents are gone for everyone.
- A feature that attaches documents to its records (complaints, IRs) may register an extra rule
  for its ``attached_type`` (e.g. another agency granted access to a complaint); such a rule can
  only widen access for agency users of another agency.
- For company users, the owner of a record type may register a company rule; it is asked only
  after the default company checks passed or, for documents the agency owns (IR attachments),
  only for documents the agency marked as shared. It decides when the company may read them
  (e.g. once the IR was sent) and can narrow access (a response restricted to its drafter and
  the Company POC).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from redress.accounts.policy import Actor, actor_for
from redress.companies.constants import ComplaintsAccess
from redress.core.errors import NotFound

from .constants import DocumentContext, DocumentVisibility
from .models import Document

if TYPE_CHECKING:
    from redress.accounts.models import User

AttachmentRule = Callable[[Actor, Document], bool]
_ATTACHMENT_RULES: dict[str, AttachmentRule] = {}


_COMPANY_RULES: dict[str, AttachmentRule] = {}


def register_attachment_rule(attached_type: str, rule: AttachmentRule) -> None:
    """Let the owner of ``attached_type`` records grant extra agency readers."""
    _ATTACHMENT_RULES[attached_type] = rule


def register_company_attachment_rule(attached_type: str, rule: AttachmentRule) -> None:
    """Let the owner of ``attached_type`` records decide company readers of shared documents."""
    _COMPANY_RULES[attached_type] = rule


def can_view_document(actor: Actor, document: Document) -> bool:
    if document.disposed_at is not None:
        return False
    if actor.is_agency_user:
        if document.context != DocumentContext.COMPANY and not actor.has_complaints_role:
            return False
        if document.agency_id is not None and actor.agency_id == document.agency_id:
            return True
        rule = _ATTACHMENT_RULES.get(document.attached_type)
        return bool(rule is not None and rule(actor, document))
    if actor.is_company_user:
        return _company_can_view(actor, document)
    return False


def _company_can_view(actor: Actor, document: Document) -> bool:
    if document.visibility != DocumentVisibility.AGENCY_AND_COMPANY:
        return False
    company_rule = _COMPANY_RULES.get(document.attached_type)
    if document.company_id is None:
        # An agency-owned document reaches a company only through its record's company rule.
        return bool(
            company_rule is not None
            and actor.complaints_access != ComplaintsAccess.NONE
            and company_rule(actor, document)
        )
    if actor.company_id != document.company_id:
        return False
    if document.context != DocumentContext.COMPANY and actor.complaints_access == ComplaintsAccess.NONE:
        return False
    return company_rule is None or company_rule(actor, document)


def document_get_for(*, actor: User, ref: str | uuid.UUID) -> Document:
    try:
        key = ref if isinstance(ref, uuid.UUID) else uuid.UUID(str(ref))
    except (ValueError, TypeError, AttributeError) as exc:
        raise NotFound("Document not found.") from exc
    document = Document.objects.select_related("uploaded_by").filter(ref=key).first()
    if document is None or not can_view_document(actor_for(actor), document):
        raise NotFound("Document not found.")
    return document


def documents_for_agency(*, actor: User) -> QuerySet[Document]:
    """The agency's own loose documents (not attached to any record), newest first."""
    who = actor_for(actor)
    if not who.is_agency_user or who.agency_id is None or not who.has_complaints_role:
        return Document.objects.none()
    return Document.objects.select_related("uploaded_by").filter(
        agency_id=who.agency_id, attached_type="", disposed_at__isnull=True
    )


def documents_attached_to(*, actor: User, attached_type: str, attached_id: str) -> list[Document]:
    """Documents of one record that the actor may see."""
    who = actor_for(actor)
    rows = Document.objects.select_related("uploaded_by").filter(
        attached_type=attached_type, attached_id=str(attached_id), disposed_at__isnull=True
    )
    return [d for d in rows if can_view_document(who, d)]


def documents_attached_to_each(
    *, actor: User, attached_type: str, attached_ids: list[str]
) -> dict[str, list[Document]]:
    """Documents of several records of one type that the actor may see, by record id, in one query."""
    who = actor_for(actor)
    out: dict[str, list[Document]] = {str(i): [] for i in attached_ids}
    if not attached_ids:
        return out
    rows = Document.objects.select_related("uploaded_by").filter(
        attached_type=attached_type, attached_id__in=list(out), disposed_at__isnull=True
    )
    for document in rows:
        if can_view_document(who, document):
            out[document.attached_id].append(document)
    return out
