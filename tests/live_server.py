"""The portal under gunicorn on free loopback ports, against a fresh migrated database, for
the tests and benchmarks that speak real HTTP to it (the Python client, the rate limit across
processes, bench/api.py). Plain Python, no pytest: the benchmarks use it too.

    with live_database(tmp) as db:
        club = db.seed_club("live", bookings=100)     # a club, its admin, an API key
        with db.serving(count=2) as servers:           # two gunicorn servers, one database
            requests.get(servers[0].url + "/api/v1/organizations", headers=club.auth)

Two configurations, as in production (portal/settings.py):
- embedded: SQLite in a temporary FLIGHTLINE_VAR_DIR, the filesystem broker, no cache server
  (DATABASE_URL, CELERY_BROKER_URL and CACHE_URL of the environment are dropped);
- scaled: a fresh PostgreSQL database made on the server of DATABASE_URL (dropped afterwards),
  with the environment's CACHE_URL and CELERY_BROKER_URL, so rate-limit counts are in Redis.
"""

import atexit
import json
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from wiflight_sim.launcher import free_port

REPO = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
SERVICE_URLS = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")
SQLITE_NAME = "flightline.sqlite3"  # in FLIGHTLINE_VAR_DIR (portal/settings.py)


def is_postgres(url: str | None) -> bool:
    return bool(url) and url.startswith(("postgres://", "postgresql://"))


def scaled_available() -> bool:
    """Whether the environment names the scaled configuration's PostgreSQL and Redis."""
    return is_postgres(os.environ.get("DATABASE_URL")) and bool(os.environ.get("CACHE_URL"))


@dataclass(frozen=True)
class Club:
    slug: str
    id: int
    key: str  # read and write
    read_key: str
    aircraft: list[str]  # registrations
    members: dict[str, str]  # persona -> member id
    bookings: list[str] = field(default_factory=list)  # ids

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # the gunicorn master's
    log: Path


SEED = """
import json, secrets, sys
from datetime import datetime, timedelta, timezone
import django
django.setup()
from api.keys import api_key_create
from clubs.models import Membership, Organization, User
from dispatch.models import Aircraft
from dispatch.services.bookings import BookingInput, booking_create

p = json.loads(sys.argv[1])
slug = p["slug"]
# The rate-limit bucket is the organization's id (api.ratelimit), and with CACHE_URL the count
# lives in a Redis that outlives this database: a fresh database's organization 1 would start
# from an earlier run's count in the same hour.
club = Organization.objects.create(pk=10**6 + secrets.randbelow(10**9), name=f"Live {slug}", slug=slug,
                                   timezone="Europe/Paris")

def member(name, full_name, **roles):
    user = User.objects.create_user(username=f"{slug}-{name}", email=f"{name}@{slug}.example.com", password=None,
                                    full_name=full_name)
    return Membership.objects.create(organization=club, user=user, **{"is_pilot": False, **roles})

admin = member("admin", "Alex Admin", is_admin=True, is_dispatcher=True)
pilot = member("pilot", "Pat Pilot", is_pilot=True)
pilot2 = member("pilot2", "Robin Pilot", is_pilot=True)
fleet = [Aircraft.objects.create(organization=club, registration=r, aircraft_type="Cessna 172S")
         for r in ("C-GLVA", "C-GLVB")]
first = datetime(2031, 3, 3, 7, tzinfo=timezone.utc)
bookings = []
for i in range(p["bookings"]):
    start = first + timedelta(hours=3 * i)
    bookings.append(str(booking_create(actor=admin, data=BookingInput(
        aircraft=fleet[0], start=start, end=start + timedelta(hours=2), crew=[(pilot, "pic")])).pk))
key = api_key_create(actor=admin, name="Live tests", scopes="read,write")[1]
read_key = api_key_create(actor=admin, name="Live tests (read)", scopes="read")[1]
print(json.dumps({"slug": slug, "id": club.pk, "key": key, "read_key": read_key,
                  "aircraft": [a.registration for a in fleet], "bookings": bookings,
                  "members": {"admin": str(admin.pk), "pilot": str(pilot.pk), "pilot2": str(pilot2.pk)}}))
"""


