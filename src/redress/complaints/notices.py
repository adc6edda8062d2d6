"""Notifications the complaint lifecycle sends (spec §8), always through the outbox.

Invariants:
- Called inside the service's transaction, so a notice exists only for a change that committed.
- Complaint Supervisors receive every notice about their agency's complaints; Viewers receive none.
- Notices name the complaint and link to it; they never carry restricted complainant details.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from redress.accounts.models import User
from redress.agencies.constants import ComplaintsRole
from redress.notifications.services import notify

from .models import Complaint


def complaint_path(complaint: Complaint) -> str:
    """Where agency users open the complaint."""
    return f"/complaints/{complaint.ref}/"


def company_complaint_path(complaint: Complaint) -> str:
    """Where company users open the complaint (their A+C projection)."""
    return f"/company/complaints/{complaint.ref}/"


def path_for_recipients(complaint: Complaint, recipients: Iterable[User | str]) -> str:
    """Agency link when the notice goes to agency users; the company portal link otherwise
    (company users and the company's extra notification addresses)."""
    user_ids = [r.pk for r in recipients if isinstance(r, User)]
    if user_ids and User.objects.filter(pk__in=user_ids, agency_membership__isnull=False).exists():
        return complaint_path(complaint)
    return company_complaint_path(complaint)


def agency_supervisors(agency_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        agency_membership__agency_id=agency_id,
        agency_membership__complaints_role=ComplaintsRole.SUPERVISOR,
    ).order_by("pk")


def review_completed(*, complaint: Complaint, actor: User) -> None:
    """N14: the assigned Agency POC and the Supervisors."""
    recipients = [complaint.agency_poc, *agency_supervisors(complaint.agency_id)]
    notify(
        event="complaint.review_completed",
        recipients=[r for r in recipients if r is not None],
        subject=f"Preliminary review completed: {complaint.ref}",
        template="complaint_review_completed",
        context={"complaint": complaint},
        link=complaint_path(complaint),
        actor=actor,
        agency_id=complaint.agency_id,
        dedupe_key=f"complaint.review_completed:{complaint.pk}:{complaint.version}",
    )


def poc_changed(*, complaint: Complaint, old_poc: User | None, actor: User) -> None:
    """N25: the new and the old Agency POC (and the Supervisors)."""
    recipients = [complaint.agency_poc, old_poc, *agency_supervisors(complaint.agency_id)]
    notify(
        event="complaint.poc_changed",
        recipients=[r for r in recipients if r is not None],
        subject=f"Agency POC changed on {complaint.ref}",
        template="complaint_poc_changed",
        context={"complaint": complaint, "old_poc": old_poc},
        link=complaint_path(complaint),
        actor=actor,
        agency_id=complaint.agency_id,
        dedupe_key=f"complaint.poc_changed:{complaint.pk}:{complaint.version}",
    )
