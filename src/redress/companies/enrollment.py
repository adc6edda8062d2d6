"""Company enrollment: an agency invites a company's first user, who accepts, sets the company up
and finishes; the agency is then told.

Invariants:
- Only agency Supervisors and Managers start enrollment (``can_enroll_company``); reminders and
  the pending list belong to the invitation's own agency. Refusals are security-audited and
  change nothing.
- Enrollment starts only while the company has no users at all (the company row is locked while
  checking); otherwise it is refused naming the existing Complaints Contact, account
  administrator or pending invitee.
- The first user is an account administrator with Manage complaints access, inactive (no usable
  password) until the invitation is accepted.
- Only a keyed hash (HMAC-SHA256 with the site secret) of the link's random secret is stored and
  it is compared in constant time. A link works once and only until ``expires_at``; a reminder
  replaces the secret, so the older link stops working, and is appended to ``reminders``.
- Accepting needs a password that passes Django's validators; a refused password leaves the
  link usable. Expired, used, replaced or malformed links raise ``enrollment_link_invalid`` or
  ``enrollment_link_expired``, never anything else.
- Completing needs the company confirmed and an active Complaints Contact; it happens once and
  notifies the agency user who started enrollment (or, if they are gone, the agency's Supervisors).
- Every write is atomic with its audit event; emails go through the outbox in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.crypto import salted_hmac

from redress.accounts.models import User
from redress.accounts.policy import actor_for, can_enroll_company, forget_actor
from redress.agencies.constants import ComplaintsRole
from redress.agencies.models import Agency, AgencyMembership
from redress.audit.services import audit_record
from redress.core import clock
from redress.core.errors import ApplicationError, Conflict, NotFound
from redress.notifications.services import notify

from .constants import ComplaintsAccess
from .guards import refuse, require
from .models import Company, CompanyMembership, EnrollmentInvitation
from .validation import clean_email, clean_phone, clean_text

_HMAC_SALT = "redress.companies.enrollment"


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: EnrollmentInvitation
    token: str


def _hash(secret: str) -> str:
    return str(salted_hmac(_HMAC_SALT, secret, algorithm="sha256").hexdigest())


def _new_secret(invitation: EnrollmentInvitation, now: dt.datetime) -> str:
    """Give the invitation a fresh secret; returns the token for the link (``<id>.<secret>``)."""
    secret = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(secret)
    invitation.expires_at = now + dt.timedelta(days=settings.REDRESS_ENROLLMENT_INVITATION_DAYS)
    return f"{invitation.pk}.{secret}"


def enrollment_link(token: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + reverse("web:enrollment_accept", kwargs={"token": token})


def _invalid_link() -> ApplicationError:
    return ApplicationError(
        "enrollment_link_invalid",
        "This enrollment link is not valid. It may have been used already or replaced by a newer one.",
    )


def _expired_link() -> ApplicationError:
    return ApplicationError(
        "enrollment_link_expired",
        "This enrollment link has expired. Ask the agency that invited you to send a reminder with a new link.",
    )


def _agency_of(user: User) -> Agency:
    actor = actor_for(user)
    agency = Agency.objects.filter(pk=actor.agency_id).first() if actor.agency_id else None
    if agency is None:  # can_enroll_company already requires an agency user; this keeps mypy honest
        raise NotFound()
    return agency


def _existing_holder(company: Company) -> str:
    """Who already looks after the company, for the refusal message."""
    contact = company.complaints_contact
    if contact is not None:
        return f"Its Complaints Contact is {contact.get_full_name()} ({contact.email})."
    admin = (
        CompanyMembership.objects.filter(company=company, is_account_admin=True)
        .select_related("user")
        .order_by("-user__is_active", "created_at")
        .first()
    )
    pending = EnrollmentInvitation.objects.filter(company=company, accepted_at__isnull=True).first()
    if pending is not None:
        return (
            f"An enrollment invitation to {pending.user.get_full_name()} ({pending.user.email}) is pending; "
            "send a reminder instead."
        )
    if admin is not None:
        return f"Its account administrator is {admin.user.get_full_name()} ({admin.user.email})."
    return "It already has users."


def _send_invitation(invitation: EnrollmentInvitation, token: str, *, reminder: bool) -> None:
    event = "company.enrollment_reminder" if reminder else "company.enrollment_invited"
    prefix = "Reminder: " if reminder else ""
    # The invitee is still inactive, so they are addressed by email (no in-app notice yet).
    notify(
        event=event,
        recipients=[invitation.user.email],
        subject=f"{prefix}{invitation.agency.name} invites you to enroll {invitation.company.legal_name} in Redress",
        template="enrollment_reminder" if reminder else "enrollment_invitation",
        context={
            "invitation": invitation,
            "invitee": invitation.user,
            "company": invitation.company,
            "agency": invitation.agency,
            "inviter": invitation.invited_by,
            "accept_url": enrollment_link(token),
            "expires_at": invitation.expires_at,
        },
        company_id=invitation.company_id,
        agency_id=invitation.agency_id,
    )


def enrollment_start(*, actor: User, company: Company, email: str, full_name: str, phone: str = "") -> IssuedInvitation:
    """Create the company's first user (pending) and email them an enrollment link (N1)."""
    require(actor, "company.enrollment_start", company, can_enroll_company)
    agency = _agency_of(actor)
    address = clean_email(email)
    name = clean_text(full_name, field="full_name", max_length=200, required=True, label="Name")
    phone_value = clean_phone(phone)
    with transaction.atomic():
        locked = Company.objects.select_for_update(of=("self",)).select_related("complaints_contact").get(pk=company.pk)
        if CompanyMembership.objects.filter(company=locked).exists():
            raise Conflict(
                "company_already_enrolled",
                f"{locked.legal_name} already has users, so it cannot be enrolled again. {_existing_holder(locked)}",
            )
        if User.objects.filter(email__iexact=address).exists():
            raise Conflict(
                "email_in_use",
                "That email address already has an account; a person belongs to one agency or company only.",
                field="email",
            )
        user = User.objects.create_user(address, None, full_name=name, phone=phone_value, is_active=False)
        CompanyMembership.objects.create(
            user=user, company=locked, is_account_admin=True, complaints_access=ComplaintsAccess.MANAGE
        )
        now = clock.now()
        invitation = EnrollmentInvitation(
            company=locked, user=user, agency=agency, invited_by=actor, created_at=now, expires_at=now
        )
        invitation.save()
        token = _new_secret(invitation, now)
        invitation.save(update_fields=["token_hash", "expires_at"])
        audit_record(
            actor=actor,
            action="company.enrollment_started",
            target=invitation,
            new={"email": address, "full_name": name, "agency": agency.code, "expires_at": invitation.expires_at},
            agency_id=agency.pk,
            company_id=locked.pk,
        )
        _send_invitation(invitation, token, reminder=False)
    return IssuedInvitation(invitation=invitation, token=token)


