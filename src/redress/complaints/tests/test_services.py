import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from redress.audit.models import AuditEvent
from redress.complaints import selectors, services
from redress.complaints.constants import ClosureReason, Status
from redress.complaints.models import Complaint
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from .conftest import intake_details

pytestmark = pytest.mark.django_db


def _snapshot(complaint: Complaint) -> dict:
    complaint.refresh_from_db()
    return {f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields}


def test_bypass_review_opens_with_the_creator_as_agency_poc(make_complaint, supervisor_a, agency_a, company_x):
    complaint = make_complaint(supervisor_a)
    assert re.fullmatch(rf"CMP-{clock.today().year}-\d{{6}}", complaint.ref)
    assert complaint.status == Status.OPEN
    assert complaint.agency_poc == supervisor_a
    assert complaint.agency == agency_a and complaint.company == company_x
    assert complaint.subject_name == company_x.legal_name
    assert AuditEvent.objects.filter(action="complaint.created", target_id=str(complaint.pk)).count() == 1


def test_submit_for_review_is_pending_without_a_poc(make_complaint, manager_a):
    complaint = make_complaint(manager_a, review=True)
    assert complaint.status == Status.PENDING
    assert complaint.agency_poc is None


def test_complaint_ids_are_unique_and_increase(make_complaint, supervisor_a):
    refs = [make_complaint(supervisor_a).ref for _ in range(3)]
    numbers = [int(r.rsplit("-", 1)[1]) for r in refs]
    assert len(set(refs)) == 3 and numbers == sorted(numbers)


@pytest.mark.parametrize("user", ["viewer_a", "agency_admin_a", "company_admin_x", "sysadmin"])
def test_only_supervisors_and_managers_create(request, user, company_x):
    with pytest.raises(PermissionDenied):
        services.complaint_create(
            actor=request.getfixturevalue(user),
            subject_type="company",
            subject_id=company_x.pk,
            details=intake_details(),
            submit_for_review=False,
        )
    assert not Complaint.objects.exists()


def test_intake_reports_every_bad_field_and_saves_nothing(supervisor_a, company_x):
    with pytest.raises(ApplicationError) as exc:
        services.complaint_create(
            actor=supervisor_a,
            subject_type="company",
            subject_id=company_x.pk,
            details=intake_details(
                date_received=clock.today() + dt.timedelta(days=1),
                summary="  ",
                issue="Not an issue of mortgages",
                complainant_state="ZZ",
                amount_in_dispute_cents=-5,
            ),
            submit_for_review=False,
        )
    fields = {e["field"] for e in exc.value.extra["errors"]}
    assert fields == {"date_received", "summary", "issue", "complainant_state", "amount_in_dispute_cents"}
    assert not Complaint.objects.exists()


def test_sub_issue_must_belong_to_the_issue(supervisor_a, company_x):
    with pytest.raises(ApplicationError) as exc:
        services.complaint_create(
            actor=supervisor_a,
            subject_type="company",
            subject_id=company_x.pk,
            details=intake_details(sub_issue="Information belongs to someone else"),
            submit_for_review=False,
        )
    assert exc.value.extra["errors"][0]["field"] == "sub_issue"


def test_complete_review_needs_a_supervisor_or_manager_of_the_agency(
    make_complaint, manager_a, viewer_a, supervisor_b, supervisor_a
):
    complaint = make_complaint(manager_a, review=True)
    for bad_poc in (viewer_a, supervisor_b):
        with pytest.raises(ApplicationError) as exc:
            services.complaint_complete_review(
                actor=manager_a, ref=complaint.ref, agency_poc=bad_poc, changes=None, expected_version=complaint.version
            )
        assert exc.value.code == "invalid_agency_poc"
    assert _snapshot(complaint)["status"] == Status.PENDING
    done = services.complaint_complete_review(
        actor=manager_a,
        ref=complaint.ref,
        agency_poc=supervisor_a,
        changes={"summary": "Reviewed summary."},
        expected_version=complaint.version,
    )
    assert done.status == Status.OPEN and done.agency_poc == supervisor_a and done.summary == "Reviewed summary."


