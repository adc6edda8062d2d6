"""The company side of the exchange through the API: A+C-only complaints, IR lists with cursor
pages, response drafts with documents, send to POC, POC-only submit and send-back requests,
Company POC assignment, and isolation from other companies."""

# ruff: noqa: F811  (fixtures imported from the agency-side module are parameters here)
from __future__ import annotations

import pytest

from redress.api.tests.conftest import assert_problem, bearer
from redress.companies.constants import ComplaintsAccess
from redress.companies.models import CompanyMembership
from redress.complaints.services import complaint_close, complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.information_requests import services
from redress.information_requests.constants import IRStatus
from redress.information_requests.models import InformationRequest, IRResponse, SendBack

from .test_irs_agency import complaint, later, responder_x, sent_ir  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
JSON = "application/json"
AGENCY_ONLY = (
    "410-555-0199",
    "pat.rivera@example.test",
    "Refund the late fee",
    "1291006",
    "quick_look",
    "Servicer applied",
)


@pytest.fixture
def colleague_x(make_user, company_x):
    user = make_user(full_name="Xiu Colleague")
    CompanyMembership.objects.create(user=user, company=company_x, complaints_access=ComplaintsAccess.MANAGE)
    return user


def _ir(client, user, ref):
    response = client.get(f"/api/v1/company/information-requests/{ref}", headers=bearer(user))
    assert response.status_code == 200, response.content
    return response


def test_company_complaint_has_only_agency_and_company_fields(client, complaint, sent_ir, responder_x):
    headers = bearer(responder_x)
    listed = client.get("/api/v1/company/complaints", headers=headers)
    assert listed.status_code == 200
    assert [c["ref"] for c in listed.json()["items"]] == [complaint.ref]
    one = client.get(f"/api/v1/company/complaints/{complaint.ref}", headers=headers)
    assert one.status_code == 200 and one.has_header("ETag")
    body = one.content.decode()
    assert '"complainant_last_name":"Rivera"' in body.replace(" ", "")
    for hidden in AGENCY_ONLY:
        assert hidden not in body and hidden not in listed.content.decode(), hidden
    for field in ("date_received", "cfpb_id", "business_type", "summary", "desired_outcome", "days_open"):
        assert field not in one.json()
    irs = client.get(f"/api/v1/company/complaints/{complaint.ref}/information-requests", headers=headers)
    assert [i["ref"] for i in irs.json()["items"]] == [sent_ir.ref]
    assert "quick_look" not in irs.content.decode()


def test_restricted_complainant_is_null(client, supervisor_a, company_x, company_admin_x):
    c = complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(restrict_complainant=True),
        submit_for_review=False,
    )
    ir = services.ir_create(actor=supervisor_a, complaint_ref=c.ref, title="T", description="D", due_date=later_date())
    services.ir_send(actor=supervisor_a, complaint_ref=c.ref, refs=[ir.ref])
    body = client.get(f"/api/v1/company/complaints/{c.ref}", headers=bearer(company_admin_x)).json()
    assert body["complainant_restricted"] is True
    assert body["complainant_first_name"] is None and body["complainant_street"] is None


def later_date():
    import datetime as dt

    from redress.core import clock

    return clock.today() + dt.timedelta(days=9)


