"""The IR tab of a complaint (list, search, selection) and the pages that add and send requests:
new request (save for later / add another / go to the send screen), bulk due date, the send
screen (with the company's enrollment right there) and comment-only messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from redress.complaints.models import Complaint
from redress.core.errors import ApplicationError, NotFound, PermissionDenied
from redress.information_requests import composed, services
from redress.information_requests.constants import UNSENT
from redress.information_requests.models import InformationRequest
from redress.information_requests.selectors import ir_search_in_complaint, irs_for_complaint

from ...forms.account import apply_application_error
from ...forms.enrollment import EnrollmentStartForm
from ...forms.information_requests import IRCommentForm, IRCreateForm, IRSearchForm, IRSelectionForm, IRSendForm
from ..complaints.record import record_context
from ..documents import upload_context, uploaded_files
from ..enrollment import start_context
from .common import (
    IR_TAB,
    finish,
    ir_abilities,
    load_complaint,
    refuse,
    render_page,
    require,
    tab_url,
    user_of,
)

SAVE_CHOICES = ("later", "another", "send")


def _label(ir: InformationRequest) -> str:
    due = ir.due_date.isoformat() if ir.due_date else "no due date yet"
    return f"{ir.ref}: {ir.title} (due {due})"


def _unsent(irs: list[InformationRequest]) -> list[InformationRequest]:
    return [ir for ir in irs if ir.status in UNSENT]


def tab_context(
    request: HttpRequest, complaint: Complaint, *, selection: IRSelectionForm | None = None
) -> dict[str, Any]:
    search = IRSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    user = user_of(request)
    try:
        irs = list(ir_search_in_complaint(actor=user, ref=complaint.ref, q=q))
        every = irs if not q else list(irs_for_complaint(actor=user, ref=complaint.ref))
    except NotFound as exc:
        raise Http404 from exc
    unsent = _unsent(every)
    return {
        "irs": irs,
        "ir_can": ir_abilities(request, complaint),
        "ir_search": search,
        "ir_query": q,
        "ir_unsent": unsent,
        "ir_selection": selection,
        "ir_selected": request.POST.getlist("refs") if selection is not None else [],
        "ir_any_sent": complaint.first_ir_sent_at is not None,
    }


def _render_tab(
    request: HttpRequest, complaint: Complaint, *, selection: IRSelectionForm | None = None, status: int = 200
) -> HttpResponse:
    context = {**record_context(request, complaint, IR_TAB), **tab_context(request, complaint, selection=selection)}
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "ir-results":
        return render(request, "web/irs/_tab.html#results", context)
    # htmx swaps only 2xx answers: a boosted form with errors comes back whole, as 200.
    return render(
        request, "web/complaints/record.html", context, status=200 if getattr(request, "htmx", False) else status
    )


@login_required
def ir_tab(request: HttpRequest, ref: str) -> HttpResponse:
    complaint = load_complaint(request, ref)
    return _render_tab(request, complaint)


# --- new request ------------------------------------------------------------------------------------


@login_required
def ir_new(request: HttpRequest, ref: str) -> HttpResponse:
    complaint = load_complaint(request, ref)
    can = ir_abilities(request, complaint)
    user = user_of(request)
    form = IRCreateForm(request.POST or None)
    upload_error: ApplicationError | None = None
    status = 200
    if request.method == "POST":
        choice = request.POST.get("save", "later")
        if choice not in SAVE_CHOICES:
            choice = "later"
        if not can.manage:
            # Let the service refuse (it records the attempt) or say why the complaint is locked.
            try:
                services.ir_create(
                    actor=user,
                    complaint_ref=complaint.ref,
                    title=request.POST.get("title", ""),
                    description=request.POST.get("description", ""),
                )
            except ApplicationError as exc:
                form.is_valid()
                refuse(form, exc)
        elif form.is_valid():
            try:
                ir = composed.ir_create_with_files(
                    actor=user,
                    complaint_ref=complaint.ref,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    due_date=form.cleaned_data["due_date"],
                    ready=True,
                    files=uploaded_files(request),
                )
            except ApplicationError as exc:
                if exc.field == "files" or exc.code.startswith("upload_"):
                    upload_error = exc
                else:
                    refuse(form, exc)
            else:
                messages.success(request, f"Information request {ir.ref} was saved and is ready to send.")
                if choice == "another":
                    return finish(request, reverse("web:ir_new", args=[complaint.ref]))
                if choice == "send" and can.send:
                    return finish(
                        request, f"{reverse('web:ir_send', args=[complaint.ref])}?{urlencode({'ir': ir.ref})}"
                    )
                return finish(request, tab_url(complaint))
        status = 422
    else:
        require(can.manage)
    context = {"complaint": complaint, "form": form, "ir_can": can, **upload_context(upload_error)}
    return render_page(request, "web/irs/new.html", context, status=status)


# --- selection: bulk due date or send -----------------------------------------------------------------


@login_required
def ir_selection(request: HttpRequest, ref: str) -> HttpResponse:
    complaint = load_complaint(request, ref)
    if request.method != "POST":
        return redirect(tab_url(complaint))
    user = user_of(request)
    try:
        unsent = _unsent(list(irs_for_complaint(actor=user, ref=complaint.ref)))
    except NotFound as exc:
        raise Http404 from exc
    form = IRSelectionForm(request.POST, choices=[(ir.ref, _label(ir)) for ir in unsent])
    if form.is_valid():
        refs = form.cleaned_data["refs"]
        if form.cleaned_data["action"] == "send":
            return redirect(f"{reverse('web:ir_send', args=[complaint.ref])}?{urlencode({'ir': refs}, doseq=True)}")
        try:
            changed = services.ir_bulk_set_due_date(
                actor=user, complaint_ref=complaint.ref, refs=refs, due_date=form.cleaned_data["due_date"]
            )
        except ApplicationError as exc:
            refuse(form, exc)
        else:
            skipped = len(refs) - len(changed)
            text = f"Due date set on {len(changed)} information request{'s' if len(changed) != 1 else ''}."
            if skipped:
                text += f" {skipped} already had a due date and kept it."
            messages.success(request, text)
            return finish(request, tab_url(complaint))
    return _render_tab(request, complaint, selection=form, status=422)


# --- send screen ----------------------------------------------------------------------------------------


def _enrolling(request: HttpRequest, allowed: bool) -> bool:
    if not allowed or request.method != "POST":
        return False
    return any(request.POST.get(f"enroll-{name}", "").strip() for name in ("full_name", "email", "phone"))


@login_required
def ir_send(request: HttpRequest, ref: str) -> HttpResponse:
    complaint = load_complaint(request, ref)
    can = ir_abilities(request, complaint)
    user = user_of(request)
    try:
        unsent = _unsent(list(irs_for_complaint(actor=user, ref=complaint.ref)))
    except NotFound as exc:
        raise Http404 from exc
    choices = [(ir.ref, _label(ir)) for ir in unsent]
    company = complaint.company
    enrollment = start_context(user, company) if company is not None else {}
    enrolling = _enrolling(request, bool(enrollment.get("can_start_enrollment")))
    enroll_form = EnrollmentStartForm(request.POST if enrolling else None, prefix="enroll")
    status = 200
    if request.method == "POST":
        form = IRSendForm(request.POST, choices=choices)
        if not can.send:
            # Let the service refuse (it records the attempt) or say why nothing can be sent.
            try:
                services.ir_send(actor=user, complaint_ref=complaint.ref, refs=request.POST.getlist("refs") or ["-"])
            except ApplicationError as exc:
                form.is_valid()
                refuse(form, exc)
        elif form.is_valid() & (enroll_form.is_valid() if enrolling else True):
            first_user = None
            if enrolling and company is not None:
                first_user = composed.FirstUser(**enroll_form.cleaned_data)
            try:
                sent, invited = composed.ir_send_inviting_first_user(
                    actor=user,
                    complaint_ref=complaint.ref,
                    refs=form.cleaned_data["refs"],
                    comment=form.cleaned_data["comment"],
                    first_user=first_user,
                )
            except (NotFound, PermissionDenied) as exc:
                refuse(form, exc)
            except ApplicationError as exc:
                field = exc.field or ""
                if field == composed.FIRST_USER_FIELD or field.startswith(f"{composed.FIRST_USER_FIELD}."):
                    exc.field = field.partition(".")[2] or None
                    apply_application_error(enroll_form, exc)
                else:
                    refuse(form, exc)
            else:
                text = f"Sent {len(sent)} information request{'s' if len(sent) != 1 else ''} to the company."
                if invited is not None:
                    text += f" We emailed an enrollment invitation to {invited.invitation.user.email}."
                messages.success(request, text)
                return finish(request, tab_url(complaint))
        status = 422
    else:
        require(can.send)
        wanted = [r for r in request.GET.getlist("ir") if r in dict(choices)]
        form = IRSendForm(initial={"refs": wanted or [ref for ref, _ in choices]}, choices=choices)
    context = {
        "complaint": complaint,
        "form": form,
        "ir_can": can,
        "has_unsent": bool(choices),
        **enrollment,
        "enroll_form": enroll_form,
    }
    return render_page(request, "web/irs/send.html", context, status=status)


# --- comment only ------------------------------------------------------------------------------------


@login_required
def ir_comment(request: HttpRequest, ref: str) -> HttpResponse:
    complaint = load_complaint(request, ref)
    can = ir_abilities(request, complaint)
    form = IRCommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() or not can.send:
            try:
                services.ir_send_comment(
                    actor=user_of(request),
                    complaint_ref=complaint.ref,
                    title=form.cleaned_data.get("title", ""),
                    text=form.cleaned_data.get("text", ""),
                )
            except ApplicationError as exc:
                refuse(form, exc)
            else:
                messages.success(request, "Your comment was sent to the company.")
                return finish(request, tab_url(complaint))
        status = 422
    else:
        require(can.send and complaint.first_ir_sent_at is not None)
    return render_page(request, "web/irs/comment.html", {"complaint": complaint, "form": form}, status=status)
