"""Information Request pages of a complaint: permissions (viewer read-only, other agency and
company users 404), happy paths for every action, refusals that change nothing, stale versions."""

from __future__ import annotations

import datetime as dt

import pytest

from redress.audit.models import AuditEvent
from redress.companies.models import EnrollmentInvitation
from redress.core import clock
from redress.documents.models import Document
from redress.information_requests import responses, services
from redress.information_requests.constants import IRStatus
from redress.information_requests.models import InformationRequest
from redress.information_requests.tests.conftest import *  # noqa: F403 - the scenario cast and builders
from redress.information_requests.tests.conftest import later, snapshot

pytestmark = pytest.mark.django_db


def tab(complaint) -> str:
    return f"/complaints/{complaint.ref}/information-requests/"


def page(ir, action: str = "") -> str:
    return f"/complaints/{ir.complaint.ref}/information-requests/{ir.ref}/{action + '/' if action else ''}"


def _clean_html(html: str) -> None:
    assert html.count("<h1") == 1 and "style=" not in html and "<script>" not in html


@pytest.fixture
def answered(with_poc, cast):
    responses.response_submit(actor=cast["xavi"], ir_ref=with_poc.ref, text="Ledger attached.", expected_version=None)
    with_poc.refresh_from_db()
    return with_poc


# --- the tab ------------------------------------------------------------------------------------------


def test_tab_lists_irs_with_status_due_dates_and_quick_look(client, answered, cast, add_ir):
    complaint = answered.complaint
    services.ir_quick_look(actor=cast["alice"], ref=answered.ref, complete=True, expected_version=None)
    draft = add_ir(cast["mark"], complaint, title="Escrow analysis")
    client.force_login(cast["alice"])
    html = client.get(tab(complaint)).content.decode()
    _clean_html(html)
    assert answered.ref in html and draft.ref in html
    assert "Response received" in html and "Quick Look complete" in html
    assert "Requests not sent yet" in html and "Send selected" in html
    assert "Add an information request" in html


def test_viewer_reads_but_gets_no_buttons_and_cannot_act(client, answered, cast, vera):
    client.force_login(vera)
    html = client.get(tab(answered.complaint)).content.decode()
    assert answered.ref in html and "Add an information request" not in html
    detail = client.get(page(answered)).content.decode()
    assert "Ledger attached." in detail and "Send back" not in detail and "Mark Quick Look" not in detail
    before = snapshot(answered)
    for action, data in [
        ("extend", {"version": answered.version, "due_date": later(30).isoformat()}),
        ("cancel", {"version": answered.version, "confirm": "on"}),
        ("remind", {}),
        ("quick-look", {"version": answered.version, "complete": "1"}),
        ("send-back", {"version": answered.version, "due_date": later(30).isoformat(), "explanation": "More"}),
    ]:
        assert client.post(page(answered, action), data).status_code == 403, action
    assert client.get(page(answered, "extend")).status_code == 403
    assert client.get(f"{tab(answered.complaint)}new/").status_code == 403
    assert client.post(f"{tab(answered.complaint)}new/", {"title": "X", "description": "Y"}).status_code == 403
    assert snapshot(answered) == before
    assert InformationRequest.objects.count() == 1
    assert AuditEvent.objects.filter(actor=vera, action__endswith=".denied").count() >= 5


def test_other_agency_and_company_users_get_404(client, answered, supervisor_b, cast):
    for user in (supervisor_b, cast["xavi"], cast["xander"]):
        client.force_login(user)
        assert client.get(tab(answered.complaint)).status_code == 404
        assert client.get(page(answered)).status_code == 404
        assert client.post(page(answered, "quick-look"), {"version": 1, "complete": "1"}).status_code == 404
    answered.refresh_from_db()
    assert answered.quick_look_complete is False


