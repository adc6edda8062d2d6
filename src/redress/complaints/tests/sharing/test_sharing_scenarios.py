"""Acceptance scenarios 22-28, 33, 34 and 37 of the functional spec (§12): referrals and access
requests between agencies, at service level, with the refusals changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from redress.agencies.constants import ComplaintsRole
from redress.audit.models import AuditEvent
from redress.complaints import access, referrals, services
from redress.complaints.constants import AccessStatus, ReferralStatus, Status
from redress.complaints.models import AccessGrant, Complaint, Referral
from redress.complaints.selectors import ComplaintFilters, complaint_get_for, complaint_list_for
from redress.complaints.sharing_selectors import (
    access_decisions_of,
    access_waiting_for,
    complaint_basic_get_for,
    complaint_basic_list_for,
    incoming_referrals_for,
    referrals_for,
)
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied
from redress.documents.selectors import document_get_for
from redress.documents.services import documents_upload
from redress.information_requests import services as irs
from redress.information_requests.constants import IRStatus
from redress.notifications.models import Notification, OutboxMessage

from ..test_scenarios import pdf, snapshot
from .conftest import grant, member

pytestmark = pytest.mark.django_db


def emails_to(user) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to_email=user.email))


def in_app(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user))


def refused(action: str, user) -> int:
    return AuditEvent.objects.filter(action=action, actor=user, is_security=True).count()


def intake_document(actor, complaint: Complaint):
    return documents_upload(
        actor=actor,
        files=[pdf("intake.pdf")],
        context="intake",
        visibility="agency_only",
        agency=complaint.agency,
        attached_to=complaint,
    )[0]


def send_ir(actor, complaint: Complaint, title: str = "Account history"):
    ir = irs.ir_create(
        actor=actor,
        complaint_ref=complaint.ref,
        title=title,
        description="Send it.",
        due_date=clock.today() + dt.timedelta(days=14),
    )
    irs.ir_send(actor=actor, complaint_ref=complaint.ref, refs=[ir.ref])
    ir.refresh_from_db()
    complaint.refresh_from_db()
    return ir


# --- 22 ----------------------------------------------------------------------------------------


def test_scenario_22_restricted_complainant_details(make_complaint, alice, mark, bob, bill, xander, xavi):
    complaint = make_complaint(mark, restrict_complainant=True, complainant_phone="410-555-0100")
    document = intake_document(mark, complaint)
    grant(alice, bill, complaint)
    from redress.accounts.policy import actor_for
    from redress.complaints import policy

    for user in (bob, bill):
        seen = complaint_get_for(actor=user, ref=complaint.ref)
        assert seen == complaint and seen.summary == complaint.summary
        assert policy.can_view(actor_for(user), seen)
        assert not policy.can_see_complainant(actor_for(user), seen)
        assert document_get_for(actor=user, ref=document.ref) == document
    assert policy.can_see_complainant(actor_for(mark), complaint)
    send_ir(mark, complaint)
    assert not policy.can_see_complainant(actor_for(xavi), complaint)


# --- 23 ----------------------------------------------------------------------------------------


def test_scenario_23_access_request_and_supervisor_only_decision(
    make_user, make_complaint, agency_a, alice, mark, bob, bill, betty
):
    second_supervisor = member(make_user, agency_a, ComplaintsRole.SUPERVISOR, "Second Supervisor")
    complaint = make_complaint(mark)
    document = intake_document(mark, complaint)
    request = access.access_request(actor=bill, ref=complaint.ref, comment="We have a complaint about the same loan.")
    assert request.status == AccessStatus.PENDING
    for supervisor in (alice, second_supervisor):
        assert any(m.event == "complaint.access_requested" for m in emails_to(supervisor))
        assert list(access_waiting_for(actor=supervisor)) == [request]
    assert not any(m.event == "complaint.access_requested" for m in emails_to(mark))

    with pytest.raises(PermissionDenied):
        access.access_accept(actor=mark, ref=complaint.ref, grant_id=request.pk)
    assert refused("complaint.access_grant.denied", mark) == 1
    request.refresh_from_db()
    assert request.status == AccessStatus.PENDING
    with pytest.raises(NotFound):
        complaint_get_for(actor=betty, ref=complaint.ref)

    access.access_accept(actor=alice, ref=complaint.ref, grant_id=request.pk, comment="Granted for your review.")
    request.refresh_from_db()
    assert request.status == AccessStatus.GRANTED and request.decided_by == alice
    assert not hasattr(request, "expires_at")
    for user in (bob, bill, betty):
        assert complaint_get_for(actor=user, ref=complaint.ref) == complaint
        assert document_get_for(actor=user, ref=document.ref) == document
    assert any(m.event == "complaint.access_granted" for m in emails_to(bill))
    assert list(access_decisions_of(actor=alice)) == [request]
    assert not access_waiting_for(actor=alice).exists()


# --- 24 ----------------------------------------------------------------------------------------


def test_scenario_24_access_removal(make_complaint, alice, mark, bob, bill):
    complaint = make_complaint(mark)
    row = grant(alice, bill, complaint)
    assert complaint_get_for(actor=bob, ref=complaint.ref) == complaint
    with pytest.raises(PermissionDenied):
        access.access_remove(actor=mark, ref=complaint.ref, grant_id=row.pk)
    access.access_remove(actor=alice, ref=complaint.ref, grant_id=row.pk, comment="Investigation over.")
    row.refresh_from_db()
    assert row.status == AccessStatus.REMOVED and row.removed_by == alice and row.removed_at is not None
    for user in (bob, bill):
        with pytest.raises(NotFound):
            complaint_get_for(actor=user, ref=complaint.ref)
        assert complaint_basic_get_for(actor=user, ref=complaint.ref).ref == complaint.ref
    assert AuditEvent.objects.filter(
        action="complaint.access_removed", target_id=str(complaint.pk), is_security=False
    ).exists()
    assert any(m.event == "complaint.access_removed" for m in emails_to(bill))
    assert any(n.event == "complaint.access_removed" for n in in_app(bob))
    # A new request is possible afterwards.
    again = access.access_request(actor=bob, ref=complaint.ref)
    assert again.status == AccessStatus.PENDING


# --- 25 ----------------------------------------------------------------------------------------


def test_scenario_25_no_access_requests_during_referral(make_complaint, mark, bob, carl):
    complaint = make_complaint(mark)
    referrals.referral_create(actor=mark, ref=complaint.ref, to_agency_id=carl.agency_membership.agency_id)
    complaint.refresh_from_db()
    assert complaint.status == Status.REFERRAL_IN_PROGRESS
    with pytest.raises(ApplicationError) as exc:
        access.access_request(actor=bob, ref=complaint.ref, comment="May we see it?")
    assert exc.value.code == "access_blocked_by_referral"
    assert not AccessGrant.objects.exists()


# --- 26 ----------------------------------------------------------------------------------------


def test_scenario_26_referral_accepted(make_complaint, alice, mark, bob, bill, agency_a, agency_b):
    complaint = make_complaint(mark, restrict_complainant=True)
    document = intake_document(mark, complaint)
    referral = referrals.referral_create(
        actor=mark, ref=complaint.ref, to_agency_id=agency_b.pk, comment="The consumer lives in Texas."
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.REFERRAL_IN_PROGRESS and complaint.agency == agency_a
    for user in (bob, bill):
        assert any(m.event == "complaint.referral_sent" for m in emails_to(user))
    assert list(incoming_referrals_for(actor=bill)) == [referral]
    # While pending, B reads the record (to decide) without the restricted details.
    from redress.accounts.policy import actor_for
    from redress.complaints import policy

    seen = complaint_get_for(actor=bill, ref=complaint.ref)
    assert not policy.can_see_complainant(actor_for(bill), seen)

    referrals.referral_accept(actor=bill, ref=complaint.ref, comment="Ours.", expected_version=complaint.version)
    complaint.refresh_from_db()
    referral.refresh_from_db()
    assert complaint.status == Status.OPEN and complaint.agency == agency_b and complaint.agency_poc == bill
    assert referral.status == ReferralStatus.ACCEPTED and referral.decided_by == bill
    assert policy.can_see_complainant(actor_for(bill), complaint_get_for(actor=bill, ref=complaint.ref))
    assert referrals.referred_from(complaint) == referral
    document.refresh_from_db()
    assert document.agency == agency_b
    assert document_get_for(actor=bob, ref=document.ref) == document
    for user in (alice, mark):
        with pytest.raises(NotFound):
            complaint_get_for(actor=user, ref=complaint.ref)
        with pytest.raises(NotFound):
            document_get_for(actor=user, ref=document.ref)
        assert complaint not in complaint_list_for(actor=user)
    assert complaint in complaint_list_for(actor=bob)
    assert any(m.event == "complaint.referral_accepted" for m in emails_to(alice))
    assert list(referrals_for(actor=mark, view="history")) == [referral]
    assert list(referrals_for(actor=bill, view="decisions")) == [referral]
    assert not referrals_for(actor=mark, view="outgoing").exists()
    # The new owner works the complaint; the old one cannot.
    services.complaint_update(actor=bill, ref=complaint.ref, changes={"cfpb_id": "99"}, expected_version=None)
    with pytest.raises(NotFound):
        services.complaint_update(actor=mark, ref=complaint.ref, changes={"cfpb_id": "1"}, expected_version=None)


# --- 27 ----------------------------------------------------------------------------------------


def test_scenario_27_referral_refused_after_an_ir_was_sent(make_complaint, mark, xander, agency_b):
    complaint = make_complaint(mark)
    ir = send_ir(mark, complaint)
    assert ir.status == IRStatus.SENT_TO_COMPANY
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as exc:
        referrals.referral_create(actor=mark, ref=complaint.ref, to_agency_id=agency_b.pk)
    assert exc.value.code == "referral_after_ir" and "Referred to other State Agency" in exc.value.detail
    assert snapshot(complaint) == before and not Referral.objects.exists()
    services.complaint_close(
        actor=mark,
        ref=complaint.ref,
        closure={"reason": "referred_other_state_agency", "referred_to_agency_name": "Texas Department of Banking"},
        expected_version=None,
    )
    assert not Referral.objects.exists()
    assert not referrals_for(actor=mark, view="history").exists()


# --- 28 ----------------------------------------------------------------------------------------


def test_scenario_28_referral_rejected(make_complaint, alice, mark, bill, agency_a, agency_b):
    complaint = make_complaint(mark)
    referrals.referral_create(actor=mark, ref=complaint.ref, to_agency_id=agency_b.pk)
    with pytest.raises(ApplicationError) as exc:
        referrals.referral_reject(actor=bill, ref=complaint.ref, comment="  ")
    assert exc.value.code == "required"
    with pytest.raises(PermissionDenied):
        referrals.referral_accept(actor=mark, ref=complaint.ref)
    referral = referrals.referral_reject(actor=bill, ref=complaint.ref, comment="Not our jurisdiction.")
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN and complaint.agency == agency_a and complaint.agency_poc == mark
    assert referral.status == ReferralStatus.REJECTED and referral.decision_comment == "Not our jurisdiction."
    for user in (alice, mark):
        assert any(m.event == "complaint.referral_rejected" for m in emails_to(user))
    with pytest.raises(NotFound):
        complaint_get_for(actor=bill, ref=complaint.ref)
    assert list(referrals_for(actor=bill, view="decisions")) == [referral]
    assert list(referrals_for(actor=mark, view="history")) == [referral]


def test_referral_withdrawn_and_rules(make_complaint, mark, vera, bob, bill, agency_a, agency_b, carl):
    complaint = make_complaint(mark)
    with pytest.raises(ApplicationError) as exc:
        referrals.referral_create(actor=mark, ref=complaint.ref, to_agency_id=agency_a.pk)
    assert exc.value.code == "referral_target_invalid"
    with pytest.raises(PermissionDenied):
        referrals.referral_create(actor=vera, ref=complaint.ref, to_agency_id=agency_b.pk)
    with pytest.raises(NotFound):
        referrals.referral_create(actor=bob, ref=complaint.ref, to_agency_id=agency_b.pk)
    referrals.referral_create(actor=mark, ref=complaint.ref, to_agency_id=agency_b.pk, expected_version=1)
    with pytest.raises(ApplicationError) as exc:
        referrals.referral_create(actor=mark, ref=complaint.ref, to_agency_id=carl.agency_membership.agency_id)
    assert exc.value.code == "invalid_transition"
    with pytest.raises(NotFound):  # C was not referred anything: the record is not theirs to read
        referrals.referral_accept(actor=carl, ref=complaint.ref)
    with pytest.raises(PermissionDenied):
        referrals.referral_withdraw(actor=bill, ref=complaint.ref)
    referral = referrals.referral_withdraw(actor=mark, ref=complaint.ref, comment="Sent by mistake.")
    complaint.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN and complaint.status == Status.OPEN
    assert any(m.event == "complaint.referral_withdrawn" for m in emails_to(bob))
    with pytest.raises(ApplicationError) as exc:
        referrals.referral_withdraw(actor=mark, ref=complaint.ref)
    assert exc.value.code == "no_pending_referral"
    with pytest.raises(NotFound):  # B no longer reads the record once the referral is gone
        referrals.referral_accept(actor=bill, ref=complaint.ref)


def test_referral_needs_an_agency_with_complaints_users(make_complaint, mark, agency_c):
    complaint = make_complaint(mark)
    with pytest.raises(ApplicationError) as exc:
        referrals.referral_create(actor=mark, ref=complaint.ref, to_agency_id=agency_c.pk)
    assert exc.value.code == "referral_target_invalid"


# --- 33 ----------------------------------------------------------------------------------------


def test_scenario_33_cancel_side_effects_irs_and_access(make_complaint, alice, mark, bob, bill, carl, xander, xavi):
    complaint = make_complaint(mark)
    granted = grant(alice, carl, complaint)
    first = send_ir(mark, complaint, "Account history")
    second = send_ir(mark, complaint, "Payment records")
    complaint.company_poc = xavi
    complaint.save(update_fields=["company_poc"])
    pending = access.access_request(actor=bill, ref=complaint.ref, comment="Please.")
    services.complaint_cancel(actor=mark, ref=complaint.ref, reason="Consumer withdrew it.", expected_version=None)
    complaint.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    pending.refresh_from_db()
    granted.refresh_from_db()
    assert complaint.status == Status.CANCELED
    assert first.status == IRStatus.CANCELED and second.status == IRStatus.CANCELED
    assert pending.status == AccessStatus.CANCELED
    assert [m for m in emails_to(bill) if m.event == "complaint.access_canceled"]
    assert "Consumer withdrew it." not in "".join(m.text_body for m in emails_to(bill))
    poc_mail = [m for m in emails_to(xavi) if "cancel" in m.subject.lower()]
    assert poc_mail and all("Consumer withdrew it." not in m.text_body for m in poc_mail)
    # Users with detail access keep it; later actions are refused.
    assert granted.status == AccessStatus.GRANTED
    assert complaint_get_for(actor=carl, ref=complaint.ref).cancel_reason == "Consumer withdrew it."
    with pytest.raises(ApplicationError):
        access.access_request(actor=bob, ref=complaint.ref)
    with pytest.raises(ApplicationError):
        access.access_remove(actor=alice, ref=complaint.ref, grant_id=granted.pk)
    with pytest.raises(ApplicationError):
        services.complaint_update(actor=mark, ref=complaint.ref, changes={"cfpb_id": "1"}, expected_version=None)
    # Left out of reports and report-like lists.
    assert not access_decisions_of(actor=alice).exists()


def test_scenario_33_cancel_side_effects_referral(make_complaint, alice, mark, bob, bill, carl, agency_b):
    complaint = make_complaint(mark)
    pending = access.access_request(actor=carl, ref=complaint.ref)
    referral = referrals.referral_create(actor=mark, ref=complaint.ref, to_agency_id=agency_b.pk)
    services.complaint_cancel(actor=mark, ref=complaint.ref, reason="Duplicate of another.", expected_version=None)
    referral.refresh_from_db()
    pending.refresh_from_db()
    complaint.refresh_from_db()
    assert complaint.status == Status.CANCELED
    assert referral.status == ReferralStatus.CANCELED and pending.status == AccessStatus.CANCELED
    for user in (bob, bill):
        mails = [m for m in emails_to(user) if m.event == "complaint.referral_canceled"]
        assert mails and all("Duplicate of another." not in m.text_body for m in mails)
        with pytest.raises(NotFound):
            complaint_get_for(actor=user, ref=complaint.ref)
    assert [m for m in emails_to(carl) if m.event == "complaint.access_canceled"]
    assert not referrals_for(actor=mark, view="history").exists()
    assert not referrals_for(actor=bob, view="incoming").exists()
    with pytest.raises(ApplicationError):
        referrals.referral_accept(actor=bill, ref=complaint.ref)


# --- 34 ----------------------------------------------------------------------------------------


def test_scenario_34_a_grantee_cannot_cancel(make_complaint, alice, mark, bob):
    complaint = make_complaint(mark)
    grant(alice, bob, complaint)
    assert complaint_get_for(actor=bob, ref=complaint.ref) == complaint
    before = snapshot(complaint)
    with pytest.raises(PermissionDenied):
        services.complaint_cancel(actor=bob, ref=complaint.ref, reason="Ours now.", expected_version=None)
    assert refused("complaint.cancel.denied", bob) == 1
    assert snapshot(complaint) == before
    for attempt in (
        lambda: services.complaint_update(
            actor=bob, ref=complaint.ref, changes={"cfpb_id": "1"}, expected_version=None
        ),
        lambda: services.complaint_close(
            actor=bob, ref=complaint.ref, closure={"reason": "invalid"}, expected_version=None
        ),
        lambda: referrals.referral_create(actor=bob, ref=complaint.ref, to_agency_id=bob.agency_membership.agency_id),
        lambda: irs.ir_create(actor=bob, complaint_ref=complaint.ref, title="More", description="More."),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert snapshot(complaint) == before


# --- 37 ----------------------------------------------------------------------------------------


def test_scenario_37_sa_only_user(make_complaint, alice, mark, examiner_b, bob):
    complaint = make_complaint(mark)
    grant(alice, bob, complaint)  # even B's grant does not reach a user without a complaints role
    with pytest.raises(NotFound):
        complaint_get_for(actor=examiner_b, ref=complaint.ref)
    with pytest.raises(NotFound):
        complaint_basic_get_for(actor=examiner_b, ref=complaint.ref)
    assert not complaint_list_for(actor=examiner_b).exists()
    assert not complaint_list_for(actor=examiner_b, filters=ComplaintFilters(scope="shared")).exists()
    assert not complaint_basic_list_for(actor=examiner_b).exists()
    with pytest.raises(NotFound):
        access.access_request(actor=examiner_b, ref=complaint.ref, comment="Let me in.")
    assert AccessGrant.objects.count() == 1
