"""Company enrollment pages: the agency starts it and sends reminders; the invitee accepts the
emailed link (public page), then completes the wizard (confirm company, Complaints Contact, users
and addresses, finish).

Anything the viewer may not do, and any object outside their scope, answers 404. A bad, used or
expired link gets an explanatory page (410/404), never a server error.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.accounts.policy import actor_for, can_enroll_company
from redress.companies import enrollment as enroll
from redress.companies import selectors, services
from redress.companies.constants import ComplaintsAccess
from redress.companies.models import Company, EnrollmentInvitation
from redress.core.errors import ApplicationError, NotFound, PermissionDenied

from ..forms.account import apply_application_error
from ..forms.companies import CompanyUserCreateForm, NotificationAddressForm
from ..forms.enrollment import EnrollmentAcceptForm, EnrollmentContactForm, EnrollmentStartForm

STEPS = (
    ("confirm", "Confirm your company"),
    ("contact", "Complaints Contact"),
    ("team", "Users and addresses"),
    ("finish", "Finish"),
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _company(request: HttpRequest, pk: int) -> Company:
    try:
        return selectors.company_get_for(_user(request), pk=pk)
    except NotFound as exc:
        raise Http404 from exc


# --- agency side --------------------------------------------------------------------------------


def start_context(user: User, company: Company, form: EnrollmentStartForm | None = None) -> dict[str, Any]:
    """What ``web/enrollment/_start_form.html`` needs, for any page that shows a company."""
    actor = actor_for(user)
    invitation = enroll.enrollment_for_company(user, company)
    has_users = selectors.company_users_for(user, company).exists()
    return {
        "enroll_company": company,
        "enroll_form": form or EnrollmentStartForm(prefix="enroll"),
        "enroll_invitation": invitation,
        "can_start_enrollment": can_enroll_company(actor) and not has_users,
        "can_remind_enrollment": (
            invitation is not None
            and invitation.accepted_at is None
            and can_enroll_company(actor)
            and invitation.agency_id == actor.agency_id
        ),
    }


@login_required
def enrollment_start(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request, pk)
    user = _user(request)
    if not can_enroll_company(actor_for(user)):
        raise Http404
    form = EnrollmentStartForm(request.POST or None, prefix="enroll")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                issued = enroll.enrollment_start(actor=user, company=company, **form.cleaned_data)
            except (NotFound, PermissionDenied) as exc:
                raise Http404 from exc
            except ApplicationError as exc:
                apply_application_error(form, exc)
            else:
                messages.success(
                    request,
                    f"We emailed an enrollment invitation to {issued.invitation.user.email}. "
                    "You will be notified when the company finishes enrolling.",
                )
                return redirect("web:company_detail", pk=company.pk)
        status = 422
    return render(
        request, "web/enrollment/start.html", {"company": company, **start_context(user, company, form)}, status=status
    )


@login_required
@require_POST
def enrollment_remind(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    try:
        invitation = enroll.enrollment_get_for(user, pk)
        issued = enroll.enrollment_remind(actor=user, invitation=invitation)
    except (NotFound, PermissionDenied) as exc:
        raise Http404 from exc
    except ApplicationError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"We emailed {issued.invitation.user.email} a new enrollment link.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("web:enrollment_pending")


@login_required
def enrollment_pending(request: HttpRequest) -> HttpResponse:
    try:
        invitations = list(enroll.enrollment_pending_for(_user(request))[:200])
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "web/enrollment/pending.html", {"invitations": invitations})


# --- the invitee ---------------------------------------------------------------------------------


def _link_problem(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    expired = exc.code == "enrollment_link_expired"
    return render(
        request,
        "web/enrollment/link_problem.html",
        {"expired": expired, "detail": exc.detail},
        status=410 if expired else 404,
    )


def enrollment_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public page from the invitation email: choose a password, then sign in."""
    try:
        invitation = enroll.enrollment_check_link(token)
    except ApplicationError as exc:
        return _link_problem(request, exc)
    form = EnrollmentAcceptForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                enroll.enrollment_accept(token=token, password=form.cleaned_data["password1"])
            except ApplicationError as exc:
                if exc.code.startswith("enrollment_link_"):
                    return _link_problem(request, exc)
                if exc.field == "password":
                    form.add_error("password1", exc.detail)
                else:
                    apply_application_error(form, exc)
            else:
                if request.user.is_authenticated:
                    logout(request)
                messages.success(request, "Your password is set. Sign in to continue enrolling your company.")
                query = urlencode({"next": reverse("web:enrollment_wizard")})
                return redirect(f"{reverse('account_login')}?{query}")
        status = 422
    return render(
        request,
        "web/enrollment/accept.html",
        {"form": form, "invitation": invitation, "company": invitation.company, "agency": invitation.agency},
        status=status,
    )


def _open_invitation(request: HttpRequest) -> EnrollmentInvitation:
    invitation = enroll.enrollment_open_for_user(_user(request))
    if invitation is None:
        raise Http404
    return invitation


def _steps(current: str) -> list[dict[str, Any]]:
    index = [key for key, _ in STEPS].index(current)
    return [
        {"key": key, "label": label, "state": "complete" if i < index else "current" if i == index else ""}
        for i, (key, label) in enumerate(STEPS)
    ]


def _render_step(
    request: HttpRequest, invitation: EnrollmentInvitation, step: str, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "invitation": invitation,
        "company": invitation.company,
        "agency": invitation.agency,
        "step": step,
        "steps": _steps(step),
        "step_number": [key for key, _ in STEPS].index(step) + 1,
        "step_count": len(STEPS),
        **extra,
    }
    return render(request, f"web/enrollment/step_{step}.html", context, status=status)