def enrollment_remind(*, actor: User, invitation: EnrollmentInvitation) -> IssuedInvitation:
    """Email the invitee a fresh link (N3); the previous link stops working."""
    require(actor, "company.enrollment_remind", invitation.company, can_enroll_company, target=invitation)
    if actor_for(actor).agency_id != invitation.agency_id:
        refuse(actor, "company.enrollment_remind", invitation, company_id=invitation.company_id, not_found=True)
    with transaction.atomic():
        locked = (
            EnrollmentInvitation.objects.select_for_update(of=("self",))
            .select_related("company", "agency", "user", "invited_by")
            .get(pk=invitation.pk)
        )
        if locked.accepted_at is not None:
            raise Conflict(
                "enrollment_already_accepted",
                f"{locked.user.get_full_name()} has already accepted the invitation; no reminder is needed.",
            )
        now = clock.now()
        token = _new_secret(locked, now)
        locked.reminders = [*locked.reminders, {"at": now.isoformat(), "by": actor.pk, "by_email": actor.email}]
        locked.version += 1
        locked.save(update_fields=["token_hash", "expires_at", "reminders", "version"])
        audit_record(
            actor=actor,
            action="company.enrollment_reminded",
            target=locked,
            new={"reminder": len(locked.reminders), "expires_at": locked.expires_at},
            agency_id=locked.agency_id,
            company_id=locked.company_id,
        )
        _send_invitation(locked, token, reminder=True)
    return IssuedInvitation(invitation=locked, token=token)


def _split(token: str) -> tuple[int, str] | None:
    pk_text, dot, secret = (token or "").partition(".")
    if not dot or not pk_text.isdigit() or len(pk_text) > 18 or not 20 <= len(secret) <= 100:
        return None
    return int(pk_text), secret


def _match(token: str, *, lock: bool) -> EnrollmentInvitation:
    parts = _split(token)
    if parts is None:
        raise _invalid_link()
    pk, secret = parts
    qs = EnrollmentInvitation.objects.select_related("company", "agency", "user")
    invitation = (qs.select_for_update(of=("self",)) if lock else qs).filter(pk=pk).first()
    # Hash anyway so a missing id takes as long as a wrong secret.
    candidate = _hash(secret)
    stored = invitation.token_hash if invitation is not None else ""
    if invitation is None or not stored or not hmac.compare_digest(stored, candidate):
        raise _invalid_link()
    if invitation.accepted_at is not None:
        raise _invalid_link()
    if invitation.expires_at <= clock.now():
        raise _expired_link()
    return invitation


def enrollment_check_link(token: str) -> EnrollmentInvitation:
    """The invitation a link opens, without using it up (for showing the accept page)."""
    return _match(token, lock=False)


def enrollment_accept(*, token: str, password: str) -> User:
    """Use the link once: set the invitee's password and activate them."""
    with transaction.atomic():
        invitation = _match(token, lock=True)
        user = invitation.user
        try:
            validate_password(password or "", user)
        except ValidationError as exc:
            raise ApplicationError("invalid_password", " ".join(exc.messages), field="password") from None
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        invitation.token_hash = ""
        invitation.accepted_at = clock.now()
        invitation.version += 1
        invitation.save(update_fields=["token_hash", "accepted_at", "version"])
        audit_record(
            actor=user,
            action="company.enrollment_accepted",
            target=invitation,
            new={"accepted_at": invitation.accepted_at},
            agency_id=invitation.agency_id,
            company_id=invitation.company_id,
        )
    forget_actor(user)
    return user


