from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from redress.accounts.policy import actor_for

router = Router(tags=["Me"])


class MeOut(Schema):
    email: str
    full_name: str
    kind: str
    agency_id: int | None
    complaints_role: str | None
    is_agency_admin: bool
    company_id: int | None
    is_company_admin: bool
    complaints_access: str


@router.get("/me", response=MeOut, summary="Who the caller is")
def me(request: HttpRequest) -> MeOut:
    actor = actor_for(request.auth)  # type: ignore[attr-defined]
    return MeOut(
        email=actor.user.email,
        full_name=actor.user.full_name,
        kind=actor.kind,
        agency_id=actor.agency_id,
        complaints_role=actor.complaints_role,
        is_agency_admin=actor.is_agency_admin,
        company_id=actor.company_id,
        is_company_admin=actor.is_company_admin,
        complaints_access=actor.complaints_access,
    )
