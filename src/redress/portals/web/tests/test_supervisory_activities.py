"""Supervisory activity pages: the schedule list with its counts per company, the create form, the
record with its linked complaints, the edit form, and scenario 38 (the link is visible from both
sides)."""

from __future__ import annotations

import pytest

from redress.audit.models import AuditEvent
from redress.complaints import related, services
from redress.complaints.models import ComplaintSupervisoryActivity, SupervisoryActivity
from redress.complaints.tests.conftest import intake_details
from redress.information_requests import services as ir_services
from redress.information_requests.models import InformationRequest

pytestmark = pytest.mark.django_db


def _complaint(actor, company):
    return services.complaint_create(
        actor=actor, subject_type="company", subject_id=company.pk, details=intake_details(), submit_for_review=False
    )


@pytest.fixture
def activity(supervisor_a, company_x):
    return related.supervisory_activity_create(
        actor=supervisor_a, activity_type="examination", company=company_x, name="2026 servicing exam"
    )


def _count_cell(html: str, company) -> str:
    """The "Linked complaints" cell of the company's row in the per-company table."""
    row = html.split(f'<a class="usa-link" href="/companies/{company.pk}/">{company.legal_name}</a></th>')[1]
    return row.split("</tr>")[0].rsplit("<td>", 1)[1].split("</td>")[0]


def test_scenario_38_link_is_visible_from_both_sides(client, supervisor_a, company_x, activity):
    complaint = _complaint(supervisor_a, company_x)
    ir = ir_services.ir_create(
        actor=supervisor_a, complaint_ref=complaint.ref, title="Account history", description="Please send it."
    )
    client.force_login(supervisor_a)
    schedule = client.get("/supervisory-activities/").content.decode()
    assert _count_cell(schedule, company_x) == "0"
    company_page = client.get(f"/companies/{company_x.pk}/").content.decode()
    assert "0 complaints are linked to it." in company_page

    response = client.post(
        f"/complaints/{complaint.ref}/related/supervisory_activity/add/",
        {"supervisory_activity-activity_ref": activity.ref},
    )
    assert response.status_code == 302
    # The complaint lists the activity ...
    tab = client.get(f"/complaints/{complaint.ref}/related/").content.decode()
    assert f'href="/supervisory-activities/{activity.ref}/">{activity.ref}</a>' in tab
    # ... the activity's record lists the complaint ...
    record = client.get(f"/supervisory-activities/{activity.ref}/").content.decode()
    assert f'href="/complaints/{complaint.ref}/related/">{complaint.ref}</a>' in record
    # ... the company's complaint count in the schedule view goes up by one ...
    assert _count_cell(client.get("/supervisory-activities/").content.decode(), company_x) == "1"
    assert "1 complaint is linked to it." in client.get(f"/companies/{company_x.pk}/").content.decode()
    # ... and none of the complaint's IRs is copied to the activity.
    assert list(InformationRequest.objects.values_list("pk", "complaint_id")) == [(ir.pk, complaint.pk)]


def test_list_shows_activities_of_the_agency_only(client, supervisor_a, supervisor_b, viewer_a, company_x, activity):
    foreign = related.supervisory_activity_create(actor=supervisor_b, activity_type="investigation")
    client.force_login(viewer_a)
    response = client.get("/supervisory-activities/")
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<h1") == 1
    assert activity.ref in html and "2026 servicing exam" in html and foreign.ref not in html
    assert "Record a supervisory activity" not in html
    # Reached from the company registry (the top navigation has no room left).
    assert 'href="/supervisory-activities/"' in client.get("/companies/").content.decode()
    filtered = client.get(f"/supervisory-activities/?company={company_x.pk}").content.decode()
    assert activity.ref in filtered and company_x.legal_name in filtered
    other = client.get("/supervisory-activities/?company=999999").content.decode()
    assert activity.ref in other  # an unknown company is ignored, not an error
    assert client.get("/supervisory-activities/?before=abc").status_code == 200


def test_list_pages_by_fifty(client, supervisor_a):
    for n in range(51):
        related.supervisory_activity_create(actor=supervisor_a, activity_type="other", name=f"Activity {n:02d}")
    client.force_login(supervisor_a)
    html = client.get("/supervisory-activities/").content.decode()
    assert "Activity 50" in html and "Activity 00" not in html and "Older activities" in html
    oldest = SupervisoryActivity.objects.order_by("id")[1]
    second = client.get(f"/supervisory-activities/?before={oldest.pk}").content.decode()
    assert "Activity 00" in second and "Activity 01" not in second and "Newest activities" in second


