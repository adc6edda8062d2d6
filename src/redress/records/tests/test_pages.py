import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from redress.records.disposition import disposition_run
from redress.records.models import LegalHold

from .conftest import CLOSED_AT

pytestmark = pytest.mark.django_db

HOLDS = reverse("web:records_holds")
REPORT = reverse("web:records_disposition")


@pytest.mark.parametrize("who", ["manager_a", "viewer_a", "company_admin_x", "sysadmin"])
def test_records_pages_are_for_the_agencys_supervisors_only(client, request, who, supervisor_a):
    hold = LegalHold.objects.create(
        agency=supervisor_a.agency_membership.agency, scope="agency", reason="x", placed_by=supervisor_a
    )
    client.force_login(request.getfixturevalue(who))
    assert client.get(HOLDS).status_code == 404
    assert client.post(HOLDS, {"scope": "agency", "reason": "Mine now"}).status_code == 404
    assert client.post(reverse("web:records_hold_lift", args=[hold.pk]), {"reason": "no"}).status_code == 404
    assert client.get(REPORT).status_code == 404
    hold.refresh_from_db()
    assert hold.is_active and LegalHold.objects.count() == 1
    assert "Records" not in client.get("/").content.decode()


def test_another_agencys_supervisor_sees_and_touches_none_of_its_holds(client, supervisor_a, supervisor_b):
    hold = LegalHold.objects.create(
        agency=supervisor_a.agency_membership.agency, scope="agency", reason="Secret inquiry", placed_by=supervisor_a
    )
    client.force_login(supervisor_b)
    assert "Secret inquiry" not in client.get(HOLDS).content.decode()
    assert client.post(reverse("web:records_hold_lift", args=[hold.pk]), {"reason": "no"}).status_code == 404
    hold.refresh_from_db()
    assert hold.is_active


def test_supervisor_places_and_lifts_a_hold_through_the_page(client, supervisor_a, closed_complaint):
    complaint = closed_complaint(supervisor_a)
    client.force_login(supervisor_a)
    page = client.get(HOLDS)
    assert page.status_code == 200 and "No active holds" in page.content.decode()
    assert f'href="{HOLDS}"' in page.content.decode()  # the Records navigation item

    bad = client.post(HOLDS, {"scope": "complaint", "complaint_ref": "CMP-1999-000001", "reason": "Subpoena"})
    assert bad.status_code == 422 and "usa-alert--error" in bad.content.decode()
    assert not LegalHold.objects.exists()

    done = client.post(HOLDS, {"scope": "complaint", "complaint_ref": complaint.ref, "reason": "Subpoena"}, follow=True)
    assert f"Legal hold placed on {complaint.ref}" in done.content.decode()
    hold = LegalHold.objects.get()
    assert hold.complaint == complaint and hold.is_active

    client.post(reverse("web:records_hold_lift", args=[hold.pk]), {"reason": "Settled", "version": hold.version})
    hold.refresh_from_db()
    assert not hold.is_active and hold.lift_reason == "Settled"


def test_disposition_report_and_certificate(
    client, supervisor_a, supervisor_b, closed_complaint, django_capture_on_commit_callbacks
):
    complaint = closed_complaint(supervisor_a)
    with time_machine.travel(dt.datetime(2026, 1, 20, 12, tzinfo=dt.UTC), tick=False):
        client.force_login(supervisor_a)
        page = client.get(REPORT).content.decode()
        assert complaint.ref in page and "Mar 10, 2026" in page
    with django_capture_on_commit_callbacks(execute=True):
        run_id = disposition_run(as_of=dt.date(2026, 3, 10), dry_run=False).run_id
    assert run_id is not None
    with time_machine.travel(dt.datetime(2026, 3, 11, 12, tzinfo=dt.UTC), tick=False):
        client.force_login(supervisor_a)
        page = client.get(REPORT).content.decode()
        assert "No documents fall due" in page and f"Certificate {run_id}" in page
        certificate = client.get(reverse("web:records_certificate", args=[run_id]))
        body = certificate.content.decode()
        assert certificate.status_code == 200
        assert all(name in body for name in ["intake-a.txt", "ir-a.txt", "closure-a.txt"])
        client.force_login(supervisor_b)
        assert client.get(reverse("web:records_certificate", args=[run_id])).status_code == 404
        assert f"Certificate {run_id}" not in client.get(REPORT).content.decode()
    assert CLOSED_AT.date() == complaint.closed_on


def test_complaint_summary_shows_the_retention_date_and_hold(client, supervisor_a, closed_complaint):
    complaint = closed_complaint(supervisor_a)
    client.force_login(supervisor_a)
    url = f"/complaints/{complaint.ref}/"
    body = client.get(url).content.decode()
    assert "Documents kept until Mar 10, 2026 (6 years after the latest closure)" in body
    assert "On legal hold" not in body
    LegalHold.objects.create(
        agency=complaint.agency, scope="complaint", complaint=complaint, reason="x", placed_by=supervisor_a
    )
    assert "On legal hold" in client.get(url).content.decode()


def test_disposition_report_query_count_does_not_grow_with_the_complaints(
    client, supervisor_a, closed_complaint, company_x
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def report_queries() -> tuple[int, str]:
        with time_machine.travel(dt.datetime(2026, 1, 20, 12, tzinfo=dt.UTC), tick=False):
            client.force_login(supervisor_a)
            with CaptureQueriesContext(connection) as queries:
                page = client.get(REPORT).content.decode()
        return len(queries), page

    first = closed_complaint(supervisor_a, tag="first")
    one, _ = report_queries()
    others = [closed_complaint(supervisor_a, tag=f"more-{n}") for n in range(4)]
    LegalHold.objects.create(
        agency=first.agency, scope="complaint", complaint=others[0], reason="Litigation", placed_by=supervisor_a
    )
    five, page = report_queries()
    assert all(c.ref in page for c in [first, *others])
    assert five == one
