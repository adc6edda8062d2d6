"""Related items of a complaint: complaints, companies, individuals, Non-NMLS entities,
supervisory activities and agent locations (spec 3.2 "optional related items", 7.6).

Invariants:
- Only Supervisors and Managers of the owning agency add or remove related items; a refusal is
  recorded as a security event and changes nothing (``services.authorize_manage``).
- Related items are intake data: once the complaint is closed or canceled they are read-only
  (``services.ensure_mutable`` under the complaint's row lock).
- A related complaint must belong to the same agency; a complaint is never related to itself.
  The link is stored once and shown on both complaints; it is removed from the side that is
  being edited.
- The supervisory-activity link is symmetric: one row, visible from the complaint and from the
  activity; linking from either side creates the same row, and only activities of the
  complaint's own agency can be linked.
- Supervisory activities, and the schedule's counts of linked complaints per company, are read
  by users of the owning agency only; anyone else is answered as if there were none.
- Only Complaint Supervisors and Managers of the owning agency record a supervisory activity or
  change its details (type, name, status, company); another agency's activity answers like a
  missing one, and a refused change by a user of the owning agency is recorded as a security
  event. A change names the version the editor saw (``expected_version``), checked under the
  row lock, and bumps ``version``; it writes ``supervisory_activity.updated`` with the old and
  new values of exactly the fields that changed, in the same transaction.
- Adding the same item twice is refused with ``already_related``, never a database error.
- Every add and remove writes ``complaint.related_added`` / ``complaint.related_removed`` in the
  same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.agencies.models import Agency
from redress.audit.services import audit_record, audit_record_security
from redress.companies.models import Company, Individual
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed
from redress.core.references import next_reference

from . import policy
from .constants import Status
from .models import (
    AgentLocation,
    Complaint,
    ComplaintSupervisoryActivity,
    NonNmlsEntity,
    RelatedCompany,
    RelatedComplaint,
    RelatedIndividual,
    RelatedNonNmlsEntity,
    SupervisoryActivity,
)
from .selectors import complaint_get_for
from .services import authorize_manage, ensure_mutable
from .validation import FieldErrors, check_postal, check_state

ALREADY_RELATED = "already_related"
RELATED_NOT_FOUND = "related_not_found"


class Kind:
    COMPLAINT = "complaint"
    COMPANY = "company"
    INDIVIDUAL = "individual"
    NON_NMLS_ENTITY = "non_nmls_entity"
    SUPERVISORY_ACTIVITY = "supervisory_activity"
    AGENT_LOCATION = "agent_location"

    ALL = (COMPLAINT, COMPANY, INDIVIDUAL, NON_NMLS_ENTITY, SUPERVISORY_ACTIVITY, AGENT_LOCATION)


# --- writing ------------------------------------------------------------------------------------


def _locked_mutable(ref: str) -> Complaint:
    complaint = Complaint.objects.select_for_update().filter(ref=ref).first()
    if complaint is None:
        raise NotFound("No such complaint.")
    ensure_mutable(complaint)
    return complaint


def _audit(actor: User, complaint: Complaint, action: str, kind: str, item_id: int, label: str) -> None:
    values = {"kind": kind, "item": item_id, "label": label}
    audit_record(
        actor=actor,
        action=action,
        target=complaint,
        old=values if action.endswith("removed") else None,
        new=values if action.endswith("added") else None,
        agency_id=complaint.agency_id,
        company_id=complaint.company_id,
    )


def _already(label: str) -> ApplicationError:
    return ApplicationError(ALREADY_RELATED, f"{label} is already related to this complaint.")


def related_complaint_add(*, actor: User, ref: str, related_ref: str) -> RelatedComplaint:
    authorize_manage(actor, ref, "related_add")
    related_ref = (related_ref or "").strip().upper()
    with transaction.atomic():
        complaint = _locked_mutable(ref)
        other = Complaint.objects.filter(ref=related_ref, agency_id=complaint.agency_id).first()
        if other is None:
            # Another agency's complaint answers like a missing one.
            raise ApplicationError(
                RELATED_NOT_FOUND, f"No complaint {related_ref} in your agency.", field="related_ref"
            )
        if other.pk == complaint.pk:
            raise ApplicationError("related_self", "A complaint cannot be related to itself.", field="related_ref")
        pair = Q(complaint=complaint, related=other) | Q(complaint=other, related=complaint)
        if RelatedComplaint.objects.filter(pair).exists():
            raise _already(f"Complaint {other.ref}")
        row = RelatedComplaint.objects.create(complaint=complaint, related=other, created_by=actor)
        _audit(actor, complaint, "complaint.related_added", Kind.COMPLAINT, row.pk, other.ref)
    return row


def _company_by(nmls_id: str, company_ref: str) -> Company:
    nmls_id, company_ref = (nmls_id or "").strip(), (company_ref or "").strip().upper()
    if not nmls_id and not company_ref:
        raise ApplicationError("validation_error", "Enter the NMLS ID or the Company ID.", field="nmls_id")
    qs = Company.objects.filter(nmls_id=nmls_id) if nmls_id else Company.objects.filter(company_ref=company_ref)
    company = qs.first()
    if company is None:
        raise ApplicationError(
            RELATED_NOT_FOUND,
            "No company with that ID is in the registry.",
            field="nmls_id" if nmls_id else "company_ref",
        )
    return company


def related_company_add(*, actor: User, ref: str, nmls_id: str = "", company_ref: str = "") -> RelatedCompany:
    authorize_manage(actor, ref, "related_add")
    company = _company_by(nmls_id, company_ref)
    with transaction.atomic():
        complaint = _locked_mutable(ref)
        if complaint.company_id == company.pk:
            raise ApplicationError(
                "related_is_subject", f"{company.legal_name} is already the subject of this complaint.", field="nmls_id"
            )
        if RelatedCompany.objects.filter(complaint=complaint, company=company).exists():
            raise _already(company.legal_name)
        row = RelatedCompany.objects.create(complaint=complaint, company=company, created_by=actor)
        _audit(actor, complaint, "complaint.related_added", Kind.COMPANY, row.pk, company.legal_name)
    return row


def related_individual_add(
    *, actor: User, ref: str, nmls_id: str = "", first_name: str = "", last_name: str = ""
) -> RelatedIndividual:
    nmls_id, first_name, last_name = (nmls_id or "").strip(), (first_name or "").strip(), (last_name or "").strip()
    errs = FieldErrors()
    if not nmls_id and not (first_name and last_name):
        errs.add("nmls_id", "Enter the individual's NMLS ID, or their first and last name.")
    if nmls_id and not nmls_id.isdigit():
        errs.add("nmls_id", "An NMLS ID is digits only.")
    errs.raise_if_any()
    authorize_manage(actor, ref, "related_add")
    person = Individual.objects.filter(nmls_id=str(int(nmls_id))).first() if nmls_id else None
    if person is not None:
        first_name, last_name = first_name or person.first_name, last_name or person.last_name
    with transaction.atomic():
        complaint = _locked_mutable(ref)
        same = RelatedIndividual.objects.filter(complaint=complaint)
        same = (
            same.filter(nmls_id=nmls_id)
            if nmls_id
            else same.filter(nmls_id="", first_name__iexact=first_name, last_name__iexact=last_name)
        )
        label = f"{first_name} {last_name}".strip() or f"NMLS {nmls_id}"
        if same.exists():
            raise _already(label)
        row = RelatedIndividual.objects.create(
            complaint=complaint,
            individual=person,
            nmls_id=nmls_id,
            first_name=first_name,
            last_name=last_name,
            created_by=actor,
        )
        _audit(actor, complaint, "complaint.related_added", Kind.INDIVIDUAL, row.pk, label)
    return row


def related_entity_add(*, actor: User, ref: str, tracking_number: str) -> RelatedNonNmlsEntity:
    authorize_manage(actor, ref, "related_add")
    number = (tracking_number or "").strip().upper()
    entity = NonNmlsEntity.objects.filter(tracking_number=number).first() if number else None
    if entity is None:
        raise ApplicationError(
            RELATED_NOT_FOUND, "No Non-NMLS entity has that Entity Tracking Number.", field="tracking_number"
        )
    with transaction.atomic():
        complaint = _locked_mutable(ref)
        if complaint.non_nmls_entity_id == entity.pk:
            raise ApplicationError(
                "related_is_subject",
                f"{entity.name} is already the subject of this complaint.",
                field="tracking_number",
            )
        if RelatedNonNmlsEntity.objects.filter(complaint=complaint, entity=entity).exists():
            raise _already(entity.name)
        row = RelatedNonNmlsEntity.objects.create(complaint=complaint, entity=entity, created_by=actor)
        _audit(actor, complaint, "complaint.related_added", Kind.NON_NMLS_ENTITY, row.pk, str(entity))
    return row


def supervisory_activity_link(*, actor: User, ref: str, activity_ref: str) -> ComplaintSupervisoryActivity:
    """Link a complaint and an activity of the same agency (the same row whichever side asks)."""
    authorize_manage(actor, ref, "related_add")
    number = (activity_ref or "").strip().upper()
    with transaction.atomic():
        complaint = _locked_mutable(ref)
        activity = SupervisoryActivity.objects.filter(ref=number, agency_id=complaint.agency_id).first()
        if activity is None:
            raise ApplicationError(
                RELATED_NOT_FOUND, f"No supervisory activity {number} in your agency.", field="activity_ref"
            )
        if ComplaintSupervisoryActivity.objects.filter(complaint=complaint, activity=activity).exists():
            raise _already(f"Supervisory activity {activity.ref}")
        row = ComplaintSupervisoryActivity.objects.create(complaint=complaint, activity=activity, created_by=actor)
        _audit(actor, complaint, "complaint.related_added", Kind.SUPERVISORY_ACTIVITY, row.pk, activity.ref)
        audit_record(
            actor=actor,
            action="supervisory_activity.complaint_linked",
            target=activity,
            new={"complaint": complaint.ref},
            agency_id=activity.agency_id,
            company_id=activity.company_id,
        )
    return row


_AGENT_LIMITS = {"agent_name": 200, "street": 200, "city": 100, "phone": 40, "email": 254}


def agent_location_add(
    *,
    actor: User,
    ref: str,
    agent_name: str,
    street: str = "",
    city: str = "",
    state: str = "",
    postal_code: str = "",
    phone: str = "",
    email: str = "",
) -> AgentLocation:
    values = {
        "agent_name": agent_name,
        "street": street,
        "city": city,
        "state": state,
        "postal_code": postal_code,
        "phone": phone,
        "email": email,
    }
    values = {k: (v or "").strip() for k, v in values.items()}
    values["state"] = values["state"].upper()
    errs = FieldErrors()
    if not values["agent_name"]:
        errs.add("agent_name", "Enter the agent's name.")
    for field, limit in _AGENT_LIMITS.items():
        if len(values[field]) > limit:
            errs.add(field, f"Keep this under {limit} characters.")
    check_state(errs, "state", values["state"])
    check_postal(errs, "postal_code", values["postal_code"])
    errs.raise_if_any()
    authorize_manage(actor, ref, "related_add")
    with transaction.atomic():
        complaint = _locked_mutable(ref)
        row = AgentLocation.objects.create(complaint=complaint, created_by=actor, **values)
        _audit(actor, complaint, "complaint.related_added", Kind.AGENT_LOCATION, row.pk, row.agent_name)
    return row


def _row_label(kind: str, row: Any) -> str:
    if kind == Kind.COMPLAINT:
        return f"{row.complaint.ref} / {row.related.ref}"
    if kind == Kind.COMPANY:
        return str(row.company.legal_name)
    if kind == Kind.INDIVIDUAL:
        return f"{row.first_name} {row.last_name}".strip() or f"NMLS {row.nmls_id}"
    if kind == Kind.NON_NMLS_ENTITY:
        return str(row.entity)
    if kind == Kind.SUPERVISORY_ACTIVITY:
        return str(row.activity.ref)
    return str(row.agent_name)


def related_item_remove(*, actor: User, ref: str, kind: str, item_id: int) -> None:
    """Remove one related item of ``kind`` by the id the related-items list shows."""
    if kind not in Kind.ALL:
        raise ApplicationError("validation_error", "Unknown kind of related item.", field="kind")
    authorize_manage(actor, ref, "related_remove")
    with transaction.atomic():
        complaint = _locked_mutable(ref)
        row: Model | None
        if kind == Kind.COMPLAINT:
            row = (
                RelatedComplaint.objects.select_related("complaint", "related")
                .filter(Q(complaint=complaint) | Q(related=complaint), pk=item_id)
                .first()
            )
        else:
            model, key = _OWN_ROWS[kind]
            row = model.objects.filter(pk=item_id, **{key: complaint}).first()  # type: ignore[attr-defined]
        if row is None:
            raise NotFound("No such related item on this complaint.")
        label = _row_label(kind, row)
        _audit(actor, complaint, "complaint.related_removed", kind, item_id, label)
        if kind == Kind.SUPERVISORY_ACTIVITY:
            activity = row.activity  # type: ignore[attr-defined]
            audit_record(
                actor=actor,
                action="supervisory_activity.complaint_unlinked",
                target=activity,
                old={"complaint": complaint.ref},
                agency_id=activity.agency_id,
                company_id=activity.company_id,
            )
        row.delete()


_OWN_ROWS: dict[str, tuple[type[Model], str]] = {
    Kind.COMPANY: (RelatedCompany, "complaint"),
    Kind.INDIVIDUAL: (RelatedIndividual, "complaint"),
    Kind.NON_NMLS_ENTITY: (RelatedNonNmlsEntity, "complaint"),
    Kind.SUPERVISORY_ACTIVITY: (ComplaintSupervisoryActivity, "complaint"),
    Kind.AGENT_LOCATION: (AgentLocation, "complaint"),
}


# --- supervisory activities (a v1 stub) ---------------------------------------------------------


def supervisory_activity_create(
    *,
    actor: User,
    activity_type: str,
    company: Company | None = None,
    name: str = "",
    status: str = "",
    nmls_id: str = "",
    company_ref: str = "",
) -> SupervisoryActivity:
    """Record an activity of the actor's agency; its company is given as an object or, from a form
    or the API, by NMLS ID or Company ID (optional: an activity need not concern a company)."""
    who = actor_for(actor)
    if who.agency_id is None or not who.can_manage_complaints:
        raise PermissionDenied("Only Complaint Supervisors and Managers can record supervisory activities.")
    _check_activity_fields(activity_type=activity_type, status=status or None, name=name)
    if company is None and ((nmls_id or "").strip() or (company_ref or "").strip()):
        company = _company_by(nmls_id, company_ref)
    with transaction.atomic():
        activity = SupervisoryActivity.objects.create(
            ref=next_reference("SA"),
            agency=Agency.objects.get(pk=who.agency_id),
            company=company,
            activity_type=activity_type,
            status=status or SupervisoryActivity.State.SCHEDULED,
            name=(name or "").strip(),
        )
        audit_record(
            actor=actor,
            action="supervisory_activity.created",
            target=activity,
            new={"ref": activity.ref, "activity_type": activity_type, "company": company.pk if company else None},
            agency_id=activity.agency_id,
            company_id=activity.company_id,
        )
    return activity


def _check_activity_fields(*, activity_type: str | None, status: str | None, name: str | None) -> None:
    """The field rules a recorded and an edited activity share (None: not given)."""
    errs = FieldErrors()
    if activity_type is not None and activity_type not in SupervisoryActivity.Kind.values:
        errs.add("activity_type", "Choose examination, investigation or other.")
    if status is not None and status not in SupervisoryActivity.State.values:
        errs.add("status", "Choose scheduled, in progress or completed.")
    if name is not None and len(name) > 200:
        errs.add("name", "Keep the name under 200 characters.")
    errs.raise_if_any()


def _company_label(company: Company | None) -> str | None:
    return company.company_ref if company is not None else None


def supervisory_activity_update(
    *,
    actor: User,
    activity_ref: str,
    expected_version: int,
    activity_type: str | None = None,
    name: str | None = None,
    status: str | None = None,
    nmls_id: str | None = None,
    company_ref: str | None = None,
) -> SupervisoryActivity:
    """Change an activity's details; a field left as None keeps its value.

    The company follows the rule of recording one: given by NMLS ID or Company ID, any company in
    the registry. Passing ``nmls_id`` or ``company_ref`` replaces it; passing them empty removes it
    (an activity need not concern a company).
    """
    activity = supervisory_activity_get_for(actor=actor, activity_ref=activity_ref)
    who = actor_for(actor)
    if not who.can_manage_complaints:
        audit_record_security(
            actor=actor,
            action="supervisory_activity.update_denied",
            target=activity,
            agency_id=activity.agency_id,
            company_id=activity.company_id,
        )
        raise PermissionDenied("Only Complaint Supervisors and Managers can change supervisory activities.")
    name = name.strip() if name is not None else None
    _check_activity_fields(activity_type=activity_type, status=status, name=name)
    values: dict[str, Any] = {}
    if activity_type is not None:
        values["activity_type"] = activity_type
    if status is not None:
        values["status"] = status
    if name is not None:
        values["name"] = name
    change_company = nmls_id is not None or company_ref is not None
    if change_company:
        given = (nmls_id or "").strip() or (company_ref or "").strip()
        values["company"] = _company_by(nmls_id or "", company_ref or "") if given else None
    with transaction.atomic():
        # No join here: PostgreSQL cannot lock the nullable side of an outer join.
        activity = SupervisoryActivity.objects.select_for_update().get(pk=activity.pk)
        if activity.version != expected_version:
            raise PreconditionFailed(
                f"Supervisory activity {activity.ref} was changed by someone else since you opened it. "
                "Reload it to see their changes, then make yours again."
            )
        old: dict[str, Any] = {}
        new: dict[str, Any] = {}
        for field, value in values.items():
            current = getattr(activity, field)
            if field == "company":
                if (current.pk if current else None) != (value.pk if value else None):
                    old[field], new[field] = _company_label(current), _company_label(value)
            elif current != value:
                old[field], new[field] = current, value
        if not new:
            return activity
        for field in new:
            setattr(activity, field, values[field])
        activity.version += 1
        activity.save(update_fields=[*new, "version"])
        audit_record(
            actor=actor,
            action="supervisory_activity.updated",
            target=activity,
            old=old,
            new=new,
            agency_id=activity.agency_id,
            company_id=activity.company_id,
        )
    return activity


def supervisory_activity_link_complaint(
    *, actor: User, activity_ref: str, complaint_ref: str
) -> ComplaintSupervisoryActivity:
    """The same link made from the activity's side (spec 7.6: "when the SA is set up, or later")."""
    return supervisory_activity_link(actor=actor, ref=complaint_ref, activity_ref=activity_ref)


