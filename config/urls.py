from django.urls import include, path

from redress.api.api import api
from redress.portals.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("company/", include("redress.portals.company.urls")),
    path("", include("redress.portals.web.urls")),
]

handler400 = "redress.portals.web.views.errors.bad_request"
handler403 = "redress.portals.web.views.errors.permission_denied"
handler404 = "redress.portals.web.views.errors.page_not_found"
handler500 = "redress.portals.web.views.errors.server_error"
