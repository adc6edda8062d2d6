import pytest

from redress.agencies.models import Agency
from redress.audit.models import AuditEvent
from redress.complaints.constants import SubjectType
from redress.complaints.models import Complaint, NonNmlsEntity, NonNmlsEntityPost, SubjectSearch
from redress.demo.non_nmls_seed import ENTITIES
from redress.demo.seed import seed_demo, seed_demo_non_nmls

pytestmark = pytest.mark.django_db


def test_non_nmls_entities_with_a_complaint_and_a_cross_agency_discussion():
    seed_demo(password="demo-password-for-tests")
    owner, other = Agency.objects.get(code="MD-OFR"), Agency.objects.get(code="TX-DOB")

    assert seed_demo_non_nmls() == len(ENTITIES)
    entities = list(NonNmlsEntity.objects.order_by("name"))
    assert [e.name for e in entities] == sorted(spec.name for spec in ENTITIES)
    for entity in entities:
        assert entity.created_by_agency == owner
        # Created on the proof of a guided search that found nothing, used up.
        assert SubjectSearch.objects.get(entity=entity).found_count == 0
        complaint = Complaint.objects.get(non_nmls_entity=entity)
        assert complaint.subject_type == SubjectType.NON_NMLS and complaint.agency == owner
    posts = NonNmlsEntityPost.objects.all()
    assert posts.count() == sum(len(spec.posts) for spec in ENTITIES)
    assert {post.agency for post in posts} == {owner, other}
    assert AuditEvent.objects.filter(action="non_nmls_entity.created").count() == len(ENTITIES)

    # A second run makes nothing more.
    assert seed_demo_non_nmls() == 0
    assert NonNmlsEntity.objects.count() == len(ENTITIES) and NonNmlsEntityPost.objects.count() == posts.count()
