"""Referrals and access requests through the API: acceptance scenarios 22-28, 33, 37 with their
HTTP answers (problem+json codes), ETags and what each side can read afterwards."""

from __future__ import annotations

import datetime as dt

import pytest

from redress.api.tests.conftest import assert_problem, bearer
from redress.complaints.constants import AccessStatus, ReferralStatus, Status
from redress.complaints.models import AccessGrant, Complaint, Referral
from redress.core import clock
from redress.documents.services import documents_upload
from redress.information_requests import services as irs

pytestmark = pytest.mark.django_db

JSON = "application/json"
URL = "/api/v1/complaints"


def post(client, url: str, user, body: dict | None = None, **headers):
    return client.post(url, body or {}, content_type=JSON, headers={**bearer(user), **headers})


def get(client, url: str, user):
    return client.get(url, headers=bearer(user))


def pdf_document(actor, complaint: Complaint):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("intake.pdf", b"%PDF-1.4 body", content_type="application/pdf")
    return documents_upload(
        actor=actor,
        files=[upload],
        context="intake",
        visibility="agency_only",
        agency=complaint.agency,
        attached_to=complaint,
    )[0]


def request_and_grant(client, alice, requester, complaint: Complaint) -> int:
    asked = post(client, f"{URL}/{complaint.ref}/access-requests", requester, {"comment": "Same consumer."})
    assert asked.status_code == 201, asked.content
    grant_id = asked.json()["id"]
    accepted = post(client, f"{URL}/{complaint.ref}/access-requests/{grant_id}/accept", alice, {"comment": "Yes."})
    assert accepted.status_code == 200 and accepted.json()["status"] == "granted"
    return grant_id


def test_scenarios_22_23_request_supervisor_only_decision_and_restricted_details(
    client, make_complaint, alice, mark, bob, bill
):
    complaint = make_complaint(mark, restrict_complainant=True)
    document = pdf_document(mark, complaint)
    assert_problem(get(client, f"{URL}/{complaint.ref}", bill), 404, "not_found")
    basic = get(client, f"/api/v1/all-complaints/{complaint.ref}", bill)
    assert basic.status_code == 200 and basic.json()["full_access"] is False
    assert "Rivera" not in basic.content.decode() and complaint.summary not in basic.content.decode()

    asked = post(client, f"{URL}/{complaint.ref}/access-requests", bill, {"comment": "Same loan."})
    assert asked.status_code == 201 and asked.json()["status"] == "pending"
    grant_id = asked.json()["id"]
    assert_problem(post(client, f"{URL}/{complaint.ref}/access-requests", bob), 409, "access_already_requested")
    incoming = get(client, "/api/v1/access-requests?view=incoming", alice).json()["items"]
    assert [i["id"] for i in incoming] == [grant_id]

    assert_problem(post(client, f"{URL}/{complaint.ref}/access-requests/{grant_id}/accept", mark), 403, "forbidden")
    assert AccessGrant.objects.get(pk=grant_id).status == AccessStatus.PENDING
    accepted = post(client, f"{URL}/{complaint.ref}/access-requests/{grant_id}/accept", alice, {"comment": "Yes."})
    assert accepted.status_code == 200 and accepted.json()["status"] == "granted"

    for user in (bob, bill):
        full = get(client, f"{URL}/{complaint.ref}", user)
        assert full.status_code == 200
        body = full.json()
        assert body["complainant"] is None and body["summary"] == complaint.summary
        assert "Rivera" not in full.content.decode()
        download = get(client, f"/api/v1/documents/{document.ref}/content", user)
        assert download.status_code == 200
        assert_problem(
            client.patch(
                f"{URL}/{complaint.ref}",
                {"cfpb_id": "1"},
                content_type=JSON,
                headers={**bearer(user), "If-Match": f'"{complaint.version}"'},
            ),
            403,
            "forbidden",
        )
    assert get(client, f"{URL}/{complaint.ref}", mark).json()["complainant"]["last_name"] == "Rivera"
    history = get(client, f"{URL}/{complaint.ref}/access-requests", bob).json()["items"]
    assert [h["status"] for h in history] == ["granted"]
    shared = get(client, "/api/v1/all-complaints", bob).json()["items"]
    assert [i["full_access"] for i in shared if i["ref"] == complaint.ref] == [True]