def test_other_company_and_agency_get_404_everywhere(client, complaint, sent_ir, company_admin_y, supervisor_a):
    for user in (company_admin_y, supervisor_a):
        headers = bearer(user)
        for url in (
            f"/api/v1/company/complaints/{complaint.ref}",
            f"/api/v1/company/complaints/{complaint.ref}/information-requests",
            f"/api/v1/company/complaints/{complaint.ref}/closure-materials",
            f"/api/v1/company/complaints/{complaint.ref}/poc-candidates",
            f"/api/v1/company/information-requests/{sent_ir.ref}",
        ):
            assert_problem(client.get(url, headers=headers), 404, "not_found")
    headers = bearer(company_admin_y)
    assert client.get("/api/v1/company/complaints", headers=headers).json()["items"] == []
    assert client.get(f"/api/v1/company/complaints?q={complaint.ref}", headers=headers).json()["items"] == []
    assert client.get("/api/v1/company/information-requests", headers=headers).json()["items"] == []
    # The agency collection, its export and its search refuse company users outright, so nothing
    # of company X can reach company Y through them.
    for url in ("/api/v1/complaints", "/api/v1/complaints/export.csv", f"/api/v1/complaints?q={complaint.ref}"):
        body = assert_problem(client.get(url, headers=headers), 403, "forbidden")
        assert complaint.ref not in str(body)
    before = list(InformationRequest.objects.values_list("status", "version"))
    response = client.post(
        f"/api/v1/company/information-requests/{sent_ir.ref}/response",
        {"text": "hi"},
        content_type=JSON,
        headers=headers,
    )
    assert_problem(response, 404, "not_found")
    assert (
        list(InformationRequest.objects.values_list("status", "version")) == before and not IRResponse.objects.exists()
    )


