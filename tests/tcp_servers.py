"""Small TCP servers on loopback that are not Wi-Flight, for the outbound tests: what a club
admin could point the connection at to probe a port (an internal HTTP service, a non-HTTP
daemon, something that never answers), and a closed port."""

import socket
import socketserver
import threading
from contextlib import contextmanager

ANSWERS = {
    "http_404": b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nNot Found",
    "http_200": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 14\r\nConnection: close\r\n\r\n<h1>Admin</h1>",
    "http_500": b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    "http_redirect": b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/elsewhere\r\nContent-Length: 0\r\n"
                     b"Connection: close\r\n\r\n",
    "not_http": b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",  # a daemon that speaks first
}


def _read_head(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        kind = self.server.kind
        self.request.settimeout(5)
        try:
            if kind == "silent":  # accepts, never answers: the client's read timeout ends it
                self.server.stop.wait(10)
                return
            if kind == "not_http":
                self.request.sendall(ANSWERS[kind])
                return
            head = _read_head(self.request)
            self.server.heads.append(head)
            if kind == "echo":  # answers with the request head it received
                self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                                     % (len(head), head))
            else:
                self.request.sendall(ANSWERS[kind])
        except OSError:
            pass


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def tcp_server(kind: str, port: int = 0):
    """A server of `kind` (a key of ANSWERS, "silent" or "echo") on 127.0.0.1; yields it
    (`.port`, `.heads`: the request heads received)."""
    server = _Server(("127.0.0.1", port), _Handler)
    server.kind, server.heads, server.stop = kind, [], threading.Event()
    server.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
