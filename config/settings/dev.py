"""Local development and the demo (`make run`)."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("REDRESS_DEBUG", default=True)
# The demo runs without MFA unless asked; every page then says so (see the banner).
REDRESS_REQUIRE_MFA = env.bool("REDRESS_REQUIRE_MFA", default=False)

# The demo has no mail server: delivered mail is written to var/mail/ so invitations can be read.
EMAIL_BACKEND = env("REDRESS_EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("REDRESS_EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
