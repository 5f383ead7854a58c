"""kehoach settings: one module, driven by ``KEHOACH_*`` environment variables.

The defaults need nothing installed (SQLite and files under ``./var/``, in-process background
work, console e-mail) so that ``make run`` works on a fresh machine. See docs/architecture.md for
the three ways to run it.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"KEHOACH_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


VAR_DIR = Path(env("VAR_DIR", str(PROJECT_DIR / "var")))


def _secret_key() -> str:
    """KEHOACH_SECRET_KEY, or a key generated once and kept in ./var (never a constant)."""
    if value := env("SECRET_KEY"):
        return value
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "kehoach.orgs",
    "kehoach.plans",
    "kehoach.reporting",
    "kehoach.notifications",
    "kehoach.ops",
    "kehoach.audit",
    "kehoach.monitoring",
    "kehoach.engagement",
    "kehoach.budgets",
    "kehoach.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kehoach.lib.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kehoach.orgs.twofactor.Require2FAMiddleware",
    "kehoach.audit.middleware.AuditlogMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kehoach.lib.middleware.DatabaseUnavailableMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kehoach.urls"
WSGI_APPLICATION = "kehoach.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kehoach.orgs.context_processors.current_roles",
                "kehoach.notifications.context_processors.unread",
            ],
        },
    },
]

# Database: KEHOACH_DATABASE_URL (postgres://…), default SQLite in ./var with WAL.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kehoach.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    # django-axes counts failures per account and per address and refuses locked ones.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "kehoach.orgs.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "kehoach.orgs.passwords.MinimumLengthValidator"},
    {"NAME": "kehoach.orgs.passwords.CommonPasswordValidator"},
    {"NAME": "kehoach.orgs.passwords.NumericPasswordValidator"},
]
# Argon2 first (argon2-cffi); the others only to upgrade older hashes on login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Language: Vietnamese is the source wording; English is the second language.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["kehoach.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(
    parents=True, exist_ok=True
)  # WhiteNoise serves from the finders; no collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("MEDIA_ROOT", str(VAR_DIR / "media"))},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage",
    },
}
# Serve from the app folders without a collectstatic step in the embedded tier.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Background work: in-process by default (embedded tier); a worker backend by configuration.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# Evidence uploads: never held whole in memory; size limits per kind (bytes).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "kehoach.reporting.uploads.MaxSizeUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
EVIDENCE_MAX_DOCUMENT_BYTES = int(env("EVIDENCE_MAX_DOCUMENT_BYTES", str(20 * 1024 * 1024)))
EVIDENCE_MAX_IMAGE_BYTES = int(env("EVIDENCE_MAX_IMAGE_BYTES", str(20 * 1024 * 1024)))
EVIDENCE_MAX_VIDEO_BYTES = int(env("EVIDENCE_MAX_VIDEO_BYTES", str(500 * 1024 * 1024)))

# Budgets: the largest amount of money one input may hold (đồng), KEHOACH_BUDGET_MAX_DONG.
BUDGET_MAX_DONG = int(env("BUDGET_MAX_DONG", str(1_000_000_000_000)))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "kehoach@localhost")

# Monitoring (đôn đốc, kiểm tra): site defaults that a plan's own monitoring settings override.
MONITORING_AT_RISK_DAYS = int(env("AT_RISK_DAYS", "14"))
MONITORING_STALE_DIFFICULTY_DAYS = int(env("STALE_DIFFICULTY_DAYS", "7"))
# Links in e-mails point here.
MONITORING_SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# Reminder channels (dotted paths); a Zalo OA or SMS channel plugs in here, nothing else changes.
REMINDER_CHANNELS = [
    c.strip()
    for c in env(
        "REMINDER_CHANNELS",
        "kehoach.monitoring.channels.InAppChannel,kehoach.monitoring.channels.EmailChannel",
    ).split(",")
    if c.strip()
]

# The header a trusted reverse proxy sets with the client's address (e.g. HTTP_X_REAL_IP); empty
# means REMOTE_ADDR, so no client can write a false address into the audit trail.
TRUSTED_PROXY_HEADER = env("TRUSTED_PROXY_HEADER", "")

# Accounts and sessions (docs/security.md).
REQUIRE_2FA = env_bool("REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "kehoach"
INVITE_DAYS = int(env("INVITE_DAYS", "3"))
SESSION_IDLE_MINUTES = int(env("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle timeout
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(env("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # each one locks on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# HTTPS deployments (KEHOACH_HTTPS=1): secure cookies, HSTS, redirects. `check --deploy` is clean.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS or env_bool("SECURE_COOKIES", False)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
    if env("PROXY_SSL_HEADER"):
        SECURE_PROXY_SSL_HEADER = (env("PROXY_SSL_HEADER"), "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy: nothing inline, nothing from elsewhere (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# The importer refuses larger documents before parsing them.
IMPORT_MAX_BYTES = int(env("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# A document under review (plans.ImportSession) is kept this long, then expires.
IMPORT_SESSION_HOURS = int(env("IMPORT_SESSION_HOURS", "72"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# The dashboard's body is cached under a stamp of the data it shows (monitoring.views.dashboard)
# for at most DASHBOARD_CACHE_SECONDS (0: never cached); data changed less than
# DASHBOARD_SETTLE_SECONDS ago is not cached (a transaction still open could yet commit rows
# stamped earlier). The default cache is per process; the stamp is read from the database, so
# several processes never serve each other's stale bodies, they only compute their own once.
DASHBOARD_CACHE_SECONDS = int(env("DASHBOARD_CACHE_SECONDS", "600"))
DASHBOARD_SETTLE_SECONDS = int(env("DASHBOARD_SETTLE_SECONDS", "10"))

# Engagement: public questions before dialogue conferences. Rate limits per sender address and
# per contact (phone or e-mail) in a window, counted in Django's cache (ENGAGEMENT_CACHE names
# an alias of CACHES; the default local-memory cache is per process: use a shared one, e.g.
# Redis, when running several). ENGAGEMENT_CLIENT_IP_HEADER: a META key a trusted proxy sets
# (e.g. HTTP_X_REAL_IP); empty = REMOTE_ADDR. A limit of 0 switches that limit off.
ENGAGEMENT_CACHE = env("ENGAGEMENT_CACHE", "default")
ENGAGEMENT_QUESTIONS_PER_ADDRESS = int(env("ENGAGEMENT_QUESTIONS_PER_ADDRESS", "5"))
ENGAGEMENT_QUESTIONS_PER_CONTACT = int(env("ENGAGEMENT_QUESTIONS_PER_CONTACT", "3"))
ENGAGEMENT_RATE_WINDOW_SECONDS = int(env("ENGAGEMENT_RATE_WINDOW_SECONDS", "3600"))
ENGAGEMENT_CLIENT_IP_HEADER = env("ENGAGEMENT_CLIENT_IP_HEADER", "")
