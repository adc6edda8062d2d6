"""Local development and the demo (`make run`)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("REDRESS_DEBUG", default=True)
# The demo runs without MFA unless asked; every page then says so (see the banner).
REDRESS_REQUIRE_MFA = env.bool("REDRESS_REQUIRE_MFA", default=False)
