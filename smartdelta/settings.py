"""Settings for the Smart Delta portal.

One file; every value that differs per deployment comes from the environment with a safe
default, so a fresh checkout runs on SQLite (`make run`) and docker-compose sets the rest.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(int(default))).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG")
# Production runs behind TLS: secure cookies, HSTS, two-factor login (see below).
HTTPS = env_bool("DJANGO_HTTPS")
# The fallback key is for the demo and tests only; production sets DJANGO_SECRET_KEY
# (docker-compose refuses to start without it).
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-demo-only-7c1b0f2e9a4d4e1c8f3b6a5d2e9c0b1a"
)
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "smartdelta",
    "portfolio",
    "tables",
    # Meetings of every body that meets (issue 31): tables uses it, it imports nothing of tables.
    "meetings",
    "finance",
    "councils",
    "following",
    "results",
    "openbaar",
    # The read-only API for other systems (issue 28): Django REST framework, its OpenAPI
    # document by drf-spectacular. Reads the apps above through openbaar.gate; nothing imports it.
    # Neither package is an app here: the API renders JSON only, so their templates and static
    # files (the browsable API's Bootstrap and jQuery, Swagger UI) are never served or collected.
    "api",
    # The shell: dashboard, demo loader, benchmark data (imports every app above).
    "portal",
]

MIDDLEWARE = [
    # First: it sees the answer last, after the session middleware added Vary: Cookie.
    "smartdelta.middleware.PublicForEveryoneMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "smartdelta.middleware.ResolvedUserMiddleware",
    "smartdelta.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "smartdelta.middleware.HtmxMessagesMiddleware",
    "smartdelta.middleware.NoStoreForUsersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "smartdelta.middleware.DutchNotFoundInDebugMiddleware",
    "smartdelta.middleware.DatabaseBusyMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "smartdelta.wsgi.application"

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
                "django.template.context_processors.csp",
                "smartdelta.context_processors.portal",
            ],
            "builtins": ["smartdelta.templatetags.portal"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections with health checks: after a database restart only the
        # requests made while it was down fail (STACK.md).
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs the server and the task worker on one SQLite file. A deferred transaction
    # that reads and then writes cannot wait for another writer: SQLite answers "database is
    # locked" at once (issue 26: a 500 on saving a position while the worker wrote a letter).
    # IMMEDIATE takes the write lock at BEGIN, where the busy timeout lets it wait its turn.
    # WAL lets pages read while someone writes; NORMAL is WAL's usual, still durable on a
    # crash of the process (a power cut can lose the last commits, not corrupt the file).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast (Dutch 503) instead of hanging when the database is unreachable.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 3
    # A page's main query joins up to seven tables (select_related). With PostgreSQL's default
    # join_collapse_limit of 8 the planner tried every join order: 7-10 ms of planning for a
    # query that runs in 0.5 ms (regiekamer, project page). At 4 it still orders the joins
    # within groups of four, and plans in about 1 ms. bench/results show the page times.
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c join_collapse_limit={os.environ.get('PG_JOIN_COLLAPSE_LIMIT', '4')}"
    )
    # Prepared statements: a page's queries are the same on every request, only their values
    # differ. With parameters bound by the server, psycopg prepares a query the second time a
    # connection runs it, and PostgreSQL stops planning it again (0.3-1 ms per query, up to 13
    # queries a page). Django leaves this off by default. A pooler in transaction mode (not
    # used here: docker-compose connects to PostgreSQL directly) cannot keep prepared
    # statements: set PG_PREPARE_THRESHOLD to "" there.
    if threshold := os.environ.get("PG_PREPARE_THRESHOLD", "2"):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(threshold)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "smartdelta.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "smartdelta.backends.PortalModelBackend",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Two-factor login (TOTP) for every account, the admin included. Fail closed: on unless
# DJANGO_OTP_REQUIRED=0 says otherwise – only the demo (`make run`, which says so) and the
# tests do; `check --deploy` refuses it off (smartdelta/checks.py). Linking an app needs a
# one-time code from beheer (smartdelta/twofactor.py).
OTP_REQUIRED = env_bool("DJANGO_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "Smart Delta portaal"

# Sessions: 30 minutes idle, 12 hours at most (smartdelta/middleware.py
# NoStoreForUsersMiddleware). The idle end moves forward by saving the session, at most once a
# minute rather than on every request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_REFRESH_SECONDS = 60
SESSION_MAX_LIFETIME = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (issues 17 and 32), counted per account on one address and per address:
# five failures lock that account from that address only, so a stranger who knows a username
# cannot lock its owner out (OWASP and Django: limit per source, do not let anyone lock an
# account); twenty lock an address, for any account (one password sprayed over many
# accounts). Both end by themselves after the cool-off, counted from the last failure before
# the lock; attempts during a lock do not extend it.
# smartdelta.security.LoginThrottle gives the address its own, higher limit.
AXES_HANDLER = "smartdelta.security.LoginThrottle"
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address: REMOTE_ADDR, unless DJANGO_TRUSTED_PROXY_COUNT says how many proxies of
# our own stand in front (docker-compose: the TLS proxy, 1); then the address the outermost of
# them saw, from X-Forwarded-For. Without it the header is ignored: anyone can send one.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "smartdelta.security.client_ip"

LANGUAGE_CODE = "nl"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
PAPERS_STORAGE = os.environ.get("PAPERS_STORAGE", "local")
if PAPERS_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured(f"PAPERS_STORAGE is 'local' or 's3', not {PAPERS_STORAGE!r}.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Meeting papers (meetings.storage): served only by meetings.meeting_views.paper_download, after
    # the reader's permission check, never by a URL of the store. By default a folder
    # (PAPERS_ROOT, outside the static and media folders; docker-compose mounts the `papers`
    # volume there); PAPERS_STORAGE=s3 keeps them in an S3-compatible object store instead
    # (MinIO: docker-compose's `s3` profile), for app servers on several hosts. The keys come
    # from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by boto3 itself.
    "papers": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", "papers"),
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                # MinIO answers on its own host name, not on <bucket>.<host>.
                "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
                "default_acl": "private",
                "file_overwrite": False,
            },
        }
        if PAPERS_STORAGE == "s3"
        else {"BACKEND": "meetings.storage.PapersStorage"}
    ),
}
PAPERS_ROOT = Path(os.environ.get("PAPERS_ROOT", BASE_DIR / "var" / "papers"))
PAPERS_MAX_BYTES = int(os.environ.get("PAPERS_MAX_MB", "20")) * 1024 * 1024
# The history of a paper keeps its stored file name as bounded text (not an unbounded TextField).
SIMPLE_HISTORY_FILEFIELD_TO_CHARFIELD = True
# Tests and `runserver` serve static files straight from the app folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# Security headers. HTTPS-only settings switch on with DJANGO_HTTPS=1 (docker-compose);
# the demo on http://127.0.0.1 keeps them off so its cookies work.
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}


# Django 6.1's MAILERS replaces EMAIL_BACKEND. The demo and tests print mails to the console;
# production (HTTPS) sends through SMTP unless DJANGO_EMAIL_BACKEND says otherwise.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if HTTPS
            else "django.core.mail.backends.console.EmailBackend",
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "portaal@smartdelta.example")
# The portal's own address, for the links in mails (smartdelta/mail.py): the worker sends them
# outside any request, so it cannot know the address otherwise. Production sets it (https://;
# check --deploy refuses it missing or on http); `make run` passes its own address.
PORTAL_URL = os.environ.get("DJANGO_PORTAL_URL", "" if HTTPS else "http://127.0.0.1:8000")

# The read-only API under /api/v1 (api/, README "Openbaar"): anonymous, JSON only, errors as
# RFC 9457 problem details. No authentication class at all: nobody logs in, so no session is
# read and no CSRF applies; whatever it shows is public through openbaar.gate.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": [],
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNICODE_JSON": True,
}
# The OpenAPI document's contact (ADR /core/doc-openapi-contact): the programme office.
API_CONTACT = {
    "name": "Programmabureau Smart Delta Drechtsteden",
    "url": (PORTAL_URL or "https://portaal.smartdelta.example") + "/openbaar/",
    "email": os.environ.get("DJANGO_API_CONTACT_EMAIL", "programmabureau@smartdelta.example"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "smartdelta.security": {"handlers": ["console"], "level": "INFO"},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}

# Work that can wait (mail, council letters as PDF): Django's task framework, with the queue in the portal's own
# database (django-tasks-db), so a deployment needs no extra server. `manage.py db_worker`
# runs the tasks: `make run` starts it beside runserver, docker-compose as the `worker` service.
INSTALLED_APPS += ["smartdelta.apps.TaskQueueConfig"]
TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
# A failed mail is tried again after MAIL_RETRY_SECONDS, then twice that, and so on, up to
# MAIL_MAX_ATTEMPTS attempts in all; after that it stays in the queue as failed (smartdelta/mail.py),
# where the programme office sends it again or lets it drop (/programmabureau/mails/).
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "5"))
MAIL_RETRY_SECONDS = float(os.environ.get("MAIL_RETRY_SECONDS", "60"))
# The file backend (DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend)
# writes each mail to this folder: lets tests read what a separate worker process sent.
if os.environ.get("DJANGO_EMAIL_FILE_PATH"):
    MAILERS["default"]["OPTIONS"] = {"file_path": os.environ["DJANGO_EMAIL_FILE_PATH"]}
# Sessions live in the database (Django's default, named here on purpose): every app server
# behind the load balancer reads the same sessions, so none needs sticky routing.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