class LiveDatabase:
    """A migrated database and the environment of every process that uses it."""

    def __init__(self, tmp: Path, env: dict[str, str]):
        self.tmp = tmp
        self.env = env

    @property
    def scaled(self) -> bool:
        return is_postgres(self.env.get("DATABASE_URL"))

    def django(self, code: str, *args: str) -> str:
        """Run `code` (Django set up, in this database's configuration); return its stdout."""
        done = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code, *args], cwd=REPO,
                              env=self.env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"the live database's script failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def seed_club(self, slug: str, *, bookings: int = 0) -> Club:
        """A club with an admin (the keys' creator), two pilots, two aircraft, `bookings`
        two-hour bookings in 2031, a read+write key and a read key."""
        out = self.django(SEED, json.dumps({"slug": slug, "bookings": bookings}))
        return Club(**json.loads(out.strip().splitlines()[-1]))

    @contextmanager
    def serving(self, *, count: int = 1, workers: int = 1, env: dict[str, str] | None = None,
                timeout: float = 30) -> Iterator[list[Server]]:
        """`count` gunicorn servers of `workers` processes each, on this database."""
        procs: list[subprocess.Popen] = []
        servers: list[Server] = []
        try:
            for _ in range(count):
                port = free_port()
                log = self.tmp / f"gunicorn-{port}.log"
                url = f"http://127.0.0.1:{port}"
                # Its own session: on the way out we signal its process group (master and
                # workers) by id, never anything else.
                procs.append(subprocess.Popen(
                    [str(GUNICORN), "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
                     str(workers), "--graceful-timeout", "5", "--log-level", "warning"],
                    cwd=REPO, env={**self.env, "PUBLIC_BASE_URL": url, **(env or {})}, stdout=log.open("w"),
                    stderr=subprocess.STDOUT, start_new_session=True))
                servers.append(Server(url=url, pid=procs[-1].pid, log=log))
            for server, proc in zip(servers, procs):
                _wait_until_up(server, proc, timeout)
            yield servers
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def _wait_until_up(server: Server, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{server.url}/healthz", timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still loading
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn on {server.url} did not start:\n{server.log.read_text()[-3000:]}")
        time.sleep(0.1)


def _environment(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k.removesuffix("_FILE") not in (*SERVICE_URLS, "FLIGHTLINE_VAR_DIR", "SECRET_KEY")
           and not k.startswith("API_RATE_LIMIT")}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings", "FLIGHTLINE_VAR_DIR": str(var_dir),
                "DEBUG": "true", "ALLOWED_HOSTS": "127.0.0.1", "SECRET_KEY": "live-server-test-only-key",
                "CELERY_TASK_ALWAYS_EAGER": "true", "LOG_LEVEL": "WARNING"})
    return env


def _scaled_environment(var_dir: Path, database_url: str) -> dict[str, str]:
    return {**_environment(var_dir), "DATABASE_URL": database_url,
            **{k: os.environ[k] for k in ("CACHE_URL", "CELERY_BROKER_URL") if os.environ.get(k)}}


def _migrate(env: dict[str, str]) -> None:
    LiveDatabase(Path(env["FLIGHTLINE_VAR_DIR"]), env).django(
        "from django.core.management import call_command\ncall_command('migrate', verbosity=0)")


# Migrating takes a dozen seconds (more on a busy machine), so it is done once per process
# and configuration: every fresh database after the first is a copy of that migrated template.
_templates: dict[str, str] = {}


def _sqlite_template() -> str:
    if "sqlite" not in _templates:
        var_dir = Path(tempfile.mkdtemp(prefix="flightline-live-template-"))
        atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
        _migrate(_environment(var_dir))
        _templates["sqlite"] = str(var_dir / SQLITE_NAME)
    return _templates["sqlite"]


def _fresh_sqlite(var_dir: Path) -> None:
    var_dir.mkdir(parents=True, exist_ok=True)
    # The backup API, not a file copy: it is consistent whatever the write-ahead log holds.
    with closing(sqlite3.connect(_sqlite_template())) as source:
        with closing(sqlite3.connect(var_dir / SQLITE_NAME)) as copy:
            source.backup(copy)


def _postgres_admin(url: str) -> Callable[[str], None]:
    import psycopg

    def execute(sql: str) -> None:
        with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
            conn.execute(sql)
    return execute


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _postgres_template(url: str) -> str:
    if "postgres" not in _templates:
        name = f"flightline_live_template_{os.getpid()}_{secrets.token_hex(3)}"
        execute = _postgres_admin(url)
        execute(f'CREATE DATABASE "{name}"')
        atexit.register(execute, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        var_dir = Path(tempfile.mkdtemp(prefix="flightline-live-template-"))
        atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
        _migrate(_scaled_environment(var_dir, _with_database(url, name)))
        _templates["postgres"] = name
    return _templates["postgres"]


@contextmanager
def _fresh_postgres(url: str) -> Iterator[str]:
    template = _postgres_template(url)
    name = f"flightline_live_{os.getpid()}_{secrets.token_hex(3)}"
    execute = _postgres_admin(url)
    execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _with_database(url, name)
    finally:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def live_database(tmp: Path, *, scaled: bool = False) -> Iterator[LiveDatabase]:
    """A freshly migrated database: embedded (SQLite under `tmp`), or scaled (see above)."""
    var_dir = tmp / "var"
    if not scaled:
        _fresh_sqlite(var_dir)
        yield LiveDatabase(tmp, _environment(var_dir))
        return
    if not is_postgres(os.environ.get("DATABASE_URL")):
        raise RuntimeError("the scaled configuration needs DATABASE_URL=postgres://...")
    with _fresh_postgres(os.environ["DATABASE_URL"]) as database_url:
        yield LiveDatabase(tmp, _scaled_environment(var_dir, database_url))
