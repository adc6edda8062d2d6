"""Complaint record tabs and actions: permissions, happy paths, refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from redress.audit.models import AuditEvent
from redress.complaints.constants import Status
from redress.complaints.models import AllegedViolation, Complaint, ResearchEntry
from redress.complaints.services import complaint_close, complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.complaints.violations import violation_add
from redress.core import clock

pytestmark = pytest.mark.django_db

TABS = ["", "details/", "information-requests/", "research/", "violations/", "history/", "closures/"]


def _snapshot(complaint: Complaint) -> dict:
    complaint.refresh_from_db()
    return {f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields}


@pytest.fixture
def complaint(supervisor_a, company_x) -> Complaint:
    return complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(restrict_complainant=True, complainant_phone="410-555-0100"),
        submit_for_review=False,
    )


@pytest.fixture
def pending(manager_a, company_x) -> Complaint:
    return complaint_create(
        actor=manager_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(complainant_last_name="Okafor"),
        submit_for_review=True,
    )


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_renders_for_the_owning_agency(client, complaint, viewer_a, tab):
    client.force_login(viewer_a)
    response = client.get(f"/complaints/{complaint.ref}/{tab}")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and "style=" not in html
    assert 'aria-current="page"' in html
    # A viewer sees the record but no action buttons.
    assert "Close complaint" not in html and "Edit details" not in html


def test_summary_shows_days_open_and_restricted_details_to_the_agency(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    html = client.get(f"/complaints/{complaint.ref}/details/").content.decode()
    assert "410-555-0100" in html and "Restricted" in html
    html = client.get(f"/complaints/{complaint.ref}/").content.decode()
    assert f"{complaint.days_open}</span> days open" in html
    assert "Close complaint" in html and "Edit details" in html


def test_information_requests_tab_has_an_empty_state(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    html = client.get(f"/complaints/{complaint.ref}/information-requests/").content.decode()
    assert "No Information Requests have been sent" in html


def test_history_tab_lists_the_creation(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    html = client.get(f"/complaints/{complaint.ref}/history/").content.decode()
    assert "complaint.created" in html
    full = client.get(f"/history/complaints.complaint/{complaint.pk}/")
    assert full.status_code == 200 and "complaint.created" in full.content.decode()


@pytest.mark.parametrize("user", ["supervisor_b", "company_admin_x", "company_viewer_x", "sysadmin"])
def test_other_agencies_and_companies_get_404_everywhere(request, client, complaint, user):
    client.force_login(request.getfixturevalue(user))
    before = _snapshot(complaint)
    for tab in TABS:
        assert client.get(f"/complaints/{complaint.ref}/{tab}").status_code == 404
    for action in ("edit", "close", "reopen", "cancel", "poc", "review", "subject", "research/add", "violations/add"):
        assert client.get(f"/complaints/{complaint.ref}/{action}/").status_code == 404
        assert client.post(f"/complaints/{complaint.ref}/{action}/", {"reason": "x"}).status_code == 404
    assert client.get(f"/history/complaints.complaint/{complaint.pk}/").status_code == 404
    assert _snapshot(complaint) == before


def test_missing_complaint_and_unknown_tab_are_404(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get("/complaints/CMP-1999-000001/").status_code == 404
    assert client.get(f"/complaints/{complaint.ref}/nonsense/").status_code == 404


def test_viewer_cannot_act_and_nothing_changes(client, complaint, viewer_a):
    client.force_login(viewer_a)
    before = _snapshot(complaint)
    for action in ("edit", "close", "cancel", "poc", "subject", "research/add", "violations/add"):
        assert client.get(f"/complaints/{complaint.ref}/{action}/").status_code == 403
    posts = {
        "close": {"reason": "closed_with_explanation", "version": complaint.version},
        "cancel": {"reason": "Entered twice", "confirm": "on", "version": complaint.version},
        "research/add": {"kind": "research", "party": "none", "occurred_on": "2024-01-02", "description": "x"},
        "violations/add": {"description": "x"},
    }
    for action, data in posts.items():
        assert client.post(f"/complaints/{complaint.ref}/{action}/", data).status_code == 403
    assert _snapshot(complaint) == before
    assert not ResearchEntry.objects.exists() and not AllegedViolation.objects.exists()
    assert AuditEvent.objects.filter(action="complaint.close.denied", is_security=True).exists()


def test_close_with_monetary_relief_in_dollars(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    page = client.get(f"/complaints/{complaint.ref}/close/")
    assert page.status_code == 200 and 'name="version"' in page.content.decode()
    response = client.post(
        f"/complaints/{complaint.ref}/close/",
        {
            "reason": "monetary_relief",
            "monetary_relief": "$1,250.50",
            "relief_paid_on": (clock.today() - dt.timedelta(days=1)).isoformat(),
            "internal_notes": "Refund confirmed by phone.",
            "version": complaint.version,
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    closure = complaint.closures.get()
    assert closure.monetary_relief_cents == 125050
    html = client.get(f"/complaints/{complaint.ref}/closures/").content.decode()
    assert "$1,250.50" in html and "Closed with Monetary Relief" in html


def test_close_reports_field_errors_and_saves_nothing(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    before = _snapshot(complaint)
    response = client.post(
        f"/complaints/{complaint.ref}/close/",
        {"reason": "monetary_relief", "share_with_company": "on", "version": complaint.version},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the amount of monetary relief paid." in html
    assert "Enter the date the relief was paid." in html
    assert "Enter the comments to share with the company." in html
    assert 'aria-describedby="id_monetary_relief-hint id_monetary_relief-error"' in html
    assert _snapshot(complaint) == before


def test_stale_version_keeps_the_input_and_explains(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    stale = complaint.version
    client.post(
        f"/complaints/{complaint.ref}/edit/",
        {**_edit_data(complaint), "summary": "First edit.", "version": stale},
    )
    complaint.refresh_from_db()
    before = _snapshot(complaint)
    response = client.post(
        f"/complaints/{complaint.ref}/edit/",
        {**_edit_data(complaint), "summary": "My competing edit.", "version": stale},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Someone else changed this complaint" in html and "My competing edit." in html
    assert f'name="version" value="{complaint.version}"' in html
    assert _snapshot(complaint) == before


def _edit_data(complaint: Complaint) -> dict:
    return {
        "date_received": complaint.date_received.isoformat(),
        "how_received": complaint.how_received,
        "business_type": complaint.business_type,
        "product": complaint.product,
        "sub_product": complaint.sub_product,
        "issue": complaint.issue,
        "summary": complaint.summary,
        "complainant_first_name": complaint.complainant_first_name,
        "complainant_last_name": complaint.complainant_last_name,
        "amount_in_dispute": "75.00",
    }


def test_edit_details_saves_changes(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get(f"/complaints/{complaint.ref}/edit/").status_code == 200
    response = client.post(
        f"/complaints/{complaint.ref}/edit/",
        {**_edit_data(complaint), "amount_in_dispute": "99.95", "cfpb_id": "777", "version": complaint.version},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.amount_in_dispute_cents == 9995 and complaint.cfpb_id == "777"


def test_edit_htmx_returns_the_form_partial_with_errors(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    response = client.post(
        f"/complaints/{complaint.ref}/edit/",
        {**_edit_data(complaint), "summary": "", "version": complaint.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" not in html and 'id="action-form"' in html and "Enter the summary." in html


def test_review_assigns_the_chosen_poc_and_shows_workloads(client, pending, complaint, manager_a, supervisor_a):
    client.force_login(manager_a)
    page = client.get(f"/complaints/{pending.ref}/review/").content.decode()
    assert "(1 open complaint)" in page  # supervisor_a already handles one
    response = client.post(
        f"/complaints/{pending.ref}/review/", {"agency_poc": supervisor_a.pk, "version": pending.version}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Status.OPEN and pending.agency_poc == supervisor_a


def test_review_refuses_a_viewer_as_poc(client, pending, manager_a, viewer_a):
    client.force_login(manager_a)
    before = _snapshot(pending)
    response = client.post(
        f"/complaints/{pending.ref}/review/", {"agency_poc": viewer_a.pk, "version": pending.version}
    )
    assert response.status_code == 422
    assert _snapshot(pending) == before


def test_change_poc(client, complaint, supervisor_a, manager_a):
    client.force_login(supervisor_a)
    response = client.post(
        f"/complaints/{complaint.ref}/poc/", {"agency_poc": manager_a.pk, "version": complaint.version}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.agency_poc == manager_a


def test_update_subject_search_then_confirm(client, complaint, supervisor_a, company_y):
    client.force_login(supervisor_a)
    html = client.get(f"/complaints/{complaint.ref}/subject/", {"identifier": company_y.nmls_id}).content.decode()
    assert company_y.legal_name in html and f"subject=company:{company_y.pk}" in html
    html = client.get(f"/complaints/{complaint.ref}/subject/", {"subject": f"company:{company_y.pk}"}).content.decode()
    assert "Change the subject to" in html
    response = client.post(
        f"/complaints/{complaint.ref}/subject/", {"subject": f"company:{company_y.pk}", "version": complaint.version}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.company == company_y


def test_reopen_and_cancel(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    complaint_close(
        actor=supervisor_a, ref=complaint.ref, closure={"reason": "invalid"}, expected_version=complaint.version
    )
    complaint.refresh_from_db()
    assert client.get(f"/complaints/{complaint.ref}/cancel/").status_code == 403  # no cancel after closure
    assert (
        client.post(f"/complaints/{complaint.ref}/reopen/", {"reason": "", "version": complaint.version}).status_code
        == 422
    )
    response = client.post(
        f"/complaints/{complaint.ref}/reopen/", {"reason": "New evidence", "version": complaint.version}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED
    before = _snapshot(complaint)
    response = client.post(
        f"/complaints/{complaint.ref}/cancel/", {"reason": "Entered twice", "version": complaint.version}
    )
    assert response.status_code == 422  # the confirmation box is required
    assert _snapshot(complaint) == before
    response = client.post(
        f"/complaints/{complaint.ref}/cancel/",
        {"reason": "Entered twice", "confirm": "on", "version": complaint.version},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CANCELED


def test_research_added_and_edited_after_closure(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    complaint_close(
        actor=supervisor_a, ref=complaint.ref, closure={"reason": "invalid"}, expected_version=complaint.version
    )
    today = clock.today().isoformat()
    response = client.post(
        f"/complaints/{complaint.ref}/research/add/",
        {
            "kind": "communication",
            "method": "phone",
            "party": "consumer",
            "occurred_on": today,
            "description": "Called.",
        },
    )
    assert response.status_code == 302
    entry = ResearchEntry.objects.get()
    response = client.post(
        f"/complaints/{complaint.ref}/research/{entry.pk}/edit/",
        {
            "kind": "communication",
            "method": "phone",
            "party": "consumer",
            "occurred_on": today,
            "description": "Called twice.",
            "version": entry.version,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.description == "Called twice."
    assert "Called twice." in client.get(f"/complaints/{complaint.ref}/research/").content.decode()


def test_violations_add_and_delete_by_rule(client, complaint, supervisor_a, manager_a):
    client.force_login(manager_a)
    response = client.post(
        f"/complaints/{complaint.ref}/violations/add/",
        {"jurisdiction": "federal", "citation": "12 CFR 1024.35", "description": "Late fee"},
    )
    assert response.status_code == 302
    mine = AllegedViolation.objects.get()
    theirs = violation_add(actor=supervisor_a, ref=complaint.ref, description="Escrow shortfall")
    html = client.get(f"/complaints/{complaint.ref}/violations/").content.decode()
    assert "12 CFR 1024.35" in html and "Only the Agency POC or its author can delete this." in html
    # The manager is neither the author of the second one nor the Agency POC.
    assert client.post(f"/complaints/{complaint.ref}/violations/{theirs.pk}/delete/").status_code == 403
    assert AllegedViolation.objects.filter(pk=theirs.pk).exists()
    assert client.post(f"/complaints/{complaint.ref}/violations/{mine.pk}/delete/").status_code == 302
    assert not AllegedViolation.objects.filter(pk=mine.pk).exists()
