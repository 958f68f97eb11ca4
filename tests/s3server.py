"""A real S3-compatible server for the deploy tests: moto's server (``python -m moto.server``) in its
own process on a free localhost port, behind a small HTTP proxy in the test process that records
every write in the order the server receives it and can be told to fail from some request on, as a
service that goes down mid-deploy does. See docs/design.md (Deploying) for why moto.
"""

from __future__ import annotations

import http.client
import http.server
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager

UNAVAILABLE = b"<Error><Code>ServiceUnavailable</Code><Message>the test stopped the service</Message></Error>"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def moto_server() -> Iterator[str]:
    """Start moto's S3 server; yields its address and stops it at the end."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


class Proxy(http.server.ThreadingHTTPServer):
    """Forwards every request to ``upstream``. ``writes`` holds each PUT and DELETE the upstream
    received, as ``(method, key)`` in order; once ``fail_when(method, key)`` is true for a request,
    that request and every one after it get 503 until ``heal()``."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        parts = urllib.parse.urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port)
        self.writes: list[tuple[str, str]] = []
        self.fail_when: Callable[[str, str], bool] | None = None
        self.down = False
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def heal(self) -> None:
        with self.lock:
            self.fail_when, self.down = None, False


@contextmanager
def proxy(upstream: str) -> Iterator[Proxy]:
    server = Proxy(upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class _Forward(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Proxy

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        server = self.server
        with server.lock:
            if server.fail_when is not None and server.fail_when(self.command, key):
                server.down = True
            down = server.down
            if not down and self.command in ("PUT", "DELETE"):
                server.writes.append((self.command, key))
        if down:
            self._answer(503, [("Content-Type", "application/xml")], UNAVAILABLE)
            return
        upstream = http.client.HTTPConnection(*server.upstream, timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
            self._answer(response.status, kept, data)
        finally:
            upstream.close()

    def _answer(self, status: int, headers: list[tuple[str, str]], data: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_DELETE = do_HEAD = do_POST = _forward

    def log_message(self, format, *args):
        pass


_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}
