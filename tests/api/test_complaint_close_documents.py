"""Closing through the API with closure documents uploaded earlier (POST /documents, then
``document_refs`` in the close body): attached in the closure's transaction, shared with the
company only when the closure is, and a bad or foreign ref refuses the whole closure."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from redress.api.tests.conftest import assert_problem, bearer
from redress.complaints.constants import Status
from redress.complaints.models import Closure, Complaint
from redress.documents.models import Document

from .test_complaints_api import URL, create

pytestmark = pytest.mark.django_db

JSON = "application/json"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(client, user, name: str = "closure-letter.pdf") -> str:
    response = client.post(
        "/api/v1/documents",
        {"files": [SimpleUploadedFile(name, PDF, content_type="application/pdf")]},
        headers=bearer(user, name=f"up-{uuid.uuid4().hex[:8]}"),
    )
    assert response.status_code == 201, response.content
    return response.json()["items"][0]["ref"]


@pytest.fixture
def complaint_ref(client, supervisor_a, company_x) -> str:
    ref = create(client, supervisor_a, company_x)["ref"]
    # The company reads a complaint once an IR was sent to it.
    Complaint.objects.filter(ref=ref).update(first_ir_sent_at=Complaint.objects.get(ref=ref).created_at)
    return ref


def close_body(**extra):
    return {
        "reason": "monetary_relief",
        "monetary_relief_cents": 25_000,
        "relief_paid_on": str(Complaint.objects.first().date_received),
        "internal_notes": "Internal: checked with the servicer.",
        "share_with_company": True,
        "comments_to_company": "Thank you for refunding the consumer.",
        "version": 1,
        **extra,
    }


def test_close_with_document_refs_shares_them_with_the_company(
    client, complaint_ref, supervisor_a, manager_a, company_user_x
):
    letter = upload(client, supervisor_a)
    proof = upload(client, manager_a, "refund-proof.pdf")
    response = client.post(
        f"{URL}/{complaint_ref}/close",
        close_body(document_refs=[letter, proof.upper()]),
        content_type=JSON,
        headers=bearer(supervisor_a),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"

    closures = client.get(f"{URL}/{complaint_ref}/closures", headers=bearer(supervisor_a, name="2")).json()["items"]
    assert {d["original_name"] for d in closures[0]["documents"]} == {"closure-letter.pdf", "refund-proof.pdf"}
    assert {d["context"] for d in closures[0]["documents"]} == {"closure"}
    assert closures[0]["internal_notes"] == "Internal: checked with the servicer."

    company = bearer(company_user_x)
    materials = client.get(f"/api/v1/company/complaints/{complaint_ref}/closure-materials", headers=company)
    assert materials.status_code == 200, materials.content
    items = materials.json()["items"]
    assert [i["comments_to_company"] for i in items] == ["Thank you for refunding the consumer."]
    assert {d["original_name"] for d in items[0]["documents"]} == {"closure-letter.pdf", "refund-proof.pdf"}
    assert "internal_notes" not in items[0] and "Internal:" not in materials.content.decode()
    content = client.get(f"/api/v1/documents/{letter}/content", headers=bearer(company_user_x, name="c2"))
    assert content.status_code == 200 and b"".join(content.streaming_content) == PDF


def test_unshared_closure_keeps_documents_from_the_company(client, complaint_ref, supervisor_a, company_user_x):
    letter = upload(client, supervisor_a)
    body = close_body(document_refs=[letter], share_with_company=False, comments_to_company="")
    closed = client.post(f"{URL}/{complaint_ref}/close", body, content_type=JSON, headers=bearer(supervisor_a))
    assert closed.status_code == 200, closed.content
    company = bearer(company_user_x)
    assert client.get(f"/api/v1/company/complaints/{complaint_ref}/closure-materials", headers=company).json() == {
        "items": []
    }
    assert_problem(
        client.get(f"/api/v1/documents/{letter}/content", headers=bearer(company_user_x, name="c2")), 404, "not_found"
    )


@pytest.mark.parametrize("which", ["foreign", "unknown", "attached"])
def test_bad_document_refs_are_refused_and_nothing_changes(
    client, complaint_ref, supervisor_a, supervisor_b, company_x, which
):
    good = upload(client, supervisor_a, "good.pdf")
    if which == "foreign":
        bad = upload(client, supervisor_b, "theirs.pdf")
    elif which == "unknown":
        bad = str(uuid.uuid4())
    else:
        other = create(client, supervisor_a, company_x)["ref"]
        bad = upload(client, supervisor_a, "used.pdf")
        first = client.post(
            f"{URL}/{other}/close",
            {"reason": "invalid", "version": 1, "document_refs": [bad]},
            content_type=JSON,
            headers=bearer(supervisor_a, name="o"),
        )
        assert first.status_code == 200, first.content
    before = list(Document.objects.order_by("pk").values())
    closures = Closure.objects.count()
    response = client.post(
        f"{URL}/{complaint_ref}/close",
        close_body(document_refs=[good, bad]),
        content_type=JSON,
        headers=bearer(supervisor_a),
    )
    body = assert_problem(response, 422, "invalid_document_ref")
    assert body["refs"] == [bad] and body["errors"][0]["field"] == "document_refs"
    assert list(Document.objects.order_by("pk").values()) == before
    assert Closure.objects.count() == closures
    assert Complaint.objects.get(ref=complaint_ref).status == Status.OPEN


def test_malformed_refs_are_a_validation_error(client, complaint_ref, supervisor_a):
    response = client.post(
        f"{URL}/{complaint_ref}/close",
        close_body(document_refs=["../../etc/passwd"]),
        content_type=JSON,
        headers=bearer(supervisor_a),
    )
    assert_problem(response, 422, "validation_error")
    assert Complaint.objects.get(ref=complaint_ref).status == Status.OPEN