def test_pages_are_for_agency_users_only(client, company_admin_x, sysadmin, activity):
    for user in (company_admin_x, sysadmin):
        client.force_login(user)
        for url in (
            "/supervisory-activities/",
            "/supervisory-activities/new/",
            f"/supervisory-activities/{activity.ref}/",
        ):
            assert client.get(url).status_code == 404


def test_create(client, manager_a, agency_a, company_x):
    client.force_login(manager_a)
    form = client.get("/supervisory-activities/new/").content.decode()
    assert 'name="activity_type"' in form and 'for="id_nmls_id"' in form
    response = client.post(
        "/supervisory-activities/new/",
        {"activity_type": "investigation", "name": "Unlicensed activity", "status": "in_progress", "nmls_id": "2739"},
    )
    activity = SupervisoryActivity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervisory-activities/{activity.ref}/"
    assert (activity.company, activity.status, activity.agency_id) == (company_x, "in_progress", agency_a.pk)
    html = client.get(response["Location"]).content.decode()
    assert f"Supervisory activity {activity.ref} was recorded." in html and "Unlicensed activity" in html
    assert AuditEvent.objects.filter(action="supervisory_activity.created").count() == 1


def test_create_refusals_show_on_the_fields(client, manager_a):
    client.force_login(manager_a)
    response = client.post("/supervisory-activities/new/", {"activity_type": "", "status": "scheduled"})
    assert response.status_code == 422 and "Choose the type." in response.content.decode()
    response = client.post(
        "/supervisory-activities/new/", {"activity_type": "examination", "status": "scheduled", "nmls_id": "424242"}
    )
    html = response.content.decode()
    assert response.status_code == 422 and "No company with that ID is in the registry." in html
    assert 'id="id_nmls_id"' in html and 'aria-invalid="true"' in html
    assert not SupervisoryActivity.objects.exists()


def test_viewer_cannot_create_or_link(client, viewer_a, supervisor_a, company_x, activity):
    complaint = _complaint(supervisor_a, company_x)
    client.force_login(viewer_a)
    assert client.get("/supervisory-activities/new/").status_code == 403
    assert (
        client.post("/supervisory-activities/new/", {"activity_type": "other", "status": "scheduled"}).status_code
        == 403
    )
    detail = client.get(f"/supervisory-activities/{activity.ref}/").content.decode()
    assert "Link a complaint" not in detail
    response = client.post(f"/supervisory-activities/{activity.ref}/complaints/", {"link-complaint_ref": complaint.ref})
    assert response.status_code == 403
    assert SupervisoryActivity.objects.count() == 1 and not ComplaintSupervisoryActivity.objects.exists()
    assert AuditEvent.objects.filter(action="complaint.related_add.denied", is_security=True).count() == 1


def test_other_agency_gets_not_found(client, supervisor_b, supervisor_a, company_x, activity):
    complaint = _complaint(supervisor_a, company_x)
    client.force_login(supervisor_b)
    assert client.get(f"/supervisory-activities/{activity.ref}/").status_code == 404
    response = client.post(f"/supervisory-activities/{activity.ref}/complaints/", {"link-complaint_ref": complaint.ref})
    assert response.status_code == 404
    assert not ComplaintSupervisoryActivity.objects.exists()


def test_link_a_complaint_from_the_activity(client, supervisor_a, supervisor_b, company_x, activity):
    mine = _complaint(supervisor_a, company_x)
    foreign = _complaint(supervisor_b, company_x)
    client.force_login(supervisor_a)
    url = f"/supervisory-activities/{activity.ref}/complaints/"
    for ref, message in (
        (foreign.ref, f"No complaint {foreign.ref} in your agency."),
        ("", "Enter the Complaint ID."),
    ):
        response = client.post(url, {"link-complaint_ref": ref})
        assert response.status_code == 422 and message in response.content.decode()
    assert not ComplaintSupervisoryActivity.objects.exists()
    response = client.post(url, {"link-complaint_ref": mine.ref.lower()})
    assert response.status_code == 302 and response["Location"].endswith("#linked-complaints")
    assert f"Complaint {mine.ref} is now linked to {activity.ref}." in client.get(response["Location"]).content.decode()
    again = client.post(url, {"link-complaint_ref": mine.ref})
    assert again.status_code == 422 and "already related" in again.content.decode()
    related_tab = client.get(f"/complaints/{mine.ref}/related/").content.decode()
    assert activity.ref in related_tab


