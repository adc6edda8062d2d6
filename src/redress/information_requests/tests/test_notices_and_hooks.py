"""Notices reach exactly the stated recipients (spec §8), comments, and the complaint's cancel and
close hooks (spec §2.4)."""

from __future__ import annotations

import pytest

from redress.complaints import services as complaint_services
from redress.core.errors import ApplicationError
from redress.information_requests import responses, services
from redress.information_requests.constants import IRStatus
from redress.information_requests.models import InformationRequest
from redress.notifications.models import OutboxMessage

from .conftest import EXTRA_ADDRESS, emails, in_app, later

pytestmark = pytest.mark.django_db


def test_later_batches_go_to_the_company_poc_only(with_poc, cast, add_ir):
    mark, xavi = cast["mark"], cast["xavi"]
    more = add_ir(mark, with_poc.complaint, title="Second question", due=later())
    services.ir_send(actor=mark, complaint_ref=with_poc.complaint.ref, refs=[more.ref], comment="A follow-up.")
    assert emails("ir.sent") == {xavi.email}
    assert OutboxMessage.objects.filter(event="ir.first_sent").count() == 2  # only the first batch


def test_later_batches_fall_back_to_contact_and_addresses(sent_ir, cast, add_ir):
    more = add_ir(cast["mark"], sent_ir.complaint, due=later())
    services.ir_send(actor=cast["mark"], complaint_ref=sent_ir.complaint.ref, refs=[more.ref])
    assert emails("ir.sent") == {cast["xander"].email, EXTRA_ADDRESS}


def test_response_submission_notifies_agency_poc_and_supervisors_only(with_poc, cast, viewer_a, make_user, agency_a):
    from redress.agencies.models import AgencyMembership

    other_manager = make_user(full_name="Other Manager")
    AgencyMembership.objects.create(user=other_manager, agency=agency_a, complaints_role="manager")
    responses.response_submit(actor=cast["xavi"], ir_ref=with_poc.ref, text="Answer", expected_version=None)
    assert emails("ir.response_submitted") == {cast["mark"].email, cast["alice"].email}
    assert in_app("ir.response_submitted") == {cast["mark"].pk, cast["alice"].pk}


def test_cancel_and_extend_notify_the_company_poc(with_poc, cast):
    ir, mark = with_poc, cast["mark"]
    services.ir_extend(actor=mark, ref=ir.ref, new_due_date=later(30), expected_version=ir.version)
    ir.refresh_from_db()
    services.ir_cancel(actor=mark, ref=ir.ref, reason="Asked in error", expected_version=ir.version)
    assert emails("ir.extended") == {cast["xavi"].email}
    assert emails("ir.canceled") == {cast["xavi"].email}
    body = OutboxMessage.objects.get(event="ir.canceled").text_body
    assert "Asked in error" not in body
    ir.refresh_from_db()
    assert ir.status == IRStatus.CANCELED and ir.canceled_by == mark


def test_comment_only_messages(cast, make_complaint, add_ir):
    mark, xavi = cast["mark"], cast["xavi"]
    complaint = make_complaint(mark)
    with pytest.raises(ApplicationError) as exc:
        services.ir_send_comment(actor=mark, complaint_ref=complaint.ref, title="Note", text="FYI")
    assert exc.value.code == "ir_none_sent"
    ir = add_ir(mark, complaint, due=later())
    services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[ir.ref])
    comment = services.ir_send_comment(
        actor=mark, complaint_ref=complaint.ref, title="Note", text="We received your documents."
    )
    assert comment.is_comment_only and comment.status == IRStatus.SENT_TO_COMPANY and comment.number == 2
    assert emails("ir.sent") == {cast["xander"].email, EXTRA_ADDRESS}
    with pytest.raises(ApplicationError) as exc:
        responses.response_save_draft(actor=xavi, ir_ref=comment.ref, text="Thanks", expected_version=None)
    assert exc.value.code == "ir_comment_only"
    with pytest.raises(ApplicationError):
        services.ir_remind(actor=mark, ref=comment.ref)


