"""Agency communications to supervised companies: templates, compose with preview, send history.

Only the agency's Supervisors and Managers reach these pages; everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from redress.accounts.models import User
from redress.companies import communications as comms
from redress.companies.constants import BusinessType
from redress.companies.models import CommunicationTemplate
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from ..forms.account import apply_application_error
from ..forms.enrollment import SendForm, TemplateForm


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _template(request: HttpRequest, pk: int) -> CommunicationTemplate:
    try:
        return comms.communication_template_get_for(_user(request), pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    try:
        agency = comms.communications_agency_for(_user(request))
    except NotFound as exc:
        raise Http404 from exc
    comms.communication_templates_ensure_default(agency=agency)
    templates = list(comms.communication_templates_for(_user(request)))
    return render(request, "web/communications/templates.html", {"agency": agency, "templates": templates})


def _save(request: HttpRequest, template: CommunicationTemplate | None) -> HttpResponse:
    user = _user(request)
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if request.POST.get("action") == "delete" and template is not None:
            try:
                comms.communication_template_delete(actor=user, template=template)
            except (NotFound, PermissionDenied) as exc:
                raise Http404 from exc
            messages.success(request, f"The template “{template.name}” was deleted.")
            return redirect("web:communication_templates")
        if form.is_valid():
            data = form.cleaned_data
            try:
                if template is None:
                    template = comms.communication_template_create(
                        actor=user, name=data["name"], subject=data["subject"], body=data["body"]
                    )
                else:
                    template = comms.communication_template_update(
                        actor=user,
                        template=template,
                        expected_version=data.get("version") or 0,
                        name=data["name"],
                        subject=data["subject"],
                        body=data["body"],
                    )
            except (NotFound, PermissionDenied) as exc:
                raise Http404 from exc
            except ApplicationError as exc:
                apply_application_error(form, exc)
                if isinstance(exc, PreconditionFailed) and template is not None:
                    template.refresh_from_db()
                    fresh = form.data.copy()  # type: ignore[attr-defined]
                    fresh["version"] = str(template.version)
                    form.data = fresh
            else:
                messages.success(request, f"The template “{template.name}” was saved.")
                return redirect("web:communication_templates")
        status = 422
    elif template is not None:
        form = TemplateForm(
            initial={
                "name": template.name,
                "subject": template.subject,
                "body": template.body,
                "version": template.version,
            }
        )
    else:
        form = TemplateForm()
    return render(
        request,
        "web/communications/template_form.html",
        {"form": form, "template": template, "placeholders": comms.PLACEHOLDERS},
        status=status,
    )


@login_required
def template_create(request: HttpRequest) -> HttpResponse:
    try:
        comms.communications_agency_for(_user(request))
    except NotFound as exc:
        raise Http404 from exc
    return _save(request, None)


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, _template(request, pk))


@login_required
def compose(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the companies, preview the recipients and the message, then send."""
    user = _user(request)
    template = _template(request, pk)
    agency = template.agency
    supervised = list(comms.supervised_companies(agency))
    choices = [(c.pk, f"{c.legal_name} ({c.company_ref})") for c in supervised]
    form = SendForm(request.POST or None, companies=choices)
    targets: list[comms.Target] | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            selection: dict[str, Any] = {
                "mode": data["mode"],
                "business_type": data["business_type"],
                "company_ids": data["company_ids"],
            }
            try:
                if request.POST.get("action") == "send":
                    send = comms.communication_send(actor=user, template=template, **selection)
                    messages.success(
                        request,
                        f"Sent to {send.company_count} compan{'y' if send.company_count == 1 else 'ies'} "
                        f"({send.email_count} email{'' if send.email_count == 1 else 's'}).",
                    )
                    return redirect("web:communication_send_detail", pk=send.pk)
                targets = comms.communication_targets(user, **selection)
            except (NotFound, PermissionDenied) as exc:
                raise Http404 from exc
            except ApplicationError as exc:
                apply_application_error(form, exc)
                status = 422
        else:
            status = 422
    sample_company = next((t.company for t in targets or [] if t.has_recipient), None)
    values = comms.placeholder_values(agency, sample_company)
    selected = {int(v) for v in (form["company_ids"].value() or []) if str(v).isdigit()}
    return render(
        request,
        "web/communications/compose.html",
        {
            "template": template,
            "form": form,
            "targets": targets,
            "no_recipient_count": sum(1 for t in targets or [] if not t.has_recipient),
            "company_options": [(pk_, label, pk_ in selected) for pk_, label in choices],
            "preview_subject": comms.render_placeholders(template.subject, values),
            "preview_body": comms.render_placeholders(template.body, values),
            "business_type_labels": dict(BusinessType.choices),
        },
        status=status,
    )


@login_required
def send_history(request: HttpRequest) -> HttpResponse:
    try:
        sends = list(comms.communication_sends_for(_user(request))[:200])
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "web/communications/history.html",
        {"sends": sends, "business_type_labels": dict(BusinessType.choices), "modes": comms.TARGET_MODES},
    )


@login_required
def send_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        send = comms.communication_send_get_for(_user(request), pk)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "web/communications/send_detail.html",
        {
            "send": send,
            "mode_label": comms.TARGET_MODES.get(str(send.filters.get("mode", "")), ""),
            "business_type_label": dict(BusinessType.choices).get(str(send.filters.get("business_type", "")), ""),
        },
    )
