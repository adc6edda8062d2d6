import pytest

from redress.audit.models import AuditEvent
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed
from redress.records.models import LegalHold
from redress.records.schedule import is_on_hold
from redress.records.services import legal_hold_lift, legal_hold_place

pytestmark = pytest.mark.django_db


def test_supervisor_places_and_lifts_a_hold_with_audit(closed_complaint, supervisor_a):
    complaint = closed_complaint(supervisor_a)
    hold = legal_hold_place(actor=supervisor_a, scope="complaint", reason="Subpoena", complaint_ref=complaint.ref)
    assert hold.is_active and hold.target_label == complaint.ref and is_on_hold(complaint)
    placed = AuditEvent.objects.get(action="records.hold_placed")
    assert placed.reason == "Subpoena" and placed.agency_id == complaint.agency_id
    lifted = legal_hold_lift(actor=supervisor_a, hold_id=hold.pk, reason="Released", expected_version=1)
    assert not lifted.is_active and lifted.lift_reason == "Released" and lifted.version == 2
    assert AuditEvent.objects.filter(action="records.hold_lifted", reason="Released").count() == 1
    assert not is_on_hold(complaint)
    with pytest.raises(ApplicationError) as exc:
        legal_hold_lift(actor=supervisor_a, hold_id=hold.pk, reason="again", expected_version=None)
    assert exc.value.code == "hold_already_lifted"


@pytest.mark.parametrize("who", ["manager_a", "viewer_a"])
def test_only_supervisors_place_or_lift(request, who, supervisor_a, agency_a):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        legal_hold_place(actor=user, scope="agency", reason="x")
    assert not LegalHold.objects.exists()
    assert AuditEvent.objects.filter(action="records.hold_place_refused", is_security=True).count() == 1
    hold = legal_hold_place(actor=supervisor_a, scope="agency", reason="Audit")
    with pytest.raises(PermissionDenied):
        legal_hold_lift(actor=user, hold_id=hold.pk, reason="no", expected_version=None)
    hold.refresh_from_db()
    assert hold.is_active and hold.version == 1


@pytest.mark.parametrize("who", ["supervisor_b", "company_admin_x", "sysadmin"])
def test_outsiders_get_not_found(request, who, closed_complaint, supervisor_a):
    user = request.getfixturevalue(who)
    complaint = closed_complaint(supervisor_a)
    hold = legal_hold_place(actor=supervisor_a, scope="agency", reason="Audit")
    with pytest.raises(NotFound):
        legal_hold_lift(actor=user, hold_id=hold.pk, reason="no", expected_version=None)
    hold.refresh_from_db()
    assert hold.is_active
    if who == "supervisor_b":
        # Another agency's complaint is "not found" as a hold target, exactly like a missing one.
        with pytest.raises(ApplicationError) as exc:
            legal_hold_place(actor=user, scope="complaint", reason="x", complaint_ref=complaint.ref)
        assert exc.value.code == "complaint_not_found"
    else:
        with pytest.raises(NotFound):
            legal_hold_place(actor=user, scope="agency", reason="x")
    assert LegalHold.objects.count() == 1


def test_bad_input_is_refused(supervisor_a):
    for kwargs, code in [
        ({"scope": "planet", "reason": "x"}, "invalid_scope"),
        ({"scope": "agency", "reason": "  "}, "required"),
        ({"scope": "complaint", "reason": "x", "complaint_ref": "CMP-1999-000001"}, "complaint_not_found"),
        ({"scope": "company", "reason": "x", "company_id": 999999}, "company_not_found"),
    ]:
        with pytest.raises(ApplicationError) as exc:
            legal_hold_place(actor=supervisor_a, **kwargs)
        assert exc.value.code == code
    assert not LegalHold.objects.exists()


def test_stale_version_is_refused(supervisor_a):
    hold = legal_hold_place(actor=supervisor_a, scope="agency", reason="Audit")
    with pytest.raises(PreconditionFailed):
        legal_hold_lift(actor=supervisor_a, hold_id=hold.pk, reason="done", expected_version=7)
    hold.refresh_from_db()
    assert hold.is_active
