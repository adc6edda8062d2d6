"""Random sequences of service calls against the lifecycle invariants.

Whatever order users act in: a status only ever follows the transition table, a refused call
changes nothing, a locked complaint's intake data never changes, every closure is kept, and the
audit chain stays intact.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from redress.audit.verify import verify_chain
from redress.complaints import services
from redress.complaints.constants import TRANSITIONS, Action, Status
from redress.complaints.models import Complaint
from redress.core.errors import ApplicationError

from .conftest import intake_details

ACTION_OF = {
    "complete_review": Action.COMPLETE_REVIEW,
    "close": Action.CLOSE,
    "reopen": Action.REOPEN,
    "cancel": Action.CANCEL,
}


@pytest.mark.django_db
def test_lifecycle_state_machine(supervisor_a, manager_a, viewer_a, company_x):
    actors = {"supervisor": supervisor_a, "manager": manager_a, "viewer": viewer_a}

    class Lifecycle(RuleBasedStateMachine):
        @initialize()
        def setup(self) -> None:
            self.refs: list[str] = []
            self.closures: dict[str, int] = {}

        @rule(review=st.booleans(), who=st.sampled_from(["supervisor", "manager"]))
        def create(self, review: bool, who: str) -> None:
            c = services.complaint_create(
                actor=actors[who],
                subject_type="company",
                subject_id=company_x.pk,
                details=intake_details(),
                submit_for_review=review,
            )
            self.refs.append(c.ref)
            self.closures[c.ref] = 0

        def _pick(self, data: st.DataObject) -> Complaint | None:
            if not self.refs:
                return None
            return Complaint.objects.get(ref=data.draw(st.sampled_from(self.refs)))

        @rule(
            data=st.data(),
            action=st.sampled_from(sorted(ACTION_OF)),
            who=st.sampled_from(sorted(actors)),
            reason=st.sampled_from(["duplicate", "invalid", "closed_with_explanation", "monetary_relief"]),
        )
        def act(self, data: st.DataObject, action: str, who: str, reason: str) -> None:
            complaint = self._pick(data)
            if complaint is None:
                return
            before = {f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields}
            actor = actors[who]
            try:
                if action == "complete_review":
                    services.complaint_complete_review(
                        actor=actor,
                        ref=complaint.ref,
                        agency_poc=manager_a,
                        changes=None,
                        expected_version=complaint.version,
                    )
                elif action == "close":
                    services.complaint_close(
                        actor=actor, ref=complaint.ref, closure={"reason": reason}, expected_version=complaint.version
                    )
                    self.closures[complaint.ref] += 1
                elif action == "reopen":
                    services.complaint_reopen(
                        actor=actor, ref=complaint.ref, reason="new facts", expected_version=complaint.version
                    )
                else:
                    services.complaint_cancel(
                        actor=actor, ref=complaint.ref, reason="error", expected_version=complaint.version
                    )
            except ApplicationError:
                complaint.refresh_from_db()
                after = {f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields}
                assert after == before, "a refused call changed the complaint"
                return
            complaint.refresh_from_db()
            assert who != "viewer", "a viewer changed a complaint"
            assert TRANSITIONS[(ACTION_OF[action], before["status"])] == complaint.status
            assert complaint.version == before["version"] + 1

        @rule(data=st.data())
        def edit(self, data: st.DataObject) -> None:
            complaint = self._pick(data)
            if complaint is None:
                return
            try:
                services.complaint_update(
                    actor=supervisor_a,
                    ref=complaint.ref,
                    changes={"desired_outcome": "changed"},
                    expected_version=complaint.version,
                )
            except ApplicationError as exc:
                assert complaint.status in (Status.CLOSED, Status.CANCELED)
                assert exc.code == "complaint_locked"
            else:
                assert complaint.status not in (Status.CLOSED, Status.CANCELED)

        @rule(data=st.data())
        def edit_locked(self, data: st.DataObject) -> None:
            locked = sorted(
                Complaint.objects.filter(ref__in=self.refs, status__in=(Status.CLOSED, Status.CANCELED)).values_list(
                    "ref", flat=True
                )
            )
            if not locked:
                return
            complaint = Complaint.objects.get(ref=data.draw(st.sampled_from(locked)))
            before = complaint.summary, complaint.version
            with pytest.raises(ApplicationError) as exc:
                services.complaint_update(
                    actor=supervisor_a,
                    ref=complaint.ref,
                    changes={"summary": "rewritten"},
                    expected_version=complaint.version,
                )
            assert exc.value.code == "complaint_locked"
            complaint.refresh_from_db()
            assert (complaint.summary, complaint.version) == before

        @invariant()
        def closures_are_kept(self) -> None:
            for ref, count in self.closures.items():
                assert Complaint.objects.get(ref=ref).closures.count() == count

        def teardown(self) -> None:
            assert verify_chain().ok

    run = Lifecycle.TestCase
    run.settings = settings(
        max_examples=12,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    run().runTest()
