"""Writing complaints: intake, preliminary review, editing, Agency POC, subject, closure, reopen, cancel.

Invariants:
- Every status change goes through ``_transition``, which consults the one table in
  ``constants.TRANSITIONS``; a pair that is not there is refused with ``invalid_transition``.
- ``ensure_mutable`` is called by every service that changes intake data, the POC, the subject or
  violations: a closed or canceled complaint is locked, whichever interface asks.
- Every change is one transaction with its audit event; a refused call changes nothing.
- Updates carry the version the caller saw; a stale version is refused (never a silent overwrite).
- The Agency POC is always a Supervisor or Manager of the owning agency.
- A complaint's categories are active categories of its own agency (``categories``); changing
  them is an intake edit like any other (locked after closure, versioned, audited).
- A complaint against an individual names the individual (first and last name); when the registry
  lacks the name, the one entered at intake is required and fills the registry record.
- The subject's company (an individual's or branch's employer) is the complaint's company, so
  Information Requests always go to that company.
- A complaint and its intake documents (new files, or loose documents of the agency named by
  ref) are stored together or not at all: a refused file leaves no complaint row and no bytes.
  Intake documents belong to the agency; shared ones reach the company through the complaint
  (``document_access``), so they follow a subject change and wait for the first IR like the rest.
- A closure and its closure documents are stored together or not at all; documents are shared
  with the company only when the closure is shared, and internal notes never are.
- A Non-NMLS entity is created only on the proof of the creator's own recent guided subject search
  that tried every required step and found nothing (``subject_search``); each proof is used once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from redress.accounts.models import User
from redress.accounts.policy import Actor, actor_for
from redress.agencies.constants import ComplaintsRole
from redress.agencies.models import Agency, AgencyMembership
from redress.audit.services import audit_record, audit_record_security
from redress.companies.constants import BusinessType
from redress.companies.models import Branch, Company, Individual
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed
from redress.core.references import next_reference
from redress.documents.constants import DocumentContext, DocumentVisibility
from redress.documents.services import documents_attach, documents_upload

from . import errors, notices, policy
from .categories import complaint_set_categories, parse_category_ids
from .constants import (
    REOPEN_WINDOW_DAYS,
    REVIEW_CLOSURE_REASONS,
    TRANSITIONS,
    Action,
    ClosureReason,
    HowReceived,
    Status,
    SubjectType,
)
from .models import Closure, Complaint, NonNmlsEntity, TaxonomyVersion
from .subject_search import subject_search_claim
from .taxonomy import current_taxonomy
from .validation import (
    FieldErrors,
    check_date_not_future,
    check_non_negative,
    check_postal,
    check_required,
    check_state,
    check_taxonomy,
)

# Intake fields an editor may change while the complaint is open (the subject has its own service).
EDITABLE_FIELDS = (
    "date_received",
    "how_received",
    "cfpb_id",
    "business_type",
    "business_activities",
    "product",
    "sub_product",
    "issue",
    "sub_issue",
    "summary",
    "desired_outcome",
    "amount_in_dispute_cents",
    "sent_to_subject_on",
    "transaction_date",
    "transaction_city",
    "transaction_state",
    "complainant_first_name",
    "complainant_last_name",
    "complainant_street",
    "complainant_city",
    "complainant_state",
    "complainant_postal_code",
    "complainant_phone",
    "complainant_email",
    "restrict_complainant",
)
_REQUIRED = {
    "date_received": "date received",
    "how_received": "way the complaint was received",
    "business_type": "business type",
    "product": "product",
    "issue": "issue",
    "summary": "complaint summary",
    "complainant_first_name": "complainant's first name",
    "complainant_last_name": "complainant's last name",
}
_TEXT_FIELDS = {f for f in EDITABLE_FIELDS} - {
    "date_received",
    "business_activities",
    "amount_in_dispute_cents",
    "sent_to_subject_on",
    "transaction_date",
    "restrict_complainant",
}


# --- guards ---------------------------------------------------------------------------------


def ensure_mutable(complaint: Complaint) -> None:
    """The one lock: closed and canceled complaints refuse every change to their data."""
    if complaint.status in (Status.CLOSED, Status.CANCELED):
        raise ApplicationError(
            errors.COMPLAINT_LOCKED,
            f"Complaint {complaint.ref} is {complaint.get_status_display().lower()} and can no longer be changed.",
        )


def _transition(complaint: Complaint | None, action: str) -> str:
    current = complaint.status if complaint is not None else None
    target = TRANSITIONS.get((action, current))
    if target is None:
        label = Status(current).label.lower() if current else "new"
        raise ApplicationError(
            errors.INVALID_TRANSITION, f"A {label} complaint cannot be {Action(action).label.lower()}d."
        )
    return target


def _require_manage(actor: Actor, complaint: Complaint, action: str) -> None:
    if not policy.can_view(actor, complaint):
        raise NotFound("No such complaint.")
    if not policy.can_manage(actor, complaint):
        audit_record_security(
            actor=actor.user, action=f"complaint.{action}.denied", target=complaint, agency_id=complaint.agency_id
        )
        raise PermissionDenied("Only Complaint Supervisors and Managers of the owning agency can do that.")


def authorize_manage(user: User, ref: str, action: str) -> None:
    """Check rights before a write transaction, so a refusal is recorded and nothing is locked."""
    who = actor_for(user)
    complaint = Complaint.objects.filter(ref=ref).first()
    if complaint is None or not policy.can_view(who, complaint):
        raise NotFound("No such complaint.")
    _require_manage(who, complaint, action)


def _check_version(complaint: Complaint, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != complaint.version:
        raise PreconditionFailed(
            f"Complaint {complaint.ref} was changed by someone else since you opened it. "
            "Reload it to see their changes, then make yours again."
        )


def _locked(actor: Actor, ref: str) -> Complaint:
    """Load and lock the row for the rest of the transaction (scope checked by the caller)."""
    complaint = Complaint.objects.select_for_update().filter(ref=ref).first()
    if complaint is None:
        raise NotFound("No such complaint.")
    return complaint


def _save(complaint: Complaint, fields: list[str]) -> None:
    complaint.version += 1
    complaint.save(update_fields=[*fields, "version"])


# --- intake ------------------------------------------------------------------------------------


def _normalise(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in _TEXT_FIELDS:
            value = "" if value is None else str(value).strip()
            if key in ("transaction_state", "complainant_state"):
                value = value.upper()
            if key == "complainant_email":
                value = value.lower()
        out[key] = value
    return out


def _validate_details(values: dict[str, Any], taxonomy: TaxonomyVersion, *, partial: bool) -> None:
    errs = FieldErrors()
    if partial:
        check_required(errs, values, {k: v for k, v in _REQUIRED.items() if k in values})
    else:
        check_required(errs, values, _REQUIRED)
    check_date_not_future(errs, "date_received", values.get("date_received"), "date received")
    check_date_not_future(errs, "transaction_date", values.get("transaction_date"), "transaction date")
    if values.get("how_received") and values["how_received"] not in HowReceived.values:
        errs.add("how_received", "Choose how the complaint was received.")
    if values.get("business_type") and values["business_type"] not in BusinessType.values:
        errs.add("business_type", "Choose a business type from the list.")
    activities = values.get("business_activities")
    if activities is not None and (
        not isinstance(activities, list) or not all(isinstance(a, str) and a.strip() for a in activities)
    ):
        errs.add("business_activities", "Business activities must be a list of names.")
    check_non_negative(errs, "amount_in_dispute_cents", values.get("amount_in_dispute_cents"), "amount in dispute")
    check_state(errs, "transaction_state", values.get("transaction_state"))
    check_state(errs, "complainant_state", values.get("complainant_state"))
    check_postal(errs, "complainant_postal_code", values.get("complainant_postal_code"))
    for field in ("summary", "desired_outcome"):
        if len(values.get(field) or "") > 50_000:
            errs.add(field, "Keep this under 50,000 characters; attach longer text as a document.")
    if "product" in values or "issue" in values:
        check_taxonomy(
            errs,
            taxonomy,
            values.get("product", ""),
            values.get("sub_product", ""),
            values.get("issue", ""),
            values.get("sub_issue", ""),
        )
    errs.raise_if_any()


def _resolve_subject(
    actor: Actor, subject_type: str, subject_id: int
) -> tuple[Company | None, Branch | None, Individual | None, NonNmlsEntity | None, str]:
    if subject_type == SubjectType.COMPANY:
        company = Company.objects.filter(pk=subject_id).first()
        if company is None:
            raise ApplicationError(errors.INVALID_SUBJECT, "Choose the company from the search.", field="subject")
        return company, None, None, None, company.legal_name
    if subject_type == SubjectType.BRANCH:
        branch = Branch.objects.select_related("company").filter(pk=subject_id).first()
        if branch is None:
            raise ApplicationError(errors.INVALID_SUBJECT, "Choose the branch from the search.", field="subject")
        return branch.company, branch, None, None, branch.company.legal_name
    if subject_type == SubjectType.INDIVIDUAL:
        person = Individual.objects.select_related("company").filter(pk=subject_id).first()
        if person is None:
            raise ApplicationError(errors.INVALID_SUBJECT, "Choose the individual from the search.", field="subject")
        return person.company, None, person, None, person.company.legal_name
    if subject_type == SubjectType.NON_NMLS:
        entity = NonNmlsEntity.objects.filter(pk=subject_id).first()
        if entity is None:
            raise ApplicationError(errors.INVALID_SUBJECT, "Choose the Non-NMLS entity.", field="subject")
        return None, None, None, entity, entity.name
    raise ApplicationError(errors.INVALID_SUBJECT, "Choose a subject type.", field="subject_type")


def _individual_name(individual: Individual, first_name: str, last_name: str) -> dict[str, str]:
    """The name changes the registry record needs: the entered name fills what the registry lacks."""
    first, last = (first_name or "").strip(), (last_name or "").strip()
    errs = FieldErrors()
    if not (individual.first_name.strip() or first):
        errs.add("individual_first_name", "Enter the individual's first name.")
    if not (individual.last_name.strip() or last):
        errs.add("individual_last_name", "Enter the individual's last name.")
    if len(first) > 100 or len(last) > 100:
        errs.add("individual_last_name", "Keep each part of the individual's name under 100 characters.")
    errs.raise_if_any("The complaint could not be saved.")
    missing: dict[str, str] = {}
    if not individual.first_name.strip():
        missing["first_name"] = first
    if not individual.last_name.strip():
        missing["last_name"] = last
    return missing


def _fill_individual_name(actor: User, individual: Individual, missing: dict[str, str]) -> None:
    person = Individual.objects.select_for_update().get(pk=individual.pk)
    old = {f: getattr(person, f) for f in missing}
    for field, value in missing.items():
        setattr(person, field, value)
    person.version += 1
    person.save(update_fields=[*missing, "version"])
    audit_record(
        actor=actor,
        action="individual.updated",
        target=person,
        old=old,
        new=missing,
        company_id=person.company_id,
    )


def complaint_create(
    *,
    actor: User,
    subject_type: str,
    subject_id: int,
    details: Mapping[str, Any],
    submit_for_review: bool,
    individual_first_name: str = "",
    individual_last_name: str = "",
    files: Sequence[UploadedFile[bytes]] = (),
    document_refs: Sequence[str] = (),
    documents_visibility: str = DocumentVisibility.AGENCY_ONLY,
) -> Complaint:
    """Create a complaint in the actor's agency: OPEN with the creator as Agency POC, or PENDING
    preliminary review with no POC yet. Against an individual the registry lacks a name for, the
    individual's first and last name must be entered. ``files`` (new uploads) and
    ``document_refs`` (loose documents the agency uploaded earlier) become the complaint's intake
    documents with ``documents_visibility``, in the same transaction."""
    who = actor_for(actor)
    if who.agency_id is None or not policy.can_create_in_agency(who, who.agency_id):
        raise PermissionDenied("Only Complaint Supervisors and Managers can enter complaints.")
    values = _normalise({k: v for k, v in details.items() if k in EDITABLE_FIELDS})
    category_ids = parse_category_ids(details.get("categories"))
    taxonomy = current_taxonomy()
    _validate_details(values, taxonomy, partial=False)
    company, branch, individual, entity, subject_name = _resolve_subject(who, subject_type, subject_id)
    missing_name = (
        _individual_name(individual, individual_first_name, individual_last_name) if individual is not None else {}
    )
    action = Action.CREATE_FOR_REVIEW if submit_for_review else Action.CREATE_BYPASS
    status = _transition(None, action)
    today = clock.today()
    with transaction.atomic():
        if individual is not None and missing_name:
            _fill_individual_name(actor, individual, missing_name)
        complaint = Complaint.objects.create(
            ref=next_reference("CMP", year=today.year),
            agency_id=who.agency_id,
            agency_poc=None if submit_for_review else actor,
            status=status,
            subject_type=subject_type,
            company=company,
            branch=branch,
            individual=individual,
            non_nmls_entity=entity,
            subject_name=subject_name,
            taxonomy=taxonomy,
            created_by=actor,
            **values,
        )
        categories = complaint_set_categories(complaint=complaint, category_ids=category_ids) if category_ids else None
        audit_record(
            actor=actor,
            action="complaint.created",
            target=complaint,
            new={
                "status": status,
                "subject": subject_name,
                "agency_poc": actor.email if not submit_for_review else None,
                **({"categories": categories[1]} if categories else {}),
            },
            agency_id=complaint.agency_id,
            company_id=complaint.company_id,
        )
        if files or document_refs:
            _attach_intake_documents(actor, complaint, files, document_refs, documents_visibility)
    return complaint


def _attach_intake_documents(
    actor: User,
    complaint: Complaint,
    files: Sequence[UploadedFile[bytes]],
    document_refs: Sequence[str],
    visibility: str,
) -> None:
    """The agency owns intake documents (``company`` stays empty even when shared): the company
    reads shared ones through the complaint, whichever company the subject is by then."""
    if visibility not in DocumentVisibility.values:
        raise ApplicationError("invalid_visibility", "Choose who may see the documents.", field="documents_visibility")
    options: dict[str, Any] = {
        "actor": actor,
        "context": DocumentContext.INTAKE,
        "visibility": visibility,
        "agency": complaint.agency,
        "attached_to": complaint,
    }
    if document_refs:
        documents_attach(refs=document_refs, **options)
    # Last: bytes are written only once everything else in the transaction has passed.
    if files:
        documents_upload(files=files, **options)


# --- editing ---------------------------------------------------------------------------------


def complaint_update(*, actor: User, ref: str, changes: Mapping[str, Any], expected_version: int | None) -> Complaint:
    """Change intake details of an open complaint. ``categories`` (ids) replaces its categories."""
    who = actor_for(actor)
    category_ids = parse_category_ids(changes["categories"]) if "categories" in changes else None
    changes = {k: v for k, v in changes.items() if k != "categories"}
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            "validation_error", f"These fields cannot be changed here: {', '.join(sorted(unknown))}."
        )
    with transaction.atomic():
        complaint = _locked(who, ref)
        if not policy.can_view(who, complaint):
            raise NotFound("No such complaint.")
        denied = not policy.can_manage(who, complaint)
        if not denied:
            _check_version(complaint, expected_version)
            ensure_mutable(complaint)
            values = _normalise(changes)
            merged = {f: getattr(complaint, f) for f in ("product", "sub_product", "issue", "sub_issue")}
            if {"product", "sub_product", "issue", "sub_issue"} & set(values):
                merged.update({k: v for k, v in values.items() if k in merged})
                values.update(merged)
            _validate_details(values, complaint.taxonomy, partial=True)
            old = {f: getattr(complaint, f) for f in values if getattr(complaint, f) != values[f]}
            new = {f: values[f] for f in old}
            fields = list(new)
            categories = (
                complaint_set_categories(complaint=complaint, category_ids=category_ids)
                if category_ids is not None
                else None
            )
            if categories is not None:
                old["categories"], new["categories"] = categories
            if old:
                for field in fields:
                    setattr(complaint, field, new[field])
                _save(complaint, fields)
                audit_record(
                    actor=actor,
                    action="complaint.updated",
                    target=complaint,
                    old=old,
                    new=new,
                    agency_id=complaint.agency_id,
                    company_id=complaint.company_id,
                )
    if denied:
        _require_manage(who, complaint, "update")
    return complaint


def _validate_poc(complaint: Complaint, poc: User | None) -> AgencyMembership:
    membership = (
        AgencyMembership.objects.select_related("user").filter(user=poc, agency_id=complaint.agency_id).first()
        if poc is not None
        else None
    )
    if (
        membership is None
        or not membership.user.is_active
        or membership.complaints_role not in (ComplaintsRole.SUPERVISOR, ComplaintsRole.MANAGER)
    ):
        raise ApplicationError(
            errors.INVALID_POC,
            "The Agency POC must be an active Complaint Supervisor or Manager of the owning agency.",
            field="agency_poc",
        )
    return membership


def complaint_assign_poc(*, actor: User, ref: str, poc: User, expected_version: int | None) -> Complaint:
    who = actor_for(actor)
    with transaction.atomic():
        complaint = _locked(who, ref)
        if policy.can_manage(who, complaint):
            _check_version(complaint, expected_version)
            ensure_mutable(complaint)
            _validate_poc(complaint, poc)
            old_poc = complaint.agency_poc
            if old_poc != poc:
                complaint.agency_poc = poc
                _save(complaint, ["agency_poc"])
                audit_record(
                    actor=actor,
                    action="complaint.poc_changed",
                    target=complaint,
                    old={"agency_poc": old_poc.email if old_poc else None},
                    new={"agency_poc": poc.email},
                    agency_id=complaint.agency_id,
                    company_id=complaint.company_id,
                )
                notices.poc_changed(complaint=complaint, old_poc=old_poc, actor=actor)
            return complaint
    _require_manage(who, complaint, "assign_poc")
    return complaint


def complaint_update_subject(
    *, actor: User, ref: str, subject_type: str, subject_id: int, expected_version: int | None
) -> Complaint:
    """Change the subject: only while open and before the first Information Request was sent."""
    who = actor_for(actor)
    with transaction.atomic():
        complaint = _locked(who, ref)
        if policy.can_manage(who, complaint):
            _check_version(complaint, expected_version)
            ensure_mutable(complaint)
            if complaint.first_ir_sent_at is not None:
                raise ApplicationError(
                    errors.SUBJECT_LOCKED,
                    "The subject cannot change after an Information Request has been sent to the company.",
                )
            company, branch, individual, entity, name = _resolve_subject(who, subject_type, subject_id)
            old = {"subject_type": complaint.subject_type, "subject": complaint.subject_name}
            complaint.subject_type = subject_type
            complaint.company, complaint.branch, complaint.individual = company, branch, individual
            complaint.non_nmls_entity, complaint.subject_name = entity, name
            _save(complaint, ["subject_type", "company", "branch", "individual", "non_nmls_entity", "subject_name"])
            audit_record(
                actor=actor,
                action="complaint.subject_changed",
                target=complaint,
                old=old,
                new={"subject_type": subject_type, "subject": name},
                agency_id=complaint.agency_id,
                company_id=complaint.company_id,
            )
            return complaint
    _require_manage(who, complaint, "update_subject")
    return complaint


# --- lifecycle -------------------------------------------------------------------------------


def complaint_complete_review(
    *, actor: User, ref: str, agency_poc: User, changes: Mapping[str, Any] | None, expected_version: int | None
) -> Complaint:
    """Finish preliminary review: optional edits, a required Agency POC, then OPEN."""
    if changes:
        complaint = complaint_update(actor=actor, ref=ref, changes=changes, expected_version=expected_version)
        expected_version = complaint.version
    who = actor_for(actor)
    with transaction.atomic():
        complaint = _locked(who, ref)
        if policy.can_manage(who, complaint):
            _check_version(complaint, expected_version)
            target = _transition(complaint, Action.COMPLETE_REVIEW)
            _validate_poc(complaint, agency_poc)
            complaint.status = target
            complaint.agency_poc = agency_poc
            _save(complaint, ["status", "agency_poc"])
            audit_record(
                actor=actor,
                action="complaint.review_completed",
                target=complaint,
                old={"status": Status.PENDING},
                new={"status": target, "agency_poc": agency_poc.email},
                agency_id=complaint.agency_id,
                company_id=complaint.company_id,
            )
            notices.review_completed(complaint=complaint, actor=actor)
            return complaint
    _require_manage(who, complaint, "complete_review")
    return complaint


def _validate_closure(complaint: Complaint, data: Mapping[str, Any]) -> dict[str, Any]:
    errs = FieldErrors()
    reason = data.get("reason") or ""
    if reason not in ClosureReason.values:
        errs.add("reason", "Choose a close reason.")
    if complaint.status == Status.PENDING and reason and reason not in REVIEW_CLOSURE_REASONS:
        errs.add(
            "reason",
            "A complaint in preliminary review can only be closed as Duplicate, Invalid, "
            "or Referred to other State Agency.",
        )
    cents = data.get("monetary_relief_cents")
    paid_on = data.get("relief_paid_on")
    referred = (data.get("referred_to_agency_name") or "").strip()
    if reason == ClosureReason.MONETARY_RELIEF:
        if cents is None:
            errs.add("monetary_relief_cents", "Enter the amount of monetary relief paid.")
        elif cents <= 0:
            errs.add("monetary_relief_cents", "Monetary relief must be more than $0.00.")
        if paid_on is None:
            errs.add("relief_paid_on", "Enter the date the relief was paid.")
        elif paid_on > clock.today():
            errs.add("relief_paid_on", "The payment date cannot be later than today.")
    elif cents is not None or paid_on is not None:
        errs.add("monetary_relief_cents", "Monetary relief applies only to the reason Closed with Monetary Relief.")
    if reason == ClosureReason.REFERRED_OTHER_STATE_AGENCY and not referred:
        errs.add("referred_to_agency_name", "Enter the name of the state agency the complaint was referred to.")
    share = bool(data.get("share_with_company"))
    comments = (data.get("comments_to_company") or "").strip()
    if share and not comments:
        errs.add("comments_to_company", "Enter the comments to share with the company.")
    errs.raise_if_any("The complaint could not be closed.")
    return {
        "reason": reason,
        "monetary_relief_cents": cents if reason == ClosureReason.MONETARY_RELIEF else None,
        "relief_paid_on": paid_on if reason == ClosureReason.MONETARY_RELIEF else None,
        "referred_to_agency_name": referred if reason == ClosureReason.REFERRED_OTHER_STATE_AGENCY else "",
        "internal_notes": (data.get("internal_notes") or "").strip(),
        "share_with_company": share,
        "comments_to_company": comments if share else "",
    }


def _attach_closure_documents(
    actor: User,
    complaint: Complaint,
    record: Closure,
    files: Sequence[UploadedFile[bytes]],
    document_refs: Sequence[str],
) -> int:
    """Closure documents belong to the agency; shared ones are also the company's to read. New
    files and documents uploaded earlier (by ref) get the same visibility."""
    shared = record.share_with_company and complaint.company is not None
    visibility = DocumentVisibility.AGENCY_AND_COMPANY if shared else DocumentVisibility.AGENCY_ONLY
    company = complaint.company if shared else None
    count = 0
    if document_refs:
        count += len(
            documents_attach(
                actor=actor,
                refs=document_refs,
                context=DocumentContext.CLOSURE,
                visibility=visibility,
                agency=complaint.agency,
                company=company,
                attached_to=record,
            )
        )
    if files:
        count += len(
            documents_upload(
                actor=actor,
                files=files,
                context=DocumentContext.CLOSURE,
                visibility=visibility,
                agency=complaint.agency,
                company=company,
                attached_to=record,
            )
        )
    return count


def complaint_close(
    *,
    actor: User,
    ref: str,
    closure: Mapping[str, Any],
    expected_version: int | None,
    files: Sequence[UploadedFile[bytes]] = (),
    document_refs: Sequence[str] = (),
) -> Closure:
    """Close with a reason from the list and its conditional fields; the complaint is then locked.
    Closure documents (new ``files``, or ``document_refs`` of loose documents the agency uploaded
    earlier) are stored with the closure in the same transaction: all of it, or nothing."""
    who = actor_for(actor)
    with transaction.atomic():
        complaint = _locked(who, ref)
        if policy.can_manage(who, complaint):
            _check_version(complaint, expected_version)
            target = _transition(complaint, Action.CLOSE)
            values = _validate_closure(complaint, closure)
            now = clock.now()
            record = Closure.objects.create(
                complaint=complaint, closed_on=clock.today(), closed_at=now, closed_by=actor, **values
            )
            documents = (
                _attach_closure_documents(actor, complaint, record, files, document_refs)
                if files or document_refs
                else 0
            )
            old_status = complaint.status
            complaint.status = target
            complaint.closed_on = record.closed_on
            _save(complaint, ["status", "closed_on"])
            audit_record(
                actor=actor,
                action="complaint.closed",
                target=complaint,
                old={"status": old_status},
                new={"status": target, **values, "documents": documents},
                agency_id=complaint.agency_id,
                company_id=complaint.company_id,
            )
            # Imported late: the IR exchange builds on this module. It reacts in this transaction.
            from redress.information_requests.services import irs_on_complaint_closed

            irs_on_complaint_closed(complaint=complaint, closure=record, actor=actor)
            return record
    _require_manage(who, complaint, "close")
    raise AssertionError("unreachable")


def complaint_reopen(*, actor: User, ref: str, reason: str, expected_version: int | None) -> Complaint:
    """Reopen within one year of the latest closure; the closure stays in All Closures."""
    who = actor_for(actor)
    reason = (reason or "").strip()
    with transaction.atomic():
        complaint = _locked(who, ref)
        if policy.can_manage(who, complaint):
            _check_version(complaint, expected_version)
            target = _transition(complaint, Action.REOPEN)
            if not reason:
                raise ApplicationError(errors.REQUIRED, "Enter why the complaint is being reopened.", field="reason")
            assert complaint.closed_on is not None
            if clock.today() > complaint.closed_on + dt.timedelta(days=REOPEN_WINDOW_DAYS):
                raise ApplicationError(
                    errors.REOPEN_WINDOW_PASSED,
                    f"Complaint {complaint.ref} was closed on {complaint.closed_on:%B %-d, %Y}, more than a year ago; "
                    "create a new complaint instead.",
                )
            latest = complaint.closures.order_by("-closed_at", "-id").first()
            assert latest is not None
            latest.reopened_at = clock.now()
            latest.reopened_by = actor
            latest.reopen_reason = reason
            latest.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
            complaint.status = target
            _save(complaint, ["status"])
            audit_record(
                actor=actor,
                action="complaint.reopened",
                target=complaint,
                old={"status": Status.CLOSED},
                new={"status": target},
                reason=reason,
                agency_id=complaint.agency_id,
                company_id=complaint.company_id,
            )
            return complaint
    _require_manage(who, complaint, "reopen")
    return complaint


def complaint_cancel(*, actor: User, ref: str, reason: str, expected_version: int | None) -> Complaint:
    """Cancel before closure. Nothing can be done on a canceled complaint afterwards."""
    who = actor_for(actor)
    reason = (reason or "").strip()
    with transaction.atomic():
        complaint = _locked(who, ref)
        if policy.can_manage(who, complaint):
            _check_version(complaint, expected_version)
            target = _transition(complaint, Action.CANCEL)
            if not reason:
                raise ApplicationError(errors.REQUIRED, "Enter the reason for canceling.", field="reason")
            old_status = complaint.status
            complaint.status = target
            complaint.canceled_at = clock.now()
            complaint.canceled_by = actor
            complaint.cancel_reason = reason
            _save(complaint, ["status", "canceled_at", "canceled_by", "cancel_reason"])
            audit_record(
                actor=actor,
                action="complaint.canceled",
                target=complaint,
                old={"status": old_status},
                new={"status": target},
                reason=reason,
                agency_id=complaint.agency_id,
                company_id=complaint.company_id,
            )
            # Imported late: the IR exchange builds on this module. It reacts in this transaction.
            from redress.information_requests.services import irs_cancel_for_complaint

            irs_cancel_for_complaint(complaint=complaint, actor=actor)
            # Spec 2.4: a pending referral and pending access requests end with the complaint;
            # access already granted stays.
            from .access import access_cancel_for_complaint
            from .referrals import referral_cancel_for_complaint

            referral_cancel_for_complaint(complaint=complaint, actor=actor)
            access_cancel_for_complaint(complaint=complaint, actor=actor)
            return complaint
    _require_manage(who, complaint, "cancel")
    return complaint


def non_nmls_entity_create(
    *, actor: User, search_id: str | uuid.UUID | None, name: str, **fields: str
) -> NonNmlsEntity:
    """Create a Non-NMLS entity, only on the proof of the actor's own guided subject search that
    tried every required step and found nothing (``subject_search``); the proof is used up."""
    who = actor_for(actor)
    if who.agency_id is None or not who.can_manage_complaints:
        raise PermissionDenied("Only Complaint Supervisors and Managers can create Non-NMLS entities.")
    errs = FieldErrors()
    check_required(errs, {"name": name}, {"name": "entity name"})
    check_state(errs, "state", fields.get("state"))
    errs.raise_if_any()
    allowed = {k: (v or "").strip() for k, v in fields.items() if k in ("street", "city", "state", "phone", "website")}
    with transaction.atomic():
        search = subject_search_claim(actor=actor, search_id=search_id)
        entity = NonNmlsEntity.objects.create(
            tracking_number=next_reference("ETN"),
            name=name.strip(),
            created_by_agency=Agency.objects.get(pk=who.agency_id),
            **allowed,
        )
        search.entity = entity
        search.save(update_fields=["entity"])
        audit_record(
            actor=actor,
            action="non_nmls_entity.created",
            target=entity,
            new={"name": entity.name, "subject_search": str(search.ref)},
            agency_id=who.agency_id,
        )
    return entity