def test_scenario_24_removal(client, make_complaint, alice, mark, bob, bill):
    complaint = make_complaint(mark)
    grant_id = request_and_grant(client, alice, bill, complaint)
    removed = post(client, f"{URL}/{complaint.ref}/access-requests/{grant_id}/remove", alice, {"comment": "Done."})
    assert removed.status_code == 200 and removed.json()["status"] == "removed"
    assert removed.json()["removed_by"] == alice.full_name
    assert_problem(get(client, f"{URL}/{complaint.ref}", bob), 404, "not_found")
    assert get(client, f"/api/v1/all-complaints/{complaint.ref}", bob).json()["full_access"] is False
    assert_problem(
        post(client, f"{URL}/{complaint.ref}/access-requests/{grant_id}/remove", alice), 409, "access_not_granted"
    )
    decisions = get(client, "/api/v1/access-requests?view=decisions", alice).json()["items"]
    assert [d["status"] for d in decisions] == ["removed"]
    requests = get(client, "/api/v1/access-requests?view=history", bill).json()["items"]
    assert [r["status"] for r in requests] == ["removed"]


def test_scenarios_25_26_referral_accepted_and_requests_blocked_meanwhile(
    client, make_complaint, alice, mark, bob, bill, carl, agency_b
):
    complaint = make_complaint(mark, restrict_complainant=True)
    no_version = post(client, f"{URL}/{complaint.ref}/referral", mark, {"to_agency": agency_b.code})
    assert_problem(no_version, 428, "precondition_required")
    stale = post(client, f"{URL}/{complaint.ref}/referral", mark, {"to_agency": agency_b.code, "version": 99})
    assert_problem(stale, 412, "stale_version")
    referred = post(
        client,
        f"{URL}/{complaint.ref}/referral",
        mark,
        {"to_agency": agency_b.code, "comment": "Texas consumer."},
        **{"If-Match": f'"{complaint.version}"'},
    )
    assert referred.status_code == 201, referred.content
    assert referred.json()["status"] == "pending" and referred.json()["complaint_status"] == Status.REFERRAL_IN_PROGRESS
    etag = referred["ETag"]
    assert_problem(post(client, f"{URL}/{complaint.ref}/access-requests", carl), 409, "access_blocked_by_referral")
    # B reads it (to decide), without the restricted complainant.
    pending_view = get(client, f"{URL}/{complaint.ref}", bill)
    assert pending_view.status_code == 200 and pending_view.json()["complainant"] is None
    incoming = get(client, "/api/v1/referrals?view=incoming", bob).json()["items"]
    assert [i["complaint"] for i in incoming] == [complaint.ref]

    accepted = post(client, f"{URL}/{complaint.ref}/referral/accept", bill, {"comment": "Ours."}, **{"If-Match": etag})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted" and accepted.json()["complaint_status"] == Status.OPEN
    full = get(client, f"{URL}/{complaint.ref}", bill).json()
    assert full["agency"] == agency_b.code and full["complainant"]["last_name"] == "Rivera"
    assert full["agency_poc"]["id"] == bill.pk
    assert_problem(get(client, f"{URL}/{complaint.ref}", mark), 404, "not_found")
    history = get(client, "/api/v1/referrals?view=history", mark).json()["items"]
    decisions = get(client, "/api/v1/referrals?view=decisions", bill).json()["items"]
    assert [h["complaint"] for h in history] == [complaint.ref] == [d["complaint"] for d in decisions]


def test_scenario_27_refused_after_an_ir(client, make_complaint, mark, xander, agency_b):
    complaint = make_complaint(mark)
    ir = irs.ir_create(
        actor=mark,
        complaint_ref=complaint.ref,
        title="History",
        description="Send.",
        due_date=clock.today() + dt.timedelta(days=10),
    )
    irs.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[ir.ref])
    complaint.refresh_from_db()
    refused = post(
        client, f"{URL}/{complaint.ref}/referral", mark, {"to_agency": agency_b.code, "version": complaint.version}
    )
    assert_problem(refused, 422, "referral_after_ir")
    assert not Referral.objects.exists()


