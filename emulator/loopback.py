"""The HTTP serving both emulators share: loopback only, keep-alive, and a stop that ends every handler thread."""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

if TYPE_CHECKING:
    from types import TracebackType

Owner = TypeVar("Owner")
Self = TypeVar("Self", bound="LoopbackService")


def check_loopback(host: str) -> None:
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the emulator binds to loopback only, not {host}")


class LoopbackServer(ThreadingHTTPServer, Generic[Owner]):
    """A threaded server that knows its kept-alive connections, so that stopping it ends their threads."""

    daemon_threads = True
    request_queue_size = 256  # many benchmark processes connect at once

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], owner: Owner) -> None:
        super().__init__(address, handler)
        self.owner = owner
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def close_connections(self) -> None:
        """Hang up kept-alive connections so their handler threads end with the server."""
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-request is normal under benchmarks and drop faults.
        if not isinstance(sys.exc_info()[1], ConnectionError):
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

    def __init__(self, host: str, port: int) -> None:
        check_loopback(host)
        self.host, self.port = host, port
        self._server: LoopbackServer[Any] | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("the emulator is already started")
        self._server = LoopbackServer((self.host, self.port), self.handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.thread_name, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.shutdown()
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
