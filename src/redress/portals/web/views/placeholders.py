from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _page(title: str) -> Callable[..., HttpResponse]:
    @login_required
    def view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
        return render(request, "web/home.html", {"title": title})

    return view


account = _page("Account")
notification_list = _page("Notifications")
agency_list = _page("Agencies")
agency_detail = _page("Agency")
company_list = _page("Companies")
company_detail = _page("Company")
