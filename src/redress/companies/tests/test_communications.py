"""Communication templates and targeted sends to supervised companies."""

from __future__ import annotations

import pytest

from redress.audit.models import AuditEvent
from redress.companies import communications as comms
from redress.companies import services
from redress.companies.models import CommunicationSend, CommunicationTemplate, Company, NotificationAddress
from redress.core.errors import ApplicationError, Conflict, NotFound, PreconditionFailed
from redress.notifications.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency_a, agency_b, company_x, company_y, company_admin_x, company_user_x, company_admin_y):
    """X: mortgage, supervised by A, licensed by A, contact + admin + shared address.
    Y: debt, supervised by A, no licence, admin only. Z: mortgage, supervised by A, nobody.
    W: supervised only by B."""
    services.company_update(actor=None, company=company_x, expected_version=1, business_types=["mortgage_servicing"])
    services.company_update(actor=None, company=company_y, expected_version=1, business_types=["debt"])
    z = services.company_create(actor=None, legal_name="Zephyr Lending LLC", business_types=["mortgage_servicing"])
    w = services.company_create(actor=None, legal_name="Wayward Finance")
    for company in (company_x, company_y, z):
        services.supervision_mark(actor=None, company=company, agency=agency_a)
    services.supervision_mark(actor=None, company=w, agency=agency_b)
    services.license_add(actor=None, company=company_x, agency=agency_a, license_number="MD-1")
    services.license_add(actor=None, company=company_y, agency=agency_b, license_number="TX-9")
    company_x.refresh_from_db()
    services.company_complaints_contact_set(
        actor=None, company=company_x, user=company_user_x, expected_version=company_x.version
    )
    services.notification_address_add(actor=None, company=company_x, email="complaints@ocwen.example")
    return {"x": company_x, "y": company_y, "z": z, "w": w}


def _template(actor, **kw):
    values = {"name": "Kick-off", "subject": "Hello {{company_name}}", "body": "{{agency_name}} → {{company_name}}"}
    values.update(kw)
    return comms.communication_template_create(actor=actor, **values)


def test_render_placeholders_is_single_pass_and_whitelisted():
    values = {"company_name": "Evil {{agency_name}} {% load x %}", "agency_name": "MD OFR", "portal_url": "https://r"}
    out = comms.render_placeholders("{{ company_name }}|{{agency_name}}|{{portal_url}}|{{secret}}|{% if %}", values)
    assert out == "Evil {{agency_name}} {% load x %}|MD OFR|https://r|{{secret}}|{% if %}"


def test_default_template_seeded_on_first_use_only(supervisor_a, agency_a):
    comms.communication_templates_ensure_default(agency=agency_a)
    comms.communication_templates_ensure_default(agency=agency_a)
    [seeded] = comms.communication_templates_for(supervisor_a)
    assert seeded.name == comms.DEFAULT_NAME
    for topic in ("Enroll", "Complaints Contact", "shared notification address", "two-step sign-in"):
        assert topic in seeded.body
    assert AuditEvent.objects.filter(action="communication.template_seeded").count() == 1


def test_template_crud_with_versions(supervisor_a, manager_a):
    template = _template(supervisor_a)
    with pytest.raises(Conflict):
        _template(manager_a)
    updated = comms.communication_template_update(
        actor=manager_a, template=template, expected_version=1, subject="Hi {{company_name}}"
    )
    assert updated.version == 2 and updated.subject == "Hi {{company_name}}" and updated.name == "Kick-off"
    with pytest.raises(PreconditionFailed):
        comms.communication_template_update(actor=supervisor_a, template=template, expected_version=1, body="x")
    assert CommunicationTemplate.objects.get(pk=template.pk).body == "{{agency_name}} → {{company_name}}"
    comms.communication_template_delete(actor=supervisor_a, template=template)
    assert not CommunicationTemplate.objects.exists()
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="communication.")] == [
        "communication.template_created",
        "communication.template_updated",
        "communication.template_deleted",
    ]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("body", "Dear {{ user.password }}", "unknown_placeholder"),
        ("subject", "{{settings.SECRET_KEY}}", "unknown_placeholder"),
        ("subject", "two\nlines", "invalid_characters"),
        ("body", "   ", "required"),
        ("name", "", "required"),
    ],
)
def test_template_validation(supervisor_a, field, value, code):
    with pytest.raises(ApplicationError) as exc:
        _template(supervisor_a, **{field: value})
    assert exc.value.code == code and exc.value.field == field
    assert not CommunicationTemplate.objects.exists()


@pytest.mark.parametrize("who", ["viewer_a", "agency_admin_a", "company_admin_x", "sysadmin"])
def test_who_may_not_manage_templates(request, who, supervisor_a):
    template = _template(supervisor_a)
    actor = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        comms.communication_templates_for(actor)
    with pytest.raises(NotFound):
        _template(actor, name="Mine")
    with pytest.raises(NotFound):
        comms.communication_template_update(actor=actor, template=template, expected_version=1, body="changed")
    with pytest.raises(NotFound):
        comms.communication_send(actor=actor, template=template, mode="all")
    assert CommunicationTemplate.objects.get().body == template.body
    assert not CommunicationSend.objects.exists()
    assert AuditEvent.objects.filter(is_security=True, actor=actor).count() == 3


