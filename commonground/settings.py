"""Settings of Common Ground, read from the environment so that every command honours them.

DATABASE_URL  SQLite file in the data folder by default; postgres://... for PostgreSQL (psycopg 3)
SECRET_KEY    a key generated once into the data folder when unset
DEBUG         off unless set (the demo runs with it off too, as production does)
COMMONGROUND_DEMO  set by `commonground demo`: every page says it is a demonstration
ALLOWED_HOSTS comma-separated; localhost names by default
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from commonground.core.catalogues import offered_languages
from commonground.core.redis_settings import shared_state_settings
from commonground.env import env_bool
from commonground.security_settings import *  # noqa: F403  (its __all__: CSP, proxies, request size, HTTPS)
from commonground.security_settings import TRUSTED_PROXIES
from commonground.twofactor_settings import passkey_relying_party

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("COMMONGROUND_DATA_DIR", BASE_DIR / "data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("COMMONGROUND_DEMO", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tasks",
    "django_tasks_db",
    "commonground.core",
    "commonground.accounts",
    "commonground.communities",
    "commonground.exchange",
    "commonground.registry",
    "commonground.agenda",
    "commonground.resources",
    "commonground.risks",
    "commonground.sustainability",
    "commonground.incidents",
    "commonground.credentials",
    "commonground.socialcapital",
    "commonground.newsletters",
    "commonground.program",
    "commonground.checkpoint",
    "commonground.mywork",
    "commonground.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second step (accounts/twofactor).
    "django_otp.middleware.OTPMiddleware",
    "commonground.core.middleware.MembersOnlyMiddleware",
    # After the login check: a signed-in session the two-step policy covers reaches only the code step,
    # enrolment and logout until it has passed them.
    "commonground.accounts.twofactor.middleware.TwoFactorMiddleware",
    "commonground.core.middleware.LocalTimeMiddleware",
    "commonground.accounts.middleware.PreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commonground.urls"
WSGI_APPLICATION = "commonground.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "commonground.core.context_processors.demo",
            ],
        },
    }
]
FORM_RENDERER = "commonground.core.forms.UswdsFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'commonground.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Measured: with Django's defaults 8 concurrent writers lose a fifth to a third of their
    # transactions to "database is locked"; with these, none.
    # Connections are kept (CONN_MAX_AGE, 60 s): a new one per request starts with an empty page cache,
    # which cost a state-wide distance search 20 ms. 64 MB of page cache a connection holds the hot part of
    # the indexes of a million resources.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            f"PRAGMA cache_size=-{int(os.environ.get('SQLITE_CACHE_KB', '65536'))};"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
# Each user lands on "My work" (DESIGN.md, Accounts).
LOGIN_REDIRECT_URL = "mywork:home"
LOGOUT_REDIRECT_URL = "landing"

# Lock by username and address together, so nobody can lock a whole agency out from behind its
# shared address, and a cool-off lifts the lock by itself.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False


LANGUAGE_CODE = "en"
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Another language is offered only when its catalogue is compiled and translates this share of its messages;
# below it, pages stay in English rather than claim a language they are not written in (core/catalogues.py).
TRANSLATION_MINIMUM = float(os.environ.get("TRANSLATION_MINIMUM", "1"))
LANGUAGES = offered_languages(
    [("en", _("English")), ("es", _("Spanish"))], LANGUAGE_CODE, LOCALE_PATHS[0], TRANSLATION_MINIMUM
)
# The switcher's choice is kept in this cookie for a year (there is no language preference on the profile).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Times are stored and exchanged in UTC; each community reads and shows them in its own zone
# (`Community.time_zone`, an IANA name), which a new community takes from COMMUNITY_DEFAULT_TIME_ZONE
# unless its creator names another.
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
COMMUNITY_DEFAULT_TIME_ZONE = os.environ.get("COMMUNITY_DEFAULT_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploaded files (agreement documents) on MEDIA_ROOT, a folder every application server must see (the data
# folder's, or an NFS mount); MEDIA_STORAGE names another backend, such as django-storages' S3 one
# (docs/production.md), whose bucket and endpoint come from the environment too.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {
            name.lower(): os.environ[f"MEDIA_S3_{name.upper()}"]
            for name in ("bucket_name", "endpoint_url", "region_name", "location")
            if os.environ.get(f"MEDIA_S3_{name.upper()}")
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or DATA_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Common Ground <noreply@commonground.local>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Two-step sign-in and passkeys: commonground/twofactor_settings.py. Hardening (CSP, proxies, request size,
# HTTPS): commonground/security_settings.py.
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = passkey_relying_party(SITE_URL)

# Imports
# One file is at most IMPORT_MAX_BYTES uploaded and IMPORT_MAX_ROWS data rows (the CLI's --max-rows
# overrides the rows); a workbook whose parts unpack past IMPORT_MAX_UNZIPPED_BYTES is refused unread.
# A file from the page over IMPORT_BACKGROUND_BYTES runs as a background task (`commonground worker`).
# The uploaded file waits here between the dry run and the import (perhaps on another server, or the worker):
# with several servers, a folder they all see.
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR") or DATA_DIR / "imports")
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
# A list counts its rows exactly up to this many; past it, the count is estimated (core/counting.py).
EXACT_COUNT_LIMIT = int(os.environ.get("EXACT_COUNT_LIMIT", "10000"))
# An estimate is kept this many seconds, per list and viewer, in each server process (0: never kept).
COUNT_ESTIMATE_SECONDS = int(os.environ.get("COUNT_ESTIMATE_SECONDS", "60"))
# A list of more rows than this has its count kept the same way, and says it is an estimate (core/counting.py).
KEPT_COUNT_ABOVE = int(os.environ.get("KEPT_COUNT_ABOVE", "1000"))
# Compile kept SQL again on every read and compare (`core.kept.check_kept_sql`): the test suite's check that each
# key names everything its SQL is made of. Off in production (it undoes what keeping saves).
KEPT_SQL_CHECK = os.environ.get("KEPT_SQL_CHECK", "0") == "1"
IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("IMPORT_MAX_UNZIPPED_BYTES", str(25 * IMPORT_MAX_BYTES)))
IMPORT_BACKGROUND_BYTES = int(os.environ.get("IMPORT_BACKGROUND_BYTES", str(1024 * 1024)))
# An organization admin's nominations file (checked and written within the request, row by row through the
# service) holds at most this many rows; a co-chair's Import page takes larger ones in the background.
NOMINATION_IMPORT_MAX_ROWS = int(os.environ.get("NOMINATION_IMPORT_MAX_ROWS", "500"))
# Mail to many (invitations, reminders) goes through the task queue (core.mail), tried MAIL_ATTEMPTS times,
# the n-th retry MAIL_RETRY_SECONDS x 4^(n-1) after the failure (30 s, 2 min, 8 min, 32 min by default).
MAIL_ATTEMPTS = int(os.environ.get("MAIL_ATTEMPTS", "5"))
MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "30"))
# A newsletter goes out in batches of this many recipients, each batch a task of its own (newsletters.tasks).
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "200"))

INVITATION_MAX_AGE_DAYS = int(os.environ.get("INVITATION_MAX_AGE_DAYS", "14"))
# Accounts: how long an API token lasts unless its maker says (the token endpoint's, the profile's first
# choice), the longest it may, and how long the link that confirms a new e-mail address holds.
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "366"))
EMAIL_CHANGE_MAX_AGE_HOURS = int(os.environ.get("EMAIL_CHANGE_MAX_AGE_HOURS", "48"))

# Step 4: a resource not verified for this many days shows as stale and its owner is reminded.
RESOURCE_STALE_DAYS = int(os.environ.get("RESOURCE_STALE_DAYS", "180"))
# Incidents: the road speed that turns a great-circle distance into travel time, and the farthest a resource is
# sent from (the allocation considers no pair farther apart).
INCIDENT_ROAD_SPEED_KMH = float(os.environ.get("INCIDENT_ROAD_SPEED_KMH", "60"))
INCIDENT_MAX_REACH_KM = float(os.environ.get("INCIDENT_MAX_REACH_KM", "500"))
RESOURCE_REMINDER_DAYS = int(
    os.environ.get("RESOURCE_REMINDER_DAYS", "30")
)  # at most one reminder this often
# Step 6: reminders to organizations that have not answered an open needs assessment, and to the owners
# of tasks due within TASK_REMINDER_AHEAD_DAYS or overdue; each at most once every ..._REMINDER_DAYS days.
NEEDS_REMINDER_DAYS = int(os.environ.get("NEEDS_REMINDER_DAYS", "7"))
TASK_REMINDER_AHEAD_DAYS = int(os.environ.get("TASK_REMINDER_AHEAD_DAYS", "7"))
TASK_REMINDER_DAYS = int(os.environ.get("TASK_REMINDER_DAYS", "7"))
# Maps draw on the US state and county outlines served from our own static files (us-atlas). A tile server is
# opt-in: an XYZ URL template (https://tile.example.org/{z}/{x}/{y}.png), its origin then allowed by img-src.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
# Sharing agreements: the documents accepted, and how large.
AGREEMENT_DOCUMENT_MAX_BYTES = int(os.environ.get("AGREEMENT_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
AGREEMENT_DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
}

# The cache, throttles, lock-outs and task queue: in this server's memory and database, or shared by every
# server through REDIS_URL (core/redis_settings.py says what changes and why sessions stay in the database).
_shared = shared_state_settings(
    os.environ.get("REDIS_URL", ""),
    key_prefix=os.environ.get("REDIS_KEY_PREFIX", ""),
    tasks_backend=os.environ.get("TASKS_BACKEND", ""),
)
INSTALLED_APPS += _shared.pop("EXTRA_APPS")
globals().update(_shared)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "commonground.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "commonground.core.api.parsers.JSONParser",
        "commonground.core.api.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_RENDERER_CLASSES": [
        "commonground.core.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "commonground.core.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["commonground.core.api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "commonground.core.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "120/min"),
        "user": os.environ.get("THROTTLE_USER", "6000/min"),
        "auth": os.environ.get("THROTTLE_AUTH", "20/min"),
        # Reset mails one client address may ask for (accounts.throttles; the page, not the API).
        "password_reset": os.environ.get("THROTTLE_PASSWORD_RESET", "5/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

from .api_schema_settings import SPECTACULAR_SETTINGS  # noqa: E402,F401  (read by drf-spectacular)
from .twofactor_settings import *  # noqa: E402,F403  (its __all__: two-step sign-in's settings)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
VIEWER_FACTORY = "commonground.registry.viewer.viewer_for_user"
VIEWERS_FACTORY = "commonground.registry.viewer.viewers_for_users"
# The API's token read with its user's viewer in one statement (accounts.authentication).
API_TOKEN_READER = "commonground.registry.viewer.token_and_viewer"
