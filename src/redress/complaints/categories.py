"""Complaint categories: each agency's own list (spec 3.2), and which categories a complaint carries.

Invariants:
- A category belongs to one agency; its name is unique within the agency whatever the letter case
  (a database constraint holds it under concurrency too).
- Categories are never deleted, only deactivated: a deactivated category is no longer offered for
  new choices, but the complaints that carry it keep it (and may keep it when edited).
- A complaint carries only categories of its own agency; a chosen category must be active unless
  the complaint already carried it. Unknown and other agencies' categories are refused alike, so
  a caller learns nothing about another agency's list.
- Only the agency's account administrators (and system administrators) change the list; every
  change is audited in its transaction and bumps the category's version.
- Every new agency starts with a default list of CFPB-style product / issue pairs.
- Categories are the agency's: no company screen, export or API answer carries them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, QuerySet

from redress.accounts.models import User
from redress.accounts.policy import Actor, actor_for, can_manage_agency
from redress.agencies.models import Agency
from redress.audit.services import audit_record, audit_record_security
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from .models import Complaint, ComplaintCategory, ComplaintCategoryLink

MAX_NAME = 200
MAX_PER_COMPLAINT = 50
INVALID_CATEGORY = "invalid_category"
NAME_TAKEN = "category_name_taken"
SEPARATOR = " — "

# Product / issue pairs of the bundled CFPB taxonomy most state agencies see; every agency starts
# with these (the 0009 data migration holds a frozen copy for agencies that existed before).
DEFAULT_PAIRS: tuple[tuple[str, str], ...] = (
    ("Mortgage", "Trouble during payment process"),
    ("Mortgage", "Struggling to pay mortgage"),
    ("Mortgage", "Loan servicing, payments, escrow account"),
    ("Mortgage", "Loan modification,collection,foreclosure"),
    ("Mortgage", "Applying for a mortgage or refinancing an existing mortgage"),
    ("Debt collection", "Attempts to collect debt not owed"),
    ("Debt collection", "Communication tactics"),
    ("Debt collection", "Written notification about debt"),
    (
        "Credit reporting, credit repair services, or other personal consumer reports",
        "Incorrect information on your report",
    ),
    ("Credit reporting, credit repair services, or other personal consumer reports", "Improper use of your report"),
    ("Checking or savings account", "Managing an account"),
    ("Credit card or prepaid card", "Problem with a purchase shown on your statement"),
    ("Student loan", "Dealing with your lender or servicer"),
    ("Vehicle loan or lease", "Managing the loan or lease"),
    ("Payday loan, title loan, or personal loan", "Charged fees or interest you didn't expect"),
    ("Money transfer, virtual currency, or money service", "Fraud or scam"),
)


def pair_name(product: str, issue: str) -> str:
    return f"{product}{SEPARATOR}{issue}"


DEFAULT_NAMES: tuple[str, ...] = tuple(pair_name(p, i) for p, i in DEFAULT_PAIRS)


# --- reading -------------------------------------------------------------------------------------


def can_manage_categories(actor: Actor, agency: Agency) -> bool:
    return can_manage_agency(actor, agency)


def _agency_in_scope(actor: User, agency_id: int) -> tuple[Actor, Agency]:
    who = actor_for(actor)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not (who.is_system_admin or (who.is_agency_user and who.agency_id == agency.pk)):
        raise NotFound("No such agency.")
    return who, agency


def category_list_for(
    *, actor: User, agency_id: int | None = None, active_only: bool = False
) -> QuerySet[ComplaintCategory]:
    """An agency's categories in list order: agency users read their own agency's list (the
    default), system administrators the list of the agency they name; anyone else none."""
    who = actor_for(actor)
    if agency_id is None:
        agency_id = who.agency_id if who.is_agency_user else None
    if agency_id is None:
        return ComplaintCategory.objects.none()
    _agency_in_scope(actor, agency_id)
    qs = ComplaintCategory.objects.filter(agency_id=agency_id)
    return qs.filter(is_active=True) if active_only else qs


def category_get_for(*, actor: User, category_id: int) -> ComplaintCategory:
    category = ComplaintCategory.objects.filter(pk=category_id).first()
    who = actor_for(actor)
    if category is None or not (who.is_system_admin or (who.is_agency_user and who.agency_id == category.agency_id)):
        raise NotFound("No such category.")
    return category


def category_choices_for(*, agency_id: int, keep: Iterable[int] = ()) -> list[tuple[int, str]]:
    """What a complaint form offers: the agency's active categories, plus the inactive ones the
    complaint already carries (``keep``), marked so."""
    keep = set(keep)
    rows = ComplaintCategory.objects.filter(agency_id=agency_id).order_by("position", "name", "id")
    return [
        (c.pk, c.name if c.is_active else f"{c.name} (no longer in use)") for c in rows if c.is_active or c.pk in keep
    ]


def with_categories(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Prefetch each complaint's categories in list order: one query for a whole page."""
    return qs.prefetch_related(
        Prefetch("categories", queryset=ComplaintCategory.objects.order_by("position", "name", "id"))
    )


