from django.db import models

MAX_AGENCY_ACCOUNT_ADMINS = 5


class ComplaintsRole(models.TextChoices):
    SUPERVISOR = "supervisor", "Complaint Supervisor"
    MANAGER = "manager", "Complaint Manager"
    VIEWER = "viewer", "Complaint Viewer"
