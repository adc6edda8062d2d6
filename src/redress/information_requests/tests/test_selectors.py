"""IR Response Activity report, search within a complaint, and agency-side scoping."""

from __future__ import annotations

import pytest

from redress.complaints.exchange import company_poc_assign
from redress.core import clock
from redress.core.errors import NotFound
from redress.information_requests import responses, selectors, services
from redress.information_requests.selectors import ActivityFilters

from .conftest import at, later

pytestmark = pytest.mark.django_db


def _answered(cast, make_complaint, add_ir, *, due_in: int, answer_on: int, text: str, company=None, actor=None):
    actor = actor or cast["mark"]
    complaint = make_complaint(actor, company=company)
    ir = add_ir(actor, complaint, title="Payment history", due=later(due_in))
    services.ir_send(actor=actor, complaint_ref=complaint.ref, refs=[ir.ref])
    company_poc_assign(actor=cast["xander"], ref=complaint.ref, poc=cast["xavi"], expected_version=None)
    with at(later(answer_on)):
        responses.response_submit(actor=cast["xavi"], ir_ref=ir.ref, text=text, expected_version=None)
    return ir


def test_response_activity_counts_timely_and_late(cast, make_complaint, add_ir, supervisor_b):
    timely = _answered(cast, make_complaint, add_ir, due_in=10, answer_on=10, text="On the due date")
    late = _answered(cast, make_complaint, add_ir, due_in=5, answer_on=7, text="Two days late")
    _answered(cast, make_complaint, add_ir, due_in=5, answer_on=6, text="Other agency", actor=supervisor_b)

    window = ActivityFilters(date_from=clock.today(), date_to=later(30))
    report = selectors.ir_response_activity(actor=cast["alice"], filters=window)
    assert (report.total, report.timely, report.late) == (2, 1, 1)
    assert {r.information_request.ref for r in report.rows} == {timely.ref, late.ref}
    assert {r.information_request.ref: r.is_timely for r in report.rows} == {timely.ref: True, late.ref: False}

    only_late = selectors.ir_response_activity(
        actor=cast["alice"], filters=ActivityFilters(date_from=clock.today(), date_to=later(30), timeliness="late")
    )
    assert [r.information_request.ref for r in only_late.rows] == [late.ref] and only_late.total == 1
    narrow = selectors.ir_response_activity(
        actor=cast["alice"], filters=ActivityFilters(date_from=later(8), date_to=later(30))
    )
    assert [r.information_request.ref for r in narrow.rows] == [timely.ref]
    by_poc = selectors.ir_response_activity(
        actor=cast["alice"],
        filters=ActivityFilters(date_from=clock.today(), date_to=later(30), agency_poc_id=cast["alice"].pk),
    )
    assert by_poc.total == 0
    by_company = selectors.ir_response_activity(
        actor=cast["alice"],
        filters=ActivityFilters(
            date_from=clock.today(),
            date_to=later(30),
            company_id=timely.complaint.company_id,
            ir_status="sent_to_agency",
        ),
    )
    assert by_company.total == 2
    with pytest.raises(NotFound):
        selectors.ir_response_activity(actor=cast["xavi"], filters=window)


def test_canceled_complaints_are_left_out_of_the_report(cast, make_complaint, add_ir):
    from redress.complaints.services import complaint_cancel

    ir = _answered(cast, make_complaint, add_ir, due_in=10, answer_on=3, text="Answer")
    complaint_cancel(actor=cast["mark"], ref=ir.complaint.ref, reason="Withdrawn", expected_version=None)
    report = selectors.ir_response_activity(
        actor=cast["alice"], filters=ActivityFilters(date_from=clock.today(), date_to=later(30))
    )
    assert report.total == 0 and list(report.rows) == []


def test_search_covers_ir_text_and_submitted_responses_only(with_poc, cast, add_ir):
    mark, xavi, xiu = cast["mark"], cast["xavi"], cast["xiu"]
    complaint = with_poc.complaint
    other = add_ir(mark, complaint, title="Escrow analysis", description="Explain the escrow shortage.", due=later())
    services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[other.ref])
    responses.response_submit(
        actor=xavi, ir_ref=with_poc.ref, text="The LEDGER shows a reversal.", expected_version=None
    )
    responses.response_save_draft(actor=xiu, ir_ref=other.ref, text="draft mentions ledger too", expected_version=None)

    def refs(q):
        return [ir.ref for ir in selectors.ir_search_in_complaint(actor=cast["alice"], ref=complaint.ref, q=q)]

    assert refs("escrow") == [other.ref]
    assert refs("ledger") == [with_poc.ref]  # the company's unsent draft is not searchable by the agency
    assert refs("") == [with_poc.ref, other.ref]
    assert refs("nothing like this") == []


def test_agency_selectors_are_scoped_to_the_owning_agency(sent_ir, supervisor_b, vera):
    with pytest.raises(NotFound):
        selectors.irs_for_complaint(actor=supervisor_b, ref=sent_ir.complaint.ref)
    with pytest.raises(NotFound):
        selectors.ir_get_for(actor=supervisor_b, ir_ref=sent_ir.ref)
    assert [ir.ref for ir in selectors.irs_for_complaint(actor=vera, ref=sent_ir.complaint.ref)] == [sent_ir.ref]


def test_ir_list_costs_a_constant_number_of_queries(sent_ir, cast, add_ir, django_assert_max_num_queries):
    for n in range(5):
        add_ir(cast["mark"], sent_ir.complaint, title=f"Question {n}")
    with django_assert_max_num_queries(10):
        rows = list(selectors.irs_for_complaint(actor=cast["alice"], ref=sent_ir.complaint.ref))
        for ir in rows:
            _ = (ir.submitted_responses, list(ir.reminders.all()), ir.complaint.ref, ir.sent_by)
    assert len(rows) == 6


def test_ir_audit_history_is_for_the_owning_agency_only(sent_ir, cast, supervisor_b):
    from redress.audit.selectors import can_see_history

    target = {"target_type": "information_requests.informationrequest", "target_id": str(sent_ir.pk)}
    assert can_see_history(actor=cast["alice"], **target)
    assert not can_see_history(actor=supervisor_b, **target)
    assert not can_see_history(actor=cast["xander"], **target)
