"""The sharing pages with the Django test client: who sees which button, what each page shows and
hides (restricted complainant details, other agencies' rows), and the forms' refusals."""

from __future__ import annotations

import pytest

from redress.complaints import access, referrals
from redress.complaints.constants import AccessStatus, ReferralStatus, Status
from redress.complaints.models import AccessGrant, Referral
from redress.complaints.tests.sharing.conftest import grant

pytestmark = pytest.mark.django_db


def page(client, user, url: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_all_complaints_is_basic_and_for_complaints_users_only(client, make_complaint, mark, bob, examiner_b, xavi):
    complaint = make_complaint(mark, restrict_complainant=True, complainant_last_name="Zyskowski")
    html = page(client, bob, "/all-complaints/")
    assert complaint.ref in html and "Basic view" in html
    assert "Zyskowski" not in html and complaint.summary not in html
    basic = page(client, bob, f"/all-complaints/{complaint.ref}/")
    assert "Request access" in basic and "Zyskowski" not in basic and complaint.summary not in basic
    assert page(client, bob, f"/all-complaints/?q={complaint.ref}").count(complaint.ref) >= 1
    for user in (examiner_b, xavi):
        page(client, user, "/all-complaints/", 404)
        page(client, user, f"/all-complaints/{complaint.ref}/", 404)
        page(client, user, "/shared-complaints/", 404)
        page(client, user, "/reports/access-requests/", 404)
    page(client, bob, f"/complaints/{complaint.ref}/", 404)
    page(client, bob, "/all-complaints/CMP-1999-999999/", 404)
    home = page(client, examiner_b, "/")
    assert 'href="/complaints/"' not in home and "no complaints role" in home


def test_request_access_then_supervisor_decides_from_the_home_page(client, make_complaint, alice, mark, bill, bob):
    complaint = make_complaint(mark, restrict_complainant=True, complainant_last_name="Zyskowski")
    client.force_login(bill)
    response = client.post(f"/all-complaints/{complaint.ref}/", {"comment": "Same loan."})
    assert response.status_code == 302
    row = AccessGrant.objects.get()
    assert row.status == AccessStatus.PENDING and row.request_comment == "Same loan."
    again = client.post(f"/all-complaints/{complaint.ref}/", {"comment": "Again."})
    assert again.status_code == 422 and AccessGrant.objects.count() == 1
    home = page(client, alice, "/")
    assert "Access requests" in home and f"/complaints/{complaint.ref}/access/{row.pk}/accept/" in home
    assert f"/complaints/{complaint.ref}/access/{row.pk}/accept/" not in page(client, mark, "/")
    page(client, mark, f"/complaints/{complaint.ref}/access/{row.pk}/accept/", 403)
    client.force_login(mark)
    assert client.post(f"/complaints/{complaint.ref}/access/{row.pk}/accept/", {}).status_code == 403
    row.refresh_from_db()
    assert row.status == AccessStatus.PENDING
    client.force_login(alice)
    done = client.post(f"/complaints/{complaint.ref}/access/{row.pk}/accept/", {"comment": "Yes."})
    assert done.status_code == 302 and done["Location"] == f"/complaints/{complaint.ref}/access/"
    row.refresh_from_db()
    assert row.status == AccessStatus.GRANTED
    record = page(client, bob, f"/complaints/{complaint.ref}/")
    assert "granted your agency read-only access" in record and "Zyskowski" not in record
    assert 'aria-label="Actions"' not in record and "Cancel complaint" not in record
    assert ">History<" not in record  # the history holds restricted values
    page(client, bob, f"/complaints/{complaint.ref}/history/", 404)
    details = page(client, bob, f"/complaints/{complaint.ref}/details/")
    assert "Zyskowski" not in details and "restricted to the owning agency" in details
    assert "Zyskowski" in page(client, mark, f"/complaints/{complaint.ref}/details/")
    shared = page(client, bob, "/shared-complaints/")
    assert complaint.ref in shared and "Restricted" in shared and "Zyskowski" not in shared
    tab = page(client, alice, f"/complaints/{complaint.ref}/access/")
    assert "Remove access" in tab and "Texas Department of Banking" in tab
    assert "Remove access" not in page(client, bob, f"/complaints/{complaint.ref}/access/")


def test_removal_from_the_report(client, make_complaint, alice, mark, bob):
    complaint = make_complaint(mark)
    row = grant(alice, bob, complaint)
    report = page(client, alice, "/reports/access-requests/?view=decisions")
    assert f"/complaints/{complaint.ref}/access/{row.pk}/remove/" in report
    client.force_login(alice)
    client.post(f"/complaints/{complaint.ref}/access/{row.pk}/remove/", {"comment": "Over."})
    row.refresh_from_db()
    assert row.status == AccessStatus.REMOVED
    page(client, bob, f"/complaints/{complaint.ref}/", 404)
    history = page(client, bob, "/reports/access-requests/?view=history")
    assert complaint.ref in history and "Removed" in history
    csv = page(client, bob, "/reports/access-requests.csv?view=history")
    assert complaint.ref in csv and "Removed" in csv


def test_refer_and_accept_through_the_pages(client, make_complaint, alice, mark, bob, bill, agency_b, vera):
    complaint = make_complaint(mark)
    record = page(client, mark, f"/complaints/{complaint.ref}/")
    assert "Refer to another agency" in record
    assert "Refer to another agency" not in page(client, vera, f"/complaints/{complaint.ref}/")
    page(client, vera, f"/complaints/{complaint.ref}/refer/", 403)
    form = page(client, mark, f"/complaints/{complaint.ref}/refer/")
    assert agency_b.name in form
    client.force_login(mark)
    bad = client.post(f"/complaints/{complaint.ref}/refer/", {"to_agency": "", "version": complaint.version})
    assert bad.status_code == 422 and not Referral.objects.exists()
    ok = client.post(
        f"/complaints/{complaint.ref}/refer/", {"to_agency": agency_b.pk, "comment": "Texas.", "version": 1}
    )
    assert ok.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.REFERRAL_IN_PROGRESS
    assert "Withdraw the referral" in page(client, mark, f"/complaints/{complaint.ref}/")
    assert "Open" in page(client, bill, "/") and complaint.ref in page(client, bill, "/")
    pending = page(client, bill, f"/complaints/{complaint.ref}/")
    assert "Accept the referral" in pending and "Reject the referral" in pending
    page(client, mark, f"/complaints/{complaint.ref}/referral/accept/", 403)
    client.force_login(bill)
    rejected = client.post(f"/complaints/{complaint.ref}/referral/reject/", {"comment": "", "version": 2})
    assert rejected.status_code == 422
    accepted = client.post(f"/complaints/{complaint.ref}/referral/accept/", {"comment": "", "version": 2})
    assert accepted.status_code == 302
    complaint.refresh_from_db()
    assert complaint.agency == agency_b and complaint.agency_poc == bill
    assert Referral.objects.get().status == ReferralStatus.ACCEPTED
    owned = page(client, bob, f"/complaints/{complaint.ref}/")
    assert "Referred from" in owned
    page(client, mark, f"/complaints/{complaint.ref}/", 404)
    assert complaint.ref in page(client, mark, "/reports/referrals/?view=history")
    assert complaint.ref in page(client, bob, "/reports/referrals/?view=decisions")
    assert complaint.ref in page(client, mark, "/reports/referrals.csv?view=history")


def test_stale_referral_form_keeps_the_input(client, make_complaint, mark, agency_b, bob):
    complaint = make_complaint(mark)
    client.force_login(mark)
    stale = client.post(
        f"/complaints/{complaint.ref}/refer/", {"to_agency": agency_b.pk, "comment": "Texas.", "version": 99}
    )
    assert stale.status_code == 422 and "changed this complaint" in stale.content.decode()
    assert not Referral.objects.exists()


def test_no_request_button_during_a_referral(client, make_complaint, mark, bob, carl, agency_b):
    complaint = make_complaint(mark)
    referrals.referral_create(actor=mark, ref=complaint.ref, to_agency_id=agency_b.pk)
    basic = page(client, carl, f"/all-complaints/{complaint.ref}/")
    assert "being referred" in basic and 'id="request-access"' not in basic
    client.force_login(carl)
    assert client.post(f"/all-complaints/{complaint.ref}/", {"comment": "x"}).status_code == 422
    assert not AccessGrant.objects.exists()
    access_rows = access.access_request  # keep the import used for readers of this test
    assert access_rows is not None


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_and_reports_cost_the_same_queries_for_one_or_many_rows(client, make_complaint, alice, mark, bob):
    first = make_complaint(mark)
    grant(alice, bob, first)
    urls = ["/all-complaints/", "/shared-complaints/", "/reports/access-requests/?view=history", "/"]
    client.force_login(bob)
    one = {url: _queries(client, url) for url in urls}
    for _ in range(4):
        grant(alice, bob, make_complaint(mark))
    client.force_login(bob)
    many = {url: _queries(client, url) for url in urls}
    assert many == one
    client.force_login(alice)
    decisions = _queries(client, "/reports/access-requests/?view=decisions")
    grant(alice, bob, make_complaint(mark))
    assert _queries(client, "/reports/access-requests/?view=decisions") == decisions


def test_a_grantee_reads_every_tab_of_the_record(client, make_complaint, alice, mark, bob):
    complaint = make_complaint(mark)
    grant(alice, bob, complaint)
    tabs = ("", "details/", "information-requests/", "research/", "violations/", "related/", "closures/", "access/")
    for tab in tabs:
        page(client, bob, f"/complaints/{complaint.ref}/{tab}")
    assert "History" in page(client, bob, f"/complaints/{complaint.ref}/")  # not restricted: history shown
    page(client, bob, f"/complaints/{complaint.ref}/history/")
    page(client, bob, f"/complaints/{complaint.ref}/edit/", 403)
    page(client, bob, f"/complaints/{complaint.ref}/cancel/", 403)
    page(client, bob, f"/complaints/{complaint.ref}/refer/", 403)
