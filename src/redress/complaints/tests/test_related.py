import pytest

from redress.audit.models import AuditEvent
from redress.companies.models import Individual
from redress.complaints import related, services
from redress.complaints.models import (
    AgentLocation,
    ComplaintSupervisoryActivity,
    RelatedCompany,
    RelatedComplaint,
    RelatedIndividual,
    RelatedNonNmlsEntity,
)
from redress.core.errors import ApplicationError, NotFound, PermissionDenied

from .conftest import non_nmls_entity_for

pytestmark = pytest.mark.django_db


def _close(complaint, actor):
    services.complaint_close(
        actor=actor, ref=complaint.ref, closure={"reason": "closed_with_explanation"}, expected_version=None
    )


def test_related_complaint_is_shown_on_both_sides_and_only_within_the_agency(
    make_complaint, supervisor_a, supervisor_b, company_y
):
    first = make_complaint(supervisor_a)
    second = make_complaint(supervisor_a, company=company_y)
    foreign = make_complaint(supervisor_b)
    link = related.related_complaint_add(actor=supervisor_a, ref=first.ref, related_ref=second.ref.lower())
    assert [c.ref for c in related.related_items_for(actor=supervisor_a, ref=first.ref).complaints] == [second.ref]
    assert [c.ref for c in related.related_items_for(actor=supervisor_a, ref=second.ref).complaints] == [first.ref]
    with pytest.raises(ApplicationError) as exc:
        related.related_complaint_add(actor=supervisor_a, ref=second.ref, related_ref=first.ref)
    assert exc.value.code == "already_related"
    with pytest.raises(ApplicationError) as exc:
        related.related_complaint_add(actor=supervisor_a, ref=first.ref, related_ref=foreign.ref)
    assert exc.value.code == "related_not_found" and exc.value.field == "related_ref"
    with pytest.raises(ApplicationError) as exc:
        related.related_complaint_add(actor=supervisor_a, ref=first.ref, related_ref=first.ref)
    assert exc.value.code == "related_self"
    assert RelatedComplaint.objects.count() == 1
    # Removed from the other side: the one row goes, for both.
    related.related_item_remove(actor=supervisor_a, ref=second.ref, kind="complaint", item_id=link.pk)
    assert related.related_items_for(actor=supervisor_a, ref=first.ref).complaints == []
    actions = list(AuditEvent.objects.filter(action__startswith="complaint.related").values_list("action", flat=True))
    assert actions == ["complaint.related_added", "complaint.related_removed"]


def test_related_company_individual_entity_and_agent_location(make_complaint, supervisor_a, company_x, company_y):
    complaint = make_complaint(supervisor_a)
    Individual.objects.create(company=company_y, nmls_id="77001", first_name="Dana", last_name="Loan")
    entity = non_nmls_entity_for(supervisor_a, "Quick Cash Online")
    related.related_company_add(actor=supervisor_a, ref=complaint.ref, nmls_id="2120")
    with pytest.raises(ApplicationError) as exc:
        related.related_company_add(actor=supervisor_a, ref=complaint.ref, company_ref=company_x.company_ref)
    assert exc.value.code == "related_is_subject"
    with pytest.raises(ApplicationError) as exc:
        related.related_company_add(actor=supervisor_a, ref=complaint.ref, nmls_id="999999")
    assert exc.value.code == "related_not_found"
    person = related.related_individual_add(actor=supervisor_a, ref=complaint.ref, nmls_id="77001")
    assert (person.first_name, person.last_name, person.individual is not None) == ("Dana", "Loan", True)
    by_name = related.related_individual_add(actor=supervisor_a, ref=complaint.ref, first_name="Lee", last_name="Ross")
    assert by_name.individual is None
    with pytest.raises(ApplicationError) as exc:
        related.related_individual_add(actor=supervisor_a, ref=complaint.ref, first_name="Lee")
    assert exc.value.field == "nmls_id"
    related.related_entity_add(actor=supervisor_a, ref=complaint.ref, tracking_number=entity.tracking_number)
    with pytest.raises(ApplicationError) as exc:
        related.agent_location_add(actor=supervisor_a, ref=complaint.ref, agent_name=" ", state="ZZ")
    assert [e["field"] for e in exc.value.extra["errors"]] == ["agent_name", "state"]
    related.agent_location_add(actor=supervisor_a, ref=complaint.ref, agent_name="Corner Store Agent", city="Towson")
    items = related.related_items_for(actor=supervisor_a, ref=complaint.ref)
    assert [r.company.nmls_id for r in items.companies] == ["2120"]
    assert len(items.individuals) == 2 and len(items.entities) == 1
    assert [a.agent_name for a in items.agent_locations] == ["Corner Store Agent"]


