"""Forpost settings: one file, fed by environment variables (see README, "Configuration")."""

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = env("SECRET_KEY", "insecure-development-key-do-not-use-in-production" if DEBUG else "")
if not SECRET_KEY:
    # Without DEBUG there is no fallback: a forgotten key must stop the server, not weaken it.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = env("SITE_NAME", "Forpost")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# The annual status's cover: the municipality's name (empty: the municipality in the data) and
# its logo, the name of a static file (e.g. "kommune/logo.svg" from a static directory).
MUNICIPALITY_NAME = env("MUNICIPALITY_NAME", "")
MUNICIPALITY_LOGO = env("MUNICIPALITY_LOGO", "")
# The terms the API's data is given under, as its OpenAPI document states them.
API_LICENSE = env("API_LICENSE", "The municipality's terms of use")

# How many parts of a long PDF (the city's status with many centres) are laid out at once, each
# in a process of its own: 0 is one for each core the worker may run on.
PDF_PROCESSES = env_int("PDF_PROCESSES", 0)

DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "data")))

INSTALLED_APPS = [
    # Before the admin, which it extends with a field per language (modeltranslation's rule).
    "modeltranslation",
    "forpost.accounts.apps.ForpostAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    # Before django_tasks_db: its `db_worker` command replaces the package's (a heartbeat for /healthz).
    "forpost.core",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "djangosaml2",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "forpost.accounts",
    "forpost.centres",
    "forpost.registrations",
    "forpost.collaboration",
    "forpost.concepts",
    "forpost.public",
    "forpost.reports",
    "forpost.imports",
    "forpost.api",
    "forpost.feedback",
]

MIDDLEWARE = [
    # First: times the whole request and writes its one structured log line (no personal data).
    "forpost.core.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known: refuses NUL characters with a 400 in the user's language.
    "forpost.core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "forpost.accounts.sso.SessionRefresh",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form posted after the session timed out is kept and given back after logging in.
    "forpost.accounts.middleware.KeepFormsAcrossTimeoutMiddleware",
    # After the user and messages are known: a role that needs a second factor reaches only its pages.
    "forpost.accounts.mfa.RequireSecondFactor",
    # API calls without a token count per address, a signed-in session's per user (tokens: api/auth.py).
    "forpost.api.auth.ApiRateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "forpost.urls"
WSGI_APPLICATION = "forpost.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forpost.accounts.context_processors.site",
            ],
        },
    },
]
# Django's widget templates, the common widgets drawn in Python with the same markup (the desk's
# form has some 400 options; see forpost/core/renderers.py).
FORM_RENDERER = "forpost.core.renderers.FormRenderer"

# --- Database -----------------------------------------------------------------------------
# SQLite is the embedded default (one host). IMMEDIATE transactions take the write lock up
# front, so a read-then-write request waits for the busy timeout instead of failing with
# "database is locked" when another writer got in between (35 % failed with DEFERRED here).
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 600), conn_health_checks=True
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(DATA_DIR / "forpost.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
            },
            # Kept open as PostgreSQL's are: opening one runs the PRAGMAs and reads the schema,
            # and closing the last one checkpoints the write-ahead log, together about 10 ms of
            # every request when each request opened its own.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
            # Tests use a file too: an in-memory database refuses a second writer at once
            # instead of waiting, so concurrency tests would not see what production sees.
            # One file per process, so parallel test runs never share a database.
            "TEST": {
                "NAME": env(
                    "SQLITE_TEST_PATH", str(Path(tempfile.gettempdir()) / f"forpost-test-{os.getpid()}.sqlite3")
                )
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, passwords, login ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "forpost.accounts.backends.ModelBackend",
    "forpost.accounts.sso.OIDCBackend",
    "forpost.accounts.sso.SAMLBackend",
]
# A set-password link in an invitation works once and for this long.
PASSWORD_RESET_TIMEOUT = env_int("INVITATION_DAYS", 3) * 86400

