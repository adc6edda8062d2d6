"""Reads the exchange screens and the API need beside ``selectors``: an IR's version (the ETag
that guards company-side writes) and the documents of each response round, as the actor may see
them.

Invariants:
- Scope is the same as ``selectors``: an IR outside the actor's scope (another company, unsent
  for a company user, another agency) answers NotFound exactly like a missing one.
- A company user gets the documents of the responses they may read (a hidden response only for
  its drafter and the Company POC); an agency user only those of submitted responses.
- Each document also passes the documents app's own visibility check.
"""

from __future__ import annotations

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.core.errors import NotFound
from redress.documents.models import Document
from redress.documents.selectors import documents_attached_to

from . import policy
from .attachments import RESPONSE_TYPE
from .models import InformationRequest


def _ir_in_scope(actor: User, ir_ref: str) -> InformationRequest:
    ir = InformationRequest.objects.select_related("complaint", "complaint__agency").filter(ref=ir_ref).first()
    if ir is None or not policy.can_view_ir(actor_for(actor), ir):
        raise NotFound("No such information request.")
    return ir


def ir_version_for(*, actor: User, ir_ref: str) -> int:
    """The IR's current version (what ``expected_version`` of the IR services compares with)."""
    return _ir_in_scope(actor, ir_ref).version


def response_documents_for(*, actor: User, ir_ref: str) -> dict[int, list[Document]]:
    """Response round -> the documents attached to that round's response that the actor may see."""
    ir = _ir_in_scope(actor, ir_ref)
    who = actor_for(actor)
    out: dict[int, list[Document]] = {}
    for response in ir.responses.order_by("round"):
        if policy.can_read_response(who, response, ir.complaint):
            out[response.round] = documents_attached_to(
                actor=actor, attached_type=RESPONSE_TYPE, attached_id=str(response.pk)
            )
    return out
