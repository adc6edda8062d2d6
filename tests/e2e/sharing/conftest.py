"""The people of the sharing scenarios (Alice, Mark at A; Bob, Bill at B; Carl at C; an examiner
with no complaints role) and the complaint fixtures of the complaints tests."""

from redress.complaints.tests.conftest import make_complaint  # noqa: F401
from redress.complaints.tests.sharing.conftest import (  # noqa: F401
    agency_c,
    alice,
    betty,
    bill,
    bob,
    carl,
    examiner_b,
    mark,
    vera,
    xander,
    xavi,
)
