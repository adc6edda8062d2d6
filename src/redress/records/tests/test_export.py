import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse

from redress.audit.models import AuditEvent
from redress.core.errors import NotFound
from redress.records.disposition import complaint_documents
from redress.records.export import complaint_record_export

pytestmark = pytest.mark.django_db


def _zip(handle):
    return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_export_holds_data_documents_and_a_matching_manifest(closed_complaint, supervisor_a, viewer_a):
    complaint = closed_complaint(supervisor_a)
    name, handle = complaint_record_export(actor=viewer_a, ref=complaint.ref)
    assert name == f"{complaint.ref}-record.zip"
    archive = _zip(handle)
    data = json.loads(archive.read("complaint.json"))
    assert data["ref"] == complaint.ref and len(data["closures"]) == 1 and len(data["information_requests"]) == 1
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    documents = list(complaint_documents(complaint))
    assert len(manifest) == 2 + len(documents) == 5
    for row in manifest:
        payload = archive.read(row["path"])
        assert hashlib.sha256(payload).hexdigest() == row["sha256"] and len(payload) == int(row["size"])
    assert {row["sha256"] for row in manifest[2:]} == {d.sha256 for d in documents}
    assert AuditEvent.objects.filter(action="records.exported", target_id=str(complaint.pk)).count() == 1


@pytest.mark.parametrize("who", ["supervisor_b", "company_admin_x", "sysadmin"])
def test_outsiders_cannot_export(request, who, closed_complaint, supervisor_a, client):
    complaint = closed_complaint(supervisor_a)
    user = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        complaint_record_export(actor=user, ref=complaint.ref)
    client.force_login(user)
    assert client.get(reverse("web:records_export", args=[complaint.ref])).status_code == 404
    assert not AuditEvent.objects.filter(action="records.exported").exists()


def test_export_download_from_the_complaint_page(client, closed_complaint, supervisor_a):
    complaint = closed_complaint(supervisor_a)
    client.force_login(supervisor_a)
    url = reverse("web:records_export", args=[complaint.ref])
    assert url in client.get(f"/complaints/{complaint.ref}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "manifest.csv" in archive.namelist()


def test_disposed_documents_are_listed_without_bytes(
    closed_complaint, supervisor_a, django_capture_on_commit_callbacks
):
    import datetime as dt

    from redress.records.disposition import disposition_run

    complaint = closed_complaint(supervisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        disposition_run(as_of=dt.date(2026, 3, 10), dry_run=False)
    archive = _zip(complaint_record_export(actor=supervisor_a, ref=complaint.ref)[1])
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert [row["status"] for row in manifest[2:]] == ["disposed"] * 3
    assert not [n for n in archive.namelist() if n.startswith("documents/")]
