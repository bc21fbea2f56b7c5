"""python -m emulator: serve on loopback, print the URL as the first line, stop on SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import threading

from emulator import behaviours
from emulator.server import WellArchitectedEmulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--rate-limit", type=float, default=None, metavar="RPS", help="requests per second")
    parser.add_argument("--burst", type=int, default=None, metavar="N", help="bucket size (default: RPS)")
    parser.add_argument("--default-account", default="111111111111", help="account of keys without 12 digits")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument(
        "--behaviour",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an undocumented service behaviour, repeatable; one of: "
        + "; ".join(switch.describe() for switch in behaviours.SWITCHES),
    )
    args = parser.parse_args(argv)
    try:
        chosen = dict(behaviours.parse(setting) for setting in args.behaviour)
        emulator = WellArchitectedEmulator(
            args.host,
            args.port,
            args.default_account,
            args.region,
            rate_limit=args.rate_limit,
            burst=args.burst,
            behaviour=chosen,
        )
    except ValueError as error:
        parser.error(str(error))
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda _signum, _frame: stopping.set())
    with emulator:
        print(emulator.url, flush=True)
        stopping.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