@login_required
def enrollment_wizard(request: HttpRequest) -> HttpResponse:
    """Send the invitee to the first step they still have to do."""
    invitation = enroll.enrollment_open_for_user(_user(request))
    if invitation is None:
        actor = actor_for(_user(request))
        if actor.is_company_user and actor.company_id:
            # Enrolled some other way (or already finished): the company page has the same controls.
            messages.info(request, "There is no enrollment to finish. Manage your company's users and contact here.")
            return redirect(reverse("web:company_detail", args=[actor.company_id]) + "#users")
        raise Http404
    if invitation.company_confirmed_at is None:
        return redirect("web:enrollment_step", step="confirm")
    if invitation.company.complaints_contact_id is None:
        return redirect("web:enrollment_step", step="contact")
    return redirect("web:enrollment_step", step="team")


@login_required
def enrollment_step(request: HttpRequest, step: str) -> HttpResponse:
    invitation = _open_invitation(request)
    handler = _STEP_HANDLERS.get(step)
    if handler is None:
        raise Http404
    if step != "confirm" and invitation.company_confirmed_at is None:
        return redirect("web:enrollment_step", step="confirm")
    return handler(request, invitation)


def _step_confirm(request: HttpRequest, invitation: EnrollmentInvitation) -> HttpResponse:
    if request.method == "POST":
        try:
            enroll.enrollment_confirm_company(actor=_user(request), invitation=invitation)
        except (NotFound, PermissionDenied) as exc:
            raise Http404 from exc
        return redirect("web:enrollment_step", step="contact")
    return _render_step(request, invitation, "confirm")


def _contact_candidates(request: HttpRequest, company: Company) -> list[tuple[int, str]]:
    me = _user(request)
    return [
        (
            m.user_id,
            "Me, " + m.user.get_full_name() if m.user_id == me.pk else f"{m.user.get_full_name()} ({m.user.email})",
        )
        for m in selectors.company_users_for(me, company)
        if m.user.is_active and m.complaints_access == ComplaintsAccess.MANAGE
    ]


def _step_contact(request: HttpRequest, invitation: EnrollmentInvitation) -> HttpResponse:
    user = _user(request)
    company = invitation.company
    candidates = _contact_candidates(request, company)
    status = 200
    if request.method == "POST":
        form = EnrollmentContactForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                company.refresh_from_db()
                contact_id = form.cleaned_data["user"]
                if contact_id == 0:
                    contact = services.company_user_create(
                        actor=user,
                        company=company,
                        email=form.cleaned_data["new_email"],
                        full_name=form.cleaned_data["new_full_name"],
                        complaints_access=ComplaintsAccess.MANAGE,
                    )
                else:
                    contact = User.objects.get(pk=contact_id)
                services.company_complaints_contact_set(
                    actor=user, company=company, user=contact, expected_version=company.version
                )
            except (NotFound, PermissionDenied) as exc:
                raise Http404 from exc
            except ApplicationError as exc:
                field = {"email": "new_email", "full_name": "new_full_name"}.get(exc.field or "", exc.field)
                form.add_error(field if field in form.fields else None, exc.detail)
            else:
                messages.success(request, f"{contact.get_full_name()} is your Complaints Contact.")
                return redirect("web:enrollment_step", step="team")
        status = 422
    else:
        initial = {"user": company.complaints_contact_id or user.pk}
        form = EnrollmentContactForm(candidates=candidates, initial=initial)
    return _render_step(request, invitation, "contact", status=status, form=form)


def _step_team(request: HttpRequest, invitation: EnrollmentInvitation) -> HttpResponse:
    user = _user(request)
    company = invitation.company
    user_form = CompanyUserCreateForm(prefix="newuser")
    address_form = NotificationAddressForm(prefix="address")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_user":
                user_form = CompanyUserCreateForm(request.POST, prefix="newuser")
                if user_form.is_valid():
                    added = services.company_user_create(actor=user, company=company, **user_form.cleaned_data)
                    messages.success(request, f"{added.get_full_name()} was added and emailed a password link.")
                    return redirect("web:enrollment_step", step="team")
            elif action == "add_address":
                address_form = NotificationAddressForm(request.POST, prefix="address")
                if address_form.is_valid():
                    services.notification_address_add(
                        actor=user, company=company, email=address_form.cleaned_data["email"]
                    )
                    messages.success(request, "The notification address was added.")
                    return redirect("web:enrollment_step", step="team")
            else:
                raise Http404
        except (NotFound, PermissionDenied) as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            apply_application_error(user_form if action == "add_user" else address_form, exc)
        status = 422
    return _render_step(
        request,
        invitation,
        "team",
        status=status,
        user_form=user_form,
        address_form=address_form,
        memberships=list(selectors.company_users_for(user, company)),
        addresses=list(selectors.company_notification_addresses_for(user, company)),
    )


def _step_finish(request: HttpRequest, invitation: EnrollmentInvitation) -> HttpResponse:
    user = _user(request)
    company = Company.objects.select_related("complaints_contact").get(pk=invitation.company_id)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            enroll.enrollment_complete(actor=user, invitation=invitation)
        except (NotFound, PermissionDenied) as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            error = exc.detail
            status = 422
        else:
            messages.success(request, f"{company.legal_name} is enrolled. {invitation.agency.name} has been notified.")
            return redirect("web:company_detail", pk=company.pk)
    return _render_step(
        request,
        invitation,
        "finish",
        status=status,
        error=error,
        contact=company.complaints_contact,
        memberships=list(selectors.company_users_for(user, company)),
        addresses=list(selectors.company_notification_addresses_for(user, company)),
    )


_STEP_HANDLERS = {"confirm": _step_confirm, "contact": _step_contact, "team": _step_team, "finish": _step_finish}
