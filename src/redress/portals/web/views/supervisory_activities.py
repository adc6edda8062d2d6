"""Supervisory activities (examinations and investigations, a stub record in v1): the agency's
schedule with its count of linked complaints per company, a form to record one, the record
itself, which lists the complaints linked to it from either side, and a form to change its
details.

Only agency users see these pages (anyone else gets 404); only Supervisors and Managers record
and change activities and link complaints (Viewers get 403); another agency's activity answers 404."""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.accounts.policy import Actor, actor_for
from redress.companies import selectors as company_selectors
from redress.complaints import related, services
from redress.complaints.models import SupervisoryActivity
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from ..forms.complaints import apply_service_error
from ..forms.related import LinkComplaintForm, SupervisoryActivityEditForm, SupervisoryActivityForm

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _agency_actor(request: HttpRequest) -> Actor:
    actor = actor_for(_user(request))
    if not actor.is_agency_user:
        raise Http404
    return actor


def _positive_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 0 < int(value) < 2**63 else None


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    actor = _agency_actor(request)
    user = _user(request)
    company_id = _positive_int(request.GET.get("company"))
    company = None
    if company_id:
        with contextlib.suppress(NotFound):
            company = company_selectors.company_get_for(user, pk=company_id)
    if company is None:
        company_id = None
    qs = related.supervisory_activities_for(actor=user, company_id=company_id)
    before = _positive_int(request.GET.get("before"))
    if before:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: PAGE_SIZE + 1])
    activities = rows[:PAGE_SIZE]
    first_url = reverse("web:supervisory_activity_list") + (f"?company={company_id}" if company_id else "")
    next_url = ""
    if len(rows) > PAGE_SIZE:
        next_url = first_url + ("&" if company_id else "?") + f"before={activities[-1].pk}"
    context = {
        "activities": activities,
        "company": company,
        "counts": related.activity_counts_by_company_for(actor=user, company_id=company_id),
        "next_url": next_url,
        "first_url": first_url if before else "",
        "can_create": actor.can_manage_complaints,
    }
    return render(request, "web/supervisory_activities/list.html", context)


@login_required
def activity_new(request: HttpRequest) -> HttpResponse:
    actor = _agency_actor(request)
    if not actor.can_manage_complaints:
        raise DjangoPermissionDenied
    form = SupervisoryActivityForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                activity = related.supervisory_activity_create(actor=_user(request), **form.cleaned_data)
            except PermissionDenied as exc:
                raise DjangoPermissionDenied from exc
            except ApplicationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, f"Supervisory activity {activity.ref} was recorded.")
                return redirect("web:supervisory_activity_detail", ref=activity.ref)
        status = 422
    return render(request, "web/supervisory_activities/new.html", {"form": form}, status=status)


def _activity(request: HttpRequest, ref: str) -> SupervisoryActivity:
    _agency_actor(request)
    try:
        return related.supervisory_activity_get_for(actor=_user(request), activity_ref=ref)
    except NotFound as exc:
        raise Http404 from exc


def _detail(
    request: HttpRequest, activity: SupervisoryActivity, *, form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    actor = actor_for(_user(request))
    context: dict[str, Any] = {
        "activity": activity,
        "complaints": related.complaints_of_activity_for(actor=_user(request), activity_ref=activity.ref),
        "can_link": actor.can_manage_complaints,
        "can_edit": actor.can_manage_complaints,
        "link_form": form or LinkComplaintForm(prefix="link"),
    }
    return render(request, "web/supervisory_activities/detail.html", context, status=status)


@login_required
def activity_detail(request: HttpRequest, ref: str) -> HttpResponse:
    return _detail(request, _activity(request, ref))


@login_required
@require_POST
def activity_link_complaint(request: HttpRequest, ref: str) -> HttpResponse:
    activity = _activity(request, ref)
    user = _user(request)
    form = LinkComplaintForm(request.POST, prefix="link")
    if not actor_for(user).can_manage_complaints:
        # Let the service record the refused attempt, then refuse the same way whatever it says.
        with contextlib.suppress(ApplicationError):
            services.authorize_manage(
                user, (request.POST.get("link-complaint_ref") or "").strip().upper(), "related_add"
            )
        raise DjangoPermissionDenied
    if form.is_valid():
        complaint_ref = form.cleaned_data["complaint_ref"].strip().upper()
        try:
            related.supervisory_activity_link_complaint(
                actor=user, activity_ref=activity.ref, complaint_ref=complaint_ref
            )
        except NotFound:
            # The complaint is missing or another agency's: say so on the field, like the other side does.
            form.add_error("complaint_ref", f"No complaint {complaint_ref} in your agency.")
        except PermissionDenied as exc:
            raise DjangoPermissionDenied from exc
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"Complaint {complaint_ref} is now linked to {activity.ref}.")
            return redirect(reverse("web:supervisory_activity_detail", args=[activity.ref]) + "#linked-complaints")
    return _detail(request, activity, form=form, status=422)


def _edit_initial(activity: SupervisoryActivity) -> dict[str, Any]:
    company = activity.company
    nmls_id = (company.nmls_id or "") if company is not None else ""
    return {
        "activity_type": activity.activity_type,
        "name": activity.name,
        "status": activity.status,
        # A company is shown by its NMLS ID, or by its Company ID when it has none.
        "nmls_id": nmls_id,
        "company_ref": company.company_ref if company is not None and not nmls_id else "",
        "version": activity.version,
    }


@login_required
def activity_edit(request: HttpRequest, ref: str) -> HttpResponse:
    activity = _activity(request, ref)
    user = _user(request)
    if not actor_for(user).can_manage_complaints:
        if request.method == "POST":
            # The service records the refused attempt; the answer is the same whatever it says.
            with contextlib.suppress(ApplicationError):
                related.supervisory_activity_update(
                    actor=user, activity_ref=activity.ref, expected_version=activity.version
                )
        raise DjangoPermissionDenied
    status = 200
    if request.method == "POST":
        form = SupervisoryActivityEditForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            version = values.pop("version")
            try:
                updated = related.supervisory_activity_update(
                    actor=user, activity_ref=activity.ref, expected_version=version, **values
                )
            except NotFound as exc:
                raise Http404 from exc
            except PermissionDenied as exc:
                raise DjangoPermissionDenied from exc
            except ApplicationError as exc:
                apply_service_error(form, exc)
                if isinstance(exc, PreconditionFailed):
                    # Keep the input but carry the current version, so saving again is a
                    # deliberate overwrite of the newer record.
                    activity.refresh_from_db()
                    data = request.POST.copy()
                    data["version"] = str(activity.version)
                    form.data = data
            else:
                if updated.version == version:
                    messages.info(request, "Nothing was changed.")
                else:
                    messages.success(request, f"Changes to supervisory activity {activity.ref} were saved.")
                return redirect("web:supervisory_activity_detail", ref=activity.ref)
        status = 422
    else:
        form = SupervisoryActivityEditForm(initial=_edit_initial(activity))
    return render(request, "web/supervisory_activities/edit.html", {"activity": activity, "form": form}, status=status)
