"""`python -m lens_share.health`: the health check's report as a table or JSON, with the caller's credentials
and Region (or the endpoints AWS_ENDPOINT_URL_* name)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from lens_share.aws import clients
from lens_share.health.check import check, reader
from lens_share.health.model import ALARMED, problems
from lens_share.health.table import table
from lens_share.services import Environment


def exit_code(result: Mapping[str, Any]) -> int:
    """0 healthy; 1 expired, rejected, failed or missing shares; 3 nothing wrong found but the check is partial."""
    if any(problem["Kind"] in ALARMED for problem in problems(result)):
        return 1
    return 3 if result["Partial"] else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lens_share.health",
        description="Check every share of this account's lenses, profiles, review templates and workloads in the "
        "Region against the stacks.",
        epilog="Exit status: 0 healthy, 1 problems found (EXPIRED, REJECTED, FAILED, MISSING), 2 the check "
        "could not run, 3 no problem found but the check ran out of time.",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds the check may take (default 300)")
    parser.add_argument(
        "--account",
        default=os.environ.get("AWS_ACCOUNT_ID"),
        help="this account's ID (default: AWS_ACCOUNT_ID), so that review templates and workloads other accounts "
        "shared with it are left out; without it every one listed is checked",
    )
    args = parser.parse_args(argv)
    end = time.monotonic() + args.timeout
    try:
        environment = Environment.load()
        wellarchitected = reader(environment, lambda: int((end - time.monotonic()) * 1000))
        result = check(wellarchitected, clients.cloudformation(environment.region), args.account).as_dict()
    except (BotoCoreError, ClientError) as error:
        print(f"The health check could not run: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if args.json else table(result))
    return exit_code(result)


if __name__ == "__main__":
    raise SystemExit(main())
