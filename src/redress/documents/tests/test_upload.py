import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import transaction

from redress.audit.models import AuditEvent
from redress.core.errors import ApplicationError, PermissionDenied
from redress.documents.constants import DocumentContext, DocumentVisibility
from redress.documents.models import Document
from redress.documents.services import documents_sweep_orphans, documents_upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 400


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(actor, files, **kwargs):
    defaults = {"context": DocumentContext.OTHER, "visibility": DocumentVisibility.AGENCY_ONLY}
    defaults.update(kwargs)
    return documents_upload(actor=actor, files=files, **defaults)


def test_upload_stores_bytes_hash_and_sniffed_type(settings, supervisor_a, agency_a):
    real_pdf = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    fake_pdf = SimpleUploadedFile("notes.pdf", b"just some text, caf\xc3\xa9\n", content_type="application/pdf")
    binary = SimpleUploadedFile("blob.pdf", b"\x00\x01\x02\xff\xfe" * 20, content_type="application/pdf")
    docs = upload(supervisor_a, [real_pdf, fake_pdf, binary], agency=agency_a)

    assert [d.original_name for d in docs] == ["report.pdf", "notes.pdf", "blob.pdf"]
    assert [d.content_type for d in docs] == ["application/pdf", "text/plain", "application/octet-stream"]
    assert all(d.declared_content_type == "application/pdf" for d in docs)
    assert docs[0].sha256 == hashlib.sha256(PDF).hexdigest()
    assert docs[0].size == len(PDF)
    assert docs[0].uploaded_by == supervisor_a
    assert all(d.storage_name.startswith("documents/") and "pdf" not in d.storage_name for d in docs)
    assert Path(settings.MEDIA_ROOT, docs[0].storage_name).read_bytes() == PDF
    events = AuditEvent.objects.filter(action="document.uploaded")
    assert events.count() == 3
    assert events.first().new_values["sha256"] in {d.sha256 for d in docs}


def test_large_file_on_disk_is_hashed_in_chunks(settings, supervisor_a, agency_a):
    payload = os.urandom(3 * 1024 * 1024 + 17)
    temp = TemporaryUploadedFile("big.bin", "application/octet-stream", len(payload), None)
    temp.write(payload)
    temp.seek(0)
    [doc] = upload(supervisor_a, [temp], agency=agency_a)
    assert doc.sha256 == hashlib.sha256(payload).hexdigest()
    assert doc.size == len(payload)
    assert Path(settings.MEDIA_ROOT, doc.storage_name).read_bytes() == payload


@pytest.mark.parametrize(
    ("files", "code"),
    [
        (lambda: [], "upload_no_files"),
        (lambda: [SimpleUploadedFile(f"f{i}.txt", b"x") for i in range(4)], "upload_too_many_files"),
        (lambda: [SimpleUploadedFile("ok.txt", b"x"), SimpleUploadedFile("big.txt", b"x" * 11)], "upload_too_large"),
        (lambda: [SimpleUploadedFile("a" * 21 + ".txt", b"x")], "upload_name_too_long"),
        (lambda: [SimpleUploadedFile("ok.txt", b"x"), SimpleUploadedFile("empty.txt", b"")], "upload_empty"),
    ],
)
def test_limits_reject_the_whole_upload(settings, supervisor_a, agency_a, files, code):
    settings.REDRESS_UPLOAD_MAX_FILES = 3
    settings.REDRESS_UPLOAD_MAX_BYTES = 10
    settings.REDRESS_UPLOAD_MAX_NAME_LENGTH = 20
    with pytest.raises(ApplicationError) as caught:
        upload(supervisor_a, files(), agency=agency_a)
    assert caught.value.code == code
    assert Document.objects.count() == 0
    assert stored_files(settings) == []
    assert not AuditEvent.objects.filter(action="document.uploaded").exists()


def test_error_message_names_the_file_and_limit(settings, supervisor_a, agency_a):
    settings.REDRESS_UPLOAD_MAX_BYTES = 1024**3
    big = SimpleUploadedFile("x.pdf", b"x")
    big.size = 1024**3 + 1  # the declared size is what is checked first; no need to write a gigabyte
    with pytest.raises(ApplicationError) as caught:
        upload(supervisor_a, [big], agency=agency_a)
    assert caught.value.detail == "File 'x.pdf' is larger than 1 GB."
    assert caught.value.extra["problems"] == [
        {"code": "upload_too_large", "detail": "File 'x.pdf' is larger than 1 GB."}
    ]


def test_every_bad_file_is_reported(settings, supervisor_a, agency_a):
    settings.REDRESS_UPLOAD_MAX_BYTES = 3
    with pytest.raises(ApplicationError) as caught:
        upload(supervisor_a, [SimpleUploadedFile("a.txt", b""), SimpleUploadedFile("b.txt", b"long")], agency=agency_a)
    assert [p["code"] for p in caught.value.extra["problems"]] == ["upload_empty", "upload_too_large"]


def test_database_failure_leaves_no_bytes_and_no_rows(settings, monkeypatch, supervisor_a, agency_a):
    from redress.documents import services

    calls = {"n": 0}
    real = services.audit_record

    def failing_audit(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "audit_record", failing_audit)
    files = [SimpleUploadedFile("one.txt", b"first"), SimpleUploadedFile("two.txt", b"second")]
    with pytest.raises(RuntimeError):
        upload(supervisor_a, files, agency=agency_a)
    assert Document.objects.count() == 0
    assert stored_files(settings) == []


