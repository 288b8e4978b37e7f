"""Flightline settings: one module, every knob an environment variable (see README.md).

The embedded default (SQLite, Celery on kombu's filesystem transport) needs no service at all;
the scaled configuration is `DATABASE_URL=postgres://...` and `CELERY_BROKER_URL=redis://...`.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_networks, env_seconds, env_str

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
    "accounting",
    "maintenance",
    "booking_rules",
    "calendars",
    "reminders",
    "integrations.wiflight",
    "integrations.webhooks",
    "openid_provider",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "api",
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
# A kept connection (DB_CONN_MAX_AGE > 0) is checked before a request reuses it, so one the
# server dropped meanwhile is replaced instead of failing that request.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
                                              conn_health_checks=True)}
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
    "login_failed": "10/m/ip,5/5m/key",  # the key is the account, however named (clubs/sign_in.py)
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# The "/ip" limits need the client's address: behind N proxies of ours it is the Nth entry from
# the right of X-Forwarded-For (entries left of it are the client's own say). 0 trusts no
# header and uses the connection's address, which behind a proxy is the proxy's, for everyone.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Sign-up is closed: a reset for an unknown address mails nothing (allauth would send its
# stranger a "sign up here" link to a page that refuses them).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The Django admin signs in through the site's sign-in and its limits (portal/urls.py); in
# production it is not mounted at all unless asked for.
DJANGO_ADMIN_ENABLED = env_bool("DJANGO_ADMIN_ENABLED", DEBUG)
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

# --- Outbound requests (core/outbound.py: Wi-Flight, webhooks) -------------------------------
# Private, loopback, link-local, reserved and multicast addresses are refused after DNS
# resolution, except in these networks (CIDRs, comma-separated). Empty in production; the
# demo and the tests allow loopback ("127.0.0.0/8"), where the simulator runs.
OUTBOUND_ALLOWED_NETWORKS = env_networks("OUTBOUND_ALLOWED_NETWORKS", [])

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
# Uploaded files (squawk photos): never served as static files; maintenance.views streams
# each one after checking the reader's club, so MEDIA_URL is not routed.
MEDIA_ROOT = Path(env_str("FLIGHTLINE_MEDIA_DIR", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
SQUAWK_PHOTO_MAX_BYTES = env_int("SQUAWK_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
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
# Associations (shared MAC secrets) a client address may request per hour, and at most how many
# the database keeps; past the cap the expired, then the oldest, are pruned. See docs/openid.md.
OPENID_ASSOCIATIONS_PER_ADDRESS = env_int("OPENID_ASSOCIATIONS_PER_ADDRESS", 10)
OPENID_MAX_ASSOCIATIONS = env_int("OPENID_MAX_ASSOCIATIONS", 2000)
if OPENID_ASSOCIATIONS_PER_ADDRESS < 0 or OPENID_MAX_ASSOCIATIONS < 1:
    raise ImproperlyConfigured("OPENID_ASSOCIATIONS_PER_ADDRESS must be >= 0 and OPENID_MAX_ASSOCIATIONS >= 1.")
# Wi-Flight's flight playback path (not published; see docs/openid.md).
WIFLIGHT_PLAYBACK_PATH = env_str("WIFLIGHT_PLAYBACK_PATH", "/flightview/{flight_id}")
# The flight page's map tiles ({z}/{x}/{y}, optional {s}) and the credit the tile provider asks
# for (HTML). MAP_TILE_URL=off draws only the SVG plan, which is also the fallback whenever
# no tile loads (offline, in tests). OpenStreetMap's tile policy: operations.osmfoundation.org.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors')
if MAP_TILE_URL == "off":
    MAP_TILE_URL = ""
CELERY_BEAT_SCHEDULE["openid-cleanup"] = {
    "task": "openid_provider.tasks.openid_cleanup_task",
    "schedule": 6 * 60 * 60,
}

# --- Wi-Flight reservation sync (integrations/wiflight) ---
WIFLIGHT_CONNECT_TIMEOUT = env_seconds("WIFLIGHT_CONNECT_TIMEOUT", 5.0)
WIFLIGHT_READ_TIMEOUT = env_seconds("WIFLIGHT_READ_TIMEOUT", 20.0)
# Rows a worker claims, builds and records at once (docs/sync.md, "Batches").
WIFLIGHT_SYNC_BATCH = env_int("WIFLIGHT_SYNC_BATCH", 50)
# Logged-in club sessions a worker process keeps (least recently used closed beyond this).
WIFLIGHT_CLIENT_CACHE_SIZE = env_int("WIFLIGHT_CLIENT_CACHE_SIZE", 200)
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
# How long a web process's notification publisher waits for more before it sends one kick
# message for all that arrived (docs/performance.md, "Notifications"); 0 sends each at once.
WIFLIGHT_NOTIFY_KICK_LINGER = env_seconds("WIFLIGHT_NOTIFY_KICK_LINGER", 0.2, zero_allowed=True)
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


# --- Webhooks (integrations/webhooks) ---------------------------------------------------------
# docs/webhooks.md. Sent through core/outbound.py; a receiver must answer within the timeouts.
WEBHOOK_CONNECT_TIMEOUT = float(env_int("WEBHOOK_CONNECT_TIMEOUT", 5))
WEBHOOK_READ_TIMEOUT = float(env_int("WEBHOOK_READ_TIMEOUT", 15))
# Longer than one send at both timeouts: a lease that runs out mid-send means a second copy.
WEBHOOK_LEASE_SECONDS = env_int("WEBHOOK_LEASE_SECONDS", 60)
WEBHOOK_BACKOFF_BASE = float(env_int("WEBHOOK_BACKOFF_BASE", 10))
WEBHOOK_BACKOFF_CAP = float(env_int("WEBHOOK_BACKOFF_CAP", 2 * 3600))
WEBHOOK_GIVE_UP_SECONDS = env_int("WEBHOOK_GIVE_UP_SECONDS", 3 * 24 * 3600)
WEBHOOK_DRAIN_SECONDS = float(env_int("WEBHOOK_DRAIN_SECONDS", 50))
# How long the previous signing secret keeps signing beside the new one after a rotation.
WEBHOOK_SECRET_ROTATION_HOURS = env_int("WEBHOOK_SECRET_ROTATION_HOURS", 24)
if WEBHOOK_LEASE_SECONDS <= WEBHOOK_CONNECT_TIMEOUT + WEBHOOK_READ_TIMEOUT:
    raise ImproperlyConfigured("WEBHOOK_LEASE_SECONDS must be longer than the connect and read timeouts together.")
CELERY_BEAT_SCHEDULE["webhooks-sweep"] = {
    "task": "integrations.webhooks.tasks.drain_webhooks",
    "schedule": float(env_int("WEBHOOK_SWEEP_SECONDS", 10)),
}
# Delivered and dead messages are kept this long for the delivery log, then pruned hourly.
WEBHOOK_LOG_RETENTION_DAYS = env_int("WEBHOOK_LOG_RETENTION_DAYS", 30)
CELERY_BEAT_SCHEDULE["webhooks-prune"] = {"task": "integrations.webhooks.tasks.prune_webhook_log", "schedule": 3600.0}


# --- Public REST API (api/) ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerAuthentication"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Flightline API",
    "DESCRIPTION": "Organizations, members, aircraft, bookings, flights, flight logs and accounts (invoices, payments, "
                   "expenses, balances) of a flying club, in the "
                   "PilotFlows conventions: `{\"data\": {\"id\", \"type\", \"attributes\"}}` envelopes, "
                   "`Authorization: Bearer <key>`, hourly rate limits with X-RateLimit headers. See README.md.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {"BookingStatusEnum": "dispatch.models.Booking.Status",
                            "AircraftStatusEnum": "dispatch.models.Aircraft.Status",
                            "AircraftKindEnum": "dispatch.models.Aircraft.Kind",
                            "InvoiceStatusEnum": "accounting.models.Invoice.Status",
                            "InvoiceKindEnum": "accounting.models.Invoice.Kind",
                            "InvoiceLineKindEnum": "accounting.models.InvoiceLine.Kind",
                            "ExpenseStatusEnum": "accounting.models.Expense.Status",
                            "PaymentMethodEnum": "accounting.models.Payment.Method",
                            "ClubEventKindEnum": "calendars.models.ClubEvent.Kind",
                            "MaintenanceItemKindEnum": "maintenance.models.MaintenanceItem.Kind",
                            "SquawkSeverityEnum": "dispatch.models.SquawkSeverity",
                            "SquawkStatusEnum": "maintenance.models.Squawk.Status",
                            "MaintenanceStateEnum": "api.resources.maintenance_standing.STATES"},
    "COMPONENT_SPLIT_REQUEST": True,
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "api.schema.add_errors_and_rate_headers"],
}
# Requests per hour per organization plan (an enterprise club's own number is set on the
# organization by the site admin). Tests switch the limit off where it is not the subject.
API_RATE_LIMITS = {
    "standard": env_int("API_RATE_LIMIT_STANDARD", 1000),
    "organization": env_int("API_RATE_LIMIT_ORGANIZATION", 5000),
}
API_RATE_LIMITS_ENABLED = env_bool("API_RATE_LIMITS_ENABLED", True)

# OAuth 2.0 for applications acting as a member (django-oauth-toolkit): authorization code
# with PKCE (S256 only), exact redirect URIs, refresh tokens rotated with reuse protection,
# tokens stored hashed. Every RFC 9700 (OAuth security best practice) gate is on.
OAUTH2_PROVIDER_APPLICATION_MODEL = "api.OAuthApplication"
OAUTH2_PROVIDER = {
    "SCOPES": {"read": "See the club's bookings, flights, flight log and members as you may",
               "write": "Book, cancel and record flights as you may"},
    "DEFAULT_SCOPES": ["read"],
    "PKCE_REQUIRED": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if DEBUG else ["https"],
    "ALLOW_URI_WILDCARDS": False,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("OAUTH_ACCESS_TOKEN_SECONDS", 3600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env_int("OAUTH_REFRESH_TOKEN_SECONDS", 30 * 24 * 3600),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    **{f"COMPLIANT_BCP_RFC9700_{gate}": True for gate in (
        "IMPLICIT_GRANT", "PASSWORD_GRANT", "PKCE_METHOD", "ACCESS_TOKEN_TRANSPORT", "AUTHZ_RESPONSE_ISS",
        "TOKEN_STORAGE", "REFRESH_TOKEN", "REDIRECT_URI_SCHEME", "REDIRECT_URI_MATCHING", "PKCE_REQUIRED")},
}


# --- Maintenance, booking rules, calendars and reminders (issue 14) ----------------------------
# Date-based items fall due with the calendar, not with a flight: the beat looks every hour
# (hour-based ones are looked at after every check-in and every detected flight as well).
CELERY_BEAT_SCHEDULE["maintenance-due"] = {
    "task": "maintenance.tasks.check_due_all",
    "schedule": float(env_int("MAINTENANCE_DUE_SECONDS", 60 * 60)),
}
# Reminders by email (EMAIL_BACKEND; the console in the demo): planned and sent by the beat.
CELERY_BEAT_SCHEDULE["reminders"] = {
    "task": "reminders.tasks.remind_all",
    "schedule": float(env_int("REMINDERS_SECONDS", 15 * 60)),
}
REMINDER_DOCUMENTS_DAYS = env_int("REMINDER_DOCUMENTS_DAYS", 30)
