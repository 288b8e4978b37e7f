"""Flightline settings: one module, every knob an environment variable (see README.md).

The embedded default (SQLite, Celery on kombu's filesystem transport) needs no service at all;
the scaled configuration is `DATABASE_URL=postgres://...` and `CELERY_BROKER_URL=redis://...`.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FLIGHTLINE_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (or use SECRET_KEY_FILE).")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "portal",
    "clubs",
    "dispatch",
    "flights",
    "integrations.wiflight",
    "openid_provider",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "clubs.context_processors.club",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'flightline.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so "check for overlaps, then
    # insert" cannot interleave between two writers (SQLite's stand-in for the PostgreSQL
    # exclusion constraint). The busy timeout makes the second writer wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-flightline.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (login rate limits live here; share it between processes when scaled) -------------
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "clubs.User"
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "clubs.account_adapter.ClosedSignupAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 14)

FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# --- Sessions, cookies, HTTPS ------------------------------------------------------------------
# Cookie names carry our prefix: browsers share cookies between ports of one host, and the
# Wi-Flight simulator runs beside us on 127.0.0.1 (its session cookie is gasn-session).
SESSION_COOKIE_NAME = "flightline_session"
CSRF_COOKIE_NAME = "flightline_csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("TRUST_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Email -----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Flightline <flightline@localhost>")

# --- I18N / time -------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
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

# --- Celery --------------------------------------------------------------------------------
# Default: kombu's filesystem transport, a broker that is only folders under var/ (no service).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT = "portal.broker:Transport"  # atomic writes (see portal/broker.py)
    _broker_dir = Path(env_str("CELERY_FILESYSTEM_BROKER_DIR", str(VAR_DIR / "celery-broker")))
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.1,  # the embedded broker polls a folder; keep kicks snappy
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}

# --- Logging: never log request bodies or credentials ------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- OpenID provider ---
# Realms (relying parties) that sign members in without a consent page. Wi-Flight by
# default; in development also the Wi-Flight simulator. See docs/openid.md.
OPENID_TRUSTED_REALMS = env_list(
    "OPENID_TRUSTED_REALMS",
    ["https://www.wi-flight.net/"] + (["http://127.0.0.1:8001/"] if DEBUG else []),
)
# When true, any other realm gets an error page instead of a consent page.
OPENID_BLOCK_UNTRUSTED_REALMS = env_bool("OPENID_BLOCK_UNTRUSTED_REALMS", False)
# Wi-Flight's flight playback path (not published; see docs/openid.md).
WIFLIGHT_PLAYBACK_PATH = env_str("WIFLIGHT_PLAYBACK_PATH", "/flightview/{flight_id}")
CELERY_BEAT_SCHEDULE["openid-cleanup"] = {
    "task": "openid_provider.tasks.openid_cleanup_task",
    "schedule": 6 * 60 * 60,
}

# --- Wi-Flight reservation sync (integrations/wiflight) ---
WIFLIGHT_CONNECT_TIMEOUT = float(env_int("WIFLIGHT_CONNECT_TIMEOUT", 5))
WIFLIGHT_READ_TIMEOUT = float(env_int("WIFLIGHT_READ_TIMEOUT", 20))
# Longer than the worst single send (login + PUT + re-login + PUT at connect+read timeouts).
WIFLIGHT_SYNC_LEASE_SECONDS = env_int("WIFLIGHT_SYNC_LEASE_SECONDS", 150)
WIFLIGHT_SYNC_BACKOFF_BASE = float(env_int("WIFLIGHT_SYNC_BACKOFF_BASE", 5))
WIFLIGHT_SYNC_BACKOFF_CAP = float(env_int("WIFLIGHT_SYNC_BACKOFF_CAP", 30 * 60))
WIFLIGHT_SYNC_GIVE_UP_SECONDS = env_int("WIFLIGHT_SYNC_GIVE_UP_SECONDS", 3 * 24 * 3600)
WIFLIGHT_SYNC_DRAIN_SECONDS = float(env_int("WIFLIGHT_SYNC_DRAIN_SECONDS", 50))
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE["wiflight-sync-sweep"] = {
    "task": "integrations.wiflight.tasks.drain_reservations",
    "schedule": float(env_int("WIFLIGHT_SYNC_SWEEP_SECONDS", 10)),
}

# --- Wi-Flight flights: notifications, reconciliation, flight log (issue 6) ---------------------
WIFLIGHT_NOTIFY_MAX_BYTES = env_int("WIFLIGHT_NOTIFY_MAX_BYTES", 256 * 1024)
# The simulator's (and our assumed) matching tolerance, either side of a booking: used when
# reconciliation links a flight to a booking itself (docs/wiflight.md, decision 3).
WIFLIGHT_MATCH_TOLERANCE_SECONDS = env_int("WIFLIGHT_MATCH_TOLERANCE_SECONDS", 1800)
WIFLIGHT_RECONCILE_FIRST_LOOKBACK_DAYS = env_int("WIFLIGHT_RECONCILE_FIRST_LOOKBACK_DAYS", 7)
WIFLIGHT_RECONCILE_OVERLAP_HOURS = env_int("WIFLIGHT_RECONCILE_OVERLAP_HOURS", 48)
# Check-in: flag a Hobbs time that differs from the detected engine time by more than this.
WIFLIGHT_HOBBS_TOLERANCE_HOURS = float(env_str("WIFLIGHT_HOBBS_TOLERANCE_HOURS", "0.3"))
CELERY_BEAT_SCHEDULE["wiflight-reconcile"] = {
    "task": "integrations.wiflight.tasks.reconcile_all",
    "schedule": float(env_int("WIFLIGHT_RECONCILE_SECONDS", 15 * 60)),
}
CELERY_BEAT_SCHEDULE["wiflight-notification-sweep"] = {
    "task": "integrations.wiflight.tasks.sweep_notifications",
    "schedule": float(env_int("WIFLIGHT_NOTIFICATION_SWEEP_SECONDS", 60)),
}
