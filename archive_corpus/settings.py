"""Settings for the archive corpus site.

Everything that differs between a laptop and production comes from the environment, and
every default is the safe one (fail closed): see the README's settings table.

- ``DATABASE_URL``: a PostgreSQL URL for production; unset means SQLite in ``db.sqlite3``.
- ``DJANGO_DEBUG``: off unless ``1``; ``make run`` sets it for local use.
- ``DJANGO_SECRET_KEY``: required unless ``DJANGO_DEBUG=1``; the site refuses to start
  without it.
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names.
- ``DJANGO_SECURE``: ``1`` behind HTTPS in production (HSTS, secure cookies, redirect).

Tests use :mod:`archive_corpus.settings_test` (a test-only key), named in pyproject.toml.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Off unless asked for: a traceback page shows any visitor the code and the settings.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. In production set it to a long random string, "
            "e.g. the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "For local use only, DJANGO_DEBUG=1 runs with a development key (make run does)."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "archive_corpus.apps.SiteConfig",
    "meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "archive_corpus.middleware.RefuseHostileRequests",
    "csp.middleware.CSPMiddleware",
    "archive_corpus.middleware.BrowserPolicies",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the admin (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "archive_corpus.middleware.AnswerTimeouts",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive_corpus.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "archive_corpus.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
# A time limit on each statement of a web request, in ms (0: none). wsgi.py, the web entry
# point, sets a default; manage.py commands (imports, migrations, benchmarks) run without.
STATEMENT_TIMEOUT_MS = int(os.environ.get("DJANGO_STATEMENT_TIMEOUT_MS") or 0)
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _db_options.update(
        # Write-ahead log: readers never wait for a writer (an import), nor it for them.
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        # A writer takes its lock when its transaction begins, and a second writer waits
        # up to `timeout` seconds for it instead of failing at once on a lock upgrade.
        transaction_mode="IMMEDIATE",
        timeout=20,
    )
    # SQLite's own time limit is a progress handler (archive_corpus/db.py).
elif STATEMENT_TIMEOUT_MS:
    _db_options["options"] = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Production hardening, switched on with DJANGO_SECURE=1 (see README, "Production").
if env_bool("DJANGO_SECURE", False):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Request bodies. Form data held in memory (Django's default); a meeting with its inlines
# can exceed Django's default of 1,000 fields. Uploads past FILE_UPLOAD_MAX_MEMORY_SIZE
# go to a temporary file; the admin's import takes files of CORPUS_IMPORT_MAX_BYTES at most
# (meetings/forms.py), and no request body may pass CORPUS_MAX_REQUEST_BYTES (a proxy in
# front must accept that much for imports, e.g. nginx's client_max_body_size).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20
CORPUS_IMPORT_MAX_BYTES = int(os.environ.get("DJANGO_IMPORT_MAX_MB") or 10) * 2**20
CORPUS_MAX_REQUEST_BYTES = 5 * CORPUS_IMPORT_MAX_BYTES

# ---------------------------------------------------------------------------
# Browser policies (django-csp). The public pages run no script and load nothing from
# elsewhere; the admin's pages load its own script files (archive_corpus/middleware.py
# allows 'self' scripts there and nowhere else). Style attributes are allowed (the home
# page's bars; the admin's autocomplete sets widths): they cannot run script, and img-src
# and font-src keep them from fetching anything from another site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [NONE],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

# ---------------------------------------------------------------------------
# Login throttling (django-axes): five wrong passwords for one user name from one address
# lock that pair out for half an hour; a right password before then clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "429.html"
# Behind a proxy every request comes from the proxy's address; with
# DJANGO_TRUSTED_PROXIES=N the client is the Nth address from the right of X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "archive_corpus.proxy.client_ip"
TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES") or 0)

# Lists: default and largest page size a visitor may ask for.
CORPUS_PAGE_SIZE = 25
CORPUS_MAX_PAGE_SIZE = 200
# The deepest page a visitor may ask for (an OFFSET past this is a scan, not a reading).
CORPUS_MAX_PAGE = 2000

# Errors. Every unhandled error goes to standard error with its traceback (gunicorn's error
# log under `make serve`); with DJANGO_ADMINS ("Name <address>, ...") it is also mailed to
# them through the DJANGO_EMAIL_* server, with the request that caused it.
ADMINS = [
    (name, address)
    for name, address in getaddresses([os.environ.get("DJANGO_ADMINS", "")])
    if address
]
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "corpus@localhost")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_TLS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"production": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["production"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # 500s (django.request) and refused hosts or forged CSRF (django.security).
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
        "django.security": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}

# The citation uniqueness constraint treats NULL chapter/footnote as equal; PostgreSQL
# enforces it, SQLite cannot (the importer's get_or_create keeps SQLite clean too).
SILENCED_SYSTEM_CHECKS = ["models.W047"]
