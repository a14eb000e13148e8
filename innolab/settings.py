"""innolab settings: one file, driven by environment variables.

Every variable is listed with its default and meaning in README.md ("Configuration").
A `.env` file at the project root is read if present; real environment variables win.
"""

import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env", overwrite=False)

# pytest-django imports these settings before any conftest can set variables, so a test
# run is recognised here and gets its own secret, fast hasher and in-memory cache.
TESTING = "pytest" in sys.modules

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if TESTING:
        SECRET_KEY = "innolab-test-secret-not-for-production"  # noqa: S105 (test-only)
    elif DEBUG:
        SECRET_KEY = "innolab-local-debug-secret-not-for-production"  # noqa: S105 (DEBUG only)
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. It is required when DEBUG is off: set it in the "
            "environment or in .env (for example with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
            "or set DEBUG=1 for a local run."
        )

SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
HTTPS = SITE_URL.startswith("https://")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "taggit",
    "django_countries",
    "django_celery_beat",
    "csp",
    "community",
    "learning",
    "toolkits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "community.accounts.middleware.UserLanguageMiddleware",
    "community.accounts.middleware.UserTimezoneMiddleware",
    "community.accounts.middleware.RateLimitedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "innolab.urls"
WSGI_APPLICATION = "innolab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.site",
            ],
            # {% load fragments %}: pieces of pages kept by their content (innolab/fragments.py).
            "libraries": {"fragments": "innolab.fragments"},
        },
    },
]

# --- Database --------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (postgres://...) or SQLite (sqlite:////abs/path.db);
# without it, a SQLite file under var/ keeps a local run dependency-free.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'innolab.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores select_for_update(); IMMEDIATE transactions take the write lock at
    # BEGIN, so the capacity checks later issues make under a row lock are serialised.
    # WAL lets readers carry on while one writer holds that lock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # A restarted database must not leave web processes holding dead connections.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # .iterator() (form choices, large exports) reads with plain queries: a server-side
    # cursor costs three round trips for the few rows a page reads, and breaks behind a
    # transaction-pooling PgBouncer.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "community.User"

# --- Cache -----------------------------------------------------------------------------
# allauth's rate limits need a cache every process shares: Redis when configured,
# otherwise files under var/ (the local run has several processes).
REDIS_URL = env.str("REDIS_URL", default="")
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }

# Rendered pieces of pages (cards, posts, filter forms) kept in each process, keyed by
# everything they show (innolab/fragments.py): at most this many; 0 turns them off.
FRAGMENT_CACHE_ENTRIES = env.int("FRAGMENT_CACHE_ENTRIES", default=5000)
# The bodies of pages as every visitor sees them (the catalogue, an offering), keyed on the
# version the database keeps of what they show (innolab/versions.py): at most this many
# (tens of KiB each); 0 turns them off.
BODY_CACHE_ENTRIES = env.int("BODY_CACHE_ENTRIES", default=300)

# --- Accounts (django-allauth) -----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "community.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "community.accounts.forms.SignupExtraForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[innolab] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# allauth's defaults, written out so they are visible: failed logins are limited per
# address and per IP; sign-up and reset per IP.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "innolab"

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Locally and in tests whitenoise serves straight from the app and project folders.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded toolkit files: largest accepted size in MB.
TOOLKIT_MAX_UPLOAD_MB = env.int("TOOLKIT_MAX_UPLOAD_MB", default=50)
# Files go through Django's storage API: the folder MEDIA_ROOT, or, with STORAGE_S3_BUCKET
# set, a private S3-compatible bucket (README, "File storage"; docs/operations.md).
STORAGE_S3_BUCKET = env.str("STORAGE_S3_BUCKET", default="")
# Downloads stream through the site (counted, same headers); a number of seconds instead
# redirects each download, once counted, to a presigned address valid that long.
STORAGE_S3_PRESIGNED_SECONDS = env.int("STORAGE_S3_PRESIGNED_SECONDS", default=0)
if STORAGE_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": env.str("STORAGE_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("STORAGE_S3_REGION", default=None),
            "access_key": env.str("STORAGE_S3_ACCESS_KEY", default=None),
            "secret_key": env.str("STORAGE_S3_SECRET_KEY", default=None),
            "addressing_style": env.str("STORAGE_S3_ADDRESSING_STYLE", default=None),
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
# Uploads above this size are streamed to a temporary file rather than kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail ------------------------------------------------------------------------------
# EMAIL_URL: smtp+tls://user:password@host:587, smtp+ssl://user:password@host:465, or
# consolemail:// to print messages (the default for a local DEBUG run).
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
# EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER/PASSWORD, EMAIL_USE_TLS/SSL.
_email.pop("OPTIONS", None)
globals().update({k: v for k, v in _email.items() if v is not None})
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="innolab <noreply@innolab.test>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# How long a message may sit in `sending` before the sweep assumes its worker died.
OUTBOX_SENDING_TIMEOUT = env.int("OUTBOX_SENDING_TIMEOUT", default=600)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)

