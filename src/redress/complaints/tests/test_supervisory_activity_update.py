"""Changing a supervisory activity's details (``related.supervisory_activity_update``): who may,
the version check, the field and company rules of recording one, and the audit of exactly what
changed."""

from __future__ import annotations

import pytest

from redress.agencies.constants import NO_COMPLAINTS_ROLE
from redress.agencies.services import agency_user_create
from redress.audit.models import AuditEvent
from redress.complaints import related
from redress.complaints.models import SupervisoryActivity
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(supervisor_a, company_x) -> SupervisoryActivity:
    return related.supervisory_activity_create(
        actor=supervisor_a, activity_type="examination", company=company_x, name="2026 servicing exam"
    )


def _row(activity: SupervisoryActivity) -> tuple:
    fresh = SupervisoryActivity.objects.get(pk=activity.pk)
    return (fresh.activity_type, fresh.name, fresh.status, fresh.company_id, fresh.version)


def test_manager_changes_every_detail_and_the_change_is_audited(manager_a, activity, company_x, company_y):
    updated = related.supervisory_activity_update(
        actor=manager_a,
        activity_ref=activity.ref.lower(),
        expected_version=1,
        activity_type="investigation",
        name="  Servicing investigation ",
        status="in_progress",
        company_ref=company_y.company_ref,
    )
    assert _row(updated) == ("investigation", "Servicing investigation", "in_progress", company_y.pk, 2)
    event = AuditEvent.objects.get(action="supervisory_activity.updated")
    assert event.old_values == {
        "activity_type": "examination",
        "name": "2026 servicing exam",
        "status": "scheduled",
        "company": company_x.company_ref,
    }
    assert event.new_values == {
        "activity_type": "investigation",
        "name": "Servicing investigation",
        "status": "in_progress",
        "company": company_y.company_ref,
    }
    assert event.target_id == str(activity.pk) and event.agency_id == activity.agency_id
    assert event.actor_id == manager_a.pk


def test_only_what_changed_is_recorded_and_an_unchanged_save_is_no_change(supervisor_a, activity, company_x):
    same = related.supervisory_activity_update(
        actor=supervisor_a,
        activity_ref=activity.ref,
        expected_version=1,
        activity_type="examination",
        name="2026 servicing exam",
        status="scheduled",
        nmls_id=company_x.nmls_id,
        company_ref="",
    )
    assert same.version == 1 and not AuditEvent.objects.filter(action="supervisory_activity.updated").exists()
    related.supervisory_activity_update(
        actor=supervisor_a, activity_ref=activity.ref, expected_version=1, status="completed"
    )
    event = AuditEvent.objects.get(action="supervisory_activity.updated")
    assert (event.old_values, event.new_values) == ({"status": "scheduled"}, {"status": "completed"})
    assert _row(activity)[2:] == ("completed", company_x.pk, 2)


def test_company_given_by_nmls_id_or_removed(supervisor_a, activity, company_y):
    related.supervisory_activity_update(
        actor=supervisor_a, activity_ref=activity.ref, expected_version=1, nmls_id=company_y.nmls_id
    )
    assert _row(activity)[3] == company_y.pk
    related.supervisory_activity_update(
        actor=supervisor_a, activity_ref=activity.ref, expected_version=2, nmls_id="", company_ref=""
    )
    assert _row(activity)[3:] == (None, 3)
    last = AuditEvent.objects.filter(action="supervisory_activity.updated").latest("pk")
    assert (last.old_values, last.new_values) == ({"company": company_y.company_ref}, {"company": None})


def test_a_stale_version_changes_nothing(supervisor_a, manager_a, activity):
    related.supervisory_activity_update(actor=manager_a, activity_ref=activity.ref, expected_version=1, name="New")
    before = _row(activity)
    with pytest.raises(PreconditionFailed) as exc:
        related.supervisory_activity_update(
            actor=supervisor_a, activity_ref=activity.ref, expected_version=1, name="Mine"
        )
    assert exc.value.code == "stale_version" and activity.ref in exc.value.detail
    assert _row(activity) == before


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"activity_type": "audit"}, "activity_type", "validation_error"),
        ({"activity_type": ""}, "activity_type", "validation_error"),
        ({"status": "closed"}, "status", "validation_error"),
        ({"status": ""}, "status", "validation_error"),
        ({"name": "x" * 201}, "name", "validation_error"),
        ({"nmls_id": "424242"}, "nmls_id", "related_not_found"),
        ({"company_ref": "CO-999999"}, "company_ref", "related_not_found"),
    ],
)
def test_field_errors_change_nothing(supervisor_a, activity, values, field, code):
    before = _row(activity)
    with pytest.raises(ApplicationError) as exc:
        related.supervisory_activity_update(actor=supervisor_a, activity_ref=activity.ref, expected_version=1, **values)
    fields = [e["field"] for e in exc.value.extra.get("errors", [])] or [exc.value.field]
    assert exc.value.code == code and fields == [field]
    assert _row(activity) == before


def test_viewers_are_refused_and_recorded_other_agencies_and_companies_find_nothing(
    viewer_a, supervisor_b, company_admin_x, sysadmin, activity
):
    before = _row(activity)
    with pytest.raises(PermissionDenied):
        related.supervisory_activity_update(actor=viewer_a, activity_ref=activity.ref, expected_version=1, name="X")
    assert AuditEvent.objects.filter(
        action="supervisory_activity.update_denied", is_security=True, actor_id=viewer_a.pk
    ).exists()
    for outsider in (supervisor_b, company_admin_x, sysadmin):
        with pytest.raises(NotFound):
            related.supervisory_activity_update(actor=outsider, activity_ref=activity.ref, expected_version=1, name="X")
    with pytest.raises(NotFound):
        related.supervisory_activity_update(actor=viewer_a, activity_ref="SA-999999", expected_version=1)
    assert _row(activity) == before
    assert not AuditEvent.objects.filter(action="supervisory_activity.updated").exists()


def test_a_user_with_no_complaints_role_is_refused(make_user, agency_a, agency_admin_a, activity):
    examiner = make_user(full_name="Eve Examiner")
    agency_user_create(
        actor=agency_admin_a,
        agency_id=agency_a.pk,
        email=examiner.email,
        full_name=examiner.full_name,
        complaints_role=NO_COMPLAINTS_ROLE,
    )
    with pytest.raises(PermissionDenied):
        related.supervisory_activity_update(actor=examiner, activity_ref=activity.ref, expected_version=1, name="X")
    assert _row(activity)[1] == "2026 servicing exam"