def test_search_filters_by_ir_and_response_text(client, answered, cast, add_ir):
    other = add_ir(cast["mark"], answered.complaint, title="Escrow analysis", description="Explain the shortage.")
    client.force_login(cast["mark"])
    html = client.get(tab(answered.complaint), {"q": "ledger"}).content.decode()
    assert answered.ref in html and other.ref not in html.split("Requests not sent yet")[0]
    partial = client.get(
        tab(answered.complaint), {"q": "shortage"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ir-results"
    ).content.decode()
    assert other.ref in partial and answered.ref not in partial and "<h1" not in partial
    empty = client.get(tab(answered.complaint), {"q": "nothing-like-this"}).content.decode()
    assert "No information requests or responses match" in empty


# --- creating and sending ---------------------------------------------------------------------------------


def test_create_save_for_later_with_a_document(client, cast, make_complaint, settings):
    complaint = make_complaint(cast["mark"])
    client.force_login(cast["mark"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 introductory letter", content_type="application/pdf")
    response = client.post(
        f"{tab(complaint)}new/",
        {"title": "Account history", "description": "Send the history.", "save": "later", "files": upload},
    )
    assert response.status_code == 302 and response["Location"] == tab(complaint)
    ir = InformationRequest.objects.get(complaint=complaint)
    assert ir.status == IRStatus.READY_TO_SEND and ir.due_date is None
    doc = Document.objects.get(attached_id=str(ir.pk))
    detail = client.get(page(ir)).content.decode()
    assert "letter.pdf" in detail and f"/documents/{doc.ref}/download/" in detail


def test_create_add_another_and_send_redirects(client, cast, make_complaint):
    complaint = make_complaint(cast["mark"])
    client.force_login(cast["mark"])
    base = {"title": "One", "description": "First request."}
    r = client.post(f"{tab(complaint)}new/", {**base, "save": "another"})
    assert r["Location"] == f"{tab(complaint)}new/"
    r = client.post(f"{tab(complaint)}new/", {**base, "title": "Two", "save": "send"})
    two = InformationRequest.objects.get(complaint=complaint, title="Two")
    assert r["Location"] == f"{tab(complaint)}send/?ir={two.ref}"


def test_create_errors_show_on_the_form_and_create_nothing(client, cast, make_complaint):
    complaint = make_complaint(cast["mark"])
    client.force_login(cast["mark"])
    yesterday = (clock.today() - dt.timedelta(days=1)).isoformat()
    r = client.post(f"{tab(complaint)}new/", {"title": "", "description": "x", "due_date": yesterday})
    assert r.status_code == 422 and "Enter the title." in r.content.decode()
    r = client.post(f"{tab(complaint)}new/", {"title": "T", "description": "x", "due_date": yesterday})
    assert r.status_code == 422 and "must be in the future" in r.content.decode()
    assert "usa-alert--error" in r.content.decode()
    assert not InformationRequest.objects.filter(complaint=complaint).exists()


def test_bulk_due_date_fills_only_requests_without_one(client, cast, make_complaint, add_ir):
    complaint = make_complaint(cast["alice"])
    a = add_ir(cast["alice"], complaint, title="A")
    b = add_ir(cast["alice"], complaint, title="B", due=later(20))
    client.force_login(cast["alice"])
    yesterday = (clock.today() - dt.timedelta(days=1)).isoformat()
    r = client.post(
        f"{tab(complaint)}selection/", {"refs": [a.ref, b.ref], "due_date": yesterday, "action": "due_date"}
    )
    assert r.status_code == 422 and "must be in the future" in r.content.decode()
    a.refresh_from_db()
    assert a.due_date is None
    r = client.post(
        f"{tab(complaint)}selection/", {"refs": [a.ref, b.ref], "due_date": later(10).isoformat(), "action": "due_date"}
    )
    assert r.status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.due_date, b.due_date) == (later(10), later(20))
    r = client.post(f"{tab(complaint)}selection/", {"refs": [a.ref], "action": "send"})
    assert r["Location"] == f"{tab(complaint)}send/?ir={a.ref}"


def test_send_screen_for_an_enrolled_company_shows_the_contact_and_sends(client, cast, make_complaint, add_ir):
    complaint = make_complaint(cast["alice"])
    ir = add_ir(cast["alice"], complaint, due=later())
    client.force_login(cast["alice"])
    html = client.get(f"{tab(complaint)}send/?ir={ir.ref}").content.decode()
    _clean_html(html)
    assert "Its Complaints Contact is" in html and cast["xander"].get_full_name() in html
    r = client.post(f"{tab(complaint)}send/", {"refs": [ir.ref], "comment": "Thanks"})
    assert r.status_code == 302
    ir.refresh_from_db()
    assert ir.status == IRStatus.SENT_TO_COMPANY and ir.send_comment == "Thanks"


def test_send_refuses_a_past_due_date_and_sends_nothing(client, cast, make_complaint, add_ir):
    complaint = make_complaint(cast["alice"])
    ok = add_ir(cast["alice"], complaint, title="OK", due=later())
    missing = add_ir(cast["alice"], complaint, title="No date")
    client.force_login(cast["alice"])
    r = client.post(f"{tab(complaint)}send/", {"refs": [ok.ref, missing.ref]})
    assert r.status_code == 422 and "due date" in r.content.decode()
    ok.refresh_from_db()
    assert ok.status == IRStatus.READY_TO_SEND


def test_send_enrolls_the_first_user_in_the_same_step(client, supervisor_a, company_y, make_complaint, add_ir):
    complaint = make_complaint(supervisor_a, company=company_y)
    ir = add_ir(supervisor_a, complaint, due=later())
    client.force_login(supervisor_a)
    html = client.get(f"{tab(complaint)}send/").content.decode()
    assert "has no users yet" in html and "Enroll the company" in html
    bad = client.post(f"{tab(complaint)}send/", {"refs": [ir.ref], "enroll-full_name": "Yara Young"})
    assert bad.status_code == 422
    ir.refresh_from_db()
    assert ir.status == IRStatus.READY_TO_SEND and not EnrollmentInvitation.objects.exists()
    r = client.post(
        f"{tab(complaint)}send/",
        {"refs": [ir.ref], "enroll-full_name": "Yara Young", "enroll-email": "yara@young.example"},
    )
    assert r.status_code == 302
    ir.refresh_from_db()
    invitation = EnrollmentInvitation.objects.get()
    assert ir.status == IRStatus.SENT_TO_COMPANY and invitation.user.email == "yara@young.example"
    html = client.get(f"{tab(complaint)}send/").content.decode()
    assert "Enrollment is pending" in html and "Send enrollment reminder" in html


def test_manager_not_poc_cannot_send_unless_the_agency_allows(client, cast, make_complaint, add_ir, agency_a):
    complaint = make_complaint(cast["alice"])
    ir = add_ir(cast["alice"], complaint, due=later())
    client.force_login(cast["mark"])
    assert "Send selected" not in client.get(tab(complaint)).content.decode()
    assert client.get(f"{tab(complaint)}send/").status_code == 403
    assert client.post(f"{tab(complaint)}send/", {"refs": [ir.ref]}).status_code == 403
    ir.refresh_from_db()
    assert ir.status == IRStatus.READY_TO_SEND
    assert AuditEvent.objects.filter(actor=cast["mark"], action="ir.send.denied").exists()
    agency_a.managers_can_send_irs = True
    agency_a.save(update_fields=["managers_can_send_irs"])
    assert client.post(f"{tab(complaint)}send/", {"refs": [ir.ref]}).status_code == 302
    ir.refresh_from_db()
    assert ir.status == IRStatus.SENT_TO_COMPANY


def test_comment_only_after_a_first_send(client, sent_ir, cast, make_complaint):
    fresh = make_complaint(cast["mark"])
    client.force_login(cast["mark"])
    assert client.get(f"{tab(fresh)}comment/").status_code == 403
    r = client.post(f"{tab(sent_ir.complaint)}comment/", {"title": "Note", "text": "We received your call."})
    assert r.status_code == 302
    comment = InformationRequest.objects.get(is_comment_only=True)
    assert comment.status == IRStatus.SENT_TO_COMPANY and comment.complaint == sent_ir.complaint


# --- actions on one request ----------------------------------------------------------------------------


def test_extend_keeps_the_original_and_refuses_a_stale_version(client, sent_ir, cast):
    client.force_login(cast["alice"])
    original = sent_ir.due_date
    stale = sent_ir.version
    r = client.post(page(sent_ir, "extend"), {"version": stale, "due_date": later(30).isoformat()})
    assert r.status_code == 302
    sent_ir.refresh_from_db()
    assert sent_ir.due_date == later(30) and sent_ir.original_due_date == original
    html = client.get(tab(sent_ir.complaint)).content.decode()
    assert f"Original: {original.isoformat()}" in html
    r = client.post(page(sent_ir, "extend"), {"version": stale, "due_date": later(40).isoformat()})
    assert r.status_code == 422 and "changed this information request" in r.content.decode()
    assert f'value="{sent_ir.version}"' in r.content.decode()
    sent_ir.refresh_from_db()
    assert sent_ir.due_date == later(30)


def test_extend_after_a_response_is_refused(client, answered, cast):
    client.force_login(cast["alice"])
    assert client.get(page(answered, "extend")).status_code == 403
    r = client.post(page(answered, "extend"), {"version": answered.version, "due_date": later(30).isoformat()})
    assert r.status_code == 422
    answered.refresh_from_db()
    assert answered.status == IRStatus.SENT_TO_AGENCY


def test_htmx_action_returns_the_form_or_a_client_redirect(client, sent_ir, cast):
    client.force_login(cast["alice"])
    bad = client.post(page(sent_ir, "extend"), {"version": sent_ir.version, "due_date": ""}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "<h1" not in bad.content.decode() and "usa-error-message" in bad.content.decode()
    ok = client.post(
        page(sent_ir, "extend"), {"version": sent_ir.version, "due_date": later(20).isoformat()}, HTTP_HX_REQUEST="true"
    )
    assert ok.status_code == 204 and ok["HX-Redirect"] == page(sent_ir)


def test_remind_logs_the_reminder_history(client, sent_ir, cast):
    client.force_login(cast["alice"])
    html = client.get(page(sent_ir, "remind")).content.decode()
    assert "Complaints Contact" in html and "No reminders have been sent" in html
    assert client.post(page(sent_ir, "remind")).status_code == 302
    assert sent_ir.reminders.count() == 1
    detail = client.get(page(sent_ir)).content.decode()
    assert "Show reminder history (1)" in detail and cast["xander"].email in detail


def test_cancel_needs_confirmation(client, sent_ir, cast):
    client.force_login(cast["alice"])
    r = client.post(page(sent_ir, "cancel"), {"version": sent_ir.version})
    assert r.status_code == 422
    sent_ir.refresh_from_db()
    assert sent_ir.status == IRStatus.SENT_TO_COMPANY
    r = client.post(page(sent_ir, "cancel"), {"version": sent_ir.version, "confirm": "on", "reason": "Duplicate"})
    assert r.status_code == 302
    sent_ir.refresh_from_db()
    assert sent_ir.status == IRStatus.CANCELED


def test_quick_look_mark_and_clear(client, answered, cast):
    client.force_login(cast["mark"])
    r = client.post(page(answered, "quick-look"), {"version": answered.version, "complete": "1"})
    assert r.status_code == 302
    answered.refresh_from_db()
    assert answered.quick_look_complete and answered.quick_look_by == cast["mark"]
    stale = client.post(page(answered, "quick-look"), {"version": answered.version - 1, "complete": "0"}, follow=True)
    assert "changed this information request" in stale.content.decode()
    answered.refresh_from_db()
    assert answered.quick_look_complete
    client.post(page(answered, "quick-look"), {"version": answered.version, "complete": "0"})
    answered.refresh_from_db()
    assert not answered.quick_look_complete
    assert client.get(page(answered, "quick-look")).status_code == 405


def test_send_back_rounds_are_all_shown(client, answered, cast):
    client.force_login(cast["mark"])
    r = client.post(page(answered, "send-back"), {"version": answered.version, "due_date": "", "explanation": ""})
    assert r.status_code == 422
    r = client.post(
        page(answered, "send-back"),
        {"version": answered.version, "due_date": later(20).isoformat(), "explanation": "Add the payoff letter."},
    )
    assert r.status_code == 302
    answered.refresh_from_db()
    assert answered.status == IRStatus.SENT_TO_COMPANY and answered.round == 2
    responses.response_submit(actor=cast["xavi"], ir_ref=answered.ref, text="Payoff letter now.", expected_version=None)
    html = client.get(page(answered)).content.decode()
    _clean_html(html)
    assert "Round 1 response" in html and "Round 2 response" in html
    assert "Ledger attached." in html and "Payoff letter now." in html and "Add the payoff letter." in html


def test_ir_of_another_complaint_is_not_found_under_this_one(client, sent_ir, cast, make_complaint):
    other = make_complaint(cast["mark"])
    client.force_login(cast["mark"])
    assert client.get(f"/complaints/{other.ref}/information-requests/{sent_ir.ref}/").status_code == 404
    assert client.get(f"/complaints/{other.ref}/information-requests/IR-1999-000001/").status_code == 404