def test_draft_with_document_send_to_poc_then_poc_submits(client, sent_ir, colleague_x, responder_x, company_admin_x):
    url = f"/api/v1/company/information-requests/{sent_ir.ref}"
    headers = bearer(colleague_x)
    created = client.post(
        f"{url}/response",
        {"text": "Draft answer.", "hidden": True},
        content_type=JSON,
        headers={**headers, "Idempotency-Key": "d1"},
    )
    assert created.status_code == 201, created.content
    again = client.post(f"{url}/response", {"text": "Other."}, content_type=JSON, headers=headers)
    assert_problem(again, 409, "response_exists")
    upload = client.post(
        f"{url}/response/documents",
        {"files": [_file("statement.pdf")]},
        headers={**headers, "Idempotency-Key": "u1"},
    )
    assert upload.status_code == 201, upload.content
    etag = _ir(client, colleague_x, sent_ir.ref)["ETag"]
    patched = client.patch(
        f"{url}/response", {"text": "Better answer."}, content_type=JSON, headers={**headers, "If-Match": etag}
    )
    assert patched.status_code == 200
    assert patched.json()["responses"][0]["documents"][0]["original_name"] == "statement.pdf"
    # Another company user does not see the hidden text or its files.
    other = _ir(client, company_admin_x, sent_ir.ref).json()
    assert other["responses"][0]["text"] is None and other["responses"][0]["documents"] == []
    # The drafter cannot submit.
    refused = client.post(
        f"{url}/submit",
        {"version": _version(client, colleague_x, sent_ir.ref)},
        content_type=JSON,
        headers=headers,
    )
    assert_problem(refused, 403, "forbidden")
    sent = client.post(f"{url}/send-to-poc", {}, content_type=JSON, headers={**headers, "If-Match": patched["ETag"]})
    assert sent.status_code == 200 and sent.json()["status"] == IRStatus.IN_COMPANY_REVIEW
    # The IR drops out of the drafter's list but is in the POC's.
    assert client.get("/api/v1/company/information-requests", headers=headers).json()["items"] == []
    poc = bearer(responder_x)
    assert [i["ref"] for i in client.get("/api/v1/company/information-requests", headers=poc).json()["items"]] == [
        sent_ir.ref
    ]
    submitted = client.post(
        f"{url}/submit", {"version": _version(client, responder_x, sent_ir.ref)}, content_type=JSON, headers=poc
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == IRStatus.SENT_TO_AGENCY
    assert IRResponse.objects.get().text == "Better answer."


def _version(client, user, ref) -> int:
    return int(_ir(client, user, ref)["ETag"].strip('"'))


def _file(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4 statement")


def test_send_back_request_is_poc_only_and_ends_at_closure(
    client, complaint, sent_ir, responder_x, colleague_x, supervisor_a
):
    url = f"/api/v1/company/information-requests/{sent_ir.ref}"
    poc = bearer(responder_x)
    client.post(
        f"{url}/submit",
        {"version": _version(client, responder_x, sent_ir.ref), "text": "Answer."},
        content_type=JSON,
        headers=poc,
    )
    refused = client.post(
        f"{url}/send-back-request",
        {"reason": "x", "version": _version(client, colleague_x, sent_ir.ref)},
        content_type=JSON,
        headers=bearer(colleague_x),
    )
    assert_problem(refused, 403, "forbidden")
    assert_problem(
        client.post(f"{url}/send-back-request", {"reason": "x"}, content_type=JSON, headers=poc),
        428,
        "precondition_required",
    )
    ok = client.post(
        f"{url}/send-back-request",
        {"reason": "Wrong file.", "version": _version(client, responder_x, sent_ir.ref)},
        content_type=JSON,
        headers=poc,
    )
    assert ok.status_code == 200 and ok.json()["status"] == IRStatus.SEND_BACK_REQUESTED
    services.ir_decline_send_back(actor=supervisor_a, ref=sent_ir.ref, expected_version=None)
    complaint_close(
        actor=supervisor_a,
        ref=complaint.ref,
        closure={"reason": "invalid", "share_with_company": True, "comments_to_company": "Closed, thanks."},
        expected_version=None,
    )
    closed = client.post(
        f"{url}/send-back-request",
        {"reason": "Again.", "version": _version(client, responder_x, sent_ir.ref)},
        content_type=JSON,
        headers=poc,
    )
    assert closed.status_code in (409, 422) and closed["Content-Type"] == "application/problem+json"
    assert SendBack.objects.count() == 1
    materials = client.get(f"/api/v1/company/complaints/{complaint.ref}/closure-materials", headers=poc).json()
    assert materials["items"][0]["comments_to_company"] == "Closed, thanks."
    assert "invalid" not in str(materials)


def test_assign_poc_through_the_api(client, complaint, sent_ir, company_user_x, colleague_x, company_viewer_x):
    url = f"/api/v1/company/complaints/{complaint.ref}"
    contact = bearer(company_user_x)
    candidates = client.get(f"{url}/poc-candidates", headers=contact).json()["items"]
    assert colleague_x.pk in [c["id"] for c in candidates] and company_viewer_x.pk not in [c["id"] for c in candidates]
    etag = client.get(url, headers=contact)["ETag"]
    bad = client.post(
        f"{url}/assign-poc",
        {"company_poc_id": company_viewer_x.pk},
        content_type=JSON,
        headers={**contact, "If-Match": etag},
    )
    assert_problem(bad, 422, "invalid_company_poc")
    ok = client.post(
        f"{url}/assign-poc",
        {"company_poc_id": colleague_x.pk},
        content_type=JSON,
        headers={**contact, "If-Match": etag},
    )
    assert ok.status_code == 200 and ok.json()["company_poc_id"] == colleague_x.pk
    stale = client.post(
        f"{url}/assign-poc",
        {"company_poc_id": colleague_x.pk},
        content_type=JSON,
        headers={**contact, "If-Match": etag},
    )
    assert_problem(stale, 412, "stale_version")
    refused = client.post(
        f"{url}/assign-poc",
        {"company_poc_id": colleague_x.pk, "version": 1},
        content_type=JSON,
        headers=bearer(colleague_x),
    )
    assert_problem(refused, 403, "forbidden")


def test_company_ir_list_cursor_pages(client, complaint, sent_ir, supervisor_a, responder_x):
    for n in range(3):
        ir = services.ir_create(
            actor=supervisor_a, complaint_ref=complaint.ref, title=f"Q{n}", description="D", due_date=later_date()
        )
        services.ir_send(actor=supervisor_a, complaint_ref=complaint.ref, refs=[ir.ref])
    headers = bearer(responder_x)
    seen, cursor = [], None
    while True:
        url = "/api/v1/company/information-requests?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=headers).json()
        seen += [i["ref"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 4 == len(set(seen))
    assert_problem(
        client.get("/api/v1/company/information-requests?cursor=zzzz", headers=headers), 422, "invalid_cursor"
    )
