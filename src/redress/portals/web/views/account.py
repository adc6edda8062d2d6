"""The signed-in user's own account: profile, two-step sign-in status, personal API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.accounts.selectors import mfa_status_for, tokens_for
from redress.accounts.services import user_update_profile
from redress.accounts.tokens import token_create, token_revoke
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound

from ..forms.account import ProfileForm, TokenCreateForm, apply_application_error


def _page(request: HttpRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context: dict[str, Any] = {
        "actor": actor_for(user),
        "profile_form": ProfileForm(initial={"full_name": user.full_name, "phone": user.phone}, prefix="profile"),
        "token_form": TokenCreateForm(prefix="token"),
        "tokens": tokens_for(user),
        "mfa": mfa_status_for(user),
        "now": clock.now(),
    }
    context.update(extra)
    return render(request, "web/account/account.html", context, status=status)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = ProfileForm(request.POST, prefix="profile")
    if form.is_valid():
        try:
            user_update_profile(actor=request.user, user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, "Your profile was saved.")
            return redirect("web:account")
    return _page(request, status=422, profile_form=form)


@login_required
@require_POST
def account_token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST, prefix="token")
    if form.is_valid():
        try:
            token, secret = token_create(
                actor=request.user,  # type: ignore[arg-type]
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            # The secret is rendered in this response only; it is never stored or redirected.
            response = _page(request, status=201, new_token=token, new_token_secret=secret)
            response["Cache-Control"] = "no-store"
            return response
    return _page(request, status=422, token_form=form)


@login_required
@require_POST
def account_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = token_revoke(actor=request.user, token_id=pk)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, f"Token “{token.name}” was revoked.")
    return redirect("web:account")
