"""A real webhook receiver over HTTP on loopback (allowed by the tests' OUTBOUND_ALLOWED_NETWORKS),
and endpoints of the test club pointing at it. Signatures are checked with the standardwebhooks
package, never with our own code."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks.webhooks import Webhook

from integrations.webhooks.endpoints import endpoint_create
from integrations.webhooks.models import WebhookEndpoint


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def document(self) -> dict:
        return json.loads(self.body)

    def verified_with(self, secret: str) -> dict:
        """The body, if standardwebhooks verifies its signature with `secret` (raises otherwise)."""
        return Webhook(secret).verify(self.body, self.headers)


@dataclass
class Receiver:
    """Answers each POST with the next of `statuses` (the last one repeats), 200 by default,
    after `delay` seconds."""

    port: int = 0
    delay: float = 0.0
    statuses: list[int] = field(default_factory=lambda: [200])
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/flightline"

    def answer(self, *statuses: int) -> None:
        self.statuses = list(statuses)

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(receiver.delay)
                receiver.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses[min(len(receiver.received), len(receiver.statuses)) - 1]
                reply = b'{"ok": true}' if status < 300 else b"receiver says no " * 200
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def make_endpoint(admin):
    """make_endpoint(url, events=[...]) through the real service; returns (endpoint, secret)."""

    def _make(url: str, events=("flight_log.created",), description: str = "") -> tuple[WebhookEndpoint, str]:
        return endpoint_create(actor=admin, url=url, events=list(events), description=description)

    return _make


@pytest.fixture
def hook(receiver, make_endpoint):
    """An endpoint for every event, at the receiver."""
    from integrations.webhooks.catalogue import EVENTS

    return make_endpoint(receiver.url, events=list(EVENTS))
