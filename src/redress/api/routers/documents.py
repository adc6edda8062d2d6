"""Documents: upload (multipart), metadata, and guarded download, addressed by the document's ref."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, UploadedFile
from ninja.params import functions as params

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.agencies.models import Agency
from redress.agencies.selectors import agency_list_for
from redress.companies.models import Company
from redress.companies.selectors import company_get_for
from redress.documents.constants import DocumentContext, DocumentVisibility
from redress.documents.files import attachment_disposition
from redress.documents.models import Document
from redress.documents.selectors import document_get_for
from redress.documents.services import document_open_for_download, documents_upload

from ..errors import responses
from ..idempotency import idempotent
from ..schemas.documents import DocumentList, DocumentOut
from ._common import IDEMPOTENCY_KEY, caller

router = Router(tags=["Documents"])

REF = params.Path(..., max_length=36, pattern=r"^[0-9a-fA-F-]{32,36}$", description="The document's ref (a UUID).")


def _owner(user: User) -> tuple[Agency | None, Company | None]:
    """Uploads belong to the caller's own organisation."""
    who = actor_for(user)
    if who.is_agency_user:
        return agency_list_for(user).first(), None
    if who.is_company_user and who.company_id is not None:
        return None, company_get_for(user, pk=who.company_id)
    return None, None


def _out(document: Document) -> DocumentOut:
    return DocumentOut.model_validate(document, from_attributes=True)


@router.post(
    "/documents",
    response=responses({201: DocumentList}, 413),
    summary="Upload documents",
    description="All files are stored or none. The owner is the caller's own agency or company.",
)
def upload_documents(
    request: HttpRequest,
    files: list[UploadedFile] = params.File(..., description="One or more files."),  # noqa: B008
    context: DocumentContext = params.Form(DocumentContext.OTHER),  # noqa: B008
    visibility: DocumentVisibility = params.Form(DocumentVisibility.AGENCY_ONLY),  # noqa: B008
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> HttpResponse:
    user = caller(request)
    agency, company = _owner(user)

    def create() -> tuple[int, Any, dict[str, str]]:
        stored = documents_upload(
            actor=user, files=files, context=context, visibility=visibility, agency=agency, company=company
        )
        headers = {"Location": reverse("api:get_document", kwargs={"ref": str(stored[0].ref)})} if stored else {}
        return 201, DocumentList(items=[_out(d) for d in stored]), headers

    return idempotent(request, idempotency_key, create)


@router.get("/documents/{ref}", response=responses({200: DocumentOut}, 404), summary="Document metadata")
def get_document(request: HttpRequest, ref: str = REF) -> DocumentOut:
    return _out(document_get_for(actor=caller(request), ref=ref))


@router.get(
    "/documents/{ref}/content",
    response=responses({}, 404),
    summary="Download a document",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as an attachment.",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_document(request: HttpRequest, ref: str = REF) -> FileResponse:
    document, handle = document_open_for_download(actor=caller(request), ref=ref)
    response = FileResponse(handle, content_type="application/octet-stream")
    response["Content-Disposition"] = attachment_disposition(document.original_name)
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