def supervisory_activity_unlink_complaint(*, actor: User, activity_ref: str, complaint_ref: str) -> None:
    """Remove the link from the activity's side: the same row the complaint's list shows."""
    activity = supervisory_activity_get_for(actor=actor, activity_ref=activity_ref)
    link = (
        ComplaintSupervisoryActivity.objects.select_related("complaint")
        .filter(activity=activity, complaint__ref=(complaint_ref or "").strip().upper())
        .first()
    )
    if link is None:
        raise NotFound("That complaint is not linked to this supervisory activity.")
    related_item_remove(actor=actor, ref=link.complaint.ref, kind=Kind.SUPERVISORY_ACTIVITY, item_id=link.pk)


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelatedComplaintItem:
    id: int
    ref: str
    status: str
    subject_name: str

    def get_status_display(self) -> str:
        return str(Status(self.status).label)


@dataclass(frozen=True)
class RelatedItems:
    complaints: list[RelatedComplaintItem]
    companies: list[RelatedCompany]
    individuals: list[RelatedIndividual]
    entities: list[RelatedNonNmlsEntity]
    activities: list[ComplaintSupervisoryActivity]
    agent_locations: list[AgentLocation]


def _agency_complaint(actor: User, ref: str) -> Complaint:
    """Related items are agency-only: company users get NotFound like for a missing complaint."""
    complaint = complaint_get_for(actor=actor, ref=ref)
    if not actor_for(actor).is_agency_user:
        raise NotFound("No such complaint.")
    return complaint


