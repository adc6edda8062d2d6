"""Reading the company registry, scoped to an actor.

Invariants:
- System admins and agency users see the whole registry; a company user sees only its own
  company; anyone else sees nothing. A company outside scope raises NotFound like a missing one.
- Searches are ordered by (upper(legal_name), id), which is total and stable, so keyset
  (cursor) pagination never skips or repeats a row while the registry changes.
- Licences are shown per agency: an agency user sees its own agency's licence numbers only.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Upper

from redress.accounts.policy import Actor, actor_for, can_view_company
from redress.core.errors import ApplicationError, NotFound

from .models import Company, CompanyBusinessType, CompanyMembership, NotificationAddress, StateLicense, Supervision

if TYPE_CHECKING:
    from redress.accounts.models import User
    from redress.agencies.models import Agency

MAX_PAGE_SIZE = 100


def _scope(actor: Actor) -> QuerySet[Company]:
    if actor.is_system_admin or actor.is_agency_user:
        return Company.objects.all()
    if actor.is_company_user and actor.company_id is not None:
        return Company.objects.filter(pk=actor.company_id)
    return Company.objects.none()


def company_search_for(
    actor: User,
    *,
    q: str = "",
    nmls_id: str = "",
    company_ref: str = "",
    state: str = "",
    supervised_by: Agency | None = None,
    business_type: str = "",
) -> QuerySet[Company]:
    """Companies the user may see that match every given filter, in stable name order."""
    qs = _scope(actor_for(actor))
    if q.strip():
        qs = qs.filter(search_text__icontains=q.strip())
    if nmls_id.strip():
        digits = nmls_id.strip()
        qs = qs.filter(nmls_id=str(int(digits))) if digits.isdigit() and int(digits) else qs.none()
    if company_ref.strip():
        qs = qs.filter(company_ref=company_ref.strip().upper())
    if state.strip():
        qs = qs.filter(state=state.strip().upper())
    if supervised_by is not None:
        qs = qs.filter(Exists(Supervision.objects.filter(company=OuterRef("pk"), agency=supervised_by)))
    if business_type.strip():
        qs = qs.filter(
            Exists(CompanyBusinessType.objects.filter(company=OuterRef("pk"), business_type=business_type.strip()))
        )
    return qs.annotate(sort_name=Upper("legal_name")).order_by("sort_name", "id")


@dataclass(frozen=True)
class CompanyPage:
    items: list[Company]
    next_cursor: str | None


def _encode_cursor(sort_name: str, pk: int) -> str:
    raw = json.dumps([sort_name, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sort_name, pk = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise ApplicationError("invalid_cursor", "The page link is not valid.", field="cursor") from None
    if not isinstance(sort_name, str) or not isinstance(pk, int):
        raise ApplicationError("invalid_cursor", "The page link is not valid.", field="cursor")
    return sort_name, pk


def company_page(qs: QuerySet[Company], *, cursor: str | None = None, limit: int = 25) -> CompanyPage:
    """One page of a ``company_search_for`` result, after ``cursor``; limit is capped."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    if cursor:
        sort_name, pk = _decode_cursor(cursor)
        qs = qs.filter(Q(sort_name__gt=sort_name) | Q(sort_name=sort_name, id__gt=pk))
    rows = list(qs[: limit + 1])
    items = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = _encode_cursor(last.sort_name, last.pk)  # type: ignore[attr-defined]
    return CompanyPage(items=items, next_cursor=next_cursor)


def company_get_for(actor: User, *, pk: int | None = None, company_ref: str | None = None) -> Company:
    if pk is None and not company_ref:
        raise NotFound()
    lookup = {"pk": pk} if pk is not None else {"company_ref": (company_ref or "").upper()}
    company = Company.objects.filter(**lookup).select_related("complaints_contact").first()
    if company is None or not can_view_company(actor_for(actor), company):
        raise NotFound()
    return company


def company_users_for(actor: User, company: Company) -> QuerySet[CompanyMembership]:
    """The company's users, for people who may see the company at all."""
    if not can_view_company(actor_for(actor), company):
        raise NotFound()
    return (
        CompanyMembership.objects.filter(company=company)
        .select_related("user")
        .order_by("-user__is_active", "user__full_name", "user__email")
    )


def company_licenses_for(actor: User, company: Company) -> QuerySet[StateLicense]:
    who = actor_for(actor)
    if not can_view_company(who, company):
        raise NotFound()
    qs = (
        StateLicense.objects.filter(company=company).select_related("agency").order_by("agency__code", "license_number")
    )
    if who.is_system_admin:
        return qs
    if who.is_agency_user and who.agency_id is not None:
        return qs.filter(agency_id=who.agency_id)
    return qs.none()


def company_supervising_agency_ids(actor: User, company: Company) -> set[int]:
    if not can_view_company(actor_for(actor), company):
        raise NotFound()
    return set(Supervision.objects.filter(company=company).values_list("agency_id", flat=True))


def company_notification_addresses_for(actor: User, company: Company) -> QuerySet[NotificationAddress]:
    if not can_view_company(actor_for(actor), company):
        raise NotFound()
    return NotificationAddress.objects.filter(company=company).order_by("email")
