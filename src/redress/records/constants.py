from __future__ import annotations

from django.db import models

WARNING_LEAD_DAYS = 30
UPCOMING_WINDOW_DAYS = 90


class HoldScope(models.TextChoices):
    COMPLAINT = "complaint", "One complaint"
    COMPANY = "company", "Every complaint about a company"
    AGENCY = "agency", "Every complaint of the agency"


# Every record type whose documents belong to a complaint's record (see disposition.complaint_documents).
COMPLAINT_TYPE = "complaints.complaint"
CLOSURE_TYPE = "complaints.closure"
IR_TYPE = "information_requests.informationrequest"
RESPONSE_TYPE = "information_requests.irresponse"
