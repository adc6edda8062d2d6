"""Agency-to-company communications: editable templates and targeted sends to supervised companies.

Invariants:
- Templates and sends belong to one agency; only its Supervisors and Managers
  (``can_manage_communications``) read or change them. Anything outside that answers NotFound
  exactly like a missing record; refusals are security-audited and change nothing.
- Template text is plain text. The only substitutions are the whitelisted placeholders
  ``{{company_name}}``, ``{{agency_name}}`` and ``{{portal_url}}``, replaced in one pass by
  ``render_placeholders``: user text is never given to a template engine, and a substituted value
  (a company name containing ``{{agency_name}}``) is never expanded again. Saving a template
  with any other ``{{…}}`` is refused.
- Targets are always companies the agency supervises, narrowed by business type, by holding a
  licence with the agency, or by a hand-picked list (a company outside supervision is refused).
- Recipients per company are its active Complaints Contact, active account administrators and
  extra notification addresses; a company with none is recorded as "no recipient", never dropped.
- A send writes its ``CommunicationSend`` (template snapshot, filters, sender, per-company
  recipients and outbox ids), its outbox rows and its audit event in one transaction.
- An agency with no templates gets the starter announcement on first use (seeded by the system).
- Template updates take ``expected_version`` and bump the version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet

from redress.accounts.models import User
from redress.accounts.policy import actor_for, can_manage_communications
from redress.agencies.models import Agency
from redress.audit.services import audit_record, audit_record_security
from redress.core import clock
from redress.core.errors import ApplicationError, Conflict, NotFound
from redress.notifications.services import notify

from .constants import BusinessType
from .guards import check_version
from .models import (
    CommunicationSend,
    CommunicationTemplate,
    Company,
    CompanyBusinessType,
    CompanyMembership,
    NotificationAddress,
    StateLicense,
    Supervision,
)
from .validation import clean_text

PLACEHOLDERS = ("company_name", "agency_name", "portal_url")
_PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
MAX_BODY = 20_000
MAX_TARGETS = 2_000

TARGET_MODES = {
    "all": "Every company we supervise",
    "business_type": "Supervised companies of one business type",
    "licence": "Supervised companies holding a licence with us",
    "list": "Companies I pick",
}

DEFAULT_NAME = "Announcement: complaints through Redress"
DEFAULT_SUBJECT = "{{agency_name}} now handles consumer complaints through Redress"
DEFAULT_BODY = """\
{{agency_name}} now handles the consumer complaints it receives about the companies it supervises \
through Redress, a secure online system. When a consumer complains about {{company_name}}, we will \
send our information requests and receive your responses there instead of by mail or email.

To be ready:

1. Enroll. We will email one person at {{company_name}} an invitation to create the company's first \
account. That person becomes your account administrator. The invitation link expires, so please act \
on it promptly.
2. Set up two-step sign-in. Every user signs in with a password and an authenticator app.
3. Name a Complaints Contact. This person receives the first notice of each new complaint and \
assigns a point of contact for it.
4. Add a shared notification address (for example complaints@yourcompany.example) so notices still \
arrive when someone is away, and add the colleagues who will draft responses.

Redress emails come from an automatic address; please make sure they are not filtered as spam.

Sign in at {{portal_url}}

{{agency_name}}
"""


def render_placeholders(text: str, values: dict[str, str]) -> str:
    """Substitute the whitelisted placeholders in one pass; everything else stays literal text."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in PLACEHOLDERS and name in values else match.group(0)

    return _PLACEHOLDER_RE.sub(replace, text)


