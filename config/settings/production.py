"""Production: everything secret or host-specific comes from the environment; no defaults for secrets."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("REDRESS_SECRET_KEY")
ALLOWED_HOSTS = env.list("REDRESS_ALLOWED_HOSTS")
SECURE_SSL_REDIRECT = env.bool("REDRESS_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("REDRESS_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
REDRESS_REQUIRE_MFA = env.bool("REDRESS_REQUIRE_MFA", default=True)
