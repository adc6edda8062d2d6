"""Company portal URLs, mounted under /company/."""

from django.urls import path

from .views import listing, record, respond, tasks

app_name = "company"

urlpatterns = [
    path("complaints/", listing.complaint_list, name="complaint_list"),
    path("tasks/", tasks.task_list, name="task_list"),
    path("complaints/<str:ref>/", record.complaint_detail, name="complaint_detail"),
    path("complaints/<str:ref>/point-of-contact/", record.assign_poc, name="assign_poc"),
    path("complaints/<str:ref>/<slug:tab>/", record.complaint_detail, name="complaint_tab"),
    path("information-requests/<str:ir_ref>/", respond.ir_detail, name="ir_detail"),
    path("information-requests/<str:ir_ref>/send-back/", respond.ir_send_back_request, name="ir_send_back_request"),
]
