"""Information requests through the API, agency side: draft, send, extend, remind, Quick Look,
send back, cancel, comment, with ETag/If-Match, Idempotency-Key and problem+json refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from redress.api.tests.conftest import assert_problem, bearer
from redress.companies.constants import ComplaintsAccess
from redress.companies.models import CompanyMembership
from redress.complaints.exchange import company_poc_assign
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.core import clock
from redress.information_requests import services
from redress.information_requests.constants import IRStatus
from redress.information_requests.models import InformationRequest, Reminder
from redress.information_requests.responses import response_submit

pytestmark = pytest.mark.django_db
JSON = "application/json"


def later(days: int = 14) -> str:
    return (clock.today() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def complaint(supervisor_a, company_x, company_user_x):
    company_x.complaints_contact = company_user_x
    company_x.save(update_fields=["complaints_contact"])
    return complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(complainant_phone="410-555-0199"),
        submit_for_review=False,
    )


@pytest.fixture
def responder_x(make_user, company_x):
    user = make_user(full_name="Xavi Responder")
    CompanyMembership.objects.create(user=user, company=company_x, complaints_access=ComplaintsAccess.MANAGE)
    return user


@pytest.fixture
def sent_ir(complaint, supervisor_a, company_user_x, responder_x):
    """One IR sent, Xavi assigned Company POC by the Complaints Contact."""
    ir = services.ir_create(
        actor=supervisor_a,
        complaint_ref=complaint.ref,
        title="Payment history",
        description="Send the payment history.",
        due_date=clock.today() + dt.timedelta(days=10),
    )
    services.ir_send(actor=supervisor_a, complaint_ref=complaint.ref, refs=[ir.ref])
    complaint.refresh_from_db()
    company_poc_assign(actor=company_user_x, ref=complaint.ref, poc=responder_x, expected_version=complaint.version)
    ir.refresh_from_db()
    return ir


def _etag(response) -> str:
    assert response.has_header("ETag")
    return response["ETag"]


def test_create_update_send_flow_with_etag_and_idempotency(client, complaint, supervisor_a):
    headers = bearer(supervisor_a)
    url = f"/api/v1/complaints/{complaint.ref}/information-requests"
    body = {"title": "Account notes", "description": "Send the account notes.", "ready": True}
    first = client.post(url, body, content_type=JSON, headers={**headers, "Idempotency-Key": "k1"})
    assert first.status_code == 201, first.content
    again = client.post(url, body, content_type=JSON, headers={**headers, "Idempotency-Key": "k1"})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert InformationRequest.objects.count() == 1
    ref = first.json()["ref"]
    assert first["Location"].endswith(f"/information-requests/{ref}")
    # Patch needs If-Match: none is 428, stale is 412, right one works.
    patch_url = f"/api/v1/information-requests/{ref}"
    assert_problem(
        client.patch(patch_url, {"title": "New"}, content_type=JSON, headers=headers), 428, "precondition_required"
    )
    stale = client.patch(patch_url, {"title": "New"}, content_type=JSON, headers={**headers, "If-Match": '"99"'})
    assert_problem(stale, 412, "stale_version")
    etag = _etag(client.get(patch_url, headers=headers))
    ok = client.patch(
        patch_url,
        {"title": "Account notes 2020-2024", "due_date": later()},
        content_type=JSON,
        headers={**headers, "If-Match": etag},
    )
    assert ok.status_code == 200 and ok.json()["title"] == "Account notes 2020-2024"
    assert _etag(ok) != etag
    # A due date in the past is refused at send time; nothing is sent.
    InformationRequest.objects.filter(ref=ref).update(due_date=clock.today() - dt.timedelta(days=1))
    refused = client.post(f"{url}/send", {"refs": [ref]}, content_type=JSON, headers=headers)
    assert_problem(refused, 422, "ir_due_date_in_past")
    assert InformationRequest.objects.get(ref=ref).status == IRStatus.READY_TO_SEND
    client.post(f"{url}/due-date", {"refs": [ref], "due_date": later()}, content_type=JSON, headers=headers)
    InformationRequest.objects.filter(ref=ref).update(due_date=clock.today() + dt.timedelta(days=5))
    sent = client.post(f"{url}/send", {"refs": [ref], "comment": "Thanks."}, content_type=JSON, headers=headers)
    assert sent.status_code == 200, sent.content
    assert sent.json()["items"][0]["status"] == "sent_to_company"
    listed = client.get(f"{url}?limit=1", headers=headers).json()
    assert [i["ref"] for i in listed["items"]] == [ref] and listed["next_cursor"] is None


def test_extend_remind_quick_look_send_back_cancel(client, sent_ir, supervisor_a, responder_x):
    headers = bearer(supervisor_a)
    url = f"/api/v1/information-requests/{sent_ir.ref}"
    etag = _etag(client.get(url, headers=headers))
    extended = client.post(
        f"{url}/extend", {"due_date": later(20)}, content_type=JSON, headers={**headers, "If-Match": etag}
    )
    assert extended.status_code == 200
    body = extended.json()
    assert body["due_date"] == later(20) and body["original_due_date"] == later(10)
    reminded = client.post(f"{url}/remind", headers={**headers, "Idempotency-Key": "r1"})
    assert reminded.status_code == 201
    client.post(f"{url}/remind", headers={**headers, "Idempotency-Key": "r1"})
    assert Reminder.objects.count() == 1
    # Quick Look needs a response first.
    refused = client.post(
        f"{url}/quick-look",
        {"complete": True, "version": extended.json()["version"]},
        content_type=JSON,
        headers=headers,
    )
    assert_problem(refused, 422, "ir_invalid_transition")
    response_submit(actor=responder_x, ir_ref=sent_ir.ref, text="Attached.", expected_version=None)
    version = client.get(url, headers=headers).json()["version"]
    looked = client.post(
        f"{url}/quick-look", {"complete": True, "version": version}, content_type=JSON, headers=headers
    )
    assert looked.status_code == 200 and looked.json()["quick_look_complete"] is True
    assert looked.json()["responses"][0]["text"] == "Attached."
    back = client.post(
        f"{url}/send-back",
        {"due_date": later(30), "explanation": "Please add 2023.", "version": looked.json()["version"]},
        content_type=JSON,
        headers=headers,
    )
    assert back.status_code == 200
    assert back.json()["status"] == "sent_to_company" and back.json()["round"] == 2
    assert back.json()["quick_look_complete"] is False
    canceled = client.post(f"{url}/cancel", {"version": back.json()["version"]}, content_type=JSON, headers=headers)
    assert canceled.status_code == 200 and canceled.json()["status"] == "canceled"


def test_comment_only_after_first_send(client, complaint, sent_ir, supervisor_a):
    headers = bearer(supervisor_a)
    response = client.post(
        f"/api/v1/complaints/{complaint.ref}/comments",
        {"title": "Note", "text": "We received your documents."},
        content_type=JSON,
        headers=headers,
    )
    assert response.status_code == 201 and response.json()["is_comment_only"] is True


def test_viewer_and_other_agency_and_company_are_refused(
    client, complaint, sent_ir, viewer_a, supervisor_b, company_admin_x
):
    url = f"/api/v1/complaints/{complaint.ref}/information-requests"
    before = list(InformationRequest.objects.values_list("ref", "status", "version"))
    body = {"title": "x", "description": "y"}
    assert_problem(client.post(url, body, content_type=JSON, headers=bearer(viewer_a)), 403, "forbidden")
    assert_problem(client.post(url, body, content_type=JSON, headers=bearer(supervisor_b)), 404, "not_found")
    assert_problem(client.get(url, headers=bearer(supervisor_b)), 404, "not_found")
    assert_problem(
        client.get(f"/api/v1/information-requests/{sent_ir.ref}", headers=bearer(supervisor_b)), 404, "not_found"
    )
    # The agency view (with Quick Look) is not for company users.
    assert_problem(
        client.get(f"/api/v1/information-requests/{sent_ir.ref}", headers=bearer(company_admin_x)), 404, "not_found"
    )
    assert_problem(
        client.post(
            f"/api/v1/information-requests/{sent_ir.ref}/extend",
            {"due_date": later(30), "version": 1},
            content_type=JSON,
            headers=bearer(viewer_a),
        ),
        403,
        "forbidden",
    )
    assert list(InformationRequest.objects.values_list("ref", "status", "version")) == before


def test_bad_input_is_a_problem_not_a_500(client, complaint, supervisor_a):
    headers = bearer(supervisor_a)
    url = f"/api/v1/complaints/{complaint.ref}/information-requests"
    assert_problem(
        client.post(url, {"title": "a\x00b", "description": "d"}, content_type=JSON, headers=headers),
        422,
        "validation_error",
    )
    assert_problem(
        client.post(
            url, {"title": "t", "description": "d", "due_date": "2001-01-01"}, content_type=JSON, headers=headers
        ),
        422,
        "ir_due_date_in_past",
    )
    assert_problem(client.get(f"{url}?cursor=@@@", headers=headers), 422, "invalid_cursor")
    assert_problem(
        client.post(f"{url}/send", {"refs": ["IR-NOPE"]}, content_type=JSON, headers=headers), 404, "not_found"
    )


@pytest.fixture
def unenrolled_complaint(supervisor_a, company_y):
    complaint = complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_y.pk,
        details=intake_details(),
        submit_for_review=False,
    )
    ir = services.ir_create(
        actor=supervisor_a,
        complaint_ref=complaint.ref,
        title="Loan file",
        description="Send the loan file.",
        due_date=clock.today() + dt.timedelta(days=10),
    )
    return complaint, ir


def test_send_inviting_the_first_user_of_an_unenrolled_company(client, unenrolled_complaint, supervisor_a, company_y):
    from redress.notifications.models import OutboxMessage

    complaint, ir = unenrolled_complaint
    body = {"refs": [ir.ref], "first_user": {"email": "first.user@ditech.example", "full_name": "Fay First"}}
    response = client.post(
        f"/api/v1/complaints/{complaint.ref}/information-requests/send",
        body,
        content_type=JSON,
        headers=bearer(supervisor_a),
    )
    assert response.status_code == 200, response.content
    ir.refresh_from_db()
    assert ir.status == IRStatus.SENT_TO_COMPANY
    member = CompanyMembership.objects.get(company=company_y)
    assert member.user.email == "first.user@ditech.example" and member.is_account_admin
    assert OutboxMessage.objects.filter(to_email="first.user@ditech.example").exists()


def test_a_refused_invitation_sends_nothing(client, unenrolled_complaint, supervisor_a, company_y):
    complaint, ir = unenrolled_complaint
    body = {"refs": [ir.ref], "first_user": {"email": supervisor_a.email, "full_name": "Someone Else"}}
    response = client.post(
        f"/api/v1/complaints/{complaint.ref}/information-requests/send",
        body,
        content_type=JSON,
        headers=bearer(supervisor_a),
    )
    problem = assert_problem(response, 409, "email_in_use")
    assert problem["errors"] == [{"field": "first_user.email", "message": problem["detail"]}]
    ir.refresh_from_db()
    assert ir.status == IRStatus.READY_TO_SEND
    assert not CompanyMembership.objects.filter(company=company_y).exists()
