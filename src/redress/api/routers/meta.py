from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from redress.accounts.policy import actor_for

from ..errors import responses
from ..schemas.meta import MeOut
from ._common import caller

router = Router(tags=["Me"])


@router.get("/me", response=responses({200: MeOut}), summary="Who the caller is")
def me(request: HttpRequest) -> MeOut:
    actor = actor_for(caller(request))
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