def _own_open_invitation(actor: User, invitation: EnrollmentInvitation, action: str) -> EnrollmentInvitation:
    locked = (
        EnrollmentInvitation.objects.select_for_update(of=("self",))
        .select_related("company", "agency", "user", "invited_by")
        .filter(pk=invitation.pk)
        .first()
    )
    if locked is None or locked.user_id != actor.pk or locked.accepted_at is None:
        refuse(actor, action, invitation, company_id=invitation.company_id, not_found=True)
    if locked.completed_at is not None:
        raise Conflict("enrollment_complete", "Enrollment of this company is already complete.")
    return locked


def enrollment_confirm_company(*, actor: User, invitation: EnrollmentInvitation) -> EnrollmentInvitation:
    """The invitee confirms this is their company (wizard step 1)."""
    with transaction.atomic():
        locked = _own_open_invitation(actor, invitation, "company.enrollment_confirm")
        if locked.company_confirmed_at is None:
            locked.company_confirmed_at = clock.now()
            locked.version += 1
            locked.save(update_fields=["company_confirmed_at", "version"])
            audit_record(
                actor=actor,
                action="company.enrollment_company_confirmed",
                target=locked,
                new={"company": locked.company.company_ref},
                agency_id=locked.agency_id,
                company_id=locked.company_id,
            )
    return locked


def _agency_recipients(invitation: EnrollmentInvitation) -> list[User]:
    inviter = invitation.invited_by
    if (
        inviter is not None
        and inviter.is_active
        and AgencyMembership.objects.filter(user=inviter, agency_id=invitation.agency_id).exists()
    ):
        return [inviter]
    return [
        m.user
        for m in AgencyMembership.objects.filter(
            agency_id=invitation.agency_id, complaints_role=ComplaintsRole.SUPERVISOR, user__is_active=True
        ).select_related("user")
    ]


def enrollment_complete(*, actor: User, invitation: EnrollmentInvitation) -> EnrollmentInvitation:
    """Finish enrollment (company confirmed, Complaints Contact named) and tell the agency (N2)."""
    with transaction.atomic():
        locked = _own_open_invitation(actor, invitation, "company.enrollment_complete")
        if locked.company_confirmed_at is None:
            raise ApplicationError("company_not_confirmed", "Confirm your company first.", field="company")
        company = Company.objects.select_related("complaints_contact").get(pk=locked.company_id)
        contact = company.complaints_contact
        if contact is None or not contact.is_active:
            raise ApplicationError(
                "complaints_contact_required",
                "Name your company's Complaints Contact first.",
                field="complaints_contact",
            )
        locked.completed_at = clock.now()
        locked.version += 1
        locked.save(update_fields=["completed_at", "version"])
        audit_record(
            actor=actor,
            action="company.enrollment_completed",
            target=locked,
            new={"completed_at": locked.completed_at, "complaints_contact": contact.email},
            agency_id=locked.agency_id,
            company_id=locked.company_id,
        )
        notify(
            event="company.enrollment_completed",
            recipients=_agency_recipients(locked),
            subject=f"{company.legal_name} has completed enrollment in Redress",
            template="enrollment_completed",
            context={"company": company, "contact": contact, "invitee": locked.user, "agency": locked.agency},
            link=reverse("web:company_detail", args=[company.pk]),
            actor=actor,
            agency_id=locked.agency_id,
            company_id=company.pk,
            dedupe_key=f"enrollment-complete:{locked.pk}",
        )
    return locked


# --- reads --------------------------------------------------------------------------------------


def enrollment_pending_for(user: User) -> QuerySet[EnrollmentInvitation]:
    """The agency's unfinished enrollments, newest first; NotFound for anyone who may not enroll."""
    actor = actor_for(user)
    if not can_enroll_company(actor) or actor.agency_id is None:
        raise NotFound()
    return (
        EnrollmentInvitation.objects.filter(agency_id=actor.agency_id, completed_at__isnull=True)
        .select_related("company", "user", "invited_by", "agency")
        .order_by("-created_at", "-pk")
    )


def enrollment_get_for(user: User, pk: int) -> EnrollmentInvitation:
    invitation = enrollment_pending_for(user).filter(pk=pk).first()
    if invitation is None:
        raise NotFound()
    return invitation


def enrollment_for_company(user: User, company: Company) -> EnrollmentInvitation | None:
    """The latest invitation for the company, for agency users (any agency may see that one exists)."""
    actor = actor_for(user)
    if not (actor.is_agency_user or actor.is_system_admin):
        return None
    return (
        EnrollmentInvitation.objects.filter(company=company)
        .select_related("user", "agency", "invited_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def enrollment_open_for_user(user: User) -> EnrollmentInvitation | None:
    """The signed-in invitee's accepted but unfinished enrollment, if any."""
    return (
        EnrollmentInvitation.objects.filter(user=user, accepted_at__isnull=False, completed_at__isnull=True)
        .select_related("company", "agency", "invited_by")
        .first()
    )
