import pytest

from redress.agencies.models import Agency
from redress.complaints.constants import Status
from redress.complaints.models import AccessGrant, Referral
from redress.complaints.selectors import complaint_list_for
from redress.demo.seed import seed_demo, seed_demo_complaints, seed_demo_irs, seed_demo_sharing

pytestmark = pytest.mark.django_db


def test_referrals_and_access_requests_between_the_demo_agencies():
    seed_demo(password="demo-password-for-tests")
    seed_demo_complaints(limit=60)
    seed_demo_irs()
    owner, other = Agency.objects.get(code="MD-OFR"), Agency.objects.get(code="TX-DOB")

    assert seed_demo_sharing() == 4
    pending = Referral.objects.get(status="pending")
    assert pending.from_agency == owner and pending.to_agency == other
    assert pending.complaint.status == Status.REFERRAL_IN_PROGRESS
    accepted = Referral.objects.get(status="accepted")
    accepted.complaint.refresh_from_db()
    assert accepted.complaint.agency == other and accepted.complaint.status == Status.OPEN
    granted = AccessGrant.objects.get(status="granted")
    assert granted.grantee_agency == other and granted.complaint.agency == owner
    assert AccessGrant.objects.filter(status="pending", grantee_agency=other).count() == 1

    # The accepted referral is now the receiving agency's own complaint; a second run makes nothing more.
    from redress.accounts.models import User

    texan = User.objects.filter(agency_membership__agency=other).order_by("pk")[0]
    assert seed_demo_sharing() == 0
    assert Referral.objects.count() == 2 and AccessGrant.objects.count() == 2
    assert accepted.complaint in complaint_list_for(actor=texan)