def test_stale_edit_is_refused_and_changes_nothing(make_complaint, supervisor_a, manager_a):
    complaint = make_complaint(supervisor_a)
    services.complaint_update(
        actor=manager_a, ref=complaint.ref, changes={"desired_outcome": "A"}, expected_version=complaint.version
    )
    before = _snapshot(complaint)
    with pytest.raises(PreconditionFailed):
        services.complaint_update(
            actor=supervisor_a, ref=complaint.ref, changes={"desired_outcome": "B"}, expected_version=1
        )
    assert _snapshot(complaint) == before


def test_viewer_cannot_edit_and_other_agency_cannot_see(make_complaint, supervisor_a, viewer_a, supervisor_b):
    complaint = make_complaint(supervisor_a)
    before = _snapshot(complaint)
    with pytest.raises(PermissionDenied):
        services.complaint_update(actor=viewer_a, ref=complaint.ref, changes={"summary": "x"}, expected_version=None)
    with pytest.raises(NotFound):
        services.complaint_update(
            actor=supervisor_b, ref=complaint.ref, changes={"summary": "x"}, expected_version=None
        )
    assert _snapshot(complaint) == before
    assert AuditEvent.objects.filter(action="complaint.update.denied", is_security=True).count() == 1


def test_close_with_monetary_relief_requires_amount_and_date(make_complaint, supervisor_a):
    complaint = make_complaint(supervisor_a)
    with pytest.raises(ApplicationError) as exc:
        services.complaint_close(
            actor=supervisor_a,
            ref=complaint.ref,
            closure={"reason": ClosureReason.MONETARY_RELIEF},
            expected_version=complaint.version,
        )
    assert {e["field"] for e in exc.value.extra["errors"]} == {"monetary_relief_cents", "relief_paid_on"}
    assert _snapshot(complaint)["status"] == Status.OPEN
    closure = services.complaint_close(
        actor=supervisor_a,
        ref=complaint.ref,
        closure={
            "reason": ClosureReason.MONETARY_RELIEF,
            "monetary_relief_cents": 7_500,
            "relief_paid_on": clock.today(),
            "internal_notes": "Fee refunded.",
        },
        expected_version=complaint.version,
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.closed_on == clock.today()
    assert closure.monetary_relief_cents == 7_500


def test_a_closed_complaint_is_locked(make_complaint, supervisor_a, manager_a):
    complaint = make_complaint(supervisor_a)
    services.complaint_close(
        actor=supervisor_a,
        ref=complaint.ref,
        closure={"reason": ClosureReason.CLOSED_WITH_EXPLANATION},
        expected_version=complaint.version,
    )
    complaint.refresh_from_db()
    before = _snapshot(complaint)
    for call in (
        lambda: services.complaint_update(
            actor=supervisor_a, ref=complaint.ref, changes={"summary": "x"}, expected_version=complaint.version
        ),
        lambda: services.complaint_assign_poc(
            actor=supervisor_a, ref=complaint.ref, poc=manager_a, expected_version=complaint.version
        ),
        lambda: services.complaint_cancel(
            actor=supervisor_a, ref=complaint.ref, reason="x", expected_version=complaint.version
        ),
    ):
        with pytest.raises(ApplicationError) as exc:
            call()
        assert exc.value.code in ("complaint_locked", "invalid_transition")
    assert _snapshot(complaint) == before


def test_reopen_within_a_year_keeps_every_closure(make_complaint, supervisor_a):
    complaint = make_complaint(supervisor_a)
    services.complaint_close(
        actor=supervisor_a, ref=complaint.ref, closure={"reason": "invalid"}, expected_version=complaint.version
    )
    complaint.refresh_from_db()
    reopened = services.complaint_reopen(
        actor=supervisor_a, ref=complaint.ref, reason="Consumer sent new evidence.", expected_version=complaint.version
    )
    assert reopened.status == Status.REOPENED
    services.complaint_close(
        actor=supervisor_a,
        ref=complaint.ref,
        closure={"reason": "non_monetary_relief"},
        expected_version=reopened.version,
    )
    reasons = list(complaint.closures.values_list("reason", "reopen_reason"))
    assert reasons == [("invalid", "Consumer sent new evidence."), ("non_monetary_relief", "")]


def test_reopen_after_a_year_is_refused(make_complaint, supervisor_a):
    complaint = make_complaint(supervisor_a)
    services.complaint_close(
        actor=supervisor_a, ref=complaint.ref, closure={"reason": "invalid"}, expected_version=complaint.version
    )
    complaint.refresh_from_db()
    with time_machine.travel(timezone.now() + dt.timedelta(days=366)), pytest.raises(ApplicationError) as exc:
        services.complaint_reopen(actor=supervisor_a, ref=complaint.ref, reason="late", expected_version=None)
    assert exc.value.code == "reopen_window_passed"
    assert _snapshot(complaint)["status"] == Status.CLOSED


def test_pending_review_may_close_only_as_duplicate_invalid_or_other_agency(make_complaint, manager_a):
    complaint = make_complaint(manager_a, review=True)
    with pytest.raises(ApplicationError):
        services.complaint_close(
            actor=manager_a, ref=complaint.ref, closure={"reason": "monetary_relief"}, expected_version=None
        )
    services.complaint_close(actor=manager_a, ref=complaint.ref, closure={"reason": "duplicate"}, expected_version=None)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED


def test_cancel_needs_a_reason_and_ends_all_work(make_complaint, supervisor_a):
    complaint = make_complaint(supervisor_a)
    with pytest.raises(ApplicationError):
        services.complaint_cancel(actor=supervisor_a, ref=complaint.ref, reason=" ", expected_version=None)
    canceled = services.complaint_cancel(
        actor=supervisor_a, ref=complaint.ref, reason="Entered in error.", expected_version=None
    )
    assert canceled.status == Status.CANCELED
    with pytest.raises(ApplicationError) as exc:
        services.complaint_reopen(actor=supervisor_a, ref=complaint.ref, reason="x", expected_version=None)
    assert exc.value.code == "invalid_transition"


def test_subject_cannot_change_after_the_first_ir(make_complaint, supervisor_a, company_y):
    complaint = make_complaint(supervisor_a)
    moved = services.complaint_update_subject(
        actor=supervisor_a, ref=complaint.ref, subject_type="company", subject_id=company_y.pk, expected_version=None
    )
    assert moved.company == company_y
    Complaint.objects.filter(pk=complaint.pk).update(first_ir_sent_at=timezone.now())
    with pytest.raises(ApplicationError) as exc:
        services.complaint_update_subject(
            actor=supervisor_a,
            ref=complaint.ref,
            subject_type="company",
            subject_id=complaint.company_id,
            expected_version=None,
        )
    assert exc.value.code == "subject_locked"


@pytest.mark.parametrize(
    ("user", "sees"),
    [
        ("supervisor_a", True),
        ("viewer_a", True),
        ("supervisor_b", False),
        ("sysadmin", False),
        ("company_admin_x", "after_ir"),
        ("company_viewer_x", "after_ir"),
        ("company_admin_y", False),
    ],
)
def test_visibility_matrix(request, make_complaint, supervisor_a, user, sees):
    complaint = make_complaint(supervisor_a)
    actor = request.getfixturevalue(user)

    def visible() -> bool:
        in_list = selectors.complaint_list_for(actor=actor).filter(pk=complaint.pk).exists()
        try:
            selectors.complaint_get_for(actor=actor, ref=complaint.ref)
            got = True
        except NotFound:
            got = False
        assert in_list == got
        return got

    assert visible() is (sees is True)
    Complaint.objects.filter(pk=complaint.pk).update(first_ir_sent_at=timezone.now())
    assert visible() is bool(sees)


def test_likely_duplicates_are_same_subject_and_complainant_within_30_days(make_complaint, supervisor_a, company_x):
    first = make_complaint(supervisor_a)
    make_complaint(supervisor_a, complainant_last_name="Other")
    dupes = selectors.likely_duplicates_for(
        actor=supervisor_a, company_id=company_x.pk, complainant_last_name="rivera", date_received=clock.today()
    )
    assert list(dupes) == [first]


def test_list_filters_and_search(make_complaint, supervisor_a, manager_a):
    a = make_complaint(supervisor_a, how_received="phone")
    b = make_complaint(manager_a, review=True, complainant_last_name="Nguyen", cfpb_id="555")
    f = selectors.ComplaintFilters
    assert list(selectors.complaint_list_for(actor=supervisor_a, filters=f(statuses=("pending",)))) == [b]
    assert list(selectors.complaint_list_for(actor=supervisor_a, filters=f(how_received="phone"))) == [a]
    assert list(selectors.complaint_list_for(actor=supervisor_a, filters=f(q="555"))) == [b]
    assert list(selectors.complaint_list_for(actor=supervisor_a, filters=f(q="nguyen"))) == [b]
    assert list(selectors.complaint_list_for(actor=supervisor_a, filters=f(q=a.ref))) == [a]
    assert list(selectors.complaint_list_for(actor=supervisor_a, filters=f(agency_poc_id=supervisor_a.pk))) == [a]


def test_review_completion_and_poc_change_notify_poc_and_supervisors(
    make_complaint, manager_a, supervisor_a, viewer_a, django_capture_on_commit_callbacks
):
    from redress.notifications.models import Notification, OutboxMessage

    complaint = make_complaint(manager_a, review=True)
    services.complaint_complete_review(
        actor=manager_a, ref=complaint.ref, agency_poc=manager_a, changes=None, expected_version=None
    )
    review = OutboxMessage.objects.filter(event="complaint.review_completed")
    assert sorted(review.values_list("to_email", flat=True)) == sorted([manager_a.email, supervisor_a.email])
    assert complaint.ref in review.first().subject
    services.complaint_assign_poc(actor=manager_a, ref=complaint.ref, poc=supervisor_a, expected_version=None)
    changed = OutboxMessage.objects.filter(event="complaint.poc_changed")
    assert sorted(changed.values_list("to_email", flat=True)) == sorted([manager_a.email, supervisor_a.email])
    assert not OutboxMessage.objects.filter(to_email=viewer_a.email).exists()
    assert Notification.objects.filter(user=supervisor_a, event="complaint.poc_changed").count() == 1


def test_list_filters_by_business_type_latest_closure_reason_and_overdue_ir(make_complaint, supervisor_a, company_x):
    from redress.information_requests import services as irs

    f = selectors.ComplaintFilters

    def listed(**filters) -> list:
        return list(selectors.complaint_list_for(actor=supervisor_a, filters=f(**filters)))

    consumer = make_complaint(supervisor_a, business_type="consumer_finance")
    reclosed = make_complaint(supervisor_a)
    for reason in (ClosureReason.DUPLICATE, ClosureReason.CLOSED_WITH_EXPLANATION):
        reclosed.refresh_from_db()
        if reclosed.status == Status.CLOSED:
            services.complaint_reopen(
                actor=supervisor_a, ref=reclosed.ref, reason="More came in.", expected_version=reclosed.version
            )
            reclosed.refresh_from_db()
        services.complaint_close(
            actor=supervisor_a, ref=reclosed.ref, closure={"reason": reason}, expected_version=reclosed.version
        )
    overdue = make_complaint(supervisor_a)
    ir = irs.ir_create(
        actor=supervisor_a,
        complaint_ref=overdue.ref,
        title="History",
        description="Send it.",
        due_date=clock.today() + dt.timedelta(days=3),
    )
    irs.ir_send(actor=supervisor_a, complaint_ref=overdue.ref, refs=[ir.ref])
    on_time = make_complaint(supervisor_a)
    ir2 = irs.ir_create(
        actor=supervisor_a,
        complaint_ref=on_time.ref,
        title="History",
        description="Send it.",
        due_date=clock.today() + dt.timedelta(days=30),
    )
    irs.ir_send(actor=supervisor_a, complaint_ref=on_time.ref, refs=[ir2.ref])

    assert listed(business_type="consumer_finance") == [consumer]
    # Only the latest closure's reason counts.
    assert listed(closure_reason=ClosureReason.CLOSED_WITH_EXPLANATION) == [reclosed]
    assert listed(closure_reason=ClosureReason.DUPLICATE) == []
    assert listed(overdue_ir=True) == []
    with time_machine.travel(clock.now() + dt.timedelta(days=5)):
        assert listed(overdue_ir=True) == [overdue]
        assert set(listed()) == {consumer, reclosed, overdue, on_time}
