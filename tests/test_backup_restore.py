"""Backup and restore (`redress backup`, `redress restore`): a realistic system survives the round trip
row for row and byte for byte; doubtful archives and non-empty databases are refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import threading
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections

from redress.accounts.models import User
from redress.agencies.models import Agency
from redress.agencies.services import agency_create
from redress.audit.models import AuditChainHead, AuditEvent
from redress.audit.verify import verify_chain
from redress.companies.user_services import company_complaints_contact_set
from redress.complaints.constants import Status
from redress.complaints.models import Complaint
from redress.core import clock
from redress.demo.complaints_seed import seed_complaints
from redress.demo.irs_seed import seed_irs
from redress.documents.constants import DocumentContext, DocumentVisibility
from redress.documents.models import Document
from redress.documents.services import documents_upload
from redress.information_requests.models import InformationRequest, IRResponse
from redress.records.backup import MANIFEST, backup_create
from redress.records.constants import HoldScope
from redress.records.disposition import disposition_run
from redress.records.models import DisposedDocument
from redress.records.restore import RestoreError, backup_restore
from redress.records.services import legal_hold_place

ROUND_TRIP = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _all_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table through Django's own serializer (independent of the backup code)."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            rows[model._meta.label_lower] = serializers.serialize("python", model._base_manager.order_by("pk"))
    return rows


def _stored_files() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _upload(name: str, body: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="text/plain")


@pytest.fixture
def system(
    agency_a,
    agency_b,
    supervisor_a,
    manager_a,
    viewer_a,
    agency_admin_a,
    supervisor_b,
    sysadmin,
    company_x,
    company_y,
    company_admin_x,
    company_user_x,
    company_viewer_x,
) -> None:
    """Two agencies and companies with users in every role (MFA on), complaints in every status
    entered from real CFPB records, IRs in every state with responses, documents on complaints,
    IRs and responses, a legal hold and a completed disposition."""
    company_complaints_contact_set(actor=sysadmin, company=company_x, user=company_user_x, expected_version=1)
    company_x.refresh_from_db()
    seed_complaints(
        agency=agency_a,
        actors=[supervisor_a, manager_a],
        companies_by_name={company_x.legal_name: company_x, company_y.legal_name: company_y},
        limit=8,
    )
    seed_irs(agency=agency_a)
    closed = list(Complaint.objects.filter(agency=agency_a, status=Status.CLOSED).order_by("pk")[:2])
    open_complaint = Complaint.objects.filter(agency=agency_a).exclude(status=Status.CLOSED).order_by("pk").first()
    response = IRResponse.objects.filter(information_request__complaint__agency=agency_a).order_by("pk").first()
    ir = InformationRequest.objects.filter(complaint__agency=agency_a).order_by("pk").first()
    assert len(closed) == 2 and open_complaint and response and ir
    attach: list[tuple[Any, str, bytes]] = [
        (open_complaint, DocumentContext.INTAKE, b"intake letter \x00\xff binary-safe"),
        (ir, DocumentContext.IR, "IR attachment: café ✓".encode()),
        (response, DocumentContext.RESPONSE, b"%PDF-1.4 response body " * 200),
        (closed[0], DocumentContext.CLOSURE, b"closed and past retention"),
        (closed[1], DocumentContext.CLOSURE, b"closed but held"),
    ]
    for index, (target, context, body) in enumerate(attach):
        documents_upload(
            actor=None,
            files=[_upload(f"file-{index}.txt", body)],
            context=context,
            visibility=DocumentVisibility.AGENCY_ONLY,
            agency=agency_a,
            attached_to=target,
        )
    legal_hold_place(actor=supervisor_a, scope=HoldScope.COMPLAINT, reason="Litigation", complaint_ref=closed[1].ref)
    disposition_run(as_of=clock.today() + dt.timedelta(days=366 * 20), dry_run=False)
    assert Document.objects.filter(disposed_at__isnull=False).exists()
    assert DisposedDocument.objects.filter(bytes_deleted_at__isnull=False).exists()


def _empty_system() -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None]) -> None:
    """Copy an archive, replacing (or, with None, dropping) the named entries."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in change:
                if change[info.filename] is not None:
                    new.writestr(info.filename, change[info.filename])  # type: ignore[arg-type]
            else:
                new.writestr(info, old.read(info.filename))


def _user_rows() -> int:
    return sum(
        model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.label_lower not in {"contenttypes.contenttype", "auth.permission"}
    )


