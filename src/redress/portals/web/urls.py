from django.urls import path

from .views import account, agencies, documents, history, notifications, placeholders

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
    path("companies/", placeholders.company_list, name="company_list"),
    path("companies/<int:pk>/", placeholders.company_detail, name="company_detail"),
    path("history/<str:target_type>/<str:target_id>/", history.history, name="history"),
]
