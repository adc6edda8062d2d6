from django.db import models

MAX_AGENCY_ACCOUNT_ADMINS = 5


class ComplaintsRole(models.TextChoices):
    SUPERVISOR = "supervisor", "Complaint Supervisor"
    MANAGER = "manager", "Complaint Manager"
    VIEWER = "viewer", "Complaint Viewer"


# An agency user with system roles only (examiners and other supervisory-activity staff) holds
# no complaints role. It is stored as the empty string on purpose: every complaints check reads
# a falsy role as "not a complaints user" (``Actor.has_complaints_role``) and the recipient
# queries exclude "" explicitly, so no code path can mistake it for a complaints role. It is
# deliberately not a member of ``ComplaintsRole``, which lists the complaints roles only.
NO_COMPLAINTS_ROLE = ""
NO_COMPLAINTS_ROLE_LABEL = "No complaints role (supervisory activities only)"
MEMBERSHIP_ROLE_CHOICES = [*ComplaintsRole.choices, (NO_COMPLAINTS_ROLE, NO_COMPLAINTS_ROLE_LABEL)]
