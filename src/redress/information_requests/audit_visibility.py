"""Who may read an IR's audit history (found by ``redress.audit.selectors`` autodiscovery).

Rule: agency users who may see the IR's complaint; company users see no audit trail (it holds
agency-only facts such as Quick Look).
"""

from __future__ import annotations

from typing import Any

from redress.accounts.policy import actor_for
from redress.audit.selectors import register_history_visibility

from . import policy
from .models import InformationRequest


def _ir(reader: Any, target_id: str) -> bool:
    if not (target_id.isdigit() and len(target_id) < 19):
        return False
    actor = actor_for(reader)
    if not actor.is_agency_user:
        return False
    ir = InformationRequest.objects.select_related("complaint").filter(pk=int(target_id)).first()
    return ir is not None and policy.can_view_ir(actor, ir)


def _irs(reader: Any, target_ids: list[str]) -> set[str]:
    pks = [int(i) for i in target_ids if i.isdigit() and len(i) < 19]
    actor = actor_for(reader)
    if not pks or not actor.is_agency_user:
        return set()
    rows = InformationRequest.objects.select_related("complaint").filter(pk__in=pks)
    return {str(ir.pk) for ir in rows if policy.can_view_ir(actor, ir)}


register_history_visibility("information_requests.informationrequest", _ir, bulk=_irs)
