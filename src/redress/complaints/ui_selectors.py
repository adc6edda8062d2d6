"""Read-only helpers for the complaint screens: subject look-ups and Agency POC candidates.

Invariants:
- Everything is scoped to the actor: only agency users get subjects or candidates; company
  users, system administrators and unlinked users get nothing.
- Candidate workloads come from one aggregated query, whatever the number of candidates.
- A subject outside what the actor may choose answers NotFound, exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Upper

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.agencies.constants import ComplaintsRole
from redress.companies.models import Branch, Company, Individual, StateLicense
from redress.companies.selectors import company_search_for
from redress.core.errors import NotFound

from .constants import OPEN_STATUSES, SubjectType
from .models import AllegedViolation, Closure, Complaint, NonNmlsEntity, ResearchEntry

MAX_RESULTS = 25


@dataclass(frozen=True)
class SubjectOption:
    """One choosable complaint subject, with what the intake form shows read-only."""

    subject_type: str
    pk: int
    name: str
    company: Company | None = None
    branch: Branch | None = None
    individual: Individual | None = None
    entity: NonNmlsEntity | None = None
    children: list[SubjectOption] = field(default_factory=list)

    @property
    def token(self) -> str:
        return f"{self.subject_type}:{self.pk}"

    @property
    def type_label(self) -> str:
        return SubjectType(self.subject_type).label


def _agency_user(user: User) -> bool:
    actor = actor_for(user)
    return actor.is_agency_user and actor.agency_id is not None


def _company_option(company: Company, *, with_children: bool = False) -> SubjectOption:
    children: list[SubjectOption] = []
    if with_children:
        children = [
            SubjectOption(SubjectType.BRANCH, b.pk, b.name, company=company, branch=b)
            for b in company.branches.all()  # prefetched
        ] + [
            SubjectOption(SubjectType.INDIVIDUAL, i.pk, f"{i.first_name} {i.last_name}", company=company, individual=i)
            for i in company.individuals.all()  # prefetched
        ]
    return SubjectOption(SubjectType.COMPANY, company.pk, company.legal_name, company=company, children=children)


def subject_option_for(*, actor: User, subject_type: str, pk: int) -> SubjectOption:
    """The subject the intake form shows, or NotFound."""
    if not _agency_user(actor):
        raise NotFound("No such subject.")
    if subject_type == SubjectType.COMPANY:
        company = Company.objects.filter(pk=pk).first()
        if company is not None:
            return _company_option(company)
    elif subject_type == SubjectType.BRANCH:
        branch = Branch.objects.select_related("company").filter(pk=pk).first()
        if branch is not None:
            return SubjectOption(subject_type, branch.pk, branch.name, company=branch.company, branch=branch)
    elif subject_type == SubjectType.INDIVIDUAL:
        person = Individual.objects.select_related("company").filter(pk=pk).first()
        if person is not None:
            name = f"{person.first_name} {person.last_name}"
            return SubjectOption(subject_type, person.pk, name, company=person.company, individual=person)
    elif subject_type == SubjectType.NON_NMLS:
        entity = NonNmlsEntity.objects.filter(pk=pk).first()
        if entity is not None:
            return SubjectOption(subject_type, entity.pk, entity.name, entity=entity)
    raise NotFound("No such subject.")


def subjects_by_identifier(*, actor: User, identifier: str) -> list[SubjectOption]:
    """Exact look-up by System Company ID, NMLS ID (company, branch or individual), the agency's
    own state licence numbers, or a Non-NMLS Entity Tracking Number."""
    who = actor_for(actor)
    value = identifier.strip()
    if not _agency_user(actor) or not value or who.agency_id is None:
        return []
    out: list[SubjectOption] = []
    companies = Company.objects.filter(
        Q(company_ref=value.upper())
        | Q(nmls_id=value)
        | Q(pk__in=StateLicense.objects.filter(agency_id=who.agency_id, license_number__iexact=value).values("company"))
    ).order_by("legal_name", "id")[:MAX_RESULTS]
    out.extend(_company_option(c) for c in companies)
    for branch in Branch.objects.select_related("company").filter(nmls_id=value)[:MAX_RESULTS]:
        out.append(SubjectOption(SubjectType.BRANCH, branch.pk, branch.name, company=branch.company, branch=branch))
    for person in Individual.objects.select_related("company").filter(nmls_id=value)[:MAX_RESULTS]:
        out.append(
            SubjectOption(
                SubjectType.INDIVIDUAL,
                person.pk,
                f"{person.first_name} {person.last_name}",
                company=person.company,
                individual=person,
            )
        )
    for entity in NonNmlsEntity.objects.filter(tracking_number=value.upper())[:MAX_RESULTS]:
        out.append(SubjectOption(SubjectType.NON_NMLS, entity.pk, entity.name, entity=entity))
    return out


def subjects_by_name(*, actor: User, name: str, city: str = "", state: str = "") -> list[SubjectOption]:
    """Companies (with their branches and individuals) and Non-NMLS entities matching a name and
    an optional location: a fixed number of queries whatever the number of results."""
    if not _agency_user(actor) or not (name.strip() or city.strip() or state.strip()):
        return []
    companies = company_search_for(actor, q=name, state=state)
    if city.strip():
        companies = companies.filter(city__iexact=city.strip())
    companies = companies.prefetch_related(
        Prefetch("branches", queryset=Branch.objects.order_by("name", "id")),
        Prefetch("individuals", queryset=Individual.objects.order_by("last_name", "first_name", "id")),
    )
    out = [_company_option(c, with_children=True) for c in companies[:MAX_RESULTS]]
    entities = NonNmlsEntity.objects.all()
    if name.strip():
        entities = entities.filter(name__icontains=name.strip())
    if city.strip():
        entities = entities.filter(city__iexact=city.strip())
    if state.strip():
        entities = entities.filter(state=state.strip().upper())
    for entity in entities.order_by(Upper("name"), "id")[:MAX_RESULTS]:
        out.append(SubjectOption(SubjectType.NON_NMLS, entity.pk, entity.name, entity=entity))
    return out


@dataclass(frozen=True)
class PocCandidate:
    user: User
    open_complaints: int

    @property
    def label(self) -> str:
        name = self.user.full_name or self.user.email
        count = self.open_complaints
        return f"{name} ({count} open complaint{'s' if count != 1 else ''})"


def poc_candidates_for(*, actor: User) -> list[PocCandidate]:
    """Active Supervisors and Managers of the actor's agency, each with their open workload."""
    who = actor_for(actor)
    if not who.is_agency_user or who.agency_id is None:
        return []
    workload = (
        Complaint.objects.filter(agency_id=who.agency_id, agency_poc=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("agency_poc")
        .annotate(n=Count("id"))
        .values("n")
    )
    users = (
        User.objects.filter(
            is_active=True,
            agency_membership__agency_id=who.agency_id,
            agency_membership__complaints_role__in=(ComplaintsRole.SUPERVISOR, ComplaintsRole.MANAGER),
        )
        .annotate(open_count=Coalesce(Subquery(workload, output_field=IntegerField()), Value(0)))
        .order_by("full_name", "email", "pk")
    )
    return [PocCandidate(user=u, open_complaints=u.open_count) for u in users]


# --- record tabs ----------------------------------------------------------------------------------


def _viewable(actor: User, complaint: Complaint) -> None:
    from . import policy

    if not policy.can_view(actor_for(actor), complaint):
        raise NotFound("No such complaint.")


def research_entries_for(*, actor: User, complaint: Complaint) -> QuerySet[ResearchEntry]:
    _viewable(actor, complaint)
    return (
        ResearchEntry.objects.filter(complaint=complaint).select_related("created_by").order_by("-occurred_on", "-id")
    )


def research_entry_get_for(*, actor: User, complaint: Complaint, entry_id: int) -> ResearchEntry:
    entry = research_entries_for(actor=actor, complaint=complaint).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("No such entry.")
    return entry


def violations_for(*, actor: User, complaint: Complaint) -> QuerySet[AllegedViolation]:
    _viewable(actor, complaint)
    return (
        AllegedViolation.objects.filter(complaint=complaint).select_related("created_by").order_by("created_at", "id")
    )


def closures_for(*, actor: User, complaint: Complaint) -> QuerySet[Closure]:
    _viewable(actor, complaint)
    return (
        Closure.objects.filter(complaint=complaint)
        .select_related("closed_by", "reopened_by")
        .order_by("-closed_at", "-id")
    )
