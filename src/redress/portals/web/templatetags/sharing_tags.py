"""Template parts of referrals and access requests: the panel on the complaint record, the View
Access tab, and the home-page widgets (access requests for Supervisors, incoming referrals)."""

from __future__ import annotations

from typing import Any

from django import template

from redress.accounts.policy import actor_for
from redress.complaints import policy, referrals
from redress.complaints.constants import Status
from redress.complaints.models import Complaint
from redress.complaints.sharing_selectors import (
    access_rows_for_complaint,
    access_waiting_for,
    incoming_referrals_for,
    pending_referral_of,
)

register = template.Library()
HOME_ROWS = 5


@register.inclusion_tag("web/sharing/_record_panel.html", takes_context=True)
def sharing_record_panel(context: dict[str, Any], complaint: Complaint) -> dict[str, Any]:
    user = context["request"].user
    actor = actor_for(user)
    owner = policy.is_owner(actor, complaint)
    pending = pending_referral_of(complaint) if complaint.status == Status.REFERRAL_IN_PROGRESS else None
    receiver = pending is not None and pending.to_agency_id == actor.agency_id
    return {
        "complaint": complaint,
        "owner": owner,
        "can_refer": policy.can_refer(actor, complaint)
        and complaint.status == Status.OPEN
        and complaint.first_ir_sent_at is None,
        "pending": pending,
        "can_withdraw": pending is not None and policy.can_refer(actor, complaint),
        "receiver": receiver,
        "can_decide": receiver and pending is not None and policy.can_decide_referral(actor, pending),
        "grantee": not owner and not receiver,
        "referred_from": referrals.referred_from(complaint) if owner else None,
    }


@register.inclusion_tag("web/sharing/_access_tab.html", takes_context=True)
def sharing_access_tab(context: dict[str, Any], complaint: Complaint) -> dict[str, Any]:
    user = context["request"].user
    actor = actor_for(user)
    return {
        "complaint": complaint,
        "rows": access_rows_for_complaint(actor=user, ref=complaint.ref),
        "owner": policy.is_owner(actor, complaint),
        "can_decide": policy.can_decide_access(actor, complaint) and complaint.status != Status.CANCELED,
    }


@register.inclusion_tag("web/sharing/_home_panels.html", takes_context=True)
def sharing_home_panels(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    actor = actor_for(user)
    if not policy.is_complaints_user(actor):
        return {"show": False}
    waiting = list(access_waiting_for(actor=user)[: HOME_ROWS + 1]) if actor.is_supervisor else None
    incoming = list(incoming_referrals_for(actor=user)[: HOME_ROWS + 1]) if actor.can_manage_complaints else None
    return {
        "show": True,
        "access": waiting[:HOME_ROWS] if waiting is not None else None,
        "access_more": waiting is not None and len(waiting) > HOME_ROWS,
        "referrals": incoming[:HOME_ROWS] if incoming is not None else None,
        "referrals_more": incoming is not None and len(incoming) > HOME_ROWS,
    }