def related_items_for(*, actor: User, ref: str) -> RelatedItems:
    """Everything related to the complaint, in a fixed number of queries."""
    complaint = _agency_complaint(actor, ref)
    links = (
        RelatedComplaint.objects.filter(Q(complaint=complaint) | Q(related=complaint))
        .select_related("complaint", "related")
        .order_by("created_at", "id")
    )
    complaints = []
    for link in links:
        other = link.related if link.complaint_id == complaint.pk else link.complaint
        complaints.append(
            RelatedComplaintItem(id=link.pk, ref=other.ref, status=other.status, subject_name=other.subject_name)
        )
    return RelatedItems(
        complaints=complaints,
        companies=list(complaint.related_companies.select_related("company")),
        individuals=list(complaint.related_individuals.all()),
        entities=list(complaint.related_entities.select_related("entity")),
        activities=list(complaint.activity_links.select_related("activity", "activity__company")),
        agent_locations=list(complaint.agent_locations.all()),
    )


def supervisory_activity_get_for(*, actor: User, activity_ref: str) -> SupervisoryActivity:
    who = actor_for(actor)
    activity = (
        SupervisoryActivity.objects.select_related("company").filter(ref=(activity_ref or "").strip().upper()).first()
    )
    if activity is None or not who.is_agency_user or activity.agency_id != who.agency_id:
        raise NotFound("No such supervisory activity.")
    return activity


