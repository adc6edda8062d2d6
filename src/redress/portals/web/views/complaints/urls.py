"""URL entries of the complaint pages, included by the web portal's urls under the ``web`` namespace."""

from django.urls import path

from . import actions, intake, listing, record, related_items, research, subject

urlpatterns = [
    path("complaints/", listing.complaint_list, name="complaint_list"),
    path("complaints/export/", listing.complaint_export, name="complaint_export"),
    path("complaints/new/", subject.complaint_new, name="complaint_new"),
    path("complaints/new/non-nmls/", subject.complaint_non_nmls_new, name="complaint_non_nmls_new"),
    path("complaints/new/details/", intake.complaint_intake, name="complaint_intake"),
    path("complaints/taxonomy-options/", intake.complaint_taxonomy_options, name="complaint_taxonomy_options"),
    path("complaints/<str:ref>/", record.complaint_detail, name="complaint_detail"),
    path("complaints/<str:ref>/edit/", actions.complaint_edit, name="complaint_edit"),
    path("complaints/<str:ref>/review/", actions.complaint_review, name="complaint_review"),
    path("complaints/<str:ref>/poc/", actions.complaint_poc, name="complaint_poc"),
    path("complaints/<str:ref>/subject/", actions.complaint_subject, name="complaint_subject"),
    path("complaints/<str:ref>/close/", actions.complaint_close, name="complaint_close"),
    path("complaints/<str:ref>/reopen/", actions.complaint_reopen, name="complaint_reopen"),
    path("complaints/<str:ref>/cancel/", actions.complaint_cancel, name="complaint_cancel"),
    path("complaints/<str:ref>/research/add/", research.research_add, name="complaint_research_add"),
    path("complaints/<str:ref>/research/<int:entry_id>/edit/", research.research_edit, name="complaint_research_edit"),
    path("complaints/<str:ref>/violations/add/", research.violation_new, name="complaint_violation_add"),
    path(
        "complaints/<str:ref>/violations/<int:violation_id>/delete/",
        research.violation_remove,
        name="complaint_violation_delete",
    ),
    path("complaints/<str:ref>/related/<str:kind>/add/", related_items.related_add, name="complaint_related_add"),
    path(
        "complaints/<str:ref>/related/<str:kind>/<int:item_id>/remove/",
        related_items.related_remove,
        name="complaint_related_remove",
    ),
    path("complaints/<str:ref>/<slug:tab>/", record.complaint_detail, name="complaint_tab"),
]