def test_storage_failure_leaves_nothing(settings, monkeypatch, supervisor_a, agency_a):
    from django.core.files.storage import default_storage

    real_save = default_storage.save
    calls = {"n": 0}

    def flaky_save(name, content, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", flaky_save)
    with pytest.raises(OSError):
        upload(supervisor_a, [SimpleUploadedFile("a.txt", b"a"), SimpleUploadedFile("b.txt", b"b")], agency=agency_a)
    assert Document.objects.count() == 0
    assert stored_files(settings) == []


def test_outer_rollback_leaves_an_orphan_that_the_sweep_removes(settings, supervisor_a, agency_a):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        upload(supervisor_a, [SimpleUploadedFile("a.txt", b"a")], agency=agency_a)
        raise ZeroDivisionError
    assert Document.objects.count() == 0
    assert len(stored_files(settings)) == 1

    [kept] = upload(supervisor_a, [SimpleUploadedFile("kept.txt", b"k")], agency=agency_a)
    documents_sweep_orphans()
    assert len(stored_files(settings)) == 2  # too recent: it may still be an upload in progress

    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=7)):
        assert documents_sweep_orphans() == "removed 1 orphaned file(s)"
    assert stored_files(settings) == [Path(settings.MEDIA_ROOT, kept.storage_name)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ("a\x00b\r\nc\u202e.txt", "abc.txt"),
        ("Résumé 履歴書.pdf", "Résumé 履歴書.pdf"),
        ("...", "file"),
        ("   .hidden  ", "hidden"),
        ('quote"and;semi.pdf', 'quote"and;semi.pdf'),
    ],
)
def test_weird_names_are_sanitised(settings, supervisor_a, agency_a, raw, expected):
    [doc] = upload(supervisor_a, [SimpleUploadedFile(raw, b"content")], agency=agency_a)
    assert doc.original_name == expected
    assert doc.storage_name.startswith("documents/")
    assert Path(settings.MEDIA_ROOT, doc.storage_name).is_file()


def test_attached_to_accepts_a_model_or_a_label(supervisor_a, agency_a):
    [a] = upload(supervisor_a, [SimpleUploadedFile("a.txt", b"a")], agency=agency_a, attached_to=agency_a)
    [b] = upload(
        supervisor_a, [SimpleUploadedFile("b.txt", b"b")], agency=agency_a, attached_to=("complaints.complaint", 42)
    )
    assert (a.attached_type, a.attached_id) == ("agencies.agency", str(agency_a.pk))
    assert (b.attached_type, b.attached_id) == ("complaints.complaint", "42")


@pytest.mark.parametrize(
    ("who", "owner", "visibility", "allowed"),
    [
        ("supervisor_a", "agency", DocumentVisibility.AGENCY_ONLY, True),
        ("manager_a", "agency", DocumentVisibility.AGENCY_ONLY, True),
        ("viewer_a", "agency", DocumentVisibility.AGENCY_ONLY, False),
        ("supervisor_b", "agency", DocumentVisibility.AGENCY_ONLY, False),
        ("sysadmin", "agency", DocumentVisibility.AGENCY_ONLY, False),
        ("company_user_x", "both", DocumentVisibility.AGENCY_AND_COMPANY, True),
        ("company_user_x", "both", DocumentVisibility.AGENCY_ONLY, False),
        ("company_viewer_x", "both", DocumentVisibility.AGENCY_AND_COMPANY, False),
        ("company_admin_y", "both", DocumentVisibility.AGENCY_AND_COMPANY, False),
    ],
)
def test_who_may_upload(request, settings, agency_a, company_x, who, owner, visibility, allowed):
    user = request.getfixturevalue(who)
    owners = {"agency": agency_a} if owner == "agency" else {"agency": agency_a, "company": company_x}
    files = [SimpleUploadedFile("a.txt", b"a")]
    if allowed:
        assert len(upload(user, files, visibility=visibility, **owners)) == 1
        return
    with pytest.raises(PermissionDenied):
        upload(user, files, visibility=visibility, **owners)
    assert Document.objects.count() == 0
    assert stored_files(settings) == []
    assert AuditEvent.objects.filter(action="document.upload_refused", actor=user, is_security=True).count() == 1


def test_system_may_upload(agency_a):
    [doc] = upload(None, [SimpleUploadedFile("generated.pdf", PDF)], agency=agency_a)
    assert doc.uploaded_by is None
    assert doc.content_type == "application/pdf"


def test_owner_and_choices_are_validated(supervisor_a, agency_a):
    files = [SimpleUploadedFile("a.txt", b"a")]
    with pytest.raises(ApplicationError, match="agency or a company"):
        upload(supervisor_a, files)
    with pytest.raises(ApplicationError):
        upload(supervisor_a, files, agency=agency_a, context="bogus")
    with pytest.raises(ApplicationError):
        upload(supervisor_a, files, agency=agency_a, visibility="public")
    assert Document.objects.count() == 0


def test_actual_size_is_checked_too(settings, supervisor_a, agency_a):
    settings.REDRESS_UPLOAD_MAX_BYTES = 5
    lying = SimpleUploadedFile("lie.txt", b"0123456789")
    lying.size = 3  # a handler that under-reports must not let a bigger file through
    with pytest.raises(ApplicationError) as caught:
        upload(supervisor_a, [lying], agency=agency_a)
    assert caught.value.code == "upload_too_large"
    assert Document.objects.count() == 0
    assert stored_files(settings) == []