def test_other_agency_cannot_see_or_use_templates(supervisor_a, supervisor_b):
    template = _template(supervisor_a)
    assert list(comms.communication_templates_for(supervisor_b)) == []
    with pytest.raises(NotFound):
        comms.communication_template_get_for(supervisor_b, template.pk)
    with pytest.raises(NotFound):
        comms.communication_template_update(actor=supervisor_b, template=template, expected_version=1, body="x")
    with pytest.raises(NotFound):
        comms.communication_send(actor=supervisor_b, template=template, mode="all")
    assert CommunicationTemplate.objects.get().version == 1


def _names(targets):
    return [t.company.legal_name for t in targets]


def test_targeting(world, supervisor_a):
    x, y, z, w = world["x"], world["y"], world["z"], world["w"]
    everyone = comms.communication_targets(supervisor_a, mode="all")
    assert _names(everyone) == sorted([x.legal_name, y.legal_name, z.legal_name])
    assert _names(
        comms.communication_targets(supervisor_a, mode="business_type", business_type="mortgage_servicing")
    ) == [
        x.legal_name,
        z.legal_name,
    ]
    assert _names(comms.communication_targets(supervisor_a, mode="licence")) == [x.legal_name]
    assert _names(comms.communication_targets(supervisor_a, mode="list", company_ids=[y.pk])) == [y.legal_name]
    with pytest.raises(ApplicationError) as exc:
        comms.communication_targets(supervisor_a, mode="list", company_ids=[y.pk, w.pk])
    assert exc.value.code == "company_not_supervised"
    with pytest.raises(ApplicationError):
        comms.communication_targets(supervisor_a, mode="business_type", business_type="nonsense")
    with pytest.raises(ApplicationError):
        comms.communication_targets(supervisor_a, mode="list", company_ids=[])


def test_send_records_history_recipients_and_no_recipient(
    world, supervisor_a, company_admin_x, company_user_x, company_admin_y
):
    x, y, z = world["x"], world["y"], world["z"]
    template = _template(supervisor_a)
    send = comms.communication_send(actor=supervisor_a, template=template, mode="all")
    rows = {r["company_ref"]: r for r in send.recipients}
    assert sorted(rows[x.company_ref]["emails"]) == sorted(
        [company_user_x.email, company_admin_x.email, "complaints@ocwen.example"]
    )
    assert rows[y.company_ref]["emails"] == [company_admin_y.email]
    assert rows[z.company_ref]["emails"] == [] and rows[z.company_ref]["outbox_ids"] == []
    assert send.company_count == 3 and send.email_count == 4
    outbox = OutboxMessage.objects.filter(event="communication.sent")
    assert sorted(outbox.values_list("pk", flat=True)) == sorted(pk for r in send.recipients for pk in r["outbox_ids"])
    to_x = outbox.get(to_email="complaints@ocwen.example")
    assert to_x.subject == "Hello Ocwen Financial Corporation"
    assert "Maryland Office of Financial Regulation → Ocwen Financial Corporation" in to_x.text_body
    assert Notification.objects.filter(user=company_user_x, event="communication.sent").count() == 1
    # The snapshot survives later edits of the template.
    comms.communication_template_update(actor=supervisor_a, template=template, expected_version=1, body="changed")
    send.refresh_from_db()
    assert send.body == "{{agency_name}} → {{company_name}}" and send.sent_by == supervisor_a
    assert send.filters == {"mode": "all"}
    assert list(comms.communication_sends_for(supervisor_a)) == [send]
    event = AuditEvent.objects.get(action="communication.sent")
    assert event.new_values["no_recipient"] == 1


def test_placeholders_never_execute_template_code(agency_a, supervisor_a):
    company = services.company_create(actor=None, legal_name="{{agency_name}} {% debug %} <b>Co</b>")
    services.supervision_mark(actor=None, company=company, agency=agency_a)
    services.notification_address_add(actor=None, company=company, email="box@co.example")
    template = _template(supervisor_a, body="Dear {{company_name}}, {% now 'Y' %} {{ '{' }}")
    comms.communication_send(actor=supervisor_a, template=template, mode="all")
    message = OutboxMessage.objects.get(event="communication.sent")
    assert "Dear {{agency_name}} {% debug %} <b>Co</b>, {% now 'Y' %} {{ '{' }}" in message.text_body
    assert "&lt;b&gt;Co&lt;/b&gt;" in message.html_body and "<b>Co</b>" not in message.html_body
    assert "Maryland" not in message.text_body.split("Dear", 1)[1].split(",", 1)[0]


def test_send_with_no_match_is_refused(world, supervisor_a, agency_a):
    template = _template(supervisor_a)
    with pytest.raises(ApplicationError) as exc:
        comms.communication_send(actor=supervisor_a, template=template, mode="business_type", business_type="trust")
    assert exc.value.code == "no_companies"
    assert not CommunicationSend.objects.exists() and not OutboxMessage.objects.exists()
    assert NotificationAddress.objects.count() == 1 and Company.objects.count() == 4