def test_link_to_a_closed_complaint_is_refused(client, supervisor_a, company_x, activity):
    complaint = _complaint(supervisor_a, company_x)
    services.complaint_close(
        actor=supervisor_a, ref=complaint.ref, closure={"reason": "closed_with_explanation"}, expected_version=None
    )
    client.force_login(supervisor_a)
    response = client.post(f"/supervisory-activities/{activity.ref}/complaints/", {"link-complaint_ref": complaint.ref})
    assert response.status_code == 422 and "can no longer be changed" in response.content.decode()
    assert not ComplaintSupervisoryActivity.objects.exists()


# --- editing the details ------------------------------------------------------------------------


def _edit_form(activity, **overrides):
    values = {
        "activity_type": activity.activity_type,
        "name": activity.name,
        "status": activity.status,
        "nmls_id": activity.company.nmls_id if activity.company else "",
        "company_ref": "",
        "version": str(activity.version),
    }
    values.update(overrides)
    return values


def test_edit_from_the_record(client, manager_a, company_x, company_y, activity):
    client.force_login(manager_a)
    record = client.get(f"/supervisory-activities/{activity.ref}/").content.decode()
    url = f"/supervisory-activities/{activity.ref}/edit/"
    assert f'href="{url}"' in record and "Edit details" in record
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1 and 'value="2026 servicing exam"' in page
    assert f'value="{company_x.nmls_id}"' in page and 'name="version" value="1"' in page
    response = client.post(
        url, _edit_form(activity, activity_type="investigation", status="completed", nmls_id=company_y.nmls_id)
    )
    assert response.status_code == 302 and response["Location"] == f"/supervisory-activities/{activity.ref}/"
    activity.refresh_from_db()
    assert (activity.activity_type, activity.status, activity.company, activity.version) == (
        "investigation",
        "completed",
        company_y,
        2,
    )
    html = client.get(response["Location"]).content.decode()
    assert f"Changes to supervisory activity {activity.ref} were saved." in html and company_y.legal_name in html
    event = AuditEvent.objects.get(action="supervisory_activity.updated")
    assert event.old_values["company"] == company_x.company_ref and event.new_values["company"] == company_y.company_ref


def test_edit_errors_show_on_the_fields_and_change_nothing(client, supervisor_a, activity):
    client.force_login(supervisor_a)
    url = f"/supervisory-activities/{activity.ref}/edit/"
    response = client.post(url, _edit_form(activity, nmls_id="424242"))
    html = response.content.decode()
    assert response.status_code == 422 and "No company with that ID is in the registry." in html
    assert 'id="id_nmls_id"' in html and 'aria-invalid="true"' in html
    response = client.post(url, _edit_form(activity, activity_type=""))
    assert response.status_code == 422 and "Choose the type." in response.content.decode()
    response = client.post(url, _edit_form(activity, version="abc"))
    assert response.status_code == 422
    activity.refresh_from_db()
    assert (activity.activity_type, activity.version) == ("examination", 1)


def test_edit_after_someone_else_keeps_the_input_and_offers_the_current_version(
    client, supervisor_a, manager_a, activity
):
    related.supervisory_activity_update(actor=manager_a, activity_ref=activity.ref, expected_version=1, name="Theirs")
    client.force_login(supervisor_a)
    url = f"/supervisory-activities/{activity.ref}/edit/"
    response = client.post(url, _edit_form(activity, name="Mine", version="1"))
    html = response.content.decode()
    assert response.status_code == 422 and "changed by someone else" in html
    assert 'value="Mine"' in html and 'name="version" value="2"' in html
    activity.refresh_from_db()
    assert activity.name == "Theirs"
    # Saving again is a deliberate overwrite of the newer record.
    assert client.post(url, _edit_form(activity, name="Mine", version="2")).status_code == 302
    activity.refresh_from_db()
    assert (activity.name, activity.version) == ("Mine", 3)


def test_viewer_cannot_edit_other_agencies_and_companies_find_nothing(
    client, viewer_a, supervisor_b, company_admin_x, activity
):
    client.force_login(viewer_a)
    url = f"/supervisory-activities/{activity.ref}/edit/"
    assert "Edit details" not in client.get(f"/supervisory-activities/{activity.ref}/").content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, _edit_form(activity, name="Viewer's")).status_code == 403
    assert AuditEvent.objects.filter(action="supervisory_activity.update_denied", is_security=True).count() == 1
    for outsider in (supervisor_b, company_admin_x):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, _edit_form(activity, name="Outsider's")).status_code == 404
    assert client.get("/supervisory-activities/SA-999999/edit/").status_code == 404
    activity.refresh_from_db()
    assert (activity.name, activity.version) == ("2026 servicing exam", 1)
