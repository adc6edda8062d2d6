from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from redress.documents.models import Document

from .conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db


def _upload(client, headers, *files, **data):
    return client.post("/api/v1/documents", {"files": list(files), **data}, headers=headers)


def test_upload_metadata_download(client, agency_a, supervisor_a, supervisor_b):
    headers = bearer(supervisor_a)
    response = _upload(client, headers, SimpleUploadedFile("letter.txt", b"hello world"), context="research")
    assert response.status_code == 201, response.content
    item = response.json()["items"][0]
    assert item["original_name"] == "letter.txt" and item["size"] == 11 and item["context"] == "research"
    ref = item["ref"]
    assert client.get(f"/api/v1/documents/{ref}", headers=headers).json()["sha256"] == item["sha256"]
    download = client.get(f"/api/v1/documents/{ref}/content", headers=headers)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"hello world"
    other = bearer(supervisor_b)
    assert_problem(client.get(f"/api/v1/documents/{ref}", headers=other), 404, "not_found")
    assert_problem(client.get(f"/api/v1/documents/{ref}/content", headers=other), 404, "not_found")


def test_idempotent_upload_stores_once(client, agency_a, supervisor_a):
    headers = {**bearer(supervisor_a), "Idempotency-Key": "up-1"}
    first = _upload(client, headers, SimpleUploadedFile("a.txt", b"abc"))
    second = _upload(client, headers, SimpleUploadedFile("a.txt", b"abc"))
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert Document.objects.count() == 1
    changed = _upload(client, headers, SimpleUploadedFile("a.txt", b"abd"))
    assert_problem(changed, 422, "idempotency_key_reused")
    assert Document.objects.count() == 1


def test_refused_uploads_store_nothing(client, agency_a, viewer_a, supervisor_a):
    assert _upload(client, bearer(viewer_a), SimpleUploadedFile("a.txt", b"abc")).status_code == 403
    empty = _upload(client, bearer(supervisor_a), SimpleUploadedFile("e.txt", b""))
    assert empty.status_code == 422
    assert_problem(
        client.post("/api/v1/documents", {}, headers=bearer(supervisor_a, name="2")), 422, "validation_error"
    )
    assert Document.objects.count() == 0
