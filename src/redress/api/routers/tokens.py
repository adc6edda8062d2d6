"""Personal access tokens: the caller's own, listed, created (secret shown once) and revoked."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router

from redress.accounts.models import ApiToken
from redress.accounts.tokens import token_create, token_revoke
from redress.core.errors import NotFound

from ..errors import responses
from ..idempotency import idempotent
from ..pagination import PageParams, page_response, paginate
from ..schemas.tokens import TokenCreatedOut, TokenIn, TokenOut, TokenPage
from ._common import IDEMPOTENCY_KEY, caller, pk_path

router = Router(tags=["Tokens"])


def _out(token: ApiToken) -> TokenOut:
    return TokenOut.model_validate(token, from_attributes=True)


@router.get("/tokens", response=responses({200: TokenPage}), summary="List my tokens")
def list_tokens(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    # Tokens belong to their user alone; no selector is needed beyond this filter.
    qs = ApiToken.objects.filter(user=caller(request))
    return page_response(paginate(qs, keys=("-id",), cursor=page.cursor, limit=page.limit), _out)


@router.post("/tokens", response=responses({201: TokenCreatedOut}), summary="Create a token")
def create_token(request: HttpRequest, payload: TokenIn, idempotency_key: str | None = IDEMPOTENCY_KEY) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, object, dict[str, str]]:
        token, secret = token_create(actor=user, user=user, name=payload.name, days=payload.days)
        body = TokenCreatedOut(**_out(token).model_dump(), secret=secret)
        return 201, body, {"Location": reverse("api:get_token", kwargs={"token_id": token.pk})}

    return idempotent(request, idempotency_key, create)


@router.get("/tokens/{token_id}", response=responses({200: TokenOut}, 404), summary="One of my tokens")
def get_token(request: HttpRequest, token_id: int = pk_path()) -> TokenOut:
    token = ApiToken.objects.filter(user=caller(request), pk=token_id).first()
    if token is None:
        raise NotFound("No such token.")
    return _out(token)


@router.post("/tokens/{token_id}/revoke", response=responses({200: TokenOut}, 404), summary="Revoke a token")
def revoke_token(request: HttpRequest, token_id: int = pk_path()) -> TokenOut:
    return _out(token_revoke(actor=caller(request), token_id=token_id))
