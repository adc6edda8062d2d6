"""Settings shared by every environment.

Everything that differs between machines comes from the environment (12-factor); the README
lists every variable with its default.
"""

from pathlib import Path
from typing import Any

import environ
import structlog

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("REDRESS_SECRET_KEY", default="insecure-development-key-change-me-" + "x" * 20)
DEBUG = env.bool("REDRESS_DEBUG", default=False)
ALLOWED_HOSTS = env.list("REDRESS_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("REDRESS_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("REDRESS_SITE_URL", default="http://127.0.0.1:8000")

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'redress.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the worker share the file safely.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_htmx",
    "django_cotton",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "redress.core",
    "redress.audit",
    "redress.accounts",
    "redress.agencies",
    "redress.companies",
    "redress.documents",
    "redress.notifications",
    "redress.complaints",
    "redress.information_requests",
    "redress.records",
    "redress.api",
    "redress.portals.web",
    "redress.portals.company",
    "redress.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "redress.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "redress.accounts.middleware.RequireMFAMiddleware",
    # Axes must come last so it sees the final authentication outcome.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "redress.portals.web.context_processors.navigation",
            ],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        "django_cotton.cotton_loader.Loader",
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "builtins": ["django_cotton.templatetags.cotton"],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email is the login; nobody signs themselves up (agencies and companies provision users).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "redress.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Per account, axes (AXES_FAILURE_LIMIT) locks first and shows the locked-out page; allauth's
# looser per-key limit is only a backstop, and its per-address limit slows password spraying.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,10/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Redress"
# Accept the previous and next 30-second code too: phones drift, and a code typed at the turn
# of a window should not fail (RFC 6238 recommends allowing one step).
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "redress.accounts.adapter.MFAAdapter"
# allauth refuses an authenticator while the address is unverified, to stop someone signing up with
# another person's address; nobody signs up here (administrators provision every account, and the
# set-up link is mailed to the address), and a provisioned user must be able to set up MFA at once.
MFA_ALLOW_UNVERIFIED_EMAIL = True
REDRESS_REQUIRE_MFA = env.bool("REDRESS_REQUIRE_MFA", default=True)

# django-axes: lock an account + address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("REDRESS_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("REDRESS_LOGIN_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# allauth passes the address as ``email=``; this resolves it so failures count per account.
AXES_USERNAME_CALLABLE = "redress.accounts.lockout.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("REDRESS_PROXY_COUNT", default=0)

SESSION_COOKIE_AGE = env.int("REDRESS_SESSION_SECONDS", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Strict CSP: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("REDRESS_TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_ROOT = env.path("REDRESS_MEDIA_ROOT", default=VAR_DIR / "documents")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if env("REDRESS_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("REDRESS_S3_BUCKET"),
            "endpoint_url": env("REDRESS_S3_ENDPOINT_URL", default=None),
            "region_name": env("REDRESS_S3_REGION", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Documents (spec defaults: 25 files per upload action, 1 GB per file, 200-character names).
REDRESS_UPLOAD_MAX_FILES = env.int("REDRESS_UPLOAD_MAX_FILES", default=25)
REDRESS_UPLOAD_MAX_BYTES = env.int("REDRESS_UPLOAD_MAX_BYTES", default=1024**3)
REDRESS_UPLOAD_MAX_NAME_LENGTH = env.int("REDRESS_UPLOAD_MAX_NAME_LENGTH", default=200)
DATA_UPLOAD_MAX_NUMBER_FILES = REDRESS_UPLOAD_MAX_FILES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Email: the worker delivers the outbox through SMTP.
EMAIL_BACKEND = env("REDRESS_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("REDRESS_EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("REDRESS_EMAIL_PORT", default=1025)
EMAIL_HOST_USER = env("REDRESS_EMAIL_USER", default="")
EMAIL_HOST_PASSWORD = env("REDRESS_EMAIL_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("REDRESS_EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("REDRESS_EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env("REDRESS_FROM_EMAIL", default="Redress <no-reply@redress.invalid>")
REDRESS_OUTBOX_MAX_ATTEMPTS = env.int("REDRESS_OUTBOX_MAX_ATTEMPTS", default=8)
# Company enrollment invitation links stay valid this many days (a reminder issues a fresh link).
REDRESS_ENROLLMENT_INVITATION_DAYS = env.int("REDRESS_ENROLLMENT_INVITATION_DAYS", default=14)

TASKS = {
    "default": {
        "BACKEND": env("REDRESS_TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# API tokens
REDRESS_TOKEN_DEFAULT_DAYS = env.int("REDRESS_TOKEN_DEFAULT_DAYS", default=90)
REDRESS_API_PAGE_MAX = 200
REDRESS_IDEMPOTENCY_DAYS = env.int("REDRESS_IDEMPOTENCY_DAYS", default=7)

LOG_LEVEL = env("REDRESS_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processor": structlog.processors.JSONRenderer(),
            "foreign_pre_chain": [
                structlog.contextvars.merge_contextvars,
                structlog.processors.TimeStamper(fmt="iso"),
                structlog.stdlib.add_log_level,
            ],
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint logs every rendering step at INFO; only its warnings matter.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    cache_logger_on_first_use=True,
)