# --- Celery ------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A person's request must never wait long on a broker that is down: one attempt,
        # a short connect timeout, and the outbox sweep delivers what could not be queued.
        # (The worker's own reconnect loop uses broker_connection_max_retries instead.)
        "max_retries": 0,
        "socket_connect_timeout": 0.5,
        "socket_timeout": 2,
        "visibility_timeout": 3600,
    }
else:
    # Celery's filesystem transport: worker and beat still run as separate processes
    # without a Redis server. Messages are files under var/broker/.
    CELERY_BROKER_URL = "filesystem://localhost/"
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Exchange tables; kombu's default is ./control in whatever the current folder is.
        "control_folder": str(_broker_dir / "control"),
        # The worker looks for new files this often (kombu's default, 1 s, takes a
        # message a second at best: the demo's first e-mails would queue for minutes).
        "polling_interval": 0.1,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
# Publishing happens inside web requests: fail fast and leave the retry to the sweep.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = TESTING
CELERY_TASK_EAGER_PROPAGATES = TESTING

# --- Security ----------------------------------------------------------------------------
# Trust X-Forwarded-Proto only behind a proxy that always sets it (and drops the client's):
# otherwise any client could claim its request came over HTTPS.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS and not DEBUG)
# A load balancer probes over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = HTTPS and not DEBUG
CSRF_COOKIE_SECURE = HTTPS and not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS and not DEBUG else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload (W021) commits the domain to browsers' built-in lists; that is a
    # decision for the operator of a deployment, not a default of the code.
    "security.W021",
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Django admin and allauth write style="" attributes; scripts stay strict.
        "style-src": [SELF, "'unsafe-inline'"],
        # data: for allauth's TOTP QR code.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}

# --- Logging -----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Feed, unsubscribe and invitation keys in addresses never reach a log (innolab.logs).
    "filters": {"redact_secrets": {"()": "innolab.logs.RedactSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Community ---------------------------------------------------------------------------
# How many advice requests one member may send in 24 hours.
ADVICE_REQUESTS_PER_DAY = env.int("ADVICE_REQUESTS_PER_DAY", default=5)
# New accounts (younger than this many days) may post this many times an hour.
FORUM_NEW_ACCOUNT_DAYS = env.int("FORUM_NEW_ACCOUNT_DAYS", default=7)
FORUM_NEW_ACCOUNT_POSTS_PER_HOUR = env.int("FORUM_NEW_ACCOUNT_POSTS_PER_HOUR", default=5)
# Every account: posts an hour, advice replies an hour, flags a day (429 page beyond).
FORUM_POSTS_PER_HOUR = env.int("FORUM_POSTS_PER_HOUR", default=30)
ADVICE_REPLIES_PER_HOUR = env.int("ADVICE_REPLIES_PER_HOUR", default=30)
FLAGS_PER_DAY = env.int("FLAGS_PER_DAY", default=20)
# A meeting reminder missed by more than this (the worker was down) is skipped, not late.
MEETING_REMINDER_WINDOW_MINUTES = env.int("MEETING_REMINDER_WINDOW_MINUTES", default=360)

# --- Learning ------------------------------------------------------------------------------
# A cohort invitation can be used for this many days after it was sent.
INVITATION_DAYS = env.int("INVITATION_DAYS", default=30)
# Learning outcomes: the follow-up this many days after a place is completed, a feedback
# reminder this many days after the first request, and feedback editable this long.
OUTCOME_FOLLOW_UP_DAYS = env.int("OUTCOME_FOLLOW_UP_DAYS", default=90)
OUTCOME_REMINDER_DAYS = env.int("OUTCOME_REMINDER_DAYS", default=7)
FEEDBACK_EDITABLE_DAYS = env.int("FEEDBACK_EDITABLE_DAYS", default=30)

# --- Demo data ---------------------------------------------------------------------------
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="innolab-demo")
