"""The test suite: real database (SQLite by default, PostgreSQL via DATABASE_URL), fast hashing."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="redress-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REDRESS_REQUIRE_MFA = env.bool("REDRESS_REQUIRE_MFA", default=True)
AXES_ENABLED = True
# Whitenoise looks for STATIC_ROOT at start-up; tests serve static files through the finders.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="redress-test-static-"))
