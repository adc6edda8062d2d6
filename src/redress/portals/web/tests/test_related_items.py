"""The Related items tab of a complaint: listing, the six add forms, removal with confirmation,
permissions, the lock after closure, and a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redress.audit.models import AuditEvent
from redress.companies.models import Individual
from redress.complaints import related, services
from redress.complaints.models import (
    AgentLocation,
    Complaint,
    ComplaintSupervisoryActivity,
    RelatedCompany,
    RelatedComplaint,
    RelatedIndividual,
    RelatedNonNmlsEntity,
)
from redress.complaints.tests.conftest import intake_details, non_nmls_entity_for

pytestmark = pytest.mark.django_db

MODELS = {
    "complaint": RelatedComplaint,
    "company": RelatedCompany,
    "individual": RelatedIndividual,
    "non_nmls_entity": RelatedNonNmlsEntity,
    "supervisory_activity": ComplaintSupervisoryActivity,
    "agent_location": AgentLocation,
}


def _url(complaint, suffix: str = "") -> str:
    return f"/complaints/{complaint.ref}/related/{suffix}"


def _rows() -> dict[str, int]:
    return {kind: model.objects.count() for kind, model in MODELS.items()}


@pytest.fixture
def make_complaint(company_x) -> Callable[..., Complaint]:
    def make(actor, *, company=None) -> Complaint:
        return services.complaint_create(
            actor=actor,
            subject_type="company",
            subject_id=(company or company_x).pk,
            details=intake_details(),
            submit_for_review=False,
        )

    return make


@pytest.fixture
def complaint(make_complaint, supervisor_a):
    return make_complaint(supervisor_a)


@pytest.fixture
def world(make_complaint, supervisor_a, company_y):
    """Something of every kind that can be related."""
    Individual.objects.create(company=company_y, nmls_id="77001", first_name="Dana", last_name="Loan")
    return {
        "other": make_complaint(supervisor_a, company=company_y),
        "entity": non_nmls_entity_for(supervisor_a, "Quick Cash Online"),
        "activity": related.supervisory_activity_create(
            actor=supervisor_a, activity_type="examination", company=company_y, name="Servicing exam"
        ),
    }


def _valid_posts(world, company_y) -> dict[str, dict[str, str]]:
    return {
        "complaint": {"complaint-related_ref": world["other"].ref.lower()},
        "company": {"company-nmls_id": company_y.nmls_id, "company-company_ref": ""},
        "individual": {"individual-nmls_id": "77001", "individual-first_name": "", "individual-last_name": ""},
        "non_nmls_entity": {"non_nmls_entity-tracking_number": world["entity"].tracking_number},
        "supervisory_activity": {"supervisory_activity-activity_ref": world["activity"].ref},
        "agent_location": {
            "agent_location-agent_name": "Corner Store Agent",
            "agent_location-city": "Towson",
            "agent_location-state": "MD",
            "agent_location-postal_code": "21204",
        },
    }


def test_viewer_sees_the_tab_read_only(client, complaint, viewer_a, supervisor_a, world):
    related.supervisory_activity_link(actor=supervisor_a, ref=complaint.ref, activity_ref=world["activity"].ref)
    client.force_login(viewer_a)
    response = client.get(_url(complaint))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1 and 'aria-current="page"' in html and "Related items" in html
    assert world["activity"].ref in html and f'href="/supervisory-activities/{world["activity"].ref}/"' in html
    assert "<form" not in html.split("Related items</h2>")[1].split("</main>")[0]
    assert "Remove" not in html and "Add a related" not in html


def test_manager_sees_a_labelled_form_for_every_kind(client, complaint, manager_a):
    client.force_login(manager_a)
    html = client.get(_url(complaint)).content.decode()
    for kind in MODELS:
        assert f'action="/complaints/{complaint.ref}/related/{kind}/add/"' in html
    # Six forms on one page: the prefixes keep every id unique and every input labelled.
    for field_id in ("id_company-nmls_id", "id_individual-nmls_id", "id_agent_location-state"):
        assert html.count(f'id="{field_id}"') == 1 and f'for="{field_id}"' in html


@pytest.mark.parametrize("kind", list(MODELS))
def test_add_each_kind(client, complaint, supervisor_a, world, company_y, kind):
    client.force_login(supervisor_a)
    response = client.post(_url(complaint, f"{kind}/add/"), _valid_posts(world, company_y)[kind])
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{complaint.ref}/related/#related-{kind.replace('_', '-')}"
    assert MODELS[kind].objects.count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "was added to" in html
    if kind == "complaint":
        assert f'href="/complaints/{world["other"].ref}/"' in html
    if kind == "company":
        assert f'href="/companies/{company_y.pk}/"' in html
    assert AuditEvent.objects.filter(action="complaint.related_added").count() == 1


ERRORS = {
    "complaint": ({"complaint-related_ref": "CMP-1999-999999"}, "No complaint CMP-1999-999999 in your agency."),
    "company": ({"company-nmls_id": "", "company-company_ref": ""}, "Enter the NMLS ID or the Company ID."),
    "individual": ({"individual-first_name": "Lee"}, "or their first and last name"),
    "non_nmls_entity": ({"non_nmls_entity-tracking_number": "E-NOPE"}, "No Non-NMLS entity has that"),
    "supervisory_activity": ({"supervisory_activity-activity_ref": "SA-999999"}, "No supervisory activity SA-999999"),
    "agent_location": ({"agent_location-agent_name": "Agent", "agent_location-postal_code": "12"}, "ZIP"),
}


@pytest.mark.parametrize("kind", list(MODELS))
def test_refused_add_shows_the_error_on_its_form_and_changes_nothing(client, complaint, supervisor_a, world, kind):
    client.force_login(supervisor_a)
    before = _rows()
    data, message = ERRORS[kind]
    response = client.post(_url(complaint, f"{kind}/add/"), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html and "There is a problem" in html and 'aria-invalid="true"' in html
    assert html.count('<details class="margin-top-1" open>') == 1
    assert _rows() == before
    assert not AuditEvent.objects.filter(action="complaint.related_added").exists()


def test_an_item_cannot_be_added_twice(client, complaint, supervisor_a, world, company_y):
    client.force_login(supervisor_a)
    data = _valid_posts(world, company_y)["company"]
    client.post(_url(complaint, "company/add/"), data)
    response = client.post(_url(complaint, "company/add/"), data)
    assert response.status_code == 422 and "already related to this complaint" in response.content.decode()
    assert RelatedCompany.objects.count() == 1


def test_unknown_kind_is_not_found(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    assert client.post(_url(complaint, "bogus/add/"), {}).status_code == 404
    assert client.get(_url(complaint, "bogus/1/remove/")).status_code == 404


@pytest.mark.parametrize("kind", list(MODELS))
def test_viewer_is_refused_and_other_agency_gets_not_found(
    client, complaint, viewer_a, supervisor_b, world, company_y, kind
):
    data = _valid_posts(world, company_y)[kind]
    client.force_login(viewer_a)
    assert client.post(_url(complaint, f"{kind}/add/"), data).status_code == 403
    client.force_login(supervisor_b)
    assert client.post(_url(complaint, f"{kind}/add/"), data).status_code == 404
    assert client.get(_url(complaint)).status_code == 404
    assert sum(_rows().values()) == 0
    assert AuditEvent.objects.filter(action="complaint.related_add.denied", is_security=True).count() == 1


def test_company_users_cannot_open_the_tab(client, complaint, company_admin_x):
    client.force_login(company_admin_x)
    assert client.get(_url(complaint)).status_code == 404


def test_remove_asks_for_confirmation_then_removes(client, complaint, supervisor_a, world):
    link = related.supervisory_activity_link(actor=supervisor_a, ref=complaint.ref, activity_ref=world["activity"].ref)
    client.force_login(supervisor_a)
    html = client.get(_url(complaint)).content.decode()
    remove_url = _url(complaint, f"supervisory_activity/{link.pk}/remove/")
    assert f'action="{remove_url}"' in html and f'Remove<span class="usa-sr-only"> {world["activity"].ref}' in html
    # The row's button (and a plain link) only ask; nothing is removed yet.
    for response in (client.post(remove_url), client.get(remove_url)):
        page = response.content.decode()
        assert response.status_code == 200
        assert f"Remove the supervisory activity {world['activity'].ref}?" in page and "Yes, remove" in page
    assert ComplaintSupervisoryActivity.objects.count() == 1
    response = client.post(remove_url, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"].endswith("#related-supervisory-activity")
    assert not ComplaintSupervisoryActivity.objects.exists()
    assert "is no longer related to" in client.get(response["Location"]).content.decode()
    assert client.post(remove_url, {"confirm": "yes"}).status_code == 404


def test_related_complaint_is_removed_from_the_other_side(client, complaint, supervisor_a, world):
    other = world["other"]
    link = related.related_complaint_add(actor=supervisor_a, ref=complaint.ref, related_ref=other.ref)
    client.force_login(supervisor_a)
    assert f'href="/complaints/{complaint.ref}/"' in client.get(_url(other)).content.decode()
    response = client.post(_url(other, f"complaint/{link.pk}/remove/"), {"confirm": "yes"})
    assert response.status_code == 302 and not RelatedComplaint.objects.exists()


def test_remove_is_refused_to_viewers_and_other_agencies(
    client, make_complaint, complaint, supervisor_a, viewer_a, supervisor_b
):
    row = related.agent_location_add(actor=supervisor_a, ref=complaint.ref, agent_name="Main St Agent")
    url = _url(complaint, f"agent_location/{row.pk}/remove/")
    client.force_login(viewer_a)
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    client.force_login(supervisor_b)
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    assert AgentLocation.objects.filter(pk=row.pk).exists()
    # The id of another complaint's row is not found through this complaint.
    other = make_complaint(supervisor_a)
    foreign = related.agent_location_add(actor=supervisor_a, ref=other.ref, agent_name="Elsewhere")
    client.force_login(supervisor_a)
    foreign_url = _url(complaint, f"agent_location/{foreign.pk}/remove/")
    assert client.post(foreign_url, {"confirm": "yes"}).status_code == 404
    assert AgentLocation.objects.count() == 2


def test_closed_complaint_hides_the_forms_and_refuses_changes(client, complaint, supervisor_a):
    row = related.agent_location_add(actor=supervisor_a, ref=complaint.ref, agent_name="Main St Agent")
    services.complaint_close(
        actor=supervisor_a, ref=complaint.ref, closure={"reason": "closed_with_explanation"}, expected_version=None
    )
    client.force_login(supervisor_a)
    html = client.get(_url(complaint)).content.decode()
    assert "Main St Agent" in html and "can no longer be changed" in html
    assert "Add a related" not in html and "Remove<span" not in html
    response = client.post(_url(complaint, "agent_location/add/"), {"agent_location-agent_name": "New"}, follow=True)
    assert "is closed and can no longer be changed" in response.content.decode()
    response = client.post(_url(complaint, f"agent_location/{row.pk}/remove/"), {"confirm": "yes"}, follow=True)
    assert "is closed and can no longer be changed" in response.content.decode()
    assert list(AgentLocation.objects.values_list("agent_name", flat=True)) == ["Main St Agent"]
    assert client.get(_url(complaint, f"agent_location/{row.pk}/remove/")).status_code == 403


def _fill(supervisor_a, complaint, make_complaint, entities: list) -> None:
    for n, entity in enumerate(entities):
        other = make_complaint(supervisor_a)
        related.related_complaint_add(actor=supervisor_a, ref=complaint.ref, related_ref=other.ref)
        related.related_individual_add(actor=supervisor_a, ref=complaint.ref, first_name="Lee", last_name=f"Ross{n}")
        related.agent_location_add(actor=supervisor_a, ref=complaint.ref, agent_name=f"Agent {n}", city="Towson")
        activity = related.supervisory_activity_create(actor=supervisor_a, activity_type="other", name=f"SA {n}")
        related.supervisory_activity_link(actor=supervisor_a, ref=complaint.ref, activity_ref=activity.ref)
        related.related_entity_add(actor=supervisor_a, ref=complaint.ref, tracking_number=entity.tracking_number)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_tab_takes_the_same_number_of_queries_for_one_or_many_rows(
    client, make_complaint, supervisor_a, company_x, company_y
):
    one, many = make_complaint(supervisor_a), make_complaint(supervisor_a)
    # An entity is created once and related to both.
    entities = [non_nmls_entity_for(supervisor_a, f"Entity {n:03}") for n in range(6)]
    _fill(supervisor_a, one, make_complaint, entities[:1])
    _fill(supervisor_a, many, make_complaint, entities)
    related.related_company_add(actor=supervisor_a, ref=one.ref, nmls_id=company_y.nmls_id)
    related.related_company_add(actor=supervisor_a, ref=many.ref, nmls_id=company_y.nmls_id)
    client.force_login(supervisor_a)
    _queries(client, _url(one))  # warm the session and per-process caches
    assert _queries(client, _url(one)) == _queries(client, _url(many))