def category_names(complaint: Complaint) -> list[str]:
    return [c.name for c in complaint.categories.all()]


# --- the agency's list ------------------------------------------------------------------------------


def _manageable(actor: User, agency_id: int, action: str) -> Agency:
    who, agency = _agency_in_scope(actor, agency_id)
    if not can_manage_categories(who, agency):
        audit_record_security(actor=actor, action=f"{action}.denied", agency_id=agency.pk)
        raise PermissionDenied("Only the agency's account administrators change its categories.")
    return agency


def _clean_name(name: str) -> str:
    value = " ".join((name or "").split())
    if not value:
        raise ApplicationError("required", "Enter the category name.", field="name")
    if len(value) > MAX_NAME:
        raise ApplicationError("too_long", f"Keep the name under {MAX_NAME + 1} characters.", field="name")
    return value


def _name_taken(name: str) -> ApplicationError:
    return ApplicationError(NAME_TAKEN, f"Your agency already has a category named “{name}”.", field="name")


def _check_unique(agency_id: int, name: str, exclude_pk: int | None = None) -> None:
    others = ComplaintCategory.objects.filter(agency_id=agency_id, name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise _name_taken(name)


def category_add(*, actor: User, agency_id: int, name: str) -> ComplaintCategory:
    """Add a category at the end of the agency's list."""
    # Rights are checked before the transaction, so a refusal's security event is kept.
    agency = _manageable(actor, agency_id, "complaint_category.add")
    name = _clean_name(name)
    with transaction.atomic():
        # Serialise additions per agency, so the end position and the name check hold.
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        _check_unique(agency.pk, name)
        last = ComplaintCategory.objects.filter(agency=agency).aggregate(m=Max("position"))["m"] or 0
        try:
            with transaction.atomic():
                category = ComplaintCategory.objects.create(agency=agency, name=name, position=last + 1)
        except IntegrityError:
            raise _name_taken(name) from None
        audit_record(
            actor=actor, action="complaint_category.added", target=category, new={"name": name}, agency_id=agency.pk
        )
    return category


def _authorized(actor: User, category_id: int, action: str) -> ComplaintCategory:
    category = category_get_for(actor=actor, category_id=category_id)
    _manageable(actor, category.agency_id, action)
    return category


def _locked(category: ComplaintCategory, expected_version: int | None) -> ComplaintCategory:
    category = ComplaintCategory.objects.select_for_update().get(pk=category.pk)
    if expected_version is not None and expected_version != category.version:
        raise PreconditionFailed(
            f"The category “{category.name}” was changed by someone else. Reload the list and try again."
        )
    return category


def category_update(
    *,
    actor: User,
    category_id: int,
    expected_version: int | None,
    name: str | None = None,
    active: bool | None = None,
) -> ComplaintCategory:
    """Rename and/or (de)activate, in one transaction. A new name shows on every complaint that
    carries the category; deactivating stops offering it, and complaints keep it."""
    category = _authorized(actor, category_id, "complaint_category.update")
    clean = _clean_name(name) if name is not None else None
    with transaction.atomic():
        category = _locked(category, expected_version)
        changes: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        if clean is not None and clean != category.name:
            _check_unique(category.agency_id, clean, exclude_pk=category.pk)
            changes.append(("complaint_category.renamed", {"name": category.name}, {"name": clean}))
            category.name = clean
        if active is not None and bool(active) != category.is_active:
            action = "complaint_category.activated" if active else "complaint_category.deactivated"
            changes.append((action, {"is_active": category.is_active}, {"is_active": bool(active)}))
            category.is_active = bool(active)
        if not changes:
            return category
        category.version += 1
        try:
            with transaction.atomic():
                category.save(update_fields=["name", "is_active", "version"])
        except IntegrityError:
            raise _name_taken(category.name) from None
        for action, old, new in changes:
            audit_record(actor=actor, action=action, target=category, old=old, new=new, agency_id=category.agency_id)
    return category


def category_rename(*, actor: User, category_id: int, name: str, expected_version: int | None) -> ComplaintCategory:
    return category_update(actor=actor, category_id=category_id, name=name, expected_version=expected_version)


def category_set_active(
    *, actor: User, category_id: int, active: bool, expected_version: int | None
) -> ComplaintCategory:
    """Deactivate (no longer offered; complaints keep it) or activate again. Never a deletion."""
    return category_update(actor=actor, category_id=category_id, active=active, expected_version=expected_version)


@transaction.atomic
def categories_seed_defaults(*, agency_id: int, actor: User | None = None) -> int:
    """Give an agency the default list (those of its names it lacks); returns how many were added."""
    have = {n.lower() for n in ComplaintCategory.objects.filter(agency_id=agency_id).values_list("name", flat=True)}
    last = ComplaintCategory.objects.filter(agency_id=agency_id).aggregate(m=Max("position"))["m"] or 0
    missing = [n for n in DEFAULT_NAMES if n.lower() not in have]
    ComplaintCategory.objects.bulk_create(
        ComplaintCategory(agency_id=agency_id, name=name, position=last + i) for i, name in enumerate(missing, 1)
    )
    if missing:
        audit_record(
            actor=actor, action="complaint_category.defaults_seeded", new={"added": len(missing)}, agency_id=agency_id
        )
    return len(missing)


# --- a complaint's categories -----------------------------------------------------------------------


def parse_category_ids(value: Any) -> list[int]:
    """The chosen ids, in order and without repeats; anything that is not a list of ids is refused."""
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ApplicationError(INVALID_CATEGORY, "Categories must be a list of category ids.", field="categories")
    ids = list(dict.fromkeys(value))
    if len(ids) > MAX_PER_COMPLAINT:
        raise ApplicationError(INVALID_CATEGORY, f"Choose at most {MAX_PER_COMPLAINT} categories.", field="categories")
    return ids


def complaint_set_categories(
    *, complaint: Complaint, category_ids: Sequence[int]
) -> tuple[list[str], list[str]] | None:
    """Make the complaint carry exactly these categories (inside the caller's transaction, which
    audits it). Returns the old and new names, or None when nothing changed."""
    ids = parse_category_ids(list(category_ids))
    current = {link.category_id: link.category for link in complaint.category_links.select_related("category")}
    chosen = {c.pk: c for c in ComplaintCategory.objects.filter(pk__in=ids, agency_id=complaint.agency_id)}
    unusable = [i for i in ids if i not in chosen or (not chosen[i].is_active and i not in current)]
    if unusable:
        raise ApplicationError(
            INVALID_CATEGORY,
            "Choose categories from your agency's list of categories in use.",
            field="categories",
            ids=unusable,
        )
    if set(current) == set(ids):
        return None
    ComplaintCategoryLink.objects.filter(complaint=complaint).exclude(category_id__in=ids).delete()
    ComplaintCategoryLink.objects.bulk_create(
        ComplaintCategoryLink(complaint=complaint, category_id=i) for i in ids if i not in current
    )
    order = {c.pk: (c.position, c.name) for c in [*current.values(), *chosen.values()]}
    return (
        [current[i].name for i in sorted(current, key=order.__getitem__)],
        [chosen[i].name for i in sorted(ids, key=order.__getitem__)],
    )


def complaint_release_categories(*, complaint: Complaint) -> list[str]:
    """Take off every category the complaint carries (inside the caller's transaction, which
    audits it), when the complaint moves to another agency whose list they are not on. Returns the
    names taken off, so the audit trail keeps what the old owner had filed it under."""
    links = list(complaint.category_links.select_related("category").order_by("category__position", "category__name"))
    if links:
        ComplaintCategoryLink.objects.filter(pk__in=[link.pk for link in links]).delete()
    return [link.category.name for link in links]