def test_complaint_cancel_cancels_outstanding_irs_and_tells_the_company_without_the_reason(with_poc, cast, add_ir):
    ir, mark, xavi = with_poc, cast["mark"], cast["xavi"]
    complaint = ir.complaint
    second = add_ir(mark, complaint, title="Second", due=later())
    services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[second.ref])
    unsent = add_ir(mark, complaint, title="Unsent", due=later())
    complaint.refresh_from_db()
    complaint_services.complaint_cancel(
        actor=mark, ref=complaint.ref, reason="Consumer withdrew; secret detail", expected_version=complaint.version
    )
    statuses = dict(InformationRequest.objects.values_list("ref", "status"))
    assert statuses[ir.ref] == IRStatus.CANCELED and statuses[second.ref] == IRStatus.CANCELED
    assert statuses[unsent.ref] == IRStatus.READY_TO_SEND
    assert emails("complaint.canceled.company") == {xavi.email}
    notice = OutboxMessage.objects.get(event="complaint.canceled.company")
    assert "secret detail" not in notice.text_body and "secret detail" not in notice.html_body
    with pytest.raises(ApplicationError) as exc:
        services.ir_create(actor=mark, complaint_ref=complaint.ref, title="T", description="D")
    assert exc.value.code == "complaint_locked"


def test_complaint_cancel_without_sent_irs_tells_the_company_nothing(cast, make_complaint, add_ir):
    complaint = make_complaint(cast["mark"])
    add_ir(cast["mark"], complaint, due=later())
    complaint_services.complaint_cancel(actor=cast["mark"], ref=complaint.ref, reason="Dup", expected_version=None)
    assert not OutboxMessage.objects.filter(event="complaint.canceled.company").exists()


def test_complaint_close_notifies_the_company_poc_without_internal_notes(with_poc, cast):
    complaint = with_poc.complaint
    complaint.refresh_from_db()
    complaint_services.complaint_close(
        actor=cast["alice"],
        ref=complaint.ref,
        closure={
            "reason": "closed_with_explanation",
            "internal_notes": "internal only remark",
            "share_with_company": True,
            "comments_to_company": "Thank you for the records.",
        },
        expected_version=complaint.version,
    )
    assert emails("complaint.closed.company") == {cast["xavi"].email}
    notice = OutboxMessage.objects.get(event="complaint.closed.company")
    assert "internal only remark" not in notice.text_body
    assert "Closure materials were shared" in notice.text_body


def test_complaint_close_without_sent_irs_tells_the_company_nothing(cast, make_complaint):
    complaint = make_complaint(cast["mark"])
    complaint_services.complaint_close(
        actor=cast["mark"], ref=complaint.ref, closure={"reason": "invalid"}, expected_version=None
    )
    assert not OutboxMessage.objects.filter(event="complaint.closed.company").exists()


def test_a_new_ir_after_reopening_is_how_the_company_learns_of_it(sent_ir, cast, add_ir):
    mark = cast["mark"]
    complaint = sent_ir.complaint
    complaint_services.complaint_close(
        actor=mark, ref=complaint.ref, closure={"reason": "invalid"}, expected_version=None
    )
    before = OutboxMessage.objects.filter(to_email=cast["xander"].email).count()
    complaint_services.complaint_reopen(actor=mark, ref=complaint.ref, reason="New facts", expected_version=None)
    assert OutboxMessage.objects.filter(to_email=cast["xander"].email).count() == before  # N23: no notice
    ir = add_ir(mark, complaint, title="Follow-up", due=later())
    services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[ir.ref])
    assert emails("ir.sent") == {cast["xander"].email, EXTRA_ADDRESS}


def test_irs_cannot_be_sent_during_preliminary_review(cast, company_x, add_ir):
    from redress.complaints.tests.conftest import intake_details

    complaint = complaint_services.complaint_create(
        actor=cast["mark"],
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(),
        submit_for_review=True,
    )
    ir = add_ir(cast["alice"], complaint, due=later())
    with pytest.raises(ApplicationError) as exc:
        services.ir_send(actor=cast["alice"], complaint_ref=complaint.ref, refs=[ir.ref])
    assert exc.value.code == "ir_invalid_transition"
    ir.refresh_from_db()
    complaint.refresh_from_db()
    assert ir.status == IRStatus.READY_TO_SEND and complaint.first_ir_sent_at is None


def test_company_notices_link_to_the_company_portal_and_agency_notices_to_the_agency_pages(sent_ir, with_poc):
    from redress.notifications.models import Notification

    company_links = set(
        Notification.objects.filter(user__company_membership__isnull=False).values_list("link", flat=True)
    )
    agency_links = set(
        Notification.objects.filter(user__agency_membership__isnull=False).values_list("link", flat=True)
    )
    assert company_links and all(link.startswith("/company/complaints/") for link in company_links)
    assert all(link.startswith("/complaints/") for link in agency_links)
