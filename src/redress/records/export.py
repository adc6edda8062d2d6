"""The record export: one ZIP with the complaint's data, its documents and a hash manifest.

Invariants:
- Only agency users of the owning agency who may view the complaint export it; anyone else gets
  NotFound, exactly as for a missing complaint. Every export is audited.
- The ZIP holds ``complaint.json`` (every field, its closures and IRs), ``complaint.csv`` (the same
  fields as label/value rows, spreadsheet-safe), each kept document under ``documents/`` and
  ``manifest.csv`` with the SHA-256 and size of every entry. Disposed documents are listed in the
  manifest with their recorded hash and no file. Files of a company's unsubmitted draft response
  are not the agency's and are left out.
- Files are copied in chunks into a spooled temporary file, never whole into memory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from typing import IO, TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet

from redress.accounts.policy import actor_for
from redress.audit.services import audit_record
from redress.complaints import policy
from redress.complaints.models import Complaint
from redress.core.csv_safety import safe_cell
from redress.core.errors import NotFound
from redress.documents.files import sanitize_filename
from redress.documents.models import Document
from redress.information_requests.constants import ResponseStatus
from redress.information_requests.models import IRResponse

from .constants import RESPONSE_TYPE
from .disposition import complaint_documents

if TYPE_CHECKING:
    from redress.accounts.models import User

CHUNK = 1024 * 1024
SPOOL_BYTES = 8 * 1024 * 1024


def _fields(instance: Any) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _record(complaint: Complaint) -> dict[str, Any]:
    data = _fields(complaint)
    data["closures"] = [_fields(c) for c in complaint.closures.all()]
    data["information_requests"] = [_fields(ir) for ir in complaint.information_requests.all()]
    return data


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _agency_documents(complaint: Complaint) -> QuerySet[Document]:
    """The complaint's documents the agency holds: a company draft's files stay the company's
    until the response is submitted."""
    drafts = [
        str(pk)
        for pk in IRResponse.objects.filter(information_request__complaint=complaint)
        .exclude(status=ResponseStatus.SUBMITTED)
        .values_list("pk", flat=True)
    ]
    return complaint_documents(complaint).exclude(attached_type=RESPONSE_TYPE, attached_id__in=drafts)


def complaint_record_export(*, actor: User, ref: str) -> tuple[str, IO[bytes]]:
    """Returns (file name, open spooled file positioned at 0); the caller closes it."""
    who = actor_for(actor)
    complaint = Complaint.objects.filter(ref=ref).select_related("agency").first()
    if (
        complaint is None
        or not who.is_agency_user
        or who.agency_id != complaint.agency_id
        or not policy.can_view(who, complaint)
    ):
        raise NotFound("Complaint not found.")
    manifest: list[list[str]] = [["path", "sha256", "size", "status"]]
    out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - handed to the caller
    documents = list(_agency_documents(complaint))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, payload in [
            ("complaint.json", json.dumps(_record(complaint), cls=DjangoJSONEncoder, indent=2).encode("utf-8")),
            (
                "complaint.csv",
                _csv_bytes(
                    [["field", "value"]]
                    + [[k, safe_cell("" if v is None else v)] for k, v in _fields(complaint).items()]
                ),
            ),
        ]:
            archive.writestr(name, payload)
            manifest.append([name, hashlib.sha256(payload).hexdigest(), str(len(payload)), "included"])
        for document in documents:
            path = f"documents/{document.ref}-{sanitize_filename(document.original_name)}"
            if document.disposed_at is not None:
                manifest.append([path, document.sha256, str(document.size), "disposed"])
                continue
            digest = hashlib.sha256()
            size = 0
            with default_storage.open(document.storage_name, "rb") as source, archive.open(path, "w") as target:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    target.write(chunk)
            manifest.append([path, digest.hexdigest(), str(size), "included"])
        archive.writestr("manifest.csv", _csv_bytes(manifest))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="records.exported",
            target=complaint,
            new={"documents": len(documents)},
            agency_id=complaint.agency_id,
            company_id=complaint.company_id,
        )
    out.seek(0)
    return f"{complaint.ref}-record.zip", out