# Single sign-on (README, "Single sign-on"): each protocol is off until its variables are set.
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)
SSO_GROUPS_CLAIM = env("SSO_GROUPS_CLAIM", "groups")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_END_SESSION_ENDPOINT")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # kept in the session for the logout's id_token_hint; never audited
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = env_int("OIDC_RECHECK_MINUTES", 15) * 60
SAML_IDP_METADATA = env("SAML_IDP_METADATA")  # the identity provider's metadata: a URL or a file
SAML_SP_ENTITY_ID = env("SAML_ENTITY_ID")
SAML_KEY_FILE = env("SAML_KEY_FILE")
SAML_CERT_FILE = env("SAML_CERT_FILE")
SAML_CONFIG_LOADER = "forpost.accounts.sso.saml_config"
SAML_SESSION_COOKIE_NAME = "forpost_saml"

# A second factor for password logins (README, "Second factor"): these roles must enrol and
# verify one; anyone may. Single sign-on leaves it to the identity provider. Empty: required of none.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", "" if DEBUG else "administrator,central_staff")
OTP_TOTP_ISSUER = SITE_NAME
# Passkeys know no IP addresses: the demo's 127.0.0.1 is offered as localhost (also a secure context).
_passkey_site = urlsplit(SITE_URL.replace("://127.0.0.1", "://localhost"))
OTP_WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", _passkey_site.hostname or "localhost")
OTP_WEBAUTHN_RP_NAME = SITE_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("WEBAUTHN_ORIGINS", f"{_passkey_site.scheme}://{_passkey_site.netloc}")
# A passkey is a second factor after the password, never a way in on its own: the password
# keeps its lockout (django-axes) and the audit its login line.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Sessions end after SESSION_IDLE_MINUTES without a request (at most a minute later): the
# expiry moves with each request, written at most once a minute (forpost.accounts.sessions).
SESSION_ENGINE = "forpost.accounts.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock a username (from any address) after repeated failures. Behind a proxy
# the client address comes from X-Forwarded-For, trusting TRUSTED_PROXY_COUNT hops.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0) or None
# The families' feedback card (forpost.feedback.services): answers from one address an hour, and to
# one centre an hour, before the card asks to try again later.
FEEDBACK_PER_ADDRESS_PER_HOUR = env_int("FEEDBACK_PER_ADDRESS_PER_HOUR", 10)
FEEDBACK_PER_CENTRE_PER_HOUR = env_int("FEEDBACK_PER_CENTRE_PER_HOUR", 200)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_VERBOSE = False
# Locking by address would lock a whole municipal office behind one NAT address after five
# typos; the per-username lock protects each account, whatever address or cookie is used.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Production hardening (all on unless DEBUG) --------------------------------------------
SECURE = env_bool("SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", SECURE):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# No 'unsafe-inline' anywhere: all script and style comes from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [
    ("da", _("Danish")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("ur", _("Urdu")),
    ("so", _("Somali")),
]
# Staff pages come in Danish and English; the public pages also in the districts' main languages.
STAFF_LANGUAGES = ["da", "en"]
# Translated model data (centre texts, group names, reference lists): one column per public
# language, registered in each app's translation.py. Danish is the text every other language
# falls back to; the pages mark such a fallback lang="da" (forpost.core.translated).
MODELTRANSLATION_DEFAULT_LANGUAGE = "da"
# Django knows no Somali; the admin's translation fields ask each language's direction.
LANG_INFO.setdefault("so", {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"})
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("da",)
if "mypy" in sys.modules:
    # django-stubs' mypy plugin loads these settings and reads each model's manager class;
    # modeltranslation swaps managers for classes made at run time, which the plugin cannot
    # resolve. Type checking keeps the managers as declared (the fields are still added).
    import modeltranslation.translator

    modeltranslation.translator.patch_manager_class = lambda manager: None
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Copenhagen"
FORMAT_MODULE_PATH = ["forpost.core.formats"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Whitenoise's list, plus the design system's desktop fonts (browsers load its woff2; WeasyPrint
# reads the ttf from disk), source maps and Sass sources: compressing those with brotli made
# collectstatic take over a minute for files no browser fetches compressed.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf", "otf", "eot", "map", "scss")

# --- Background work (django-tasks, stored in the database: no process state) --------------
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Every kind of job the worker runs (forpost.reports.jobs): listed here, not registered by
# importing modules, so a worker that has imported nothing else still knows them all.
JOB_KINDS = {
    "reports.annual_status": "forpost.reports.status_jobs.annual_status_file",
    "reports.publication": "forpost.reports.publication.publication_job",
    "imports.inquiries": "forpost.imports.jobs.import_job",
    "imports.check": "forpost.imports.jobs.check_job",
    "imports.export_inquiries": "forpost.imports.jobs.export_job",
}
# Small chores every worker runs between polls (about every 30 s), by dotted path: folding the
# rows the registration services appended to the status's counts.
WORKER_CHORES = ["forpost.registrations.counts.fold_all", "forpost.core.dataversion.fold_all"]

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "forpost@localhost")

# --- API --------------------------------------------------------------------------------
# Calls a minute per user (all their tokens together) and per address without a token.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 120)
# The public room request: requests an hour per address, and from everyone together.
ROOM_REQUESTS_PER_HOUR_PER_ADDRESS = env_int("ROOM_REQUESTS_PER_HOUR_PER_ADDRESS", 10)
ROOM_REQUESTS_PER_HOUR = env_int("ROOM_REQUESTS_PER_HOUR", 200)

# --- Forpost's own rules --------------------------------------------------------------------
# The Danish Data Protection Agency's common contract term for access logs is 6 months.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 183)
# Statistics Denmark's minimum cell is 3; Forpost publishes nothing below 5 by default.
SUPPRESSION_THRESHOLD = env_int("SUPPRESSION_THRESHOLD", 5)
SUPPRESSION_WIDTH = env_int("SUPPRESSION_WIDTH", SUPPRESSION_THRESHOLD)
# Retention of registrations (manage.py retention): free text goes after a year; after five
# years a registration keeps only what statistics need.
NOTE_RETENTION_MONTHS = env_int("NOTE_RETENTION_MONTHS", 12)
REGISTRATION_SLIM_YEARS = env_int("REGISTRATION_SLIM_YEARS", 5)
# Generated files (exports, status files), import uploads and task results are deleted this
# many days after they were made; an export holding notes goes when its notes do (core/files.py).
FILE_RETENTION_DAYS = env_int("FILE_RETENTION_DAYS", 30)
# A year's registrations can be voided, and its courses reopened, until this many days into
# the next year (31 January: the default deadline for closing the year and its status).
REGISTRATION_YEAR_OPEN_DAYS = env_int("REGISTRATION_YEAR_OPEN_DAYS", 31)
# Year-wheel reminders go out this many days before a duty falls due.
YEARWHEEL_REMINDER_DAYS = env_int("YEARWHEEL_REMINDER_DAYS", 14)

# Logs are JSON lines on standard error (LOG_FORMAT=plain for reading them in a terminal):
# the request log carries a request id, the user's id, the route, the status and the duration,
# never the query string, a form's content or anything else a citizen could be named in.
LOG_FORMAT = env("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"no_request_details": {"()": "forpost.core.observability.NoRequestDetails"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["no_request_details"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "xmlschema": {"level": "WARNING"},
        # The request log of our own middleware replaces Django's, whose lines hold the full
        # path with its query string.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# --- Monitoring ------------------------------------------------------------------------------
# /metrics for Prometheus, when a token is set (send it as "Authorization: Bearer <token>").
METRICS_TOKEN = env("METRICS_TOKEN")
# Failed logins are kept (by django-axes) so that the metrics can count them.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    from forpost.core.observability import init_sentry

    init_sentry(SENTRY_DSN, env("SENTRY_ENVIRONMENT", "production"))

# The audit trail's record of a read, for code below the accounts app (core.locking's conflict page).
AUDIT_READ = "forpost.accounts.audit.record_read"
# Whether and when a year's city status was published, for the concept's indicator (a layer below reports).
STATUS_PUBLICATION_READER = "forpost.reports.publication.first_publication"
