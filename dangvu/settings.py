"""Settings for dangvu, read from the environment.

One file for every environment. Safe defaults exist for the demo only: `dangvu serve` and
`dangvu.wsgi` refuse to start with the demo secret key unless `DANGVU_INSECURE_DEMO` is
set (`dangvu demo` and `dangvu serve --insecure-demo` set it), and the production security
settings, two-factor sign-in included, are on unless it is set.

Environment variables:
- DANGVU_DATABASE_URL   e.g. postgresql://user@127.0.0.1:5432/dangvu (default: SQLite file)
- DANGVU_DATA_DIR       where the SQLite file, static files and uploads live (default .dangvu/);
                        shared by every app server when there are several
- DANGVU_STATIC_ROOT    where `dangvu serve` collects the static files (default DATA_DIR/static);
                        a local folder on each app server when DATA_DIR is shared
- DANGVU_SECRET_KEY     required in production
- DANGVU_ALLOWED_HOSTS  comma-separated host names (default 127.0.0.1,localhost)
- DANGVU_PUBLIC_URL     the address phones open, in QR codes and printed links, e.g.
                        http://192.168.1.20:8000 (default: the address of the request)
- DANGVU_DEBUG          1 for development error pages
- DANGVU_INSECURE_DEMO  1 to serve over plain HTTP on localhost (the demo)
- DANGVU_LOGIN_FAILURE_LIMIT, DANGVU_LOGIN_COOLOFF_MINUTES  login throttling
- DANGVU_PROXY_COUNT    reverse proxies in front that append the client to X-Forwarded-For
                        (default 0: the header is ignored and the peer address is the client)
- DANGVU_REQUIRE_2FA    1 to require two-factor sign-in in the demo as well
- DANGVU_SMTP_HOST, DANGVU_SMTP_PORT, DANGVU_SMTP_USER, DANGVU_SMTP_PASSWORD,
  DANGVU_SMTP_TLS       the mail server for reminders (no host: no e-mail, reminders stay
                        in the app); port 587 with TLS (STARTTLS), 25 without, by default
- DANGVU_MAIL_FROM      the sender of that mail (default dangvu@localhost)
- DANGVU_REPLICA_URL    a PostgreSQL streaming replica of the database, e.g.
                        postgresql://user@10.0.0.3:5432/dangvu: reports, dashboards and
                        exports read from it (dangvu.core.replica; docs/operations.md)
- DANGVU_REPLICA_MAX_LAG  seconds of replay lag beyond which the primary answers (default 10)
- DANGVU_REPLICA_STICKY   seconds a browser reads from the primary after it wrote (default 5)
- DANGVU_REPLICA_CHECK_INTERVAL  seconds a process keeps the replica's health (default 3)
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DEMO_SECRET_KEY = "dangvu-demo-secret-key-do-not-use-in-production-5f1c0a"


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "co", "có"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("DANGVU_DATA_DIR", "") or Path.cwd() / ".dangvu").resolve()

SECRET_KEY = os.environ.get("DANGVU_SECRET_KEY", "") or DEMO_SECRET_KEY
DEBUG = envbool("DANGVU_DEBUG")
INSECURE_DEMO = envbool("DANGVU_INSECURE_DEMO")
ALLOWED_HOSTS = envlist("DANGVU_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("DANGVU_CSRF_TRUSTED_ORIGINS", "")
DANGVU_PUBLIC_URL = os.environ.get("DANGVU_PUBLIC_URL", "").strip().rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "dangvu.core",
    "dangvu.jobs",
    "dangvu.home",
    "dangvu.accounts",
    "dangvu.units",
    "dangvu.members",
    "dangvu.exchange",
    "dangvu.indicators",
    "dangvu.reports",
    "dangvu.documents",
    "dangvu.study",
    "dangvu.assessments",
    "dangvu.reviews",
    "dangvu.supervision",
    "dangvu.inspection",
    "dangvu.meetings",
    "dangvu.plans",
    "dangvu.rounds",
    "dangvu.practices",
    "dangvu.awards",
    "dangvu.sociology",
    "dangvu.surveys",
    "dangvu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "dangvu.core.handlers.reject_nul",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangvu.accounts.middleware.AuditlogMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "dangvu.accounts.middleware.SignInMiddleware",
    "axes.middleware.AxesMiddleware",
    "dangvu.core.replica.ReadYourWritesMiddleware",
]

ROOT_URLCONF = "dangvu.urls"
WSGI_APPLICATION = "dangvu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangvu.home.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DANGVU_DATABASE_URL", "") or f"sqlite:///{DATA_DIR / 'dangvu.sqlite3'}",
        conn_max_age=envint("DANGVU_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (the web app) and a writer (an import) work at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
if os.environ.get("DANGVU_REPLICA_URL", "").strip():
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DANGVU_REPLICA_URL"].strip(),
        conn_max_age=envint("DANGVU_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 2}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["dangvu.core.replica.ReplicaRouter"]
REPLICA_MAX_LAG = envint("DANGVU_REPLICA_MAX_LAG", 10)
REPLICA_STICKY = envint("DANGVU_REPLICA_STICKY", 5)
REPLICA_CHECK_INTERVAL = envint("DANGVU_REPLICA_CHECK_INTERVAL", 3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "dangvu.accounts.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Throttle failed logins per (account, address) pair, never per address alone: a whole
# commune hall shares one address during a quick assessment.
AXES_FAILURE_LIMIT = envint("DANGVU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("DANGVU_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dangvu.accounts.views_signin.locked_out"
AXES_VERBOSE = False

# The client's address, for the login throttle, the audit trail and the sessions page: the
# entry that the last of PROXY_COUNT trusted proxies appended to X-Forwarded-For, never an
# entry the client wrote itself (dangvu.accounts.addresses).
PROXY_COUNT = max(0, envint("DANGVU_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "dangvu.accounts.addresses.client_address"

# Two-factor sign-in (TOTP, recovery codes): offered to everyone, required of the accounts
# that reach discipline records, accounts or a whole province, and of administrators
# (dangvu.accounts.signin). The demo relaxes the requirement unless DANGVU_REQUIRE_2FA.
TWO_FACTOR_REQUIRED = not INSECURE_DEMO or envbool("DANGVU_REQUIRE_2FA")
OTP_TOTP_ISSUER = "dangvu"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["dangvu.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DANGVU_STATIC_ROOT", "") or DATA_DIR / "static").resolve()
MEDIA_ROOT = DATA_DIR / "media"
# Served from collected, hashed files; development and tests serve from the apps directly.
WHITENOISE_USE_FINDERS = envbool("DANGVU_STATIC_FINDERS", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if WHITENOISE_USE_FINDERS
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Background jobs (imports, exports, large reports, reminders): django-tasks on its database
# backend, so a province needs no extra server; `dangvu worker` runs them (`dangvu.jobs`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Sessions and the cache live in the database, so that any number of app servers behind a
# proxy share them (no sticky sessions, no cache server); migrate creates the cache's table.
SESSION_ENGINE = "dangvu.accounts.sessions"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "dangvu_cache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not (DEBUG or INSECURE_DEMO):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("DANGVU_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("DANGVU_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("DANGVU_HSTS_PRELOAD", False)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Content-Security-Policy (django-csp): scripts, styles, fonts and pictures from this site's
# own files only, no inline script or style attribute, no eval, no framing. QR codes and
# charts are inline SVG; a few pictures are data: URIs.
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
SILENCED_SYSTEM_CHECKS = ["security.W021"] if not envbool("DANGVU_HSTS_PRELOAD") else []

# E-mail (the reminders of reporting rounds), only when a mail server is named; without
# one nothing is sent and reminders stay in the app (the home page's things to do).
DANGVU_SMTP_HOST = os.environ.get("DANGVU_SMTP_HOST", "").strip()
MAIL_ENABLED = bool(DANGVU_SMTP_HOST)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if MAIL_ENABLED
    else "django.core.mail.backends.dummy.EmailBackend"
)
EMAIL_HOST = DANGVU_SMTP_HOST or "localhost"
EMAIL_USE_TLS = envbool("DANGVU_SMTP_TLS")
EMAIL_PORT = envint("DANGVU_SMTP_PORT", 587 if EMAIL_USE_TLS else 25)
EMAIL_HOST_USER = os.environ.get("DANGVU_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DANGVU_SMTP_PASSWORD", "")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DANGVU_MAIL_FROM", "").strip() or "dangvu@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DANGVU_LOG_LEVEL", "WARNING")},
}
