"""moto's server on 127.0.0.1 for what the test beds take from moto (Organizations, STS): on a free port, with
moto's backends emptied, and stopped at once rather than after the half second its loop polls for."""

from __future__ import annotations

import contextlib
import logging
import urllib.request
from collections.abc import Iterator

from moto.server import ThreadedMotoServer

from emulator.loopback import stop_now


def post(url: str) -> None:
    """A POST to one of moto's /moto-api/ controls."""
    urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=30).close()


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """The server's URL. Its backends are the process's own, so what an earlier server of the process left there
    is reset first."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        post(f"{url}/moto-api/reset")
        yield url
    finally:
        stop_now(server.stop, server.get_host_and_port())
