"""A built portal on a local port, as a federation member's host serves it: for tests and
benchmarks of ``gongkai federate``.

``serve_member(site, cors=True)`` serves ``site`` from a thread, with
``Access-Control-Allow-Origin: *`` on every response when ``cors`` (what docs/zh/federation.md asks
members to send for ``/pagefind/*`` and ``/data/*``), and counts the requests per path.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections import Counter
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, cors: bool, counts: Counter, **kwargs) -> None:
        self.cors = cors
        self.counts = counts
        super().__init__(*args, **kwargs)

    def send_head(self):
        self.counts[self.path.split("?", 1)[0]] += 1
        return super().send_head()

    def end_headers(self) -> None:
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format, *args) -> None:
        pass


class MemberServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Path, *, cors: bool = True) -> None:
        self.counts: Counter = Counter()
        handler = functools.partial(_Handler, directory=str(site), cors=cors, counts=self.counts)
        super().__init__(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def handle_error(self, request, client_address) -> None:
        # A browser that went away while a file was on its way: not the server's failure.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def serve_member(site: Path, *, cors: bool = True) -> MemberServer:
    return MemberServer(site, cors=cors)
