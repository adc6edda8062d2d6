"""Random sequences of IR service calls, by allowed and refused users, against the invariants:
a status only follows the transition table, a refused call changes nothing, the original due date
never moves after sending, rounds count the send-backs, and the audit chain stays intact."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from redress.audit.verify import verify_chain
from redress.complaints.exchange import company_poc_assign
from redress.core.errors import ApplicationError
from redress.information_requests import responses, services
from redress.information_requests.constants import TRANSITIONS, IRAction, ResponseStatus, SendBackKind
from redress.information_requests.models import InformationRequest

from .conftest import later

# action -> (transition action, callable(actor, ir))
CALLS = {
    "extend": (IRAction.EXTEND, lambda a, ir: services.ir_extend(
        actor=a, ref=ir.ref, new_due_date=(ir.due_date or later()) + dt.timedelta(days=3), expected_version=ir.version
    )),
    "cancel": (IRAction.CANCEL, lambda a, ir: services.ir_cancel(actor=a, ref=ir.ref, expected_version=ir.version)),
    "remind": (IRAction.REMIND, lambda a, ir: services.ir_remind(actor=a, ref=ir.ref)),
    "draft": (IRAction.COMPANY_DRAFT, lambda a, ir: responses.response_save_draft(
        actor=a, ir_ref=ir.ref, text="Draft text", expected_version=ir.version
    )),
    "to_poc": (IRAction.SEND_TO_POC, lambda a, ir: responses.response_send_to_poc(
        actor=a, ir_ref=ir.ref, expected_version=ir.version
    )),
    "submit": (IRAction.SUBMIT, lambda a, ir: responses.response_submit(
        actor=a, ir_ref=ir.ref, text="Final text", expected_version=ir.version
    )),
    "send_back": (IRAction.SEND_BACK, lambda a, ir: services.ir_send_back(
        actor=a, ref=ir.ref, new_due_date=later(40), explanation="More please", expected_version=ir.version
    )),
    "request_send_back": (IRAction.REQUEST_SEND_BACK, lambda a, ir: responses.ir_request_send_back(
        actor=a, ir_ref=ir.ref, reason="Wrong file", expected_version=ir.version
    )),
    "decline": (IRAction.DECLINE_SEND_BACK, lambda a, ir: services.ir_decline_send_back(
        actor=a, ref=ir.ref, expected_version=ir.version
    )),
}  # fmt: skip


def _state(ir: InformationRequest) -> dict:
    ir.refresh_from_db()
    return {f.attname: getattr(ir, f.attname) for f in InformationRequest._meta.concrete_fields}


@pytest.mark.django_db
def test_ir_exchange_state_machine(cast, vera, make_complaint, add_ir):
    mark, xavi = cast["mark"], cast["xavi"]
    people = {"mark": mark, "vera": vera, "xavi": xavi, "xiu": cast["xiu"], "xander": cast["xander"]}
    complaint = make_complaint(mark)
    first = add_ir(mark, complaint, due=later())
    services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[first.ref])
    company_poc_assign(actor=cast["xander"], ref=complaint.ref, poc=xavi, expected_version=None)

    class Exchange(RuleBasedStateMachine):
        @initialize()
        def setup(self) -> None:
            self.refs = [first.ref]
            self.original = {first.ref: later()}

        @rule()
        def send_another(self) -> None:
            ir = add_ir(mark, complaint, due=later(20))
            services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[ir.ref])
            self.refs.append(ir.ref)
            self.original[ir.ref] = later(20)

        @rule(data=st.data(), call=st.sampled_from(sorted(CALLS)), who=st.sampled_from(sorted(people)))
        def act(self, data: st.DataObject, call: str, who: str) -> None:
            ir = InformationRequest.objects.get(ref=data.draw(st.sampled_from(self.refs)))
            before = _state(ir)
            action, fn = CALLS[call]
            try:
                fn(people[who], ir)
            except ApplicationError:
                assert _state(ir) == before, f"a refused {call} by {who} changed the IR"
                return
            after = _state(ir)
            assert TRANSITIONS[(action, before["status"])] == after["status"]
            if call in ("submit", "request_send_back"):
                assert who == "xavi", "only the Company POC submits or asks for a send-back"
            if call in ("extend", "cancel", "send_back", "decline", "remind"):
                assert who == "mark"

        @invariant()
        def history_is_consistent(self) -> None:
            for ir in InformationRequest.objects.filter(ref__in=self.refs):
                assert ir.original_due_date == self.original[ir.ref]
                backs = ir.send_backs.filter(kind=SendBackKind.AGENCY).count()
                assert ir.round == backs + 1
                submitted = ir.responses.filter(status=ResponseStatus.SUBMITTED).count()
                assert submitted in (backs, backs + 1)

        def teardown(self) -> None:
            assert verify_chain().ok

    run = Exchange.TestCase
    run.settings = settings(
        max_examples=10,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    run().runTest()
