"""URL entries of the sharing pages (``web`` namespace). They come before the complaint routes,
whose ``complaints/<ref>/<tab>/`` pattern would otherwise take ``refer``."""

from django.urls import path

from . import actions, pages, reports

urlpatterns = [
    path("all-complaints/", pages.all_complaints, name="sharing_all_complaints"),
    path("all-complaints/<str:ref>/", pages.basic_view, name="sharing_basic_view"),
    path("shared-complaints/", pages.shared_complaints, name="sharing_shared_complaints"),
    path("complaints/<str:ref>/refer/", actions.refer, name="sharing_refer"),
    path(
        "complaints/<str:ref>/referral/<slug:decision>/",
        actions.referral_decision,
        name="sharing_referral_decision",
    ),
    path(
        "complaints/<str:ref>/access/<int:grant_id>/<slug:decision>/",
        actions.access_decision,
        name="sharing_access_decision",
    ),
    path("reports/access-requests/", reports.access_report, name="report_access_requests"),
    path("reports/access-requests.csv", reports.access_report_csv, name="report_access_requests_csv"),
    path("reports/referrals/", reports.referral_report, name="report_referrals"),
    path("reports/referrals.csv", reports.referral_report_csv, name="report_referrals_csv"),
]
