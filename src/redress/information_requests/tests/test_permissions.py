"""Who may send and act on IRs, refusals that change nothing, and what company users can see."""

from __future__ import annotations

import datetime as dt

import pytest

from redress.audit.models import AuditEvent
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details, non_nmls_entity_for
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed
from redress.information_requests import responses, selectors, services
from redress.information_requests.constants import IRStatus
from redress.information_requests.models import DueDateChange, InformationRequest, Reminder, SendBack

from .conftest import at, later, snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "flag", "outcome"),
    [
        ("alice", False, "sent"),  # Supervisor, not the POC
        ("poc", False, "sent"),  # Manager who is the Agency POC
        ("mark", False, PermissionDenied),  # Manager, not the POC
        ("mark", True, "sent"),  # … where the agency lets Managers send
        ("viewer_a", False, PermissionDenied),
        ("viewer_a", True, PermissionDenied),
        ("agency_admin_a", False, PermissionDenied),
        ("supervisor_b", False, NotFound),
        ("xander", False, NotFound),  # the company cannot see the complaint before the first send
        ("sysadmin", False, NotFound),
    ],
)
def test_send_permission_matrix(request, who, flag, outcome, cast, make_user, make_complaint, add_ir, agency_a):
    from redress.agencies.models import AgencyMembership

    poc = make_user(full_name="Pat POC")
    AgencyMembership.objects.create(user=poc, agency=agency_a, complaints_role="manager")
    complaint = make_complaint(poc)
    ir = add_ir(poc, complaint, due=later())
    agency_a.managers_can_send_irs = flag
    agency_a.save(update_fields=["managers_can_send_irs"])
    actor = poc if who == "poc" else cast.get(who) or request.getfixturevalue(who)
    before = snapshot(ir, complaint)
    if outcome == "sent":
        services.ir_send(actor=actor, complaint_ref=complaint.ref, refs=[ir.ref])
        ir.refresh_from_db()
        assert ir.status == IRStatus.SENT_TO_COMPANY and ir.sent_by == actor
    else:
        with pytest.raises(outcome):
            services.ir_send(actor=actor, complaint_ref=complaint.ref, refs=[ir.ref])
        assert snapshot(ir, complaint) == before


def test_company_users_cannot_send_after_the_first_send_either(sent_ir, cast, add_ir):
    more = add_ir(cast["mark"], sent_ir.complaint, due=later())
    for user in (cast["xander"], cast["xena"]):
        with pytest.raises(PermissionDenied):
            services.ir_send(actor=user, complaint_ref=sent_ir.complaint.ref, refs=[more.ref])
    more.refresh_from_db()
    assert more.status == IRStatus.READY_TO_SEND


