"""gov30 settings: one file, driven by environment variables.

Development defaults need no environment at all (SQLite, DEBUG on). Production sets
DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (PostgreSQL).
The README's run command sets DJANGO_DEBUG=0 and DJANGO_LOCAL_HTTP=1: the portal as users see it
(its own Korean error pages, not Django's debug pages) over plain http on 127.0.0.1.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import plotly
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DJANGO_DEBUG", True)
# A local run without TLS: cookies without Secure, no HTTPS redirect or HSTS, static files served from
# the source folders, and a secret key kept in a git-ignored file when none is given.
LOCAL_HTTP = env_bool("DJANGO_LOCAL_HTTP", False)
LOCAL_SECRET_KEY_FILE = BASE_DIR / "var" / "local-secret-key"


def local_secret_key() -> str:
    """The local run's key: made once, readable by its owner only, kept so that sessions survive a restart."""
    if not LOCAL_SECRET_KEY_FILE.exists():
        LOCAL_SECRET_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        LOCAL_SECRET_KEY_FILE.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        LOCAL_SECRET_KEY_FILE.chmod(0o600)
    return LOCAL_SECRET_KEY_FILE.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-change-me" if DEBUG else local_secret_key() if LOCAL_HTTP else ""
)
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("운영 모드(DJANGO_DEBUG=0)에서는 50자 이상의 DJANGO_SECRET_KEY가 필요합니다.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "import_export",
    "csp",
    "gov30.apps.AxesConfig",
    # background jobs: Django's tasks API (django-tasks), run by the database backend or by RQ on Redis
    "django_tasks",
    "django_tasks_db",
    # the read API (/api/v1/) and its OpenAPI 3 schema
    "rest_framework",
    "drf_spectacular",
    "initiatives",
    "budgets",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are gzipped here, before any middleware that reads the body (whitenoise above answers static files
    # with its own compressed copies). BREACH: the CSRF token is masked anew in every response, so it cannot be
    # guessed byte by byte; GZipMiddleware pads each response with random bytes; the session cookie is SameSite=Lax,
    # so another site's background requests for a page come without it (README, "Compression").
    "gov30.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "gov30.middleware.RequestSizeLimitMiddleware",
    "gov30.middleware.NullCharacterMiddleware",
    "gov30.middleware.AdminInvalidLookupMiddleware",
    # django-axes turns a locked-out login into the lockout page; it must stay last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gov30.urls"

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
                "reports.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "gov30.wsgi.application"

# SQLite is the embedded default; several workers can write thanks to WAL, a busy timeout
# and IMMEDIATE transactions (a deferred transaction that later writes fails with "locked").
SQLITE_PATH = env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes refuses locked-out logins before Django's backend checks the password; that backend loads the
# signed-in user with their unread notification count (reports/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "reports.auth_backends.PasswordBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko-kr"
LANGUAGES = [("ko", "한국어")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# The portal's own Korean catalogue (locale/ko): what django-axes, django-import-export and django-tables2
# leave in English, and Django's messages reworded so that no particle follows a name they cannot know.
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# plotly.js is served from the installed plotly wheel, so that it always matches the Python side's JSON.
STATICFILES_DIRS = [
    BASE_DIR / "gov30" / "static",
    ("vendor/plotly", Path(plotly.__file__).parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or LOCAL_HTTP)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The local run serves static files straight from their folders (no collectstatic step).
WHITENOISE_USE_FINDERS = DEBUG or LOCAL_HTTP

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
PLAN_FIXTURE = BASE_DIR / "fixtures" / "plan_2017.yaml"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "initiatives:plan-overview"

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Mail: reminders and notifications over SMTP in production; in development and the local run each message is
# written to a file under var/mail/ (no mail server needed). Sent by ``manage.py send_reminders``.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG or LOCAL_HTTP
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "정부3.0 실행계획 포털 <noreply@gov30.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address mails link to (the portal as its users reach it).
GOV30_SITE_URL = env_str("GOV30_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Reminders: N days before a quarter's due date, again every few days while overdue, and the department's head
# once a report is overdue by more than M days.
GOV30_REMIND_DAYS_BEFORE = env_int("GOV30_REMIND_DAYS_BEFORE", 7)
GOV30_OVERDUE_REPEAT_DAYS = env_int("GOV30_OVERDUE_REPEAT_DAYS", 3)
GOV30_ESCALATE_AFTER_DAYS = env_int("GOV30_ESCALATE_AFTER_DAYS", 14)

# Background jobs (reports/jobs/): Django's tasks API. The database backend needs nothing beside the portal's
# database; GOV30_TASK_BACKEND=rq runs them on RQ with Redis (REDIS_URL) when one machine is not enough.
# Started by ``manage.py run_worker`` (the worker and the schedule of the reminders and the nightly refresh).
GOV30_TASK_BACKEND = env_str("GOV30_TASK_BACKEND", "database")
if GOV30_TASK_BACKEND not in ("database", "rq"):
    raise ImproperlyConfigured("GOV30_TASK_BACKEND는 'database' 또는 'rq'여야 합니다.")
TASKS = {
    "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    if GOV30_TASK_BACKEND == "rq"
    else {"BACKEND": "django_tasks_db.DatabaseBackend"}
}
# RQ stops a job after DEFAULT_TIMEOUT (its own default, 180 s, is shorter than a large workbook takes)
RQ_QUEUES = {
    "default": {
        "URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DEFAULT_TIMEOUT": env_int("GOV30_JOB_TIMEOUT_SECONDS", 6 * 60 * 60),
    }
}
if GOV30_TASK_BACKEND == "rq":
    # its rqworker command; only then: its model without a table would break ``dumpdata`` for everyone else
    INSTALLED_APPS.append("django_rq")
RQ_SHOW_ADMIN_LINK = False  # django-rq's English queue pages stay out of the admin; jobs are shown in Korean there
# The evaluation workbook of more tasks than this, and an upload larger than this, are made by a job.
GOV30_WORKBOOK_JOB_TASKS = env_int("GOV30_WORKBOOK_JOB_TASKS", 200)
# The briefing book (PDF, HWPX) of more tasks than this: about 0.4 s a task to lay out, so 20 tasks ≈ 8 s.
GOV30_BOOK_JOB_TASKS = env_int("GOV30_BOOK_JOB_TASKS", 20)
GOV30_UPLOAD_JOB_BYTES = env_int("GOV30_UPLOAD_JOB_BYTES", 256 * 1024)  # about 4,000 rows, 2–3 s to preview
# A running job not heard from for this long (its worker was killed) is started again, up to the attempts.
GOV30_JOB_STALE_SECONDS = env_int("GOV30_JOB_STALE_SECONDS", 600)
GOV30_JOB_MAX_ATTEMPTS = env_int("GOV30_JOB_MAX_ATTEMPTS", 3)
# The schedule: the reminders every few minutes, the assessments' refresh once a night after this hour.
GOV30_REMINDERS_EVERY_MINUTES = env_int("GOV30_REMINDERS_EVERY_MINUTES", 5)
GOV30_REFRESH_HOUR = env_int("GOV30_REFRESH_HOUR", 0)
# Ended jobs (their rows, result files and queue entries) are kept this many days, then removed nightly.
GOV30_JOB_KEEP_DAYS = env_int("GOV30_JOB_KEEP_DAYS", 14)

# Production hardening, switched by DEBUG=0 (see README); a local http run keeps it off.
HTTPS = not (DEBUG or LOCAL_HTTP)
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A refused CSRF token gets a Korean page with a way back (templates/403_csrf.html), not Django's English one.
CSRF_FAILURE_VIEW = "gov30.views.csrf_failure"

# No inline scripts anywhere (chart data travels in json_script blocks, run by static/js/charts.js);
# plotly.js writes inline styles and its PNG download uses blob:/data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    },
}

# The read API (reports/api/): keys made by users (Bearer), JSON only, 50 rows a page as the pages show, Korean
# errors, and a rate per key (or per address without one) counted in the cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["reports.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "reports.api.paging.PagePagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["reports.api.authentication.KeyOrAddressThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "reports.api.errors.korean_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gov30 정부3.0 실행계획 API",
    "DESCRIPTION": "서울시 정부3.0 실행계획과 추진실적을 읽는 API입니다. 공개 자료는 토큰 없이, 보고·진단·평가 점수·검토함은 "
    "포털에서 만든 API 토큰(Authorization: Bearer)으로 읽습니다.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "reports.api.schema.add_refusals"],
}
GOV30_API_TOKEN_MAX_DAYS = env_int("GOV30_API_TOKEN_MAX_DAYS", 365)  # a key lives a year at most
GOV30_API_RATE_ANON = env_str("GOV30_API_RATE_ANON", "60/minute")  # per address, without a key
GOV30_API_RATE_KEY = env_str("GOV30_API_RATE_KEY", "600/minute")  # per user, with a key

# Login throttling: 5 wrong passwords for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"

# Upload limits. Django caps form fields, not files: RequestSizeLimitMiddleware refuses any request
# body over MAX_REQUEST_BYTES (413) before it is read; each upload view still checks its own limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_REQUEST_BYTES = env_int("DJANGO_MAX_REQUEST_BYTES", 20 * 1024 * 1024)

# `manage.py backup` writes here unless told otherwise (-o FILE).
BACKUP_DIR = Path(env_str("DJANGO_BACKUP_DIR", str(BASE_DIR / "var" / "backups")))

# Uploaded evidence lives outside the web root and is served only through a permission check.
MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = {"pdf", "hwp", "hwpx", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png"}

# Version 1 of the evaluation weights (percent); the planning office changes them on /evaluation/weights/.
EVALUATION_DEFAULT_WEIGHTS = {"indicator": 40, "milestone": 30, "budget": 20, "timeliness": 10}

# Offline reporting uploads (gov30/spreadsheets.py): refused before openpyxl opens them.
WORKBOOK_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
WORKBOOK_MAX_ENTRIES = 200
WORKBOOK_MAX_EXPANDED_BYTES = 50 * 1024 * 1024

# django-import-export (admin import/export of plan data): who may, and in which formats.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
