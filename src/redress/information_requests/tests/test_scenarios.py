"""Acceptance scenarios 8–21 of the functional spec (§12), at the service level."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from redress.audit.models import AuditEvent
from redress.complaints import services as complaint_services
from redress.complaints.exchange import company_poc_assign, company_poc_candidates
from redress.complaints.selectors import complaint_get_for
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied
from redress.information_requests import responses, selectors, services
from redress.information_requests.constants import IRStatus, ResponseStatus, SendBackKind
from redress.information_requests.models import InformationRequest, Reminder
from redress.notifications.models import OutboxMessage

from .conftest import EXTRA_ADDRESS, emails, in_app, later, snapshot

pytestmark = pytest.mark.django_db


def test_scenario_08_ir_send_with_due_date_validation(cast, make_complaint, add_ir):
    alice, xander, xena = cast["alice"], cast["xander"], cast["xena"]
    complaint = make_complaint(alice)
    irs = [add_ir(alice, complaint, title=t) for t in ("Payment history", "Fee schedule", "Call recordings")]
    refs = [ir.ref for ir in irs]
    yesterday = clock.today() - dt.timedelta(days=1)

    with pytest.raises(ApplicationError) as exc:
        services.ir_bulk_set_due_date(actor=alice, complaint_ref=complaint.ref, refs=refs, due_date=yesterday)
    assert exc.value.code == "ir_due_date_in_past"
    with pytest.raises(ApplicationError) as exc:
        services.ir_send(actor=alice, complaint_ref=complaint.ref, refs=refs)
    assert exc.value.code == "ir_due_date_required"
    assert set(InformationRequest.objects.values_list("status", flat=True)) == {IRStatus.READY_TO_SEND}
    complaint.refresh_from_db()
    assert complaint.first_ir_sent_at is None and not emails("ir.first_sent")

    services.ir_update(actor=alice, ref=irs[2].ref, changes={"due_date": later(30)}, expected_version=irs[2].version)
    changed = services.ir_bulk_set_due_date(actor=alice, complaint_ref=complaint.ref, refs=refs, due_date=later(14))
    assert [ir.ref for ir in changed] == refs[:2]  # the IR with its own date keeps it
    sent = services.ir_send(actor=alice, complaint_ref=complaint.ref, refs=refs)

    assert {ir.status for ir in sent} == {IRStatus.SENT_TO_COMPANY}
    assert [ir.due_date for ir in sent] == [later(14), later(14), later(30)]
    assert [ir.original_due_date for ir in sent] == [later(14), later(14), later(30)]
    complaint.refresh_from_db()
    assert complaint.first_ir_sent_at is not None
    assert emails("ir.first_sent") == {xander.email, EXTRA_ADDRESS}
    assert in_app("complaint.assign_company_poc") == {xander.pk, xena.pk}


def test_scenario_09_manager_sending_depends_on_agency_flag(cast, make_complaint, add_ir, agency_a):
    alice, mark = cast["alice"], cast["mark"]
    complaint = make_complaint(alice)  # Alice is the Agency POC, Mark is not
    ir = add_ir(mark, complaint, due=later())
    before = snapshot(ir, complaint)

    with pytest.raises(PermissionDenied):
        services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[ir.ref])
    assert snapshot(ir, complaint) == before
    assert ir.status == IRStatus.READY_TO_SEND
    assert AuditEvent.objects.filter(action="ir.send.denied", is_security=True).count() == 1

    agency_a.managers_can_send_irs = True
    agency_a.save(update_fields=["managers_can_send_irs"])
    services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[ir.ref])
    ir.refresh_from_db()
    assert ir.status == IRStatus.SENT_TO_COMPANY and ir.sent_by == mark


def test_scenario_10_irs_can_be_sent_before_the_company_enrolls(alice, make_complaint, add_ir, company_y):
    complaint = make_complaint(alice, company=company_y)  # Company Y has no users at all
    ir = add_ir(alice, complaint, due=later())
    services.ir_send(actor=alice, complaint_ref=complaint.ref, refs=[ir.ref])
    ir.refresh_from_db()
    assert ir.status == IRStatus.SENT_TO_COMPANY
    assert not emails("ir.first_sent")  # nobody to tell yet; the company simply sees it once enrolled


def test_scenario_11_second_agency_reaches_the_existing_contact(cast, supervisor_b, make_complaint, add_ir):
    complaint = make_complaint(supervisor_b)
    ir = add_ir(supervisor_b, complaint, due=later())
    services.ir_send(actor=supervisor_b, complaint_ref=complaint.ref, refs=[ir.ref])
    assert emails("ir.first_sent") == {cast["xander"].email, EXTRA_ADDRESS}
    listed = selectors.company_ir_list_for(actor=cast["xander"])
    assert [(i.ref, i.agency_name) for i in listed] == [(ir.ref, "Texas Department of Banking")]


def test_scenario_12_company_poc_assignment(sent_ir, cast, company_viewer_x):
    xander, xavi, mark = cast["xander"], cast["xavi"], cast["mark"]
    complaint = sent_ir.complaint
    complaint.refresh_from_db()
    candidates = company_poc_candidates(complaint)
    assert company_viewer_x not in candidates
    assert {xavi, xander, cast["xena"], cast["xiu"]} <= set(candidates)

    with pytest.raises(ApplicationError) as exc:
        company_poc_assign(actor=xander, ref=complaint.ref, poc=company_viewer_x, expected_version=complaint.version)
    assert exc.value.code == "invalid_company_poc"
    with pytest.raises(PermissionDenied):
        company_poc_assign(actor=cast["xiu"], ref=complaint.ref, poc=xavi, expected_version=complaint.version)

    company_poc_assign(actor=xander, ref=complaint.ref, poc=xavi, expected_version=complaint.version)
    assert complaint_get_for(actor=mark, ref=complaint.ref).company_poc == xavi
    assert complaint_get_for(actor=xander, ref=complaint.ref).company_poc == xavi
    assert emails("complaint.company_poc_assigned") == {xavi.email}
    assert AuditEvent.objects.filter(action="complaint.company_poc_assigned").count() == 1


def test_scenario_13_only_the_company_poc_submits(with_poc, cast):
    ir, xiu, xavi, mark = with_poc, cast["xiu"], cast["xavi"], cast["mark"]
    draft = responses.response_save_draft(
        actor=xiu, ir_ref=ir.ref, text="Draft: the fee was reversed.", hidden=True, expected_version=ir.version
    )
    ir.refresh_from_db()
    assert ir.status == IRStatus.COMPANY_DRAFT and draft.hidden_from_other_company_users
    with pytest.raises(PermissionDenied):
        responses.response_submit(actor=xiu, ir_ref=ir.ref, expected_version=ir.version)

    responses.response_send_to_poc(actor=xiu, ir_ref=ir.ref, expected_version=ir.version)
    ir.refresh_from_db()
    assert ir.status == IRStatus.IN_COMPANY_REVIEW
    assert ir.ref not in [i.ref for i in selectors.company_ir_list_for(actor=xiu)]
    assert ir.ref in [i.ref for i in selectors.company_ir_list_for(actor=xavi)]
    with pytest.raises(PermissionDenied):
        responses.response_save_draft(actor=xiu, ir_ref=ir.ref, text="More", expected_version=ir.version)
    with pytest.raises(PermissionDenied):
        responses.response_submit(actor=xiu, ir_ref=ir.ref, expected_version=ir.version)

    responses.response_save_draft(
        actor=xavi, ir_ref=ir.ref, text="The late fee of $75 was reversed on 3 March.", expected_version=ir.version
    )
    ir.refresh_from_db()
    submitted = responses.response_submit(actor=xavi, ir_ref=ir.ref, expected_version=ir.version)
    ir.refresh_from_db()
    assert ir.status == IRStatus.SENT_TO_AGENCY
    assert submitted.status == ResponseStatus.SUBMITTED and submitted.submitted_by == xavi
    assert submitted.text == "The late fee of $75 was reversed on 3 March."
    assert mark.email in emails("ir.response_submitted")


def test_scenario_14_restricted_response_visibility(with_poc, cast):
    ir, xiu, xavi, xena = with_poc, cast["xiu"], cast["xavi"], cast["xena"]
    responses.response_save_draft(
        actor=xiu, ir_ref=ir.ref, text="Confidential settlement notes.", hidden=True, expected_version=ir.version
    )
    ir.refresh_from_db()
    responses.response_send_to_poc(actor=xiu, ir_ref=ir.ref, expected_version=ir.version)
    ir.refresh_from_db()
    responses.response_submit(actor=xavi, ir_ref=ir.ref, expected_version=ir.version)

    def text_for(user):
        return selectors.company_ir_get_for(actor=user, ir_ref=ir.ref).responses[0].text

    assert text_for(xena) is None  # the third company user
    assert text_for(xavi) == "Confidential settlement notes."
    assert text_for(xiu) == "Confidential settlement notes."
    agency_view = selectors.ir_get_for(actor=cast["alice"], ir_ref=ir.ref)
    assert [r.text for r in agency_view.submitted_responses] == ["Confidential settlement notes."]


def _submit(ir, poc, text):
    ir.refresh_from_db()
    responses.response_submit(actor=poc, ir_ref=ir.ref, text=text, expected_version=ir.version)
    ir.refresh_from_db()


def test_scenario_15_send_back_loop(with_poc, cast):
    ir, mark, xavi = with_poc, cast["mark"], cast["xavi"]
    _submit(ir, xavi, "Short answer.")
    for round_no, days in ((1, 20), (2, 25), (3, 30)):
        services.ir_send_back(
            actor=mark,
            ref=ir.ref,
            new_due_date=later(days),
            explanation=f"Please add the payment ledger (round {round_no}).",
            expected_version=ir.version,
        )
        ir.refresh_from_db()
        assert ir.status == IRStatus.SENT_TO_COMPANY and ir.due_date == later(days)
        assert ir.round == round_no + 1
        _submit(ir, xavi, f"Answer {round_no + 1}.")

    history = list(ir.send_backs.filter(kind=SendBackKind.AGENCY).values_list("round", "new_due_date"))
    assert history == [(1, later(20)), (2, later(25)), (3, later(30))]
    assert list(ir.responses.order_by("round").values_list("text", flat=True)) == [
        "Short answer.",
        "Answer 2.",
        "Answer 3.",
        "Answer 4.",
    ]
    assert emails("ir.sent_back") == {xavi.email}
    assert OutboxMessage.objects.filter(event="ir.sent_back").count() == 3  # told every round


def test_scenario_16_quick_look_is_private(with_poc, cast):
    ir, mark, xavi = with_poc, cast["mark"], cast["xavi"]
    _submit(ir, xavi, "Here is the answer.")
    services.ir_quick_look(actor=mark, ref=ir.ref, complete=True, expected_version=ir.version)
    ir.refresh_from_db()
    assert selectors.ir_get_for(actor=cast["alice"], ir_ref=ir.ref).quick_look_complete is True
    company_view = selectors.company_ir_get_for(actor=xavi, ir_ref=ir.ref)
    assert not any("quick" in name for name in company_view.__dataclass_fields__)
    services.ir_quick_look(actor=mark, ref=ir.ref, complete=False, expected_version=ir.version)
    ir.refresh_from_db()
    assert ir.quick_look_complete is False and ir.quick_look_by is None
    assert not OutboxMessage.objects.filter(event__icontains="quick").exists()
    assert (
        not OutboxMessage.objects.filter(to_email=xavi.email, created_at__gte=ir.response_received_at)
        .exclude(event="ir.response_submitted")
        .exists()
    )


def test_scenario_17_extension_keeps_the_original_date(cast, make_complaint, add_ir):
    alice, xander = cast["alice"], cast["xander"]
    with time_machine.travel(timezone.make_aware(dt.datetime(2027, 5, 10, 12)), tick=False):
        complaint = make_complaint(alice)
        ir = add_ir(alice, complaint, due=dt.date(2027, 6, 1))
        services.ir_send(actor=alice, complaint_ref=complaint.ref, refs=[ir.ref])
        ir.refresh_from_db()
        services.ir_extend(actor=alice, ref=ir.ref, new_due_date=dt.date(2027, 6, 15), expected_version=ir.version)
        ir.refresh_from_db()
        assert ir.due_date == dt.date(2027, 6, 15) and ir.original_due_date == dt.date(2027, 6, 1)
        assert list(ir.due_date_changes.values_list("old_due_date", "new_due_date")) == [
            (dt.date(2027, 6, 1), dt.date(2027, 6, 15))
        ]
        assert emails("ir.extended") == {xander.email, EXTRA_ADDRESS}

        company_poc_assign(actor=xander, ref=complaint.ref, poc=cast["xavi"], expected_version=None)
        ir.refresh_from_db()
        responses.response_submit(actor=cast["xavi"], ir_ref=ir.ref, text="Answer.", expected_version=ir.version)
        ir.refresh_from_db()
        before = snapshot(ir)
        with pytest.raises(ApplicationError) as exc:
            services.ir_extend(actor=alice, ref=ir.ref, new_due_date=dt.date(2027, 6, 30), expected_version=ir.version)
        assert exc.value.code == "ir_invalid_transition"
        assert snapshot(ir) == before


def test_scenario_18_reminder_falls_back_to_contact_and_addresses(sent_ir, cast):
    alice, xander = cast["alice"], cast["xander"]
    reminder = services.ir_remind(actor=alice, ref=sent_ir.ref)
    assert set(reminder.recipients) == {xander.email, EXTRA_ADDRESS}
    assert emails("ir.reminder.manual") == {xander.email, EXTRA_ADDRESS}
    history = list(Reminder.objects.filter(information_request=sent_ir))
    assert len(history) == 1 and history[0].sent_at is not None and history[0].sent_by == alice


def test_scenario_19_send_back_request_then_closure_blocks_it(with_poc, cast):
    ir, alice, mark, xavi = with_poc, cast["alice"], cast["mark"], cast["xavi"]
    _submit(ir, xavi, "Answer.")
    with pytest.raises(PermissionDenied):
        responses.ir_request_send_back(actor=cast["xiu"], ir_ref=ir.ref, reason="Typo", expected_version=ir.version)
    responses.ir_request_send_back(
        actor=xavi, ir_ref=ir.ref, reason="We attached the wrong statement.", expected_version=ir.version
    )
    ir.refresh_from_db()
    assert ir.status == IRStatus.SEND_BACK_REQUESTED
    notice = OutboxMessage.objects.get(event="ir.send_back_requested", to_email=mark.email)
    assert "We attached the wrong statement." in notice.text_body
    assert emails("ir.send_back_requested") == {mark.email, alice.email}

    services.ir_decline_send_back(actor=mark, ref=ir.ref, expected_version=ir.version)
    ir.refresh_from_db()
    assert ir.status == IRStatus.SENT_TO_AGENCY
    complaint = ir.complaint
    complaint.refresh_from_db()
    complaint_services.complaint_close(
        actor=alice,
        ref=complaint.ref,
        closure={"reason": "closed_with_explanation"},
        expected_version=complaint.version,
    )
    before = snapshot(ir)
    with pytest.raises(ApplicationError) as exc:
        responses.ir_request_send_back(actor=xavi, ir_ref=ir.ref, reason="Again", expected_version=ir.version)
    assert exc.value.code == "complaint_locked"
    assert snapshot(ir) == before


def test_scenario_20_company_isolation(sent_ir, cast, company_admin_y):
    ir = sent_ir
    with pytest.raises(NotFound) as by_ref:
        selectors.company_ir_get_for(actor=company_admin_y, ir_ref=ir.ref)
    with pytest.raises(NotFound) as missing:
        selectors.company_ir_get_for(actor=company_admin_y, ir_ref="IR-2099-999999")
    assert str(by_ref.value) == str(missing.value)
    with pytest.raises(NotFound):
        selectors.company_irs_for_complaint(actor=company_admin_y, ref=ir.complaint.ref)
    assert selectors.company_ir_list_for(actor=company_admin_y) == []
    with pytest.raises(NotFound):
        responses.response_save_draft(actor=company_admin_y, ir_ref=ir.ref, text="x", expected_version=None)
    with pytest.raises(NotFound):
        selectors.ir_get_for(actor=company_admin_y, ir_ref=ir.ref)


def test_scenario_21_company_sees_no_agency_only_ir_data(with_poc, cast):
    ir, mark, xavi = with_poc, cast["mark"], cast["xavi"]
    _submit(ir, xavi, "Answer.")
    services.ir_quick_look(actor=mark, ref=ir.ref, complete=True, expected_version=ir.version)
    view = selectors.company_ir_get_for(actor=xavi, ir_ref=ir.ref)
    fields = set(view.__dataclass_fields__)
    assert not {"quick_look_complete", "quick_look_by", "quick_look_at", "canceled_by", "created_by"} & fields
    assert view.title == ir.title and view.due_date == ir.due_date
    with pytest.raises(NotFound):
        selectors.ir_get_for(actor=xavi, ir_ref=ir.ref)  # the agency projection is not for companies
