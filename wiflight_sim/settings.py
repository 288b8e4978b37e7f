"""Settings of the Wi-Flight simulator (its own project, its own SQLite database).

Cookie names never collide with the portal's (`flightline_session`, `flightline_csrftoken`):
browsers keep cookies per host, not per port, and both run on 127.0.0.1.
"""

from pathlib import Path

from wiflight_sim.env import env_bool, env_float, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("WIFLIGHT_SIM_SECRET_KEY", "wiflight-sim-not-a-secret-it-is-a-simulator")
ALLOWED_HOSTS = ["*"]  # a loopback test double: any Host header the portal uses is fine

INSTALLED_APPS = ["django.contrib.sessions", "wiflight_sim"]

MIDDLEWARE = [
    "wiflight_sim.middleware.RequestLogMiddleware",
    "wiflight_sim.middleware.FaultMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]

ROOT_URLCONF = "wiflight_sim.urls"
WSGI_APPLICATION = "wiflight_sim.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    }
]

SIM_DB_PATH = Path(env_str("WIFLIGHT_SIM_DB", str(REPO_DIR / "var" / "wiflight_sim.sqlite3")))
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(SIM_DB_PATH),
        # IMMEDIATE takes the write lock at BEGIN, so two concurrent PUTs serialize instead
        # of one failing with "database is locked" when it upgrades a read lock.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # A file, not memory: tests run the simulator's real WSGI server in a thread.
        "TEST": {"NAME": str(SIM_DB_PATH.parent / "test-wiflight_sim.sqlite3")},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"

# Django's own session only carries the OpenID consumer's state between the redirect and the
# return; the Wi-Flight login itself is the `gasn-session` cookie.
SESSION_COOKIE_NAME = "wfsim_session"
CSRF_COOKIE_NAME = "wfsim_csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Simulator knobs (docs/wiflight.md explains each assumption) ------------------------------
SIM_SESSION_COOKIE = "gasn-session"
SIM_BASE_URL = (env_str("WIFLIGHT_SIM_BASE_URL", "http://127.0.0.1:8001") or "").rstrip("/")
SIM_CONTROL_TOKEN = env_str("WIFLIGHT_SIM_CONTROL_TOKEN")  # unset: /sim/* open on loopback only
SIM_MAX_BODY_BYTES = int(env_float("WIFLIGHT_SIM_MAX_BODY_BYTES", 256 * 1024))
SIM_MATCH_TOLERANCE_SECONDS = int(env_float("WIFLIGHT_SIM_MATCH_TOLERANCE", 30 * 60))
SIM_NOTIFY_BACKOFF_SECONDS = env_float("WIFLIGHT_SIM_NOTIFY_BACKOFF", 10.0)
SIM_NOTIFY_BACKOFF_MAX_SECONDS = env_float("WIFLIGHT_SIM_NOTIFY_BACKOFF_MAX", 3600.0)
SIM_NOTIFY_TIMEOUT_SECONDS = env_float("WIFLIGHT_SIM_NOTIFY_TIMEOUT", 10.0)
SIM_DELIVERY_INTERVAL_SECONDS = env_float("WIFLIGHT_SIM_DELIVERY_INTERVAL", 1.0)
SIM_HOME_AIRPORT = env_str("WIFLIGHT_SIM_HOME_AIRPORT", "CYRO")
SIM_TRACK_PAGE_MAX_SECONDS = 600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"wiflight_sim": {"handlers": ["console"], "level": env_str("WIFLIGHT_SIM_LOG_LEVEL", "INFO")}},
}

# Benchmarks that log a thousand fleet accounts in set this: a cheap password hash (the default
# costs some 0.8 s per login on a small machine). Never for a simulator anyone else can reach.
if env_bool("WIFLIGHT_SIM_FAST_PASSWORDS", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
