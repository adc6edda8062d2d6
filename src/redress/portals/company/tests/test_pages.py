"""Company portal pages: permissions, A+C-only complaint view, POC assignment, responding."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from redress.audit.models import AuditEvent
from redress.complaints.services import complaint_close
from redress.documents.models import Document
from redress.information_requests.constants import IRStatus, ResponseStatus
from redress.information_requests.models import InformationRequest, IRResponse, SendBack
from redress.information_requests.responses import response_submit

from .conftest import later, make_complaint, send_ir

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "style=" not in html and "<script>" not in html
    return html


def _version(ir: InformationRequest) -> int:
    ir.refresh_from_db()
    return ir.version


# --- who gets in ---------------------------------------------------------------------------


def test_pages_answer_404_to_agency_users_and_other_companies(client, sent, supervisor_a, company_admin_y):
    complaint, ir = sent
    urls = [
        "/company/complaints/",
        "/company/tasks/",
        f"/company/complaints/{complaint.ref}/",
        f"/company/complaints/{complaint.ref}/information-requests/",
        f"/company/complaints/{complaint.ref}/closure-materials/",
        f"/company/complaints/{complaint.ref}/point-of-contact/",
        f"/company/information-requests/{ir.ref}/",
        f"/company/information-requests/{ir.ref}/send-back/",
    ]
    client.force_login(supervisor_a)
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(company_admin_y)
    for url in urls[2:]:
        assert client.get(url).status_code == 404, url
    # Company Y's list and counts show nothing of company X.
    html = client.get("/company/complaints/").content.decode()
    assert complaint.ref not in html and 'id="count-open">0<' in html
    assert "No complaints match these filters" in client.get(f"/company/complaints/?q={complaint.ref}").content.decode()


def test_complaint_is_invisible_until_the_first_ir_is_sent(client, supervisor_a, company_x, contact_x):
    complaint = make_complaint(supervisor_a, company_x)
    client.force_login(contact_x)
    assert complaint.ref not in client.get("/company/complaints/").content.decode()
    assert client.get(f"/company/complaints/{complaint.ref}/").status_code == 404
    send_ir(supervisor_a, complaint)
    assert complaint.ref in client.get("/company/complaints/").content.decode()


def test_user_without_complaints_access_gets_404(client, sent, make_user, company_x):
    from redress.companies.models import CompanyMembership

    user = make_user()
    CompanyMembership.objects.create(user=user, company=company_x, complaints_access="none")
    client.force_login(user)
    assert client.get("/company/complaints/").status_code == 404
    assert client.get(f"/company/complaints/{sent[0].ref}/").status_code == 404


# --- list ------------------------------------------------------------------------------------


def test_list_spans_agencies_with_agency_filter_search_and_due_flags(client, sent, supervisor_b, company_x, contact_x):
    complaint_a, _ir = sent
    complaint_b = make_complaint(supervisor_b, company_x)
    send_ir(supervisor_b, complaint_b, due=later(3))
    client.force_login(contact_x)
    html = _html(client.get("/company/complaints/"))
    assert complaint_a.ref in html and complaint_b.ref in html
    assert "Maryland Office of Financial Regulation" in html and "Texas Department of Banking" in html
    assert 'id="count-open">2<' in html and 'id="count-due-soon">1<' in html
    html = client.get(f"/company/complaints/?agency={complaint_b.agency_id}").content.decode()
    assert complaint_b.ref in html and complaint_a.ref not in html
    html = client.get(f"/company/complaints/?q={complaint_a.ref.lower()}").content.decode()
    assert complaint_a.ref in html and complaint_b.ref not in html
    html = client.get("/company/complaints/?due=soon").content.decode()
    assert complaint_b.ref in html and complaint_a.ref not in html
    # Searching by an agency-only value (CFPB ID, complainant last name) finds nothing.
    assert "No complaints match" in client.get("/company/complaints/?q=1291006").content.decode()
    assert "No complaints match" in client.get("/company/complaints/?q=Rivera").content.decode()
    assert client.get("/company/complaints/?agency=abc&page=zz").status_code == 200


# --- the record: A+C only ---------------------------------------------------------------------


def test_company_view_shows_only_agency_and_company_fields(client, with_poc, responder_x):
    complaint, _ir = with_poc
    client.force_login(responder_x)
    html = _html(client.get(f"/company/complaints/{complaint.ref}/"))
    for shown in (
        complaint.ref,
        "Ocwen Financial Corporation",
        "Sam Supervisor",
        "Baltimore",
        "Pat Rivera",
        "12 Harbor Way",
        "Xavi Responder",
        "Maryland Office of Financial Regulation",
    ):
        assert shown in html, shown
    for hidden in (
        "410-555-0199",
        "pat.rivera@example.test",
        "Refund the late fee",
        "1291006",
        "Servicer applied my payment",
        "Mortgage Servicing",
        "Loan servicing",
        "days open",
    ):
        assert hidden not in html, hidden


def test_restricted_complainant_details_are_hidden(client, supervisor_a, company_x, contact_x):
    complaint = make_complaint(supervisor_a, company_x, restrict_complainant=True, complainant_street="9 Secret Rd")
    send_ir(supervisor_a, complaint)
    client.force_login(contact_x)
    html = _html(client.get(f"/company/complaints/{complaint.ref}/"))
    assert "Rivera" not in html and "9 Secret Rd" not in html and 'id="complainant-restricted"' in html


def test_ir_tab_and_ir_page_never_show_quick_look(client, with_poc, supervisor_a, responder_x):
    complaint, ir = with_poc
    response_submit(actor=responder_x, ir_ref=ir.ref, text="Here is the history.", expected_version=None)
    from redress.information_requests.services import ir_quick_look

    ir_quick_look(actor=supervisor_a, ref=ir.ref, complete=True, expected_version=None)
    client.force_login(responder_x)
    tab = _html(client.get(f"/company/complaints/{complaint.ref}/information-requests/"))
    page = _html(client.get(f"/company/information-requests/{ir.ref}/"))
    for html in (tab, page):
        assert ir.ref in html and "quick look" not in html.lower()
    assert "Here is the history." in page


def test_closure_materials_show_shared_comments_only(client, with_poc, supervisor_a, responder_x):
    complaint, _ir = with_poc
    complaint_close(
        actor=supervisor_a,
        ref=complaint.ref,
        closure={
            "reason": "closed_with_explanation",
            "internal_notes": "Internal: company was slow.",
            "share_with_company": True,
            "comments_to_company": "Thank you for resolving this.",
        },
        expected_version=None,
    )
    client.force_login(responder_x)
    html = _html(client.get(f"/company/complaints/{complaint.ref}/closure-materials/"))
    assert "Thank you for resolving this." in html
    assert "Internal: company was slow." not in html and "Closed with Explanation" not in html
    summary = client.get(f"/company/complaints/{complaint.ref}/").content.decode()
    assert "can reopen it within one year" in summary and "Assign Point of Contact" not in summary


# --- Assign Point of Contact --------------------------------------------------------------------


def test_contact_assigns_and_reassigns_the_poc(client, sent, contact_x, responder_x, colleague_x, company_viewer_x):
    complaint, _ir = sent
    client.force_login(contact_x)
    home = client.get("/").content.decode()
    assert "Assign Point of Contact" in home and complaint.ref in home
    page = _html(client.get(f"/company/complaints/{complaint.ref}/point-of-contact/"))
    assert "Xavi Responder" in page and "Val Viewer" not in page  # view-only users are not candidates
    response = client.post(
        f"/company/complaints/{complaint.ref}/point-of-contact/",
        {"version": complaint.version, "company_poc": responder_x.pk},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.company_poc == responder_x
    # A stale version is refused and changes nothing.
    response = client.post(
        f"/company/complaints/{complaint.ref}/point-of-contact/",
        {"version": complaint.version - 1, "company_poc": colleague_x.pk},
    )
    assert response.status_code == 422 and "changed this after you opened it" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.company_poc == responder_x
    # A view-only user cannot be chosen.
    response = client.post(
        f"/company/complaints/{complaint.ref}/point-of-contact/",
        {"version": complaint.version, "company_poc": company_viewer_x.pk},
    )
    assert response.status_code == 422 and "usa-alert--error" in response.content.decode()
    response = client.post(
        f"/company/complaints/{complaint.ref}/point-of-contact/",
        {"version": complaint.version, "company_poc": colleague_x.pk},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.company_poc == colleague_x
    assert "Assign Point of Contact" not in client.get("/").content.decode()


def test_admin_assigns_but_ordinary_user_cannot(client, sent, company_admin_x, responder_x):
    complaint, _ir = sent
    client.force_login(responder_x)
    assert client.get(f"/company/complaints/{complaint.ref}/point-of-contact/").status_code == 403
    response = client.post(
        f"/company/complaints/{complaint.ref}/point-of-contact/",
        {"version": complaint.version, "company_poc": responder_x.pk},
    )
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.company_poc is None
    client.force_login(company_admin_x)
    assert "Assign Point of Contact" in client.get("/company/tasks/").content.decode()
    response = client.post(
        f"/company/complaints/{complaint.ref}/point-of-contact/",
        {"version": complaint.version, "company_poc": responder_x.pk},
    )
    assert response.status_code == 302


# --- responding --------------------------------------------------------------------------------


def test_view_only_user_sees_but_cannot_draft(client, with_poc, company_viewer_x):
    _complaint, ir = with_poc
    client.force_login(company_viewer_x)
    html = _html(client.get(f"/company/information-requests/{ir.ref}/"))
    assert ir.title in html and 'id="response-form"' not in html
    response = client.post(
        f"/company/information-requests/{ir.ref}/", {"version": _version(ir), "text": "x", "action": "save"}
    )
    assert response.status_code == 403
    assert not IRResponse.objects.exists()


def test_drafter_sends_hidden_draft_to_poc_who_submits_with_a_document(
    client, with_poc, colleague_x, responder_x, company_admin_x
):
    _complaint, ir = with_poc
    client.force_login(colleague_x)
    page = _html(client.get(f"/company/information-requests/{ir.ref}/"))
    assert "Send to Company POC" in page and "Submit to the agency" not in page
    response = client.post(
        f"/company/information-requests/{ir.ref}/",
        {
            "version": _version(ir),
            "text": "Our records show the payment was applied on time.",
            "hidden": "on",
            "action": "send_to_poc",
            "files": SimpleUploadedFile("history.pdf", b"%PDF-1.4 history"),
        },
    )
    assert response.status_code == 302
    ir.refresh_from_db()
    assert ir.status == IRStatus.IN_COMPANY_REVIEW
    draft = IRResponse.objects.get()
    assert draft.hidden_from_other_company_users and draft.status == ResponseStatus.IN_REVIEW
    assert Document.objects.filter(attached_id=str(draft.pk)).count() == 1
    # The drafter can no longer submit (nor edit) it.
    response = client.post(
        f"/company/information-requests/{ir.ref}/", {"version": _version(ir), "text": "x", "action": "submit"}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.text.startswith("Our records") and draft.status == ResponseStatus.IN_REVIEW
    # Another company user does not see the hidden text or its document.
    client.force_login(company_admin_x)
    html = client.get(f"/company/information-requests/{ir.ref}/").content.decode()
    assert "payment was applied" not in html and "history.pdf" not in html
    # The POC sees it in the task list and submits.
    client.force_login(responder_x)
    assert ir.ref in client.get("/company/tasks/").content.decode()
    html = _html(client.get(f"/company/information-requests/{ir.ref}/"))
    assert "payment was applied" in html and "history.pdf" in html and "Submit to the agency" in html
    response = client.post(
        f"/company/information-requests/{ir.ref}/",
        {"version": _version(ir), "text": draft.text, "hidden": "on", "action": "submit"},
    )
    assert response.status_code == 302
    ir.refresh_from_db()
    assert ir.status == IRStatus.SENT_TO_AGENCY
    assert AuditEvent.objects.filter(action="ir.response_submitted").count() == 1


def test_non_poc_cannot_submit(client, with_poc, colleague_x):
    _complaint, ir = with_poc
    client.force_login(colleague_x)
    response = client.post(
        f"/company/information-requests/{ir.ref}/", {"version": _version(ir), "text": "Answer", "action": "submit"}
    )
    assert response.status_code == 403
    ir.refresh_from_db()
    assert ir.status == IRStatus.COMPANY_DRAFT or ir.status == IRStatus.SENT_TO_COMPANY
    assert not IRResponse.objects.filter(status=ResponseStatus.SUBMITTED).exists()


def test_submit_without_text_and_stale_version_show_errors(client, with_poc, responder_x):
    _complaint, ir = with_poc
    client.force_login(responder_x)
    response = client.post(
        f"/company/information-requests/{ir.ref}/", {"version": _version(ir), "text": "", "action": "submit"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "usa-alert--error" in html and "Write the response" in html
    response = client.post(
        f"/company/information-requests/{ir.ref}/", {"version": 1, "text": "Late edit", "action": "save"}
    )
    assert response.status_code == 422 and "changed this after you opened it" in response.content.decode()
    assert not IRResponse.objects.filter(text="Late edit").exists()
    ir.refresh_from_db()
    assert ir.status != IRStatus.SENT_TO_AGENCY


def test_poc_requests_send_back_then_closure_blocks_it(client, with_poc, responder_x, colleague_x, supervisor_a):
    complaint, ir = with_poc
    response_submit(actor=responder_x, ir_ref=ir.ref, text="First answer.", expected_version=None)
    client.force_login(colleague_x)
    assert client.get(f"/company/information-requests/{ir.ref}/send-back/").status_code == 403
    client.force_login(responder_x)
    page = _html(client.get(f"/company/information-requests/{ir.ref}/send-back/"))
    assert "Request a send-back" in page
    response = client.post(
        f"/company/information-requests/{ir.ref}/send-back/", {"version": _version(ir), "reason": ""}
    )
    assert response.status_code == 422 and "Enter the reason" in response.content.decode()
    response = client.post(
        f"/company/information-requests/{ir.ref}/send-back/",
        {"version": _version(ir), "reason": "We attached the wrong statement."},
    )
    assert response.status_code == 302
    ir.refresh_from_db()
    assert ir.status == IRStatus.SEND_BACK_REQUESTED
    assert SendBack.objects.get().text == "We attached the wrong statement."
    # After closure the request is no longer offered.
    from redress.information_requests.services import ir_decline_send_back

    ir_decline_send_back(actor=supervisor_a, ref=ir.ref, expected_version=None)
    complaint_close(actor=supervisor_a, ref=complaint.ref, closure={"reason": "invalid"}, expected_version=None)
    assert client.get(f"/company/information-requests/{ir.ref}/send-back/").status_code == 403
    assert SendBack.objects.count() == 1


def test_home_nav_shows_complaints_and_tasks_for_company_users(client, with_poc, responder_x):
    client.force_login(responder_x)
    html = client.get("/").content.decode()
    assert re.search(r'href="/company/complaints/"', html) and 'href="/company/tasks/"' in html
    assert "Information requests waiting for a response" in html
    ir = InformationRequest.objects.get()
    assert ir.ref in client.get("/company/tasks/").content.decode()
