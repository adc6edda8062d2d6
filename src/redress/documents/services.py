"""Storing uploaded files.

Invariants:
- An upload is all-or-nothing: every file is checked (count, emptiness, size, name length) before
  any byte is written; if anything fails afterwards (storage or database), the bytes already
  written are deleted and no row remains. Bytes left behind by a rollback of an *outer*
  transaction or by a crash are removed by the ``documents.orphan_sweep`` job.
- Bytes are stored under a random key (``documents/YYYY/MM/<uuid>``), never under the user's name;
  files are read in chunks, never whole into memory.
- The type is sniffed from the content; the browser's claim is kept only as metadata.
- Every stored document has an owning agency or company and an audit event in the same transaction.
- Only agency Supervisors and Managers of the owning agency, company users with Manage access of
  the owning company (and only for files the agency will share with them), or the system itself
  (``actor=None``) may upload. Refusals are audited as security events.
- A document uploaded loose (attached to nothing) can later be attached to one record of its own
  agency by ``documents_attach``, once: every reference must name a loose, kept document of that
  agency, or nothing is attached.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from redress.accounts.policy import actor_for
from redress.audit.services import audit_record, audit_record_security
from redress.companies.constants import ComplaintsAccess
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied

from .constants import (
    CHUNK_BYTES,
    ORPHAN_GRACE_SECONDS,
    SNIFF_BYTES,
    STORAGE_PREFIX,
    DocumentContext,
    DocumentVisibility,
)
from .files import display_name, human_size, sanitize_filename, sniff_content_type
from .models import Document
from .selectors import document_get_for

if TYPE_CHECKING:
    from redress.accounts.models import User
    from redress.agencies.models import Agency
    from redress.companies.models import Company


@dataclass(frozen=True)
class _Checked:
    upload: UploadedFile[bytes]
    name: str


def _problem(code: str, detail: str) -> dict[str, str]:
    return {"code": code, "detail": detail}


def _too_large_detail(name: str) -> str:
    return f"File '{display_name(name)}' is larger than {human_size(settings.REDRESS_UPLOAD_MAX_BYTES)}."


def _check_files(files: Sequence[UploadedFile[bytes]]) -> list[_Checked]:
    max_files = settings.REDRESS_UPLOAD_MAX_FILES
    max_bytes = settings.REDRESS_UPLOAD_MAX_BYTES
    max_name = settings.REDRESS_UPLOAD_MAX_NAME_LENGTH
    if not files:
        raise ApplicationError("upload_no_files", "Choose at least one file to upload.", field="files")
    if len(files) > max_files:
        raise ApplicationError(
            "upload_too_many_files",
            f"You can upload at most {max_files} files at a time; you chose {len(files)}.",
            field="files",
        )
    checked: list[_Checked] = []
    problems: list[dict[str, str]] = []
    for upload in files:
        name = sanitize_filename(upload.name or "")
        shown = display_name(name)
        if len(name) > max_name:
            problems.append(
                _problem("upload_name_too_long", f"The name of file '{shown}' is longer than {max_name} characters.")
            )
        elif not upload.size:
            problems.append(_problem("upload_empty", f"File '{shown}' is empty."))
        elif upload.size > max_bytes:
            problems.append(_problem("upload_too_large", _too_large_detail(name)))
        checked.append(_Checked(upload=upload, name=name))
    if problems:
        first = problems[0]
        raise ApplicationError(first["code"], first["detail"], field="files", problems=problems)
    return checked


def _may_upload(actor: User | None, *, agency: Agency | None, company: Company | None, visibility: str) -> bool:
    if actor is None:
        return True
    who = actor_for(actor)
    if who.is_agency_user:
        return agency is not None and who.agency_id == agency.pk and who.can_manage_complaints
    if who.is_company_user:
        return (
            company is not None
            and who.company_id == company.pk
            and who.complaints_access == ComplaintsAccess.MANAGE
            and visibility == DocumentVisibility.AGENCY_AND_COMPANY
        )
    return False


def _storage_key() -> str:
    now = clock.now()
    return f"{STORAGE_PREFIX}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}"


def _digest(upload: UploadedFile[bytes]) -> tuple[str, int, bytes]:
    sha = hashlib.sha256()
    size = 0
    head = b""
    upload.seek(0)
    for chunk in upload.chunks(CHUNK_BYTES):
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        sha.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return sha.hexdigest(), size, head


def _delete_quietly(names: list[str]) -> None:
    for name in names:
        # The orphan sweep retries later; the original error matters more to the caller.
        with contextlib.suppress(OSError):
            default_storage.delete(name)


def documents_upload(
    *,
    actor: User | None,
    files: Sequence[UploadedFile[bytes]],
    context: str,
    visibility: str,
    agency: Agency | None = None,
    company: Company | None = None,
    attached_to: models.Model | tuple[str, str] | None = None,
) -> list[Document]:
    """Store every file or none; ``attached_to`` is a model instance or (``app_label.model``, id)."""
    if context not in DocumentContext.values:
        raise ApplicationError("invalid_context", "Unknown document context.", field="context")
    if visibility not in DocumentVisibility.values:
        raise ApplicationError("invalid_visibility", "Unknown document visibility.", field="visibility")
    if agency is None and company is None:
        raise ApplicationError("document_owner_required", "A document must belong to an agency or a company.")
    if not _may_upload(actor, agency=agency, company=company, visibility=visibility):
        audit_record_security(
            actor=actor,
            action="document.upload_refused",
            reason=f"{len(files)} file(s), context {context}",
            agency_id=agency.pk if agency else None,
            company_id=company.pk if company else None,
        )
        raise PermissionDenied("You may not upload documents here.")
    checked = _check_files(files)
    attached_type, attached_id = _attachment(attached_to)

    written: list[str] = []
    try:
        with transaction.atomic():
            documents: list[Document] = []
            for item in checked:
                sha256, size, head = _digest(item.upload)
                # The declared size was checked already; these guard against a handler that lied.
                if size == 0:
                    raise ApplicationError("upload_empty", f"File '{display_name(item.name)}' is empty.", field="files")
                if size > settings.REDRESS_UPLOAD_MAX_BYTES:
                    raise ApplicationError(
                        "upload_too_large",
                        _too_large_detail(item.name),
                        field="files",
                    )
                stored = default_storage.save(_storage_key(), File(item.upload, name=item.name))
                written.append(stored)
                document = Document.objects.create(
                    original_name=item.name,
                    storage_name=stored,
                    size=size,
                    sha256=sha256,
                    content_type=sniff_content_type(head),
                    declared_content_type=(item.upload.content_type or "")[:120],
                    uploaded_by=actor,
                    uploaded_at=clock.now(),
                    context=context,
                    visibility=visibility,
                    agency=agency,
                    company=company,
                    attached_type=attached_type,
                    attached_id=attached_id,
                )
                audit_record(
                    actor=actor,
                    action="document.uploaded",
                    target=document,
                    new={
                        "name": document.original_name,
                        "size": size,
                        "sha256": sha256,
                        "content_type": document.content_type,
                        "context": context,
                        "visibility": visibility,
                        "attached_to": f"{attached_type}:{attached_id}" if attached_type else "",
                    },
                    agency_id=agency.pk if agency else None,
                    company_id=company.pk if company else None,
                )
                documents.append(document)
    except BaseException:
        _delete_quietly(written)
        raise
    return documents


def documents_attach(
    *,
    actor: User,
    refs: Sequence[str],
    context: str,
    visibility: str,
    agency: Agency,
    company: Company | None = None,
    attached_to: models.Model,
) -> list[Document]:
    """Attach documents the agency uploaded earlier (loose) to one of its records, all or none.

    Each ref must name a document of ``agency`` that is attached to nothing and kept; one that is
    missing, another organisation's, already attached or disposed is refused alike, so a caller
    learns nothing about documents outside its agency. Meant to run inside the record's transaction.
    """
    if context not in DocumentContext.values:
        raise ApplicationError("invalid_context", "Unknown document context.", field="context")
    if visibility not in DocumentVisibility.values:
        raise ApplicationError("invalid_visibility", "Unknown document visibility.", field="visibility")
    wanted = list(dict.fromkeys(str(r).strip().lower() for r in refs))
    if not wanted:
        return []
    max_files = settings.REDRESS_UPLOAD_MAX_FILES
    if len(wanted) > max_files:
        raise ApplicationError(
            "too_many_documents",
            f"You can attach at most {max_files} documents at a time; you named {len(wanted)}.",
            field="document_refs",
        )
    if not _may_upload(actor, agency=agency, company=None, visibility=DocumentVisibility.AGENCY_ONLY):
        audit_record_security(
            actor=actor, action="document.attach_refused", reason=f"{len(wanted)} document(s)", agency_id=agency.pk
        )
        raise PermissionDenied("You may not attach documents here.")
    keys = {ref: _as_uuid(ref) for ref in wanted}
    found = {
        str(d.ref): d
        for d in Document.objects.select_for_update()
        .filter(ref__in=[k for k in keys.values() if k is not None])
        .order_by("pk")
    }
    bad = [
        ref
        for ref in wanted
        if (document := found.get(ref)) is None
        or document.agency_id != agency.pk
        or document.company_id is not None
        or document.attached_type
        or document.disposed_at is not None
    ]
    if bad:
        raise ApplicationError(
            "invalid_document_ref",
            "These documents cannot be attached: "
            + ", ".join(ref[:40] for ref in bad)
            + ". Name documents your agency uploaded and has not attached to anything yet.",
            field="document_refs",
            refs=bad,
        )
    attached_type, attached_id = _attachment(attached_to)
    documents = [found[ref] for ref in wanted]
    for document in documents:
        old = {"context": document.context, "visibility": document.visibility, "attached_to": ""}
        document.context = context
        document.visibility = visibility
        document.company = company
        document.attached_type, document.attached_id = attached_type, attached_id
        document.version += 1
        document.save(update_fields=["context", "visibility", "company", "attached_type", "attached_id", "version"])
        audit_record(
            actor=actor,
            action="document.attached",
            target=document,
            old=old,
            new={"context": context, "visibility": visibility, "attached_to": f"{attached_type}:{attached_id}"},
            agency_id=agency.pk,
            company_id=company.pk if company else None,
        )
    return documents


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None


def _attachment(attached_to: models.Model | tuple[str, str] | None) -> tuple[str, str]:
    if attached_to is None:
        return "", ""
    if isinstance(attached_to, models.Model):
        meta = attached_to._meta
        return f"{meta.app_label}.{meta.model_name}", str(attached_to.pk)
    label, object_id = attached_to
    return str(label)[:100], str(object_id)[:64]


def document_open_for_download(*, actor: User, ref: str) -> tuple[Document, File[bytes]]:
    """Check access, record the download and open the bytes (the caller streams and closes them)."""
    try:
        document = document_get_for(actor=actor, ref=ref)
    except NotFound:
        existing = Document.objects.filter(ref=ref).first() if _is_uuid(ref) else None
        if existing is not None:
            audit_record_security(
                actor=actor,
                action="document.download_refused",
                target=existing,
                agency_id=existing.agency_id,
                company_id=existing.company_id,
            )
        raise
    try:
        handle = default_storage.open(document.storage_name, "rb")
    except FileNotFoundError as exc:
        raise NotFound("The file is no longer available.") from exc
    try:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="document.downloaded",
                target=document,
                agency_id=document.agency_id,
                company_id=document.company_id,
            )
    except BaseException:
        handle.close()
        raise
    return document, handle


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def documents_sweep_orphans() -> str:
    """Delete stored bytes that no document row claims (an upload whose transaction never
    committed). Only this month's and last month's folders are looked at, and only files older
    than ORPHAN_GRACE_SECONDS, so an upload still in progress is never touched."""
    now = clock.now()
    cutoff = now - dt.timedelta(seconds=ORPHAN_GRACE_SECONDS)
    last_month = now.replace(day=1) - dt.timedelta(days=1)
    removed = 0
    for month in {f"{STORAGE_PREFIX}/{now:%Y}/{now:%m}", f"{STORAGE_PREFIX}/{last_month:%Y}/{last_month:%m}"}:
        try:
            _, names = default_storage.listdir(month)
        except FileNotFoundError:
            continue
        keys = [f"{month}/{name}" for name in names]
        known = set(Document.objects.filter(storage_name__in=keys).values_list("storage_name", flat=True))
        for key in keys:
            if key in known:
                continue
            try:
                modified = default_storage.get_modified_time(key)
            except (OSError, NotImplementedError):
                continue
            if modified < cutoff:
                _delete_quietly([key])
                removed += 1
    return f"removed {removed} orphaned file(s)"