def _check_placeholders(text: str, *, field: str) -> None:
    unknown = sorted({name for name in _PLACEHOLDER_RE.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        allowed = ", ".join("{{" + p + "}}" for p in PLACEHOLDERS)
        raise ApplicationError(
            "unknown_placeholder",
            f"Unknown placeholder {{{{{unknown[0]}}}}}. You can use {allowed}.",
            field=field,
        )


def placeholder_values(agency: Agency, company: Company | None) -> dict[str, str]:
    return {
        "company_name": company.legal_name if company is not None else "(company name)",
        "agency_name": agency.name,
        "portal_url": settings.SITE_URL,
    }


# --- scope --------------------------------------------------------------------------------------


def communications_agency_for(user: User) -> Agency:
    """The agency whose communications ``user`` manages; NotFound for everyone else."""
    actor = actor_for(user)
    agency = Agency.objects.filter(pk=actor.agency_id).first() if actor.agency_id else None
    if agency is None or not can_manage_communications(actor, agency):
        raise NotFound()
    return agency


def _agency_or_refuse(user: User, action: str) -> Agency:
    try:
        return communications_agency_for(user)
    except NotFound:
        audit_record_security(actor=user, action=f"{action}.denied", reason="not permitted")
        raise


def communication_templates_for(user: User) -> QuerySet[CommunicationTemplate]:
    agency = communications_agency_for(user)
    return CommunicationTemplate.objects.filter(agency=agency).order_by("name", "pk")


def communication_template_get_for(user: User, pk: int) -> CommunicationTemplate:
    template = communication_templates_for(user).filter(pk=pk).select_related("agency").first()
    if template is None:
        raise NotFound()
    return template


def communication_sends_for(user: User) -> QuerySet[CommunicationSend]:
    agency = communications_agency_for(user)
    return CommunicationSend.objects.filter(agency=agency).select_related("sent_by").order_by("-sent_at", "-pk")


def communication_send_get_for(user: User, pk: int) -> CommunicationSend:
    send = communication_sends_for(user).filter(pk=pk).first()
    if send is None:
        raise NotFound()
    return send


# --- templates ----------------------------------------------------------------------------------


def _clean(name: str, subject: str, body: str) -> tuple[str, str, str]:
    name = clean_text(name, field="name", max_length=120, required=True, label="Name")
    subject = clean_text(subject, field="subject", max_length=200, required=True, label="Subject")
    if "\n" in subject or "\r" in subject:
        raise ApplicationError("invalid_characters", "The subject must be one line.", field="subject")
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ApplicationError("required", "Body is required.", field="body")
    if len(body) > MAX_BODY:
        raise ApplicationError("too_long", f"Body must be at most {MAX_BODY} characters.", field="body")
    if "\x00" in body:
        raise ApplicationError("invalid_characters", "Body contains control characters.", field="body")
    _check_placeholders(subject, field="subject")
    _check_placeholders(body, field="body")
    return name, subject, body


def _name_taken() -> Conflict:
    return Conflict("template_name_taken", "Your agency already has a template with that name.", field="name")


def communication_templates_ensure_default(*, agency: Agency) -> None:
    """Seed the starter announcement when the agency has no template at all (first use)."""
    if CommunicationTemplate.objects.filter(agency=agency).exists():
        return
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        if CommunicationTemplate.objects.filter(agency=agency).exists():
            return
        template = CommunicationTemplate.objects.create(
            agency=agency, name=DEFAULT_NAME, subject=DEFAULT_SUBJECT, body=DEFAULT_BODY
        )
        audit_record(
            actor=None,
            action="communication.template_seeded",
            target=template,
            new={"name": template.name},
            agency_id=agency.pk,
        )


def communication_template_create(*, actor: User, name: str, subject: str, body: str) -> CommunicationTemplate:
    agency = _agency_or_refuse(actor, "communication.template_create")
    name, subject, body = _clean(name, subject, body)
    try:
        with transaction.atomic():
            if CommunicationTemplate.objects.filter(agency=agency, name=name).exists():
                raise _name_taken()
            template = CommunicationTemplate.objects.create(agency=agency, name=name, subject=subject, body=body)
            audit_record(
                actor=actor,
                action="communication.template_created",
                target=template,
                new={"name": name, "subject": subject, "body": body},
                agency_id=agency.pk,
            )
    except IntegrityError:
        raise _name_taken() from None
    return template


def communication_template_update(
    *,
    actor: User,
    template: CommunicationTemplate,
    expected_version: int,
    name: str | None = None,
    subject: str | None = None,
    body: str | None = None,
) -> CommunicationTemplate:
    agency = _agency_or_refuse(actor, "communication.template_update")
    if template.agency_id != agency.pk:
        raise NotFound()
    try:
        with transaction.atomic():
            locked = CommunicationTemplate.objects.select_for_update().get(pk=template.pk)
            check_version(locked.version, expected_version)
            values = dict(
                zip(
                    ("name", "subject", "body"),
                    _clean(
                        locked.name if name is None else name,
                        locked.subject if subject is None else subject,
                        locked.body if body is None else body,
                    ),
                    strict=True,
                )
            )
            old = {k: getattr(locked, k) for k, v in values.items() if getattr(locked, k) != v}
            new = {k: values[k] for k in old}
            if not new:
                return locked
            if "name" in new and CommunicationTemplate.objects.filter(agency=agency, name=new["name"]).exists():
                raise _name_taken()
            for key, value in new.items():
                setattr(locked, key, value)
            locked.version += 1
            locked.updated_at = clock.now()
            locked.save(update_fields=[*new, "version", "updated_at"])
            audit_record(
                actor=actor,
                action="communication.template_updated",
                target=locked,
                old=old,
                new=new,
                agency_id=agency.pk,
            )
    except IntegrityError:
        raise _name_taken() from None
    return locked


def communication_template_delete(*, actor: User, template: CommunicationTemplate) -> None:
    """Past sends keep their own snapshot, so deleting a template loses no history."""
    agency = _agency_or_refuse(actor, "communication.template_delete")
    if template.agency_id != agency.pk:
        raise NotFound()
    with transaction.atomic():
        locked = CommunicationTemplate.objects.select_for_update().filter(pk=template.pk).first()
        if locked is None:
            raise NotFound()
        audit_record(
            actor=actor,
            action="communication.template_deleted",
            target=locked,
            old={"name": locked.name},
            agency_id=agency.pk,
        )
        locked.delete()


# --- targeting ----------------------------------------------------------------------------------


@dataclass
class Target:
    company: Company
    users: list[User] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)

    @property
    def emails(self) -> list[str]:
        seen: dict[str, str] = {}
        for address in [u.email for u in self.users] + self.addresses:
            seen.setdefault(address.lower(), address)
        return list(seen.values())

    @property
    def has_recipient(self) -> bool:
        return bool(self.users or self.addresses)


def _clean_filters(mode: str, business_type: str, company_ids: Iterable[int]) -> dict[str, object]:
    if mode not in TARGET_MODES:
        raise ApplicationError("invalid_target", "Choose which companies to send to.", field="mode")
    filters: dict[str, object] = {"mode": mode}
    if mode == "business_type":
        if business_type not in BusinessType.values:
            raise ApplicationError("invalid_business_type", "Choose a business type.", field="business_type")
        filters["business_type"] = business_type
    if mode == "list":
        ids = sorted({int(i) for i in company_ids})
        if not ids:
            raise ApplicationError("no_companies", "Pick at least one company.", field="company_ids")
        filters["company_ids"] = ids
    return filters


def supervised_companies(agency: Agency) -> QuerySet[Company]:
    return Company.objects.filter(Exists(Supervision.objects.filter(company=OuterRef("pk"), agency=agency))).order_by(
        "legal_name", "pk"
    )


def _recipients(companies: Sequence[Company]) -> list[Target]:
    targets = {c.pk: Target(company=c) for c in companies}
    admins = CompanyMembership.objects.filter(
        company_id__in=targets, is_account_admin=True, user__is_active=True
    ).select_related("user")
    contacts = {c.complaints_contact_id: c.pk for c in companies if c.complaints_contact_id}
    contact_users = User.objects.filter(pk__in=contacts, is_active=True)
    for user in contact_users:
        targets[contacts[user.pk]].users.append(user)
    for membership in admins.order_by("user__full_name", "user__email"):
        target = targets[membership.company_id]
        if all(u.pk != membership.user_id for u in target.users):
            target.users.append(membership.user)
    for address in NotificationAddress.objects.filter(company_id__in=targets).order_by("email"):
        targets[address.company_id].addresses.append(address.email)
    return [targets[c.pk] for c in companies]


def communication_targets(
    user: User, *, mode: str, business_type: str = "", company_ids: Iterable[int] = ()
) -> list[Target]:
    """The supervised companies a send would reach, each with its recipients (possibly none)."""
    agency = communications_agency_for(user)
    filters = _clean_filters(mode, business_type, company_ids)
    return _targets(agency, filters)


def _targets(agency: Agency, filters: dict[str, object]) -> list[Target]:
    qs = supervised_companies(agency)
    mode = filters["mode"]
    if mode == "business_type":
        qs = qs.filter(
            Exists(CompanyBusinessType.objects.filter(company=OuterRef("pk"), business_type=filters["business_type"]))
        )
    elif mode == "licence":
        qs = qs.filter(Exists(StateLicense.objects.filter(company=OuterRef("pk"), agency=agency)))
    elif mode == "list":
        wanted = set(filters["company_ids"])  # type: ignore[call-overload]
        qs = qs.filter(pk__in=wanted)
        if len(qs) != len(wanted):
            raise ApplicationError(
                "company_not_supervised", "Pick only companies your agency supervises.", field="company_ids"
            )
    companies = list(qs[: MAX_TARGETS + 1])
    if len(companies) > MAX_TARGETS:
        raise ApplicationError(
            "too_many_companies", f"A send can reach at most {MAX_TARGETS} companies; narrow it down.", field="mode"
        )
    return _recipients(companies)


# --- sending ------------------------------------------------------------------------------------


def communication_send(
    *,
    actor: User,
    template: CommunicationTemplate,
    mode: str,
    business_type: str = "",
    company_ids: Iterable[int] = (),
) -> CommunicationSend:
    """Email the template, personalised per company, to every target's recipients."""
    agency = _agency_or_refuse(actor, "communication.send")
    if template.agency_id != agency.pk:
        raise NotFound()
    filters = _clean_filters(mode, business_type, company_ids)
    with transaction.atomic():
        snapshot = CommunicationTemplate.objects.select_for_update().filter(pk=template.pk).first()
        if snapshot is None:
            raise NotFound()
        targets = _targets(agency, filters)
        if not targets:
            raise ApplicationError("no_companies", "No supervised company matches that choice.", field="mode")
        send = CommunicationSend.objects.create(
            agency=agency,
            template=snapshot,
            template_name=snapshot.name,
            subject=snapshot.subject,
            body=snapshot.body,
            filters=filters,
            sent_by=actor,
        )
        rows: list[dict[str, object]] = []
        email_count = 0
        for target in targets:
            values = placeholder_values(agency, target.company)
            messages = notify(
                event="communication.sent",
                recipients=[*target.users, *target.addresses],
                subject=render_placeholders(snapshot.subject, values),
                template="communication_message",
                context={"body": render_placeholders(snapshot.body, values), "agency": agency},
                actor=actor,
                agency_id=agency.pk,
                company_id=target.company.pk,
                dedupe_key=f"communication:{send.pk}:{target.company.pk}",
            )
            email_count += len(messages)
            rows.append(
                {
                    "company_id": target.company.pk,
                    "company_ref": target.company.company_ref,
                    "legal_name": target.company.legal_name,
                    "emails": [m.to_email for m in messages],
                    "outbox_ids": [m.pk for m in messages],
                }
            )
        send.recipients = rows
        send.company_count = len(rows)
        send.email_count = email_count
        send.save(update_fields=["recipients", "company_count", "email_count"])
        audit_record(
            actor=actor,
            action="communication.sent",
            target=send,
            new={
                "template": snapshot.name,
                "filters": filters,
                "companies": len(rows),
                "emails": email_count,
                "no_recipient": sum(1 for r in rows if not r["emails"]),
            },
            agency_id=agency.pk,
        )
    return send


def company_ids_for_refs(refs: Iterable[str]) -> list[int]:
    """Translate public company references (API input) to ids; an unknown one is refused."""
    wanted = {r.strip().upper() for r in refs if r.strip()}
    found = dict(Company.objects.filter(company_ref__in=wanted).values_list("company_ref", "pk"))
    missing = sorted(wanted - set(found))
    if missing:
        raise ApplicationError("unknown_company", f"No company {missing[0]}.", field="company_refs")
    return sorted(found.values())
