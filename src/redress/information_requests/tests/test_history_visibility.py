import pytest

from redress.audit.selectors import can_see_history, histories_for

pytestmark = pytest.mark.django_db

IR_TYPE = "information_requests.informationrequest"


@pytest.mark.parametrize("who", ["supervisor_a", "viewer_a", "supervisor_b", "company_admin_x", "sysadmin"])
def test_bulk_history_visibility_answers_like_the_single_check(request, who, sent_ir, cast, make_complaint, add_ir):
    other = add_ir(cast["mark"], make_complaint(cast["mark"]))
    reader = request.getfixturevalue(who)
    ids = [str(sent_ir.pk), str(other.pk), "999999", "x"]
    expected = {i for i in ids if can_see_history(actor=reader, target_type=IR_TYPE, target_id=i)}
    seen = set(histories_for(actor=reader, target_type=IR_TYPE, target_ids=ids).values_list("target_id", flat=True))
    assert seen == expected
    assert bool(expected) == (who in ("supervisor_a", "viewer_a"))
