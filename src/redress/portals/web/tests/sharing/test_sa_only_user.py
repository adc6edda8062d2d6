"""Scenario 37 on the web: an agency user with system roles only (added through the agency's user
service, see the ``examiner_b`` fixture) has no Complaints module at all. Every complaint page of
their own agency, of another agency and of a granted complaint answers 404; the navigation
offers no Complaints or Reports; the supervisory activities stay open to them without the
complaints linked to them."""

from __future__ import annotations

import pytest

from redress.complaints import related
from redress.complaints.models import AccessGrant
from redress.complaints.tests.sharing.conftest import grant
from redress.information_requests import services as ir_services

pytestmark = pytest.mark.django_db


def _nav(html: str) -> str:
    return html.split('aria-label="Primary navigation"')[1].split("</nav>")[0]


def test_no_complaint_page_answers_them(client, make_complaint, alice, mark, bob, examiner_b):
    own = make_complaint(bob)  # a complaint of the examiner's own agency
    granted = make_complaint(mark)
    grant(alice, bob, granted)  # B's grant does not reach a user without a complaints role
    ir = ir_services.ir_create(actor=bob, complaint_ref=own.ref, title="Payment history", description="Send it.")
    client.force_login(examiner_b)
    urls = [
        "/complaints/",
        "/complaints/export/",
        "/complaints/new/",
        "/complaints/new/details/",
        "/complaints/taxonomy-options/",
        "/all-complaints/",
        "/shared-complaints/",
        "/reports/ir-response-activity/",
        "/reports/ir-response-activity.csv",
        "/reports/ir-response-activity.xlsx",
    ]
    for complaint in (own, granted):
        urls += [
            f"/complaints/{complaint.ref}/",
            f"/complaints/{complaint.ref}/related/",
            f"/complaints/{complaint.ref}/information-requests/",
            f"/complaints/{complaint.ref}/edit/",
            f"/all-complaints/{complaint.ref}/",
        ]
    urls.append(f"/complaints/{own.ref}/information-requests/{ir.ref}/")
    for url in urls:
        assert client.get(url).status_code == 404, url
    # Nor can they act: a change or an access request answers the same way and changes nothing.
    assert client.post(f"/complaints/{own.ref}/edit/", {"summary": "Changed."}).status_code == 404
    assert client.post(f"/all-complaints/{granted.ref}/", {"comment": "Let me in."}).status_code == 404
    assert AccessGrant.objects.count() == 1
    own.refresh_from_db()
    assert own.summary != "Changed."


def test_navigation_and_home_offer_no_complaints(client, bob, examiner_b):
    client.force_login(examiner_b)
    home = client.get("/").content.decode()
    nav = _nav(home)
    assert "Complaints" not in nav and "Reports" not in nav and 'href="/complaints/"' not in home
    assert "Companies" in nav and "Notifications" in nav
    assert "no complaints role" in home and 'href="/supervisory-activities/"' in home
    # The same user with a complaints role would see both (the check is not vacuous).
    client.force_login(bob)
    nav = _nav(client.get("/").content.decode())
    assert "Complaints" in nav and "Reports" in nav


def test_supervisory_activities_stay_open_without_their_complaints(client, make_complaint, bob, examiner_b):
    complaint = make_complaint(bob)
    activity = related.supervisory_activity_create(actor=bob, activity_type="examination", name="Servicing exam")
    related.supervisory_activity_link(actor=bob, ref=complaint.ref, activity_ref=activity.ref)
    client.force_login(examiner_b)
    listed = client.get("/supervisory-activities/")
    assert listed.status_code == 200 and activity.ref in listed.content.decode()
    record = client.get(f"/supervisory-activities/{activity.ref}/").content.decode()
    assert "Servicing exam" in record and complaint.ref not in record
    assert "No complaints are linked to this activity." in record


def test_complaint_files_stay_closed_to_them_even_by_link(client, make_complaint, bob, examiner_b):
    from redress.accounts.policy import actor_for
    from redress.complaints.tests.sharing.test_sharing_scenarios import intake_document, pdf
    from redress.core.errors import NotFound
    from redress.documents.selectors import document_get_for, documents_for_agency
    from redress.documents.services import documents_upload

    complaint = make_complaint(bob)
    case_file = intake_document(bob, complaint)
    loose = documents_upload(
        actor=bob, files=[pdf("loose.pdf")], context="other", visibility="agency_only", agency=complaint.agency
    )[0]
    assert actor_for(examiner_b).agency_id == complaint.agency_id
    assert document_get_for(actor=bob, ref=case_file.ref) == case_file
    for document in (case_file, loose):
        with pytest.raises(NotFound):
            document_get_for(actor=examiner_b, ref=document.ref)
    assert not documents_for_agency(actor=examiner_b).exists()
    client.force_login(examiner_b)
    for document in (case_file, loose):
        assert client.get(f"/documents/{document.ref}/download/").status_code == 404