def test_scenario_28_rejected_and_withdrawn(client, make_complaint, alice, mark, bill, bob, agency_a, agency_b):
    complaint = make_complaint(mark)
    post(client, f"{URL}/{complaint.ref}/referral", mark, {"to_agency": agency_b.code, "version": 1})
    complaint.refresh_from_db()
    assert_problem(
        post(client, f"{URL}/{complaint.ref}/referral/reject", bill, {"version": complaint.version}), 422, "required"
    )
    assert_problem(
        post(client, f"{URL}/{complaint.ref}/referral/accept", mark, {"version": complaint.version}), 403, "forbidden"
    )
    rejected = post(
        client,
        f"{URL}/{complaint.ref}/referral/reject",
        bill,
        {"comment": "Not ours.", "version": complaint.version},
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert rejected.json()["complaint_version"] is None  # B no longer reads the complaint
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN and complaint.agency == agency_a
    again = post(
        client, f"{URL}/{complaint.ref}/referral", mark, {"to_agency": agency_b.code, "version": complaint.version}
    )
    assert again.status_code == 201
    withdrawn = post(
        client, f"{URL}/{complaint.ref}/referral/withdraw", mark, {"version": again.json()["complaint_version"]}
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == ReferralStatus.WITHDRAWN
    assert_problem(
        post(
            client, f"{URL}/{complaint.ref}/referral/withdraw", mark, {"version": withdrawn.json()["complaint_version"]}
        ),
        409,
        "no_pending_referral",
    )


def test_scenario_33_cancel_ends_pending_requests(client, make_complaint, alice, mark, bill, carl):
    complaint = make_complaint(mark)
    granted = request_and_grant(client, alice, carl, complaint)
    pending = post(client, f"{URL}/{complaint.ref}/access-requests", bill).json()["id"]
    canceled = post(
        client, f"{URL}/{complaint.ref}/cancel", mark, {"reason": "Withdrawn.", "version": complaint.version}
    )
    assert canceled.status_code == 200
    assert AccessGrant.objects.get(pk=pending).status == AccessStatus.CANCELED
    assert AccessGrant.objects.get(pk=granted).status == AccessStatus.GRANTED
    kept = get(client, f"{URL}/{complaint.ref}", carl)
    assert kept.status_code == 200 and kept.json()["cancel_reason"] == "Withdrawn."
    assert get(client, "/api/v1/access-requests?view=decisions", alice).json()["items"] == []


def test_scenario_37_and_companies_have_no_way_in(client, make_complaint, alice, mark, examiner_b, xavi, bob):
    complaint = make_complaint(mark)
    request_and_grant(client, alice, bob, complaint)
    for user in (examiner_b, xavi):
        assert_problem(get(client, "/api/v1/all-complaints", user), 403, "forbidden")
        assert_problem(get(client, "/api/v1/access-requests", user), 403, "forbidden")
        assert_problem(get(client, "/api/v1/referrals?view=history", user), 403, "forbidden")
        assert_problem(get(client, f"/api/v1/all-complaints/{complaint.ref}", user), 404, "not_found")
        assert_problem(post(client, f"{URL}/{complaint.ref}/access-requests", user), 404, "not_found")
        assert_problem(get(client, f"{URL}/{complaint.ref}/access-requests", user), 404, "not_found")
    assert_problem(get(client, f"{URL}/{complaint.ref}", examiner_b), 404, "not_found")
    assert AccessGrant.objects.count() == 1


def test_the_openapi_document_lists_the_sharing_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/all-complaints",
        "/api/v1/all-complaints/{ref}",
        "/api/v1/complaints/{ref}/referral",
        "/api/v1/complaints/{ref}/referral/accept",
        "/api/v1/complaints/{ref}/access-requests",
        "/api/v1/complaints/{ref}/access-requests/{grant_id}/remove",
        "/api/v1/access-requests",
        "/api/v1/referrals",
    ):
        assert path in paths, path
    assert "422" in paths["/api/v1/complaints/{ref}/referral"]["post"]["responses"]


def test_the_complaint_list_and_export_have_a_shared_scope(client, make_complaint, alice, mark, bob):
    restricted = make_complaint(mark, restrict_complainant=True, complainant_last_name="Zyskowski")
    make_complaint(mark)  # not shared
    request_and_grant(client, alice, bob, restricted)
    own = get(client, f"{URL}", bob).json()["items"]
    shared = get(client, f"{URL}?scope=shared", bob).json()["items"]
    assert own == [] and [c["ref"] for c in shared] == [restricted.ref]
    assert get(client, f"{URL}?scope=shared&q=Zyskowski", bob).json()["items"] == []
    export = client.get(f"{URL}/export.csv?scope=shared", headers=bearer(bob))
    body = b"".join(export.streaming_content).decode()
    assert restricted.ref in body and "Zyskowski" not in body
    assert get(client, f"{URL}?scope=shared", alice).json()["items"] == []
