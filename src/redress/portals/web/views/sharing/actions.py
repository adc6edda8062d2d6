"""Referral and access-decision actions, each a form page (GET) that performs on POST.

The buttons that lead here are shown only to users who may act; the services still decide every
rule, record refused attempts, and their refusals come back as form errors, 403 or 404."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from redress.accounts.policy import actor_for
from redress.complaints import access, policy, referrals
from redress.complaints.constants import AccessStatus, Status
from redress.complaints.models import AccessGrant
from redress.complaints.selectors import complaint_get_for
from redress.complaints.sharing_selectors import pending_referral_of
from redress.core.errors import ApplicationError, NotFound

from ...forms.sharing import AccessDecisionForm, ReferForm, ReferralDecisionForm
from ..complaints.common import load_complaint, record_url, refuse, user_of

DECISIONS = {
    "accept": ("Accept the access request", "Access granted.", AccessStatus.PENDING),
    "reject": ("Reject the access request", "Access request rejected.", AccessStatus.PENDING),
    "remove": ("Remove access", "Access removed.", AccessStatus.GRANTED),
}
ACCESS_SERVICES: dict[str, Callable[..., object]] = {
    "accept": access.access_accept,
    "reject": access.access_reject,
    "remove": access.access_remove,
}
REFERRAL_SERVICES: dict[str, Callable[..., object]] = {
    "accept": referrals.referral_accept,
    "reject": referrals.referral_reject,
    "withdraw": referrals.referral_withdraw,
}
REFERRAL_DECISIONS = {
    "accept": "Accept the referral",
    "reject": "Reject the referral",
    "withdraw": "Withdraw the referral",
}


def _current_version(request: HttpRequest, ref: str) -> int | None:
    try:
        return complaint_get_for(actor=user_of(request), ref=ref).version
    except NotFound:
        return None


@login_required
def refer(request: HttpRequest, ref: str) -> HttpResponse:
    complaint = load_complaint(request, ref)
    actor = actor_for(user_of(request))
    if not policy.can_refer(actor, complaint):
        if request.method == "POST":
            # Let the service refuse (and record) the attempt.
            with contextlib.suppress(ApplicationError):
                referrals.referral_create(actor=user_of(request), ref=ref, to_agency_id=None)
        raise DjangoPermissionDenied
    targets = [(a.pk, f"{a.name} ({a.code})") for a in referrals.referral_targets() if a.pk != complaint.agency_id]
    form = ReferForm(request.POST or None, agencies=targets, initial={"version": complaint.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = referrals.referral_create(
                    actor=user_of(request),
                    ref=ref,
                    to_agency_id=form.cleaned_data["to_agency"],
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["version"],
                )
            except ApplicationError as exc:
                refuse(form, exc, current_version=_current_version(request, ref))
            else:
                messages.success(request, f"Complaint {ref} was referred to {referral.to_agency.name}.")
                return redirect(record_url(complaint))
        status = 422
    blocked = complaint.first_ir_sent_at is not None or complaint.status != Status.OPEN
    return render(
        request,
        "web/sharing/refer.html",
        {"complaint": complaint, "form": form, "blocked": blocked},
        status=status,
    )


@login_required
def referral_decision(request: HttpRequest, ref: str, decision: str) -> HttpResponse:
    if decision not in REFERRAL_DECISIONS:
        raise Http404
    complaint = load_complaint(request, ref)
    referral = pending_referral_of(complaint)
    if referral is None:
        messages.info(request, f"Complaint {ref} has no referral waiting for a decision.")
        return redirect(record_url(complaint))
    actor = actor_for(user_of(request))
    allowed = (
        policy.can_refer(actor, complaint) if decision == "withdraw" else policy.can_decide_referral(actor, referral)
    )
    form = ReferralDecisionForm(
        request.POST or None, comment_required=decision == "reject", initial={"version": complaint.version}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() or not allowed:
            service = REFERRAL_SERVICES[decision]
            try:
                service(
                    actor=user_of(request),
                    ref=ref,
                    comment=form.cleaned_data.get("comment", "") if form.is_valid() else "",
                    expected_version=form.cleaned_data.get("version") if form.is_valid() else None,
                )
            except ApplicationError as exc:
                refuse(form, exc, current_version=_current_version(request, ref))
            else:
                done = {
                    "accept": f"You accepted the referral: complaint {ref} now belongs to your agency.",
                    "reject": f"You rejected the referral of {ref}; it stays with {referral.from_agency.name}.",
                    "withdraw": f"The referral of {ref} was withdrawn.",
                }[decision]
                messages.success(request, done)
                if decision == "reject":
                    return redirect(reverse("web:sharing_basic_view", args=[ref]))
                return redirect(record_url(complaint))
        status = 422
    elif not allowed:
        raise DjangoPermissionDenied
    return render(
        request,
        "web/sharing/referral_decision.html",
        {
            "complaint": complaint,
            "referral": referral,
            "decision": decision,
            "title": REFERRAL_DECISIONS[decision],
            "form": form,
        },
        status=status,
    )


@login_required
def access_decision(request: HttpRequest, ref: str, grant_id: int, decision: str) -> HttpResponse:
    if decision not in DECISIONS:
        raise Http404
    complaint = load_complaint(request, ref)
    grant = (
        AccessGrant.objects.select_related("grantee_agency", "requested_by", "decided_by")
        .filter(pk=grant_id, complaint=complaint)
        .first()
    )
    if grant is None:
        raise Http404
    title, done, expected = DECISIONS[decision]
    allowed = policy.can_decide_access(actor_for(user_of(request)), complaint)
    form = AccessDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() or not allowed:
            decide = ACCESS_SERVICES[decision]
            try:
                decide(
                    actor=user_of(request),
                    ref=ref,
                    grant_id=grant_id,
                    comment=form.cleaned_data.get("comment", "") if form.is_valid() else "",
                )
            except ApplicationError as exc:
                refuse(form, exc)
            else:
                messages.success(request, f"{done} ({grant.grantee_agency.name}, complaint {ref})")
                return redirect(reverse("web:complaint_tab", args=[ref, "access"]))
        status = 422
    elif not allowed:
        raise DjangoPermissionDenied
    return render(
        request,
        "web/sharing/access_decision.html",
        {
            "complaint": complaint,
            "grant": grant,
            "decision": decision,
            "title": title,
            "form": form,
            "stale": grant.status != expected,
        },
        status=status,
    )
