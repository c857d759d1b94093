"""Vigil's settings: one module, every environment-specific value read from the environment.

VIGIL_ENV selects the posture: `production` (HTTPS, HSTS, secure cookies, two-factor
authentication required, a SECRET_KEY must be given), `development` (the embedded SQLite demo
of `make run`) or `test`. Anything malformed stops the start with a message naming the
variable (see config/env.py). The README's configuration table lists every variable.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

VIGIL_ENV = env.choice("VIGIL_ENV", "development", ("development", "test", "production"))
PRODUCTION = VIGIL_ENV == "production"
VAR_DIR = Path(env.string("VIGIL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.boolean("VIGIL_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("VIGIL_DEBUG must not be true when VIGIL_ENV is production.")


def _secret_key() -> str:
    if PRODUCTION:
        key = env.string("SECRET_KEY", required=True)
        if len(key) < 50 or len(set(key)) < 5:
            raise ImproperlyConfigured(
                "SECRET_KEY must be at least 50 characters with at least 5 different ones."
            )
        return key
    given = env._raw("SECRET_KEY")
    if given:
        return given
    # Outside production a key is made once and kept under var/, so sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.strings(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when VIGIL_ENV is production.")
CSRF_TRUSTED_ORIGINS = env.strings("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "vigil.accounts.admin_apps.VigilAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "vigil.core",
    "vigil.accounts",
    "vigil.audit",
    "vigil.policy",
    "vigil.obligations",
    "vigil.people",
    "vigil.instruments",
    "vigil.offenders",
    "vigil.ocsea",
    "vigil.assurance",
    "vigil.jobs",
    "vigil.workforce",
    "vigil.register",
    "vigil.probation",
    "vigil.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vigil.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vigil.accounts.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "vigil.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "vigil" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vigil.accounts.context_processors.vigil",
            ],
        },
    }
]
FORM_RENDERER = "vigil.core.forms.GovukFormRenderer"

# --- Database -------------------------------------------------------------------------------
_default_db_url = f"sqlite:///{VAR_DIR / 'vigil.sqlite3'}"
try:
    _db = dj_database_url.parse(env.string("DATABASE_URL", _default_db_url), conn_max_age=60)
except Exception as exc:  # dj-database-url raises several kinds on a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    # IMMEDIATE takes SQLite's write lock when a transaction starts, so concurrent writers
    # queue rather than fail half-way; WAL lets readers go on meanwhile.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif _db["ENGINE"] not in ("django.db.backends.postgresql",):
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL or SQLite database.")
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "obligations:my-work"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env.integer("VIGIL_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("VIGIL_LOCKOUT_MINUTES", 15, minimum=1))
# Lock the pair (username, address) after AXES_FAILURE_LIMIT failures, and the account from
# every address after VIGIL_LOCKOUT_ACCOUNT_FAILURES (vigil/accounts/lockout.py, ADR 14).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "vigil.accounts.lockout.PairThenAccountHandler"
VIGIL_LOCKOUT_ACCOUNT_FAILURES = env.integer("VIGIL_LOCKOUT_ACCOUNT_FAILURES", 25, minimum=1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log

# Two-factor authentication (TOTP) is required of every user in production.
VIGIL_MFA_REQUIRED = env.boolean("VIGIL_MFA_REQUIRED", PRODUCTION)
if PRODUCTION and not VIGIL_MFA_REQUIRED:
    raise ImproperlyConfigured("VIGIL_MFA_REQUIRED cannot be turned off in production.")
VIGIL_API_TOKEN_DAYS = env.integer("VIGIL_API_TOKEN_DAYS", 30, minimum=1)
OTP_TOTP_ISSUER = env.string("VIGIL_OTP_ISSUER", "Vigil")

# --- Sessions and cookies -------------------------------------------------------------------
VIGIL_SESSION_IDLE_MINUTES = env.integer("VIGIL_SESSION_IDLE_MINUTES", 15, minimum=1)
SESSION_COOKIE_AGE = VIGIL_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # so the age counts from the last request: an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
if PRODUCTION:
    SESSION_COOKIE_NAME = "__Host-vigil-session"
    CSRF_COOKIE_NAME = "__Host-vigil-csrf"

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.boolean("VIGIL_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env.integer("VIGIL_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.boolean("VIGIL_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        # The client's address for the sign-in lockout: the one the proxy saw, the last in
        # X-Forwarded-For (a client cannot forge the hop the proxy adds).
        AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
        AXES_IPWARE_PROXY_COUNT = 1
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "vigil" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root

# --- Background work (ADR 18) ----------------------------------------------------------------
# Django's task framework through its backport: the database backend queues tasks in the
# database (SQLite needs nothing more); `vigil db_worker` runs them, as many workers on as many
# machines as the work wants. The tests run each task at once, in the test's own process.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if VIGIL_ENV == "test"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated call is a 401 with WWW-Authenticate: Token.
        "vigil.accounts.api.authentication.ExpiringTokenAuthentication",
        "vigil.accounts.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "vigil.core.api.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "vigil.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON in as well as out: one request shape, typed as the schema says (a form body would
    # turn an empty date into "no date" where JSON says it is not a date).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vigil API",
    "DESCRIPTION": (
        "The same operations as Vigil's pages, under the same access rules and audit. "
        "Authenticate with a session or with `Authorization: Token <key>`. Viewing a "
        "nominal's record needs a stated purpose in the `X-Vigil-Purpose` header."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RiskLevelEnum": "vigil.obligations.models.RiskLevel",
        "TransferStatusEnum": "vigil.offenders.models.TransferStatus",
        # OCSEA (vigil/ocsea/api): choice sets whose field names other apps use too; the RSO
        # indefinite review's outcome and the escalation's reason keep the names they had
        # before OCSEA's outcomes and bail end reasons came
        "OutcomeEnum": "vigil.offenders.models.ReviewOutcome",
        "ReasonEnum": "vigil.obligations.models.EscalationReason",
        "ReferralStatusEnum": "vigil.ocsea.models.ReferralStatus",
        "ReviewKindEnum": "vigil.ocsea.models.ReviewKind",
        "ArrestDecisionEnum": "vigil.ocsea.models.ArrestDecision",
        "SuspectOutcomeEnum": "vigil.ocsea.models.Outcome",
        "EnforcementOutcomeEnum": "vigil.ocsea.models.EnforcementOutcome",
        "BailKindEnum": "vigil.ocsea.models.BailKind",
        "BailEndEnum": "vigil.ocsea.models.BailEnd",
        "ConditionKindEnum": "vigil.ocsea.models.ConditionKind",
        # the probation partnership's (vigil/probation/api)
        "ExchangeKindEnum": "vigil.probation.models.ExchangeKind",
        "ExchangePriorityEnum": "vigil.probation.models.Priority",
        "ReportKindEnum": "vigil.assurance.models.ReportKind",
    },
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "vigil.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env.choice(
            "VIGIL_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        ),
    },
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint (the PDF reports) tells each step of each page at INFO
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# A force's policy file overriding policy/default.toml (checked at start; see the README).
VIGIL_POLICY = env.string("VIGIL_POLICY", "")

# Where instrument packs (KIRAT, the prioritisation tool) are read from, in order: the
# illustrative packs Vigil ships, then the force's directory of licensed packs named by
# VIGIL_INSTRUMENTS, whose pack replaces a shipped one of the same code (docs/instruments.md).
VIGIL_INSTRUMENT_DIRS = [BASE_DIR / "instruments"]
if env.string("VIGIL_INSTRUMENTS", ""):
    VIGIL_INSTRUMENT_DIRS.append(Path(env.string("VIGIL_INSTRUMENTS")))

# --- E-mail (the daily digest: vigil/obligations/digest.py) -----------------------------------
# The demo and development print each message on the console; tests keep them in memory;
# production sends by SMTP to the force's relay.
EMAIL_BACKEND = env.string(
    "VIGIL_EMAIL_BACKEND",
    {
        "production": "django.core.mail.backends.smtp.EmailBackend",
        "test": "django.core.mail.backends.locmem.EmailBackend",
    }.get(VIGIL_ENV, "django.core.mail.backends.console.EmailBackend"),
)
EMAIL_HOST = env.string("VIGIL_EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("VIGIL_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.string("VIGIL_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env.string("VIGIL_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("VIGIL_EMAIL_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.string("VIGIL_EMAIL_FROM", "vigil@localhost")
# The address people open Vigil at, for the links in e-mails (no trailing slash).
VIGIL_BASE_URL = env.string("VIGIL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Demo logins share one password, printed by `make run`; never used in production.
VIGIL_DEMO_PASSWORD = env.string("VIGIL_DEMO_PASSWORD", "vigil-demo-2026")
CSRF_FAILURE_VIEW = "vigil.core.views.csrf_failure"
SILENCED_SYSTEM_CHECKS: list[str] = []

if VIGIL_ENV == "test":
    # Tests sign in thousands of times; a fast hash keeps the suite quick. Test env only.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test client builds the middleware afresh, and WhiteNoise would list every static
    # file each time (a third of an access-matrix case); looked up per request instead.
    WHITENOISE_AUTOREFRESH = True