def test_viewer_refusals_change_nothing_and_are_audited(sent_ir, vera):
    ir = sent_ir
    before = snapshot(ir, ir.complaint)
    attempts = [
        lambda: services.ir_create(actor=vera, complaint_ref=ir.complaint.ref, title="T", description="D"),
        lambda: services.ir_extend(actor=vera, ref=ir.ref, new_due_date=later(40), expected_version=None),
        lambda: services.ir_cancel(actor=vera, ref=ir.ref, expected_version=None),
        lambda: services.ir_remind(actor=vera, ref=ir.ref),
        lambda: services.ir_quick_look(actor=vera, ref=ir.ref, complete=True, expected_version=None),
        lambda: services.ir_send_back(
            actor=vera, ref=ir.ref, new_due_date=later(40), explanation="x", expected_version=None
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert snapshot(ir, ir.complaint) == before
    assert InformationRequest.objects.count() == 1
    assert not Reminder.objects.exists() and not SendBack.objects.exists() and not DueDateChange.objects.exists()
    assert AuditEvent.objects.filter(actor=vera, is_security=True, action__endswith=".denied").count() == len(attempts)


def test_due_dates_in_the_past_or_today_are_refused_everywhere(cast, make_complaint, add_ir):
    alice = cast["alice"]
    complaint = make_complaint(alice)
    for bad in (clock.today(), clock.today() - dt.timedelta(days=1)):
        with pytest.raises(ApplicationError) as exc:
            add_ir(alice, complaint, due=bad)
        assert exc.value.code == "ir_due_date_in_past"
    assert not InformationRequest.objects.exists()
    ir = add_ir(alice, complaint, due=later())
    with pytest.raises(ApplicationError):
        services.ir_update(actor=alice, ref=ir.ref, changes={"due_date": clock.today()}, expected_version=ir.version)
    services.ir_send(actor=alice, complaint_ref=complaint.ref, refs=[ir.ref])
    ir.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        services.ir_extend(actor=alice, ref=ir.ref, new_due_date=clock.today(), expected_version=ir.version)
    assert exc.value.code == "ir_due_date_in_past"
    assert ir.due_date == later()


def test_send_refuses_the_whole_batch_when_one_due_date_has_passed(cast, make_complaint, add_ir):
    alice = cast["alice"]
    complaint = make_complaint(alice)
    soon = add_ir(alice, complaint, due=later(2))
    fine = add_ir(alice, complaint, due=later(20))
    with at(later(3)), pytest.raises(ApplicationError) as exc:
        services.ir_send(actor=alice, complaint_ref=complaint.ref, refs=[soon.ref, fine.ref])
    assert exc.value.code == "ir_due_date_in_past"
    assert set(InformationRequest.objects.values_list("status", flat=True)) == {IRStatus.READY_TO_SEND}


def test_non_nmls_subjects_take_no_irs(alice):
    entity = non_nmls_entity_for(alice, "Quick Cash Online")
    complaint = complaint_create(
        actor=alice, subject_type="non_nmls", subject_id=entity.pk, details=intake_details(), submit_for_review=False
    )
    with pytest.raises(ApplicationError) as exc:
        services.ir_create(
            actor=alice, complaint_ref=complaint.ref, title="Records", description="Send records", due_date=later()
        )
    assert exc.value.code == "ir_non_nmls_subject"
    assert not InformationRequest.objects.exists()


def test_sent_ir_text_cannot_change_and_stale_versions_are_refused(sent_ir, cast):
    ir, mark = sent_ir, cast["mark"]
    with pytest.raises(ApplicationError) as exc:
        services.ir_update(actor=mark, ref=ir.ref, changes={"description": "New text"}, expected_version=ir.version)
    assert exc.value.code == "ir_locked_after_send"
    with pytest.raises(PreconditionFailed):
        services.ir_extend(actor=mark, ref=ir.ref, new_due_date=later(30), expected_version=ir.version - 1)
    with pytest.raises(ApplicationError):
        services.ir_remove(actor=mark, ref=ir.ref, expected_version=ir.version)
    before = snapshot(ir)
    assert before[0]["description"].startswith("Please send")


def test_unsent_ir_can_be_edited_and_removed(cast, make_complaint, add_ir):
    alice = cast["alice"]
    complaint = make_complaint(alice)
    ir = add_ir(alice, complaint, ready=False)
    assert ir.status == IRStatus.DRAFT
    ir = services.ir_update(
        actor=alice, ref=ir.ref, changes={"title": "Escrow analysis", "ready": True}, expected_version=ir.version
    )
    assert ir.status == IRStatus.READY_TO_SEND and ir.title == "Escrow analysis"
    services.ir_remove(actor=alice, ref=ir.ref, expected_version=ir.version)
    assert not InformationRequest.objects.exists()
    assert AuditEvent.objects.filter(action="ir.removed").count() == 1


def test_company_users_never_see_unsent_irs_or_other_companies(sent_ir, cast, add_ir, company_admin_y, make_complaint):
    mark, xander = cast["mark"], cast["xander"]
    unsent = add_ir(mark, sent_ir.complaint, title="Not yet", due=later())
    unseen_complaint = make_complaint(mark)
    add_ir(mark, unseen_complaint, due=later())
    listed = [i.ref for i in selectors.company_ir_list_for(actor=xander)]
    assert listed == [sent_ir.ref]
    assert [i.ref for i in selectors.company_irs_for_complaint(actor=xander, ref=sent_ir.complaint.ref)] == [
        sent_ir.ref
    ]
    with pytest.raises(NotFound):
        selectors.company_ir_get_for(actor=xander, ir_ref=unsent.ref)
    with pytest.raises(NotFound):
        selectors.company_irs_for_complaint(actor=xander, ref=unseen_complaint.ref)
    with pytest.raises(NotFound):
        responses.response_save_draft(actor=xander, ir_ref=unsent.ref, text="x", expected_version=None)
    assert selectors.company_ir_list_for(actor=company_admin_y) == []


def test_view_only_company_users_cannot_draft(sent_ir, company_viewer_x):
    before = snapshot(sent_ir)
    assert [i.ref for i in selectors.company_ir_list_for(actor=company_viewer_x)] == [sent_ir.ref]
    with pytest.raises(PermissionDenied):
        responses.response_save_draft(actor=company_viewer_x, ir_ref=sent_ir.ref, text="x", expected_version=None)
    assert snapshot(sent_ir) == before and not sent_ir.responses.exists()


def test_nobody_submits_before_a_company_poc_is_assigned(sent_ir, cast):
    for user in (cast["xander"], cast["xena"], cast["xavi"]):
        with pytest.raises(PermissionDenied):
            responses.response_submit(actor=user, ir_ref=sent_ir.ref, text="Answer", expected_version=None)
    sent_ir.refresh_from_db()
    assert sent_ir.status == IRStatus.SENT_TO_COMPANY and not sent_ir.responses.exists()


def test_submitted_response_cannot_be_changed_until_sent_back(with_poc, cast):
    ir, xavi = with_poc, cast["xavi"]
    responses.response_submit(actor=xavi, ir_ref=ir.ref, text="Final", expected_version=ir.version)
    ir.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        responses.response_save_draft(actor=xavi, ir_ref=ir.ref, text="Changed", expected_version=ir.version)
    assert exc.value.code == "ir_invalid_transition"
    assert ir.responses.get().text == "Final"


def test_company_poc_assignment_is_refused_after_closure(sent_ir, cast):
    from redress.complaints.exchange import company_poc_assign
    from redress.complaints.services import complaint_close

    complaint = sent_ir.complaint
    complaint.refresh_from_db()
    complaint_close(
        actor=cast["mark"], ref=complaint.ref, closure={"reason": "invalid"}, expected_version=complaint.version
    )
    with pytest.raises(ApplicationError) as exc:
        company_poc_assign(actor=cast["xander"], ref=complaint.ref, poc=cast["xavi"], expected_version=None)
    assert exc.value.code == "complaint_locked"
    complaint.refresh_from_db()
    assert complaint.company_poc is None
