"""Communication pages through the Django client: templates, compose/preview/send, history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from redress.companies import communications as comms
from redress.companies import services
from redress.companies.models import CommunicationSend, CommunicationTemplate
from redress.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervised(agency_a, company_x, company_y, company_admin_x):
    services.supervision_mark(actor=None, company=company_x, agency=agency_a)
    services.supervision_mark(actor=None, company=company_y, agency=agency_a)
    return company_x, company_y


def test_nav_and_list_seed_default(client, supervisor_a, viewer_a):
    client.force_login(supervisor_a)
    page = client.get(reverse("web:communication_templates"))
    assert page.status_code == 200 and comms.DEFAULT_NAME in page.text
    assert 'href="/communications/"' in page.text
    client.force_login(viewer_a)
    assert 'href="/communications/"' not in client.get(reverse("web:notification_list")).text


@pytest.mark.parametrize("who", ["viewer_a", "agency_admin_a", "company_admin_x", "sysadmin", "supervisor_b"])
def test_pages_refused(client, request, who, supervisor_a):
    template = comms.communication_template_create(actor=supervisor_a, name="T", subject="S", body="B")
    send_count = CommunicationSend.objects.count()
    client.force_login(request.getfixturevalue(who))
    if who != "supervisor_b":
        assert client.get(reverse("web:communication_templates")).status_code == 404
        assert client.get(reverse("web:communication_history")).status_code == 404
        assert client.get(reverse("web:communication_template_create")).status_code == 404
    assert client.get(reverse("web:communication_template_edit", args=[template.pk])).status_code == 404
    post = client.post(reverse("web:communication_compose", args=[template.pk]), {"mode": "all", "action": "send"})
    assert post.status_code == 404
    edit = client.post(
        reverse("web:communication_template_edit", args=[template.pk]),
        {"name": "X", "subject": "S", "body": "hacked", "version": "1"},
    )
    assert edit.status_code == 404
    assert CommunicationTemplate.objects.get().body == "B" and CommunicationSend.objects.count() == send_count


def test_create_edit_delete_template(client, manager_a):
    client.force_login(manager_a)
    url = reverse("web:communication_template_create")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "N", "subject": "S", "body": "Hi {{ user }}"})
    assert bad.status_code == 422 and "Unknown placeholder" in bad.text
    assert client.post(url, {"name": "N", "subject": "S", "body": "Hi {{company_name}}"}).status_code == 302
    template = CommunicationTemplate.objects.get(name="N")
    edit_url = reverse("web:communication_template_edit", args=[template.pk])
    assert "Hi {{company_name}}" in client.get(edit_url).text
    ok = client.post(edit_url, {"name": "N2", "subject": "S", "body": "B", "version": "1"})
    assert ok.status_code == 302
    stale = client.post(edit_url, {"name": "N3", "subject": "S", "body": "B", "version": "1"})
    assert stale.status_code == 422 and "changed since you loaded it" in stale.text
    assert CommunicationTemplate.objects.get(pk=template.pk).name == "N2"
    assert client.post(edit_url, {"action": "delete"}).status_code == 302
    assert not CommunicationTemplate.objects.filter(pk=template.pk).exists()


def test_compose_preview_then_send_and_history(client, supervisor_a, supervised, company_admin_x):
    company_x, _company_y = supervised
    template = comms.communication_template_create(
        actor=supervisor_a, name="T", subject="Hello {{company_name}}", body="From {{agency_name}}"
    )
    client.force_login(supervisor_a)
    url = reverse("web:communication_compose", args=[template.pk])
    page = client.get(url)
    assert page.status_code == 200 and company_x.legal_name in page.text
    preview = client.post(url, {"mode": "all", "action": "preview"})
    assert preview.status_code == 200
    assert company_admin_x.email in preview.text and "No recipient" in preview.text
    assert "Hello Ocwen Financial Corporation" in preview.text
    assert not OutboxMessage.objects.exists()
    bad = client.post(url, {"mode": "list", "action": "preview"})
    assert bad.status_code == 422 and "Pick at least one company" in bad.text
    sent = client.post(url, {"mode": "list", "company_ids": [str(company_x.pk)], "action": "send"})
    send = CommunicationSend.objects.get()
    assert sent.status_code == 302 and sent.url == reverse("web:communication_send_detail", args=[send.pk])
    assert [m.to_email for m in OutboxMessage.objects.filter(event="communication.sent")] == [company_admin_x.email]
    history = client.get(reverse("web:communication_history"))
    assert history.status_code == 200 and "Companies I pick" in history.text
    detail = client.get(sent.url)
    assert detail.status_code == 200 and company_admin_x.email in detail.text
