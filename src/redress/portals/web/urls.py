from django.urls import path

from .views import notifications, placeholders

app_name = "web"

urlpatterns = [
    path("account/", placeholders.account, name="account"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("agencies/", placeholders.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", placeholders.agency_detail, name="agency_detail"),
    path("companies/", placeholders.company_list, name="company_list"),
    path("companies/<int:pk>/", placeholders.company_detail, name="company_detail"),
]