@ROUND_TRIP
def test_round_trip_restores_every_row_and_every_byte(system, tmp_path):
    before = _all_rows()
    files_before = _stored_files()
    kept = Document.objects.filter(disposed_at__isnull=True)
    assert kept.count() >= 4 and len(files_before) == kept.count()
    archive = tmp_path / "backup.zip"

    out = StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert f"Backup written to {archive}" in out.getvalue()
    assert AuditEvent.objects.filter(action="system.backup_taken", actor=None, actor_label="system").count() == 1
    manifest = json.loads(zipfile.ZipFile(archive).read(MANIFEST))
    counts = {table["model"]: table["rows"] for table in manifest["tables"]}
    assert counts["complaints.complaint"] == Complaint.objects.count() > 0
    assert counts["audit.auditevent"] == AuditEvent.objects.count() - 1  # the backup event came after
    assert manifest["schema"]["records"] and manifest["format_version"] == 1
    assert {item["name"]: item["sha256"] for item in manifest["files"]} == {
        name: hashlib.sha256(body).hexdigest() for name, body in files_before.items()
    }

    _empty_system()
    assert _user_rows() == 0 and not _stored_files()

    # A tampered copy is refused before anything is written.
    tampered = tmp_path / "tampered.zip"
    document_entry = manifest["files"][0]["entry"]
    _rewrite(archive, tampered, {document_entry: b"forged bytes"})
    with pytest.raises(CommandError, match="restore_archive_tampered"):
        call_command("restore", str(tampered), stdout=StringIO())
    assert _user_rows() == 0 and not _stored_files()

    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Restored" in out.getvalue()

    after = _all_rows()
    restore_event = AuditEvent.objects.order_by("-pk").first()
    assert restore_event is not None and restore_event.action == "system.restore_completed"
    assert restore_event.actor_label == "system"
    head = AuditChainHead.objects.get()
    assert head.last_event_id == restore_event.pk
    # Every row of every table is back exactly (ids, timestamps, JSON); the audit trail gained
    # the restore event, and its head moved to it.
    after["audit.auditevent"] = [row for row in after["audit.auditevent"] if row["pk"] != restore_event.pk]
    before_head, after_head = before.pop("audit.auditchainhead"), after.pop("audit.auditchainhead")
    assert before == after
    assert before_head[0]["fields"]["last_hash"] == restore_event.prev_hash
    assert after_head[0]["fields"]["last_hash"] == restore_event.hash
    assert verify_chain().ok
    # Every kept document's bytes, matching the SHA-256 on its row; disposed ones stay gone.
    assert _stored_files() == files_before
    for document in Document.objects.filter(disposed_at__isnull=True):
        with default_storage.open(document.storage_name, "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == document.sha256
    for document in Document.objects.filter(disposed_at__isnull=False):
        assert not default_storage.exists(document.storage_name)
    # Sequences moved on: new rows get fresh ids on either engine.
    sysadmin = User.objects.get(is_system_admin=True)
    agency = agency_create(actor=sysadmin, code="NY-DFS", name="New York DFS", state="NY", contact_email="c@ny.example")
    assert agency.pk > max(row["pk"] for row in before["agencies.agency"])

    # Restoring again, over data, is refused and changes nothing.
    snapshot = _all_rows()
    with pytest.raises(CommandError, match="restore_database_not_empty"):
        call_command("restore", str(archive), stdout=StringIO())
    assert _all_rows() == snapshot and _stored_files() == files_before


@ROUND_TRIP
def test_backup_is_one_snapshot_even_while_others_write(tmp_path, monkeypatch):
    """Every table is read inside one transaction; on PostgreSQL a writer committing meanwhile
    stays out of the archive. (SQLite admits no writer beside an open read transaction, so there
    the one transaction is the snapshot.)"""
    from redress.records import backup

    admin = User.objects.create_user("admin@example.test", "pw", full_name="Ada Admin", is_system_admin=True)
    agency_create(actor=admin, code="MD-OFR", name="Maryland OFR", state="MD", contact_email="c@md.example")
    events = AuditEvent.objects.count()
    original = backup._write_table
    fired: list[bool] = []
    in_transaction: list[bool] = []
    concurrent_writer = connection.vendor == "postgresql"

    def write_table(archive: Any, model: Any, *args: Any) -> Any:
        in_transaction.append(connection.in_atomic_block)
        if concurrent_writer and not fired:
            fired.append(True)

            def concurrent() -> None:  # its own connection, committing at once
                agency_create(actor=admin, code="TX-DOB", name="Texas DOB", state="TX", contact_email="c@tx.example")
                connections.close_all()

            thread = threading.Thread(target=concurrent)
            thread.start()
            thread.join()
            assert Agency.objects.using("default").count() == 1  # the snapshot does not see it
        return original(archive, model, *args)

    monkeypatch.setattr(backup, "_write_table", write_table)
    backup_create(output=tmp_path / "b.zip")
    manifest = json.loads(zipfile.ZipFile(tmp_path / "b.zip").read(MANIFEST))
    counts = {table["model"]: table["rows"] for table in manifest["tables"]}
    assert in_transaction and all(in_transaction)
    assert counts["agencies.agency"] == 1
    assert counts["audit.auditevent"] == events
    if concurrent_writer:
        assert Agency.objects.count() == 2  # committed meanwhile, but neither the row nor its event is archived


@pytest.mark.django_db
def test_backup_never_overwrites_and_leaves_nothing_half_written(tmp_path, agency_a, monkeypatch):
    existing = tmp_path / "there.zip"
    existing.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="backup_exists"):
        call_command("backup", "--output", str(existing), stdout=StringIO())
    assert existing.read_bytes() == b"keep me"

    from redress.records import backup

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(backup, "_write_files", broken)
    with pytest.raises(OSError, match="disk full"):
        backup_create(output=tmp_path / "new.zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["there.zip"]
    assert not AuditEvent.objects.filter(action="system.backup_taken").exists()


@pytest.mark.django_db
def test_a_missing_file_is_reported_and_the_rest_backed_up(tmp_path, agency_a):
    kept, lost = (
        documents_upload(
            actor=None,
            files=[_upload(f"{name}.txt", name.encode())],
            context=DocumentContext.OTHER,
            visibility=DocumentVisibility.AGENCY_ONLY,
            agency=agency_a,
        )[0]
        for name in ("kept", "lost")
    )
    default_storage.delete(lost.storage_name)
    err = StringIO()
    call_command("backup", "--output", str(tmp_path / "b.zip"), stdout=StringIO(), stderr=err)
    assert lost.storage_name in err.getvalue()
    manifest = json.loads(zipfile.ZipFile(tmp_path / "b.zip").read(MANIFEST))
    assert manifest["missing_files"] == [lost.storage_name]
    assert [item["name"] for item in manifest["files"]] == [kept.storage_name]


@pytest.fixture
def archive(tmp_path, agency_a, supervisor_a) -> Path:
    documents_upload(
        actor=None,
        files=[_upload("letter.txt", b"a letter")],
        context=DocumentContext.OTHER,
        visibility=DocumentVisibility.AGENCY_ONLY,
        agency=agency_a,
    )
    path = tmp_path / "b.zip"
    backup_create(output=path)
    return path


def _manifest_edit(source: Path, target: Path, edit: Any) -> None:
    manifest = json.loads(zipfile.ZipFile(source).read(MANIFEST))
    edit(manifest)
    _rewrite(source, target, {MANIFEST: json.dumps(manifest).encode()})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda m: m["schema"].__setitem__("records", ["0099_from_the_future"]), "restore_schema_mismatch"),
        (lambda m: m["tables"][0]["fields"].append("extra"), "restore_schema_mismatch"),
        (lambda m: m.__setitem__("format_version", 2), "restore_archive_invalid"),
        (lambda m: m["files"][0].__setitem__("name", "../../etc/passwd"), "restore_archive_invalid"),
        (lambda m: m["tables"][0].__setitem__("sha256", "0" * 64), "restore_archive_tampered"),
        (lambda m: m["files"].clear(), "restore_archive_tampered"),  # an unlisted entry
        (lambda m: m.pop("tables"), "restore_archive_invalid"),
    ],
)
def test_a_doubtful_archive_is_refused_before_anything_else(archive, tmp_path, edit, code):
    # The database here is not empty either: the archive checks come first.
    target = tmp_path / "edited.zip"
    _manifest_edit(archive, target, edit)
    events = AuditEvent.objects.count()
    with pytest.raises(RestoreError) as refused:
        backup_restore(path=target)
    assert refused.value.code == code
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_an_entry_dropped_or_not_a_zip_is_refused(archive, tmp_path):
    dropped = tmp_path / "dropped.zip"
    manifest = json.loads(zipfile.ZipFile(archive).read(MANIFEST))
    _rewrite(archive, dropped, {manifest["tables"][3]["entry"]: None})
    with pytest.raises(RestoreError, match="missing"):
        backup_restore(path=dropped)
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(RestoreError) as refused:
        backup_restore(path=junk)
    assert refused.value.code == "restore_archive_invalid"
    with pytest.raises(CommandError, match="restore_archive_missing"):
        call_command("restore", str(tmp_path / "nowhere.zip"))


@pytest.mark.django_db
def test_restore_over_data_is_refused(archive):
    with pytest.raises(RestoreError) as refused:
        backup_restore(path=archive)
    assert refused.value.code == "restore_database_not_empty"
    assert "agencies.agency" in refused.value.detail