def test_supervisory_activity_link_is_symmetric(make_complaint, supervisor_a, manager_a, supervisor_b, company_x):
    complaint = make_complaint(supervisor_a)
    activity = related.supervisory_activity_create(actor=manager_a, activity_type="examination", company=company_x)
    assert activity.ref.startswith("SA-")
    related.supervisory_activity_link_complaint(
        actor=supervisor_a, activity_ref=activity.ref, complaint_ref=complaint.ref
    )
    assert [a.activity.ref for a in related.related_items_for(actor=supervisor_a, ref=complaint.ref).activities] == [
        activity.ref
    ]
    assert [c.ref for c in related.complaints_of_activity_for(actor=supervisor_a, activity_ref=activity.ref)] == [
        complaint.ref
    ]
    with pytest.raises(NotFound):
        related.complaints_of_activity_for(actor=supervisor_b, activity_ref=activity.ref)
    other = make_complaint(supervisor_b)
    with pytest.raises(ApplicationError) as exc:
        related.supervisory_activity_link(actor=supervisor_b, ref=other.ref, activity_ref=activity.ref)
    assert exc.value.code == "related_not_found"
    assert AuditEvent.objects.filter(action="supervisory_activity.complaint_linked").count() == 1


def test_refusals_change_nothing(make_complaint, supervisor_a, viewer_a, supervisor_b, company_admin_x):
    complaint = make_complaint(supervisor_a)
    for actor, error in ((viewer_a, PermissionDenied), (supervisor_b, NotFound), (company_admin_x, NotFound)):
        with pytest.raises(error):
            related.agent_location_add(actor=actor, ref=complaint.ref, agent_name="Agent")
        with pytest.raises(error):
            related.related_company_add(actor=actor, ref=complaint.ref, nmls_id="2120")
    with pytest.raises(NotFound):
        related.related_items_for(actor=company_admin_x, ref=complaint.ref)
    with pytest.raises(PermissionDenied):
        related.supervisory_activity_create(actor=viewer_a, activity_type="examination")
    assert AgentLocation.objects.count() == RelatedCompany.objects.count() == 0
    assert AuditEvent.objects.filter(action="complaint.related_add.denied", is_security=True).count() == 2


def test_related_items_locked_after_closure(make_complaint, supervisor_a, company_y):
    complaint = make_complaint(supervisor_a)
    row = related.related_company_add(actor=supervisor_a, ref=complaint.ref, nmls_id="2120")
    _close(complaint, supervisor_a)
    with pytest.raises(ApplicationError) as exc:
        related.related_individual_add(actor=supervisor_a, ref=complaint.ref, first_name="A", last_name="B")
    assert exc.value.code == "complaint_locked"
    with pytest.raises(ApplicationError) as exc:
        related.related_item_remove(actor=supervisor_a, ref=complaint.ref, kind="company", item_id=row.pk)
    assert exc.value.code == "complaint_locked"
    assert RelatedCompany.objects.filter(pk=row.pk).exists()
    assert not RelatedIndividual.objects.exists() and not RelatedNonNmlsEntity.objects.exists()
    assert not ComplaintSupervisoryActivity.objects.exists()


def test_remove_unknown_item_or_kind(make_complaint, supervisor_a):
    complaint = make_complaint(supervisor_a)
    with pytest.raises(NotFound):
        related.related_item_remove(actor=supervisor_a, ref=complaint.ref, kind="agent_location", item_id=12345)
    with pytest.raises(ApplicationError) as exc:
        related.related_item_remove(actor=supervisor_a, ref=complaint.ref, kind="bogus", item_id=1)
    assert exc.value.field == "kind"


