from django.urls import path

from .views import (
    account,
    agencies,
    categories,
    communications,
    companies,
    documents,
    enrollment,
    history,
    non_nmls,
    notifications,
    records,
    reports,
    supervisory_activities,
)
from .views.complaints import urls as complaint_urls
from .views.irs import urls as ir_urls
from .views.sharing import urls as sharing_urls

app_name = "web"

urlpatterns = [
    path("account/", account.account, name="account"),
    path("account/tokens/", account.account_token_create, name="account_token_create"),
    path("account/tokens/<int:pk>/revoke/", account.account_token_revoke, name="account_token_revoke"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("documents/", documents.document_upload, name="document_upload"),
    path("documents/<str:ref>/download/", documents.document_download, name="document_download"),
    path("agencies/", agencies.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", agencies.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/settings/", agencies.agency_settings, name="agency_settings"),
    path("agencies/<int:pk>/users/", agencies.agency_user_add, name="agency_user_add"),
    path("agencies/<int:pk>/users/<int:user_id>/", agencies.agency_user_edit, name="agency_user_edit"),
    path(
        "agencies/<int:pk>/users/<int:user_id>/password-link/",
        agencies.agency_user_password_link,
        name="agency_user_password_link",
    ),
    path(
        "agencies/<int:pk>/users/<int:user_id>/reset-mfa/", agencies.agency_user_mfa_reset, name="agency_user_mfa_reset"
    ),
    path("agencies/<int:pk>/categories/", categories.category_list, name="agency_categories"),
    path("agencies/<int:pk>/categories/<int:category_id>/", categories.category_edit, name="agency_category_edit"),
    path(
        "agencies/<int:pk>/categories/<int:category_id>/active/",
        categories.category_active,
        name="agency_category_active",
    ),
    path("companies/", companies.company_list, name="company_list"),
    path("companies/new/", companies.company_create, name="company_create"),
    path("companies/import/", companies.company_import, name="company_import"),
    path("companies/<int:pk>/", companies.company_detail, name="company_detail"),
    path("companies/<int:pk>/edit/", companies.company_edit, name="company_edit"),
    path("companies/<int:pk>/supervision/", companies.company_supervise, name="company_supervise"),
    path("companies/<int:pk>/users/", companies.company_user_add, name="company_user_add"),
    path("companies/<int:pk>/users/<int:user_id>/", companies.company_user_edit, name="company_user_edit"),
    path("companies/<int:pk>/contact/", companies.company_contact_set, name="company_contact_set"),
    path("companies/<int:pk>/addresses/", companies.company_address_add, name="company_address_add"),
    path("companies/<int:pk>/addresses/remove/", companies.company_address_remove, name="company_address_remove"),
    path("companies/<int:pk>/branches/", companies.company_branch_add, name="company_branch_add"),
    path("companies/<int:pk>/individuals/", companies.company_individual_add, name="company_individual_add"),
    path("companies/<int:pk>/licences/", companies.company_license_add, name="company_license_add"),
    path(
        "companies/<int:pk>/<str:kind>/<int:part_id>/remove/",
        companies.company_part_remove,
        name="company_part_remove",
    ),
    path("history/<str:target_type>/<str:target_id>/", history.history, name="history"),
    path("non-nmls-entities/", non_nmls.entity_list, name="non_nmls_entity_list"),
    path("non-nmls-entities/<str:tracking_number>/", non_nmls.entity_detail, name="non_nmls_entity_detail"),
    path("companies/<int:pk>/enrollment/", enrollment.enrollment_start, name="enrollment_start"),
    path("enrollments/", enrollment.enrollment_pending, name="enrollment_pending"),
    path("enrollments/<int:pk>/remind/", enrollment.enrollment_remind, name="enrollment_remind"),
    path("enroll/<str:token>/", enrollment.enrollment_accept, name="enrollment_accept"),
    path("enrollment/", enrollment.enrollment_wizard, name="enrollment_wizard"),
    path("enrollment/<slug:step>/", enrollment.enrollment_step, name="enrollment_step"),
    path("communications/", communications.template_list, name="communication_templates"),
    path("communications/templates/new/", communications.template_create, name="communication_template_create"),
    path("communications/templates/<int:pk>/", communications.template_edit, name="communication_template_edit"),
    path("communications/templates/<int:pk>/send/", communications.compose, name="communication_compose"),
    path("communications/sends/", communications.send_history, name="communication_history"),
    path("communications/sends/<int:pk>/", communications.send_detail, name="communication_send_detail"),
    path("reports/ir-response-activity/", reports.report_ir_activity, name="report_ir_activity"),
    path("reports/ir-response-activity.csv", reports.report_ir_activity_csv, name="report_ir_activity_csv"),
    path("reports/ir-response-activity.xlsx", reports.report_ir_activity_xlsx, name="report_ir_activity_xlsx"),
    path("records/holds/", records.hold_list, name="records_holds"),
    path("records/holds/<int:pk>/lift/", records.hold_lift, name="records_hold_lift"),
    path("records/disposition/", records.disposition_report, name="records_disposition"),
    path("records/disposition/runs/<int:pk>/", records.disposition_certificate, name="records_certificate"),
    path("records/export/<str:ref>.zip", records.record_export, name="records_export"),
    path("records/export/<str:ref>.pdf", records.record_export_pdf, name="records_export_pdf"),
    path("supervisory-activities/", supervisory_activities.activity_list, name="supervisory_activity_list"),
    path("supervisory-activities/new/", supervisory_activities.activity_new, name="supervisory_activity_new"),
    path(
        "supervisory-activities/<str:ref>/", supervisory_activities.activity_detail, name="supervisory_activity_detail"
    ),
    path(
        "supervisory-activities/<str:ref>/complaints/",
        supervisory_activities.activity_link_complaint,
        name="supervisory_activity_link",
    ),
    # Before the complaint routes: the IR tab has its own view.
    # Before the complaint routes too: complaints/<ref>/refer/ would otherwise be read as a tab.
    *sharing_urls.urlpatterns,
    *ir_urls.urlpatterns,
    *complaint_urls.urlpatterns,
]
