"""Real Celery worker processes for the sync tests, on the broker and database the test uses.

Embedded configuration (no CELERY_BROKER_URL): kombu's filesystem transport in a per-test
folder that the test process publishes into too. Scaled configuration: the broker from the
environment (Redis or RabbitMQ), purged before each test. Either way the workers read and
write the test database itself, so tests using them need `transactional_db`.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.db import connection as db_connection

from portal.celery import app

REPO = Path(__file__).resolve().parents[2]
CELERY = REPO / ".venv" / "bin" / "celery"


def current_database_url() -> str:
    """The database this test process really uses (pytest-django renamed it)."""
    db = settings.DATABASES["default"]
    if db_connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    auth = f"{user}:{db['PASSWORD']}@" if db.get("PASSWORD") else (f"{user}@" if user else "")
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def is_scaled() -> bool:
    return db_connection.vendor == "postgresql" and settings.CELERY_BROKER_URL.startswith("redis://")


def _reset_producer_pool() -> None:
    from kombu import pools

    pools.reset()  # kombu keeps pools per connection globally: close them and forget them
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


class CeleryWorkers:
    """Start, kill and stop worker processes; publish for real from the test process."""

    def __init__(self, tmp: Path, sync_env: dict[str, str]):
        self.tmp = tmp
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.broker_url = settings.CELERY_BROKER_URL
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": current_database_url(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DEBUG": "true",
            "SECRET_KEY": settings.SECRET_KEY,
            "CELERY_BROKER_URL": self.broker_url,
            **sync_env,
        }
        self._saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "broker_transport_options")}
        if self.broker_url.startswith("filesystem://"):
            broker_dir = tmp / "broker"
            for sub in ("queue", "processed"):
                (broker_dir / sub).mkdir(parents=True, exist_ok=True)
            self.env["CELERY_FILESYSTEM_BROKER_DIR"] = str(broker_dir)
            options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "data_folder_in": str(broker_dir / "queue"),
                       "data_folder_out": str(broker_dir / "queue"), "processed_folder": str(broker_dir / "processed")}
        else:
            options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
        app.conf.update(task_always_eager=False, broker_url=self.broker_url, broker_transport_options=options)
        _reset_producer_pool()
        if not self.broker_url.startswith("filesystem://"):
            app.control.purge()  # leftovers of an earlier run must not count as this test's work

    def start(self, name: str, *, beat: bool = False, concurrency: int = 1) -> subprocess.Popen:
        var = self.tmp / f"var-{name}"  # its own beat schedule file; the database is DATABASE_URL
        var.mkdir(exist_ok=True)
        log = self.tmp / f"{name}.log"
        cmd = [str(CELERY), "-A", "portal", "worker", "--pool", "prefork", "--concurrency", str(concurrency),
               "-l", "info", "-n", f"{name}@%h", "--logfile", str(log)] + (["-B"] if beat else [])
        # Its own session: teardown and the SIGKILL test signal the worker's whole process
        # group (main process, pool children, embedded beat), never anything else.
        proc = subprocess.Popen(cmd, cwd=REPO, env={**self.env, "FLIGHTLINE_VAR_DIR": str(var)},
                                stdout=subprocess.DEVNULL, stderr=log.with_suffix(".err").open("w"),
                                start_new_session=True)
        self.procs[name], self.logs[name] = proc, log
        # One at a time: kombu's filesystem transport truncates its exchange table before
        # locking it, so two workers binding their queues at the same moment can read an
        # empty table and crash (seen in CI). Redis and RabbitMQ have no such race.
        self.wait_ready(name)
        return proc

    def wait_ready(self, *names: str, timeout: float = 60) -> None:
        for name in names:
            log = self.logs[name]
            wait_until(lambda: log.exists() and "ready." in log.read_text(errors="replace"), timeout=timeout,
                       what=f"worker {name} to be ready")

    def kill(self, name: str) -> None:
        """SIGKILL, as if the machine died: no warm shutdown, no acks, leases left behind."""
        proc = self.procs.pop(name)
        _signal_group(proc, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs.values():
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _signal_group(proc, signal.SIGKILL)  # stragglers, and pool children of a dead main
            if proc.poll() is None:
                proc.wait(timeout=10)
        self.procs.clear()

    def restore(self) -> None:
        app.conf.update(self._saved)
        _reset_producer_pool()

    def tail(self, lines: int = 40) -> str:
        out = []
        for name, log in self.logs.items():
            for path in (log, log.with_suffix(".err")):
                if path.exists():
                    out.append(f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:]))
        return "\n".join(out)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)  # the group we created with start_new_session
    except ProcessLookupError:
        pass


def wait_until(condition, *, timeout: float, interval: float = 0.25, what: str = "condition"):
    """Poll until condition() is truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)
