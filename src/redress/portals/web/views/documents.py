"""Documents in the browser: the agency's own files (upload + list) and the guarded download.

Downloads are always attachments with a neutral content type, so no uploaded file is ever
rendered by the browser in our origin.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import TooManyFilesSent
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.agencies.models import Agency
from redress.core.errors import ApplicationError, NotFound, PermissionDenied
from redress.documents.constants import DocumentContext, DocumentVisibility
from redress.documents.files import attachment_disposition, human_size
from redress.documents.selectors import documents_for_agency
from redress.documents.services import document_open_for_download, documents_upload

UPLOAD_FIELD = "files"


def upload_context(error: ApplicationError | None = None, *, field_name: str = UPLOAD_FIELD) -> dict[str, Any]:
    """Context for ``web/documents/_upload_fields.html``; merge it into any page that embeds it."""
    problems: list[str] = []
    if error is not None:
        problems = [p["detail"] for p in error.extra.get("problems", [])] or [error.detail]
    return {
        "upload_field_name": field_name,
        "upload_field_id": f"id_{field_name}",
        "upload_errors": problems,
        "upload_max_files": settings.REDRESS_UPLOAD_MAX_FILES,
        "upload_max_size": human_size(settings.REDRESS_UPLOAD_MAX_BYTES),
        "upload_max_name": settings.REDRESS_UPLOAD_MAX_NAME_LENGTH,
    }


def uploaded_files(request: HttpRequest, field_name: str = UPLOAD_FIELD) -> list[Any]:
    """The files of a multipart POST; too many files is the service's clear error, not a 400."""
    try:
        return request.FILES.getlist(field_name)
    except TooManyFilesSent as exc:
        raise ApplicationError(
            "upload_too_many_files",
            f"You can upload at most {settings.REDRESS_UPLOAD_MAX_FILES} files at a time.",
            field=field_name,
        ) from exc


@login_required
def document_upload(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    actor = actor_for(user)
    if not actor.is_agency_user or actor.agency_id is None:
        raise Http404
    agency = Agency.objects.get(pk=actor.agency_id)
    error: ApplicationError | None = None
    status = 200
    if request.method == "POST":
        try:
            stored = documents_upload(
                actor=user,
                files=uploaded_files(request),
                context=DocumentContext.OTHER,
                visibility=DocumentVisibility.AGENCY_ONLY,
                agency=agency,
            )
        except PermissionDenied:
            return render(
                request,
                "errors/error.html",
                {"status": 403, "title": "Access denied", "message": "You may not upload documents."},
                status=403,
            )
        except ApplicationError as exc:
            error, status = exc, 422
        else:
            messages.success(request, f"{len(stored)} file{'s' if len(stored) != 1 else ''} uploaded.")
            return redirect("web:document_upload")
    context = {
        "agency": agency,
        "documents": documents_for_agency(actor=user)[:200],
        "can_upload": actor.can_manage_complaints,
        **upload_context(error),
    }
    return render(request, "web/documents/agency_documents.html", context, status=status)


@login_required
@require_GET
def document_download(request: HttpRequest, ref: str) -> FileResponse:
    try:
        document, handle = document_open_for_download(actor=request.user, ref=ref)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="application/octet-stream")
    response["Content-Disposition"] = attachment_disposition(document.original_name)
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
