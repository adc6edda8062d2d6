"""POST /api/v1/complaints with document_refs: documents uploaded earlier become intake documents."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from redress.api.tests.conftest import assert_problem, bearer
from redress.complaints.models import Complaint
from redress.documents.models import Document

from .test_complaints_api import JSON, URL, create_body

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(client, headers, name: str = "letter.pdf") -> str:
    response = client.post(
        "/api/v1/documents", {"files": [SimpleUploadedFile(name, PDF, content_type="application/pdf")]}, headers=headers
    )
    assert response.status_code == 201, response.content
    return response.json()["items"][0]["ref"]


def test_document_refs_are_attached_in_the_same_transaction(client, supervisor_a, company_x):
    headers = bearer(supervisor_a)
    first, second = upload(client, headers, "letter.pdf"), upload(client, headers, "statement.pdf")
    body = {**create_body(company_x), "document_refs": [first, second], "documents_visibility": "agency_and_company"}
    response = client.post(URL, body, content_type=JSON, headers=headers)
    assert response.status_code == 201, response.content
    out = response.json()
    assert sorted(d["original_name"] for d in out["documents"]) == ["letter.pdf", "statement.pdf"]
    assert {d["context"] for d in out["documents"]} == {"intake"}
    assert {d["visibility"] for d in out["documents"]} == {"agency_and_company"}
    complaint = Complaint.objects.get()
    assert set(
        Document.objects.filter(attached_type="complaints.complaint", attached_id=str(complaint.pk)).values_list(
            "ref", flat=True
        )
    ) == {Document.objects.get(original_name=n).ref for n in ("letter.pdf", "statement.pdf")}
    got = client.get(f"{URL}/{out['ref']}", headers=headers).json()
    assert len(got["documents"]) == 2
    content = client.get(f"/api/v1/documents/{first}/content", headers=headers)
    assert content.status_code == 200 and b"".join(content.streaming_content) == PDF


def test_a_ref_of_another_agency_is_refused_and_nothing_saved(client, supervisor_a, supervisor_b, company_x):
    theirs = upload(client, bearer(supervisor_b))
    headers = bearer(supervisor_a)
    mine = upload(client, headers)
    body = {**create_body(company_x), "document_refs": [mine, theirs]}
    problem = assert_problem(client.post(URL, body, content_type=JSON, headers=headers), 422, "invalid_document_ref")
    assert problem["errors"][0]["field"] == "document_refs"
    assert not Complaint.objects.exists()
    assert not Document.objects.exclude(attached_type="").exists()


def test_attached_unknown_or_malformed_refs_are_refused(client, supervisor_a, company_x):
    headers = bearer(supervisor_a)
    ref = upload(client, headers)
    created = client.post(URL, {**create_body(company_x), "document_refs": [ref]}, content_type=JSON, headers=headers)
    assert created.status_code == 201
    again = client.post(
        URL, {**create_body(company_x, cfpb_id="1"), "document_refs": [ref]}, content_type=JSON, headers=headers
    )
    assert_problem(again, 422, "invalid_document_ref")
    unknown = client.post(
        URL,
        {**create_body(company_x), "document_refs": ["00000000-0000-4000-8000-000000000000"]},
        content_type=JSON,
        headers=headers,
    )
    assert_problem(unknown, 422, "invalid_document_ref")
    malformed = client.post(
        URL, {**create_body(company_x), "document_refs": ["../../etc/passwd"]}, content_type=JSON, headers=headers
    )
    assert_problem(malformed, 422, "validation_error")
    assert Complaint.objects.count() == 1
