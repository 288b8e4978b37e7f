"""The simulator's threaded WSGI server (Django's own, plus the "drop connection" fault).

FaultMiddleware marks a request to be dropped; the app wrapper turns the mark into an
exception, and the handler closes the socket without writing a byte: clients see the
connection reset/closed mid-request, exactly like a crashed upstream.
"""

import logging
import socket
import sys
import threading

from django.core.servers.basehttp import ServerHandler, ThreadedWSGIServer, WSGIRequestHandler
from django.db import close_old_connections

from wiflight_sim.faults import DROP_FLAG

log = logging.getLogger(__name__)


class DropConnection(Exception):
    pass


def dropping_app(app):
    def wrapped(environ, start_response):
        captured = []
        result = app(environ, lambda status, headers, exc_info=None: captured.append((status, headers, exc_info)))
        if environ.get(DROP_FLAG):
            if hasattr(result, "close"):
                result.close()
            raise DropConnection()
        start_response(*captured[0])
        return result

    return wrapped


class _Handler(ServerHandler):
    dropped = False

    def handle_error(self):
        if isinstance(sys.exc_info()[1], DropConnection):
            self.dropped = True
            return
        super().handle_error()


class _RequestHandler(WSGIRequestHandler):
    def setup(self):
        super().setup()
        # wsgiref writes the status line/headers and the body separately; without NODELAY
        # Nagle holds the body until the client's delayed ACK (~40 ms per keep-alive request).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_one_request(self):
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline, self.request_version, self.command = "", "", ""
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _Handler(self.rfile, self.wfile, self.get_stderr(), self.get_environ())
        handler.request_handler = self
        handler.run(self.server.get_app())
        if handler.dropped:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def log_message(self, format, *args):
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)


class SimServer(ThreadedWSGIServer):
    request_queue_size = 64


def make_server(host: str, port: int, app, *, quiet: bool = False) -> SimServer:
    ipv6 = ":" in host
    server = SimServer((host, port), _RequestHandler, ipv6=ipv6)
    server.set_app(dropping_app(app))
    server.quiet = quiet
    return server


def start_delivery_loop(interval: float, stop: threading.Event) -> threading.Thread:
    from wiflight_sim.notifications import deliver_due

    def loop():
        while not stop.is_set():
            try:
                close_old_connections()
                deliver_due()
            except Exception:  # keep delivering after a transient database error
                log.exception("notification delivery pass failed")
            stop.wait(interval)

    thread = threading.Thread(target=loop, name="wfsim-delivery", daemon=True)
    thread.start()
    return thread