def test_activity_create_by_company_id_and_field_errors(supervisor_a, company_x, company_y):
    by_nmls = related.supervisory_activity_create(actor=supervisor_a, activity_type="examination", nmls_id="2120")
    by_ref = related.supervisory_activity_create(
        actor=supervisor_a, activity_type="other", company_ref=company_x.company_ref.lower()
    )
    assert (by_nmls.company, by_ref.company) == (company_y, company_x)
    with pytest.raises(ApplicationError) as exc:
        related.supervisory_activity_create(actor=supervisor_a, activity_type="other", company_ref="CO-999999")
    assert (exc.value.code, exc.value.field) == ("related_not_found", "company_ref")
    assert related.supervisory_activity_create(actor=supervisor_a, activity_type="other").company is None


def test_schedule_counts_per_company_and_agency_scope(make_complaint, supervisor_a, supervisor_b, viewer_a, company_x):
    first, second = make_complaint(supervisor_a), make_complaint(supervisor_a)
    exam = related.supervisory_activity_create(actor=supervisor_a, activity_type="examination", company=company_x)
    probe = related.supervisory_activity_create(actor=supervisor_a, activity_type="investigation", company=company_x)
    related.supervisory_activity_create(actor=supervisor_a, activity_type="other")
    foreign = related.supervisory_activity_create(actor=supervisor_b, activity_type="examination", company=company_x)

    def counts(actor):
        return [(c.company_id, c.activities, c.complaints) for c in related.activity_counts_by_company_for(actor=actor)]

    assert counts(viewer_a) == [(company_x.pk, 2, 0)]
    related.supervisory_activity_link(actor=supervisor_a, ref=first.ref, activity_ref=exam.ref)
    assert counts(viewer_a) == [(company_x.pk, 2, 1)]
    # The same complaint on two activities of the company counts once; another complaint adds one.
    related.supervisory_activity_link(actor=supervisor_a, ref=first.ref, activity_ref=probe.ref)
    related.supervisory_activity_link(actor=supervisor_a, ref=second.ref, activity_ref=probe.ref)
    assert counts(viewer_a) == [(company_x.pk, 2, 2)]
    assert counts(supervisor_b) == [(company_x.pk, 1, 0)]
    listed = related.supervisory_activities_for(actor=viewer_a)
    assert [(a.ref, a.complaint_count) for a in listed][1:] == [(probe.ref, 2), (exam.ref, 1)]
    assert foreign.ref not in {a.ref for a in listed}
    assert [a.ref for a in related.supervisory_activities_for(actor=viewer_a, company_id=company_x.pk)] == [
        probe.ref,
        exam.ref,
    ]


def test_activity_reads_are_agency_only(supervisor_a, company_admin_x, sysadmin):
    activity = related.supervisory_activity_create(actor=supervisor_a, activity_type="other")
    for outsider in (company_admin_x, sysadmin):
        with pytest.raises(NotFound):
            related.supervisory_activities_for(actor=outsider)
        with pytest.raises(NotFound):
            related.activity_counts_by_company_for(actor=outsider)
        with pytest.raises(NotFound):
            related.supervisory_activity_get_for(actor=outsider, activity_ref=activity.ref)


def test_unlink_from_the_activity_side(make_complaint, supervisor_a, viewer_a, supervisor_b):
    complaint = make_complaint(supervisor_a)
    activity = related.supervisory_activity_create(actor=supervisor_a, activity_type="examination")
    related.supervisory_activity_link(actor=supervisor_a, ref=complaint.ref, activity_ref=activity.ref)
    with pytest.raises(PermissionDenied):
        related.supervisory_activity_unlink_complaint(
            actor=viewer_a, activity_ref=activity.ref, complaint_ref=complaint.ref
        )
    with pytest.raises(NotFound):
        related.supervisory_activity_unlink_complaint(
            actor=supervisor_b, activity_ref=activity.ref, complaint_ref=complaint.ref
        )
    assert ComplaintSupervisoryActivity.objects.count() == 1
    related.supervisory_activity_unlink_complaint(
        actor=supervisor_a, activity_ref=activity.ref.lower(), complaint_ref=complaint.ref.lower()
    )
    assert related.related_items_for(actor=supervisor_a, ref=complaint.ref).activities == []
    assert AuditEvent.objects.filter(action="supervisory_activity.complaint_unlinked").count() == 1
    with pytest.raises(NotFound):
        related.supervisory_activity_unlink_complaint(
            actor=supervisor_a, activity_ref=activity.ref, complaint_ref=complaint.ref
        )
