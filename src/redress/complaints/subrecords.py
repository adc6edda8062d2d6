"""Reading a complaint's sub-records (closures, research entries, alleged violations) and
resolving subject and POC identifiers given by public IDs.

Invariants:
- Scope comes from ``complaint_get_for``: out of scope answers NotFound like a missing complaint.
- Research entries and alleged violations are agency-only; a company user gets NotFound.
- Closures are agency records; a company user sees only closures whose comments were shared.
"""

from __future__ import annotations

from django.db.models import QuerySet

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.companies.models import Branch, Company, Individual
from redress.core.errors import ApplicationError, NotFound

from . import errors
from .constants import SubjectType
from .models import AllegedViolation, Closure, Complaint, NonNmlsEntity, ResearchEntry
from .selectors import complaint_get_for


def _agency_only(actor: User, ref: str) -> Complaint:
    complaint = complaint_get_for(actor=actor, ref=ref)
    if not actor_for(actor).is_agency_user:
        raise NotFound("No such complaint.")
    return complaint


def closures_for(*, actor: User, ref: str) -> QuerySet[Closure]:
    complaint = complaint_get_for(actor=actor, ref=ref)
    qs = complaint.closures.select_related("closed_by", "reopened_by").order_by("closed_at", "id")
    if not actor_for(actor).is_agency_user:
        qs = qs.filter(share_with_company=True)
    return qs


def research_entries_for(*, actor: User, ref: str) -> QuerySet[ResearchEntry]:
    return _agency_only(actor, ref).research_entries.select_related("created_by").order_by("-occurred_on", "-id")


def violations_for(*, actor: User, ref: str) -> QuerySet[AllegedViolation]:
    return _agency_only(actor, ref).violations.select_related("created_by").order_by("created_at", "id")


def _bad(detail: str) -> ApplicationError:
    return ApplicationError(errors.INVALID_SUBJECT, detail, field="subject")


def resolve_subject_id(
    *,
    subject_type: str,
    subject_id: int | None = None,
    company_ref: str = "",
    nmls_id: str = "",
    tracking_number: str = "",
) -> int:
    """The primary key of a subject named by its id or by a public identifier."""
    if subject_id is not None:
        return subject_id
    company_ref, nmls_id, tracking_number = (
        company_ref.strip().upper(),
        nmls_id.strip(),
        tracking_number.strip().upper(),
    )
    pk: int | None = None
    if subject_type == SubjectType.COMPANY:
        qs = Company.objects.filter(company_ref=company_ref) if company_ref else Company.objects.filter(nmls_id=nmls_id)
        pk = qs.values_list("pk", flat=True).first() if (company_ref or nmls_id) else None
    elif subject_type in (SubjectType.BRANCH, SubjectType.INDIVIDUAL):
        model: type[Branch] | type[Individual] = Branch if subject_type == SubjectType.BRANCH else Individual
        pk = model.objects.filter(nmls_id=nmls_id).values_list("pk", flat=True).first() if nmls_id else None
    elif subject_type == SubjectType.NON_NMLS:
        pk = (
            NonNmlsEntity.objects.filter(tracking_number=tracking_number).values_list("pk", flat=True).first()
            if tracking_number
            else None
        )
    else:
        raise ApplicationError(errors.INVALID_SUBJECT, "Choose a subject type.", field="subject.type")
    if pk is None:
        raise _bad("No subject matches those identifiers; search for the subject and try again.")
    return int(pk)


def agency_user_by_id(user_id: int) -> User | None:
    """A user to name as Agency POC; the service checks the role and agency."""
    return User.objects.filter(pk=user_id).first()
