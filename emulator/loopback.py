"""The HTTP serving both emulators share: loopback only, keep-alive, and a stop that ends every handler thread."""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

if TYPE_CHECKING:
    from types import TracebackType

Owner = TypeVar("Owner")
Self = TypeVar("Self", bound="LoopbackService")


# SigV4's Credential=<key>/<date>/<Region>/<service>/aws4_request: local services read the caller from it.
_CREDENTIAL = re.compile(r"Credential=([^/\s,]+)/\d{8}/([^/\s,]+)/")
_ACCOUNT_SUFFIX = re.compile(r"\d{12}$")


def signed_by(authorization: str | None) -> tuple[str | None, str | None]:
    """The account a SigV4 Authorization header's access key ends in (the test beds' keys end in one), and the
    Region of its credential scope; None for what the header does not give."""
    credential = _CREDENTIAL.search(authorization or "")
    if credential is None:
        return None, None
    digits = _ACCOUNT_SUFFIX.search(credential.group(1))
    return (digits.group(0) if digits else None), credential.group(2)


def stop_now(stop: Callable[[], None], address: tuple[str, int]) -> None:
    """stop() of a server whose loop notices a stop only at its next poll, with connections to its address to wake
    the loop at once: every test bed starts and stops servers by the hundred."""
    stopping = threading.Thread(target=stop, name="server-stop")
    stopping.start()
    while stopping.is_alive():
        with suppress(OSError), socket.create_connection(address, timeout=0.5):
            pass
        stopping.join(0.01)


def check_loopback(host: str) -> None:
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the emulator binds to loopback only, not {host}")


class LoopbackServer(ThreadingHTTPServer, Generic[Owner]):
    """A threaded server that knows its kept-alive connections, so that stopping it ends their threads; HTTPS
    when given a TLS context."""

    daemon_threads = True
    request_queue_size = 256  # many benchmark processes connect at once

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        owner: Owner,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(address, handler)
        self.owner = owner
        self.tls = tls
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        # The TLS handshake runs here, in the connection's own thread, so a stuck client cannot block accept().
        with self.tls.wrap_socket(request, server_side=True) as tls_socket:
            super().finish_request(tls_socket, client_address)

    def close_connections(self) -> None:
        """Hang up kept-alive connections so their handler threads end with the server."""
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-request is normal under benchmarks and drop faults; one that refuses the
        # certificate is that client's failure to report.
        if not isinstance(sys.exc_info()[1], ConnectionError | ssl.SSLError):
            super().handle_error(request, client_address)


class TrackedHandler(BaseHTTPRequestHandler):
    """Registers its connection with the server while it lives; quiet, since benchmarks send thousands."""

    protocol_version = "HTTP/1.1"  # keep-alive: botocore reuses its connections
    disable_nagle_algorithm = True  # headers and body are separate writes; don't wait for delayed ACKs

    def _tracking(self) -> LoopbackServer[Any]:
        return cast("LoopbackServer[Any]", self.server)

    def setup(self) -> None:
        super().setup()
        with self._tracking().connections_lock:
            self._tracking().connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self._tracking().connections_lock:
                self._tracking().connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class LoopbackService:
    """Start, stop and the URL of a service whose requests `handler` answers on a thread of its own."""

    handler: type[TrackedHandler]
    thread_name = "emulator"
    tls: ssl.SSLContext | None = None  # HTTPS with this context's certificate, set before start()

    def __init__(self, host: str, port: int) -> None:
        check_loopback(host)
        self.host, self.port = host, port
        self._server: LoopbackServer[Any] | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        scheme = "http" if self.tls is None else "https"
        return f"{scheme}://{self.host}:{self.bound_port}"

    @property
    def bound_port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"the {self.thread_name} service is not started")
        return int(self._server.server_address[1])

    def start(self) -> None:
        if self._server is not None:
            raise RuntimeError(f"the {self.thread_name} service is already started")
        self._server = LoopbackServer((self.host, self.port), self.handler, self, self.tls)
        self._thread = threading.Thread(target=self._server.serve_forever, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        stop_now(server.shutdown, (self.host, self.bound_port))
        server.close_connections()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    def __enter__(self: Self) -> Self:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