def complaints_of_activity_for(*, actor: User, activity_ref: str) -> list[Complaint]:
    """The other side of the symmetric link: complaints linked to the activity that the actor sees."""
    activity = supervisory_activity_get_for(actor=actor, activity_ref=activity_ref)
    who = actor_for(actor)
    rows = Complaint.objects.filter(activity_links__activity=activity).order_by("-date_received", "-id")
    return [c for c in rows if policy.can_view(who, c)]


def _agency_of(actor: User) -> int:
    """Supervisory activities belong to an agency: anyone else sees none, as if there were none."""
    who = actor_for(actor)
    if not who.is_agency_user or who.agency_id is None:
        raise NotFound("No such supervisory activity.")
    return who.agency_id


def supervisory_activities_for(*, actor: User, company_id: int | None = None) -> QuerySet[SupervisoryActivity]:
    """The agency's activities, newest first, each annotated with ``complaint_count`` (linked
    complaints; links never cross agencies, so every one of them is the agency's own)."""
    qs = SupervisoryActivity.objects.filter(agency_id=_agency_of(actor))
    if company_id is not None:
        qs = qs.filter(company_id=company_id)
    return qs.select_related("company").annotate(complaint_count=Count("complaint_links")).order_by("-id")


@dataclass(frozen=True)
class CompanyActivityCount:
    company_id: int
    legal_name: str
    activities: int
    complaints: int


def activity_counts_by_company_for(*, actor: User, company_id: int | None = None) -> list[CompanyActivityCount]:
    """The schedule view's count per company (spec 7.6): the agency's activities concerning the
    company and the distinct complaints linked to them, in one query."""
    qs = SupervisoryActivity.objects.filter(agency_id=_agency_of(actor), company__isnull=False)
    if company_id is not None:
        qs = qs.filter(company_id=company_id)
    rows = (
        qs.values("company_id", "company__legal_name")
        .annotate(activities=Count("id", distinct=True), complaints=Count("complaint_links__complaint", distinct=True))
        .order_by("company__legal_name", "company_id")
    )
    return [
        CompanyActivityCount(
            company_id=r["company_id"],
            legal_name=r["company__legal_name"],
            activities=r["activities"],
            complaints=r["complaints"],
        )
        for r in rows
    ]
